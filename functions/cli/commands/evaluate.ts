/**
 * `guardrail evaluate FILE`: the decision the deployed guardrail would make,
 * computed on this machine with the same evaluator and a policy file. Nothing
 * is stored or sent, so it is safe to try policy changes against samples.
 */
import { resolve } from 'node:path';
import { evaluateEvent } from '../../domain/evaluate';
import { preparePolicy } from '../../domain/prepared-policy';
import { DEFAULT_POLICY_FILE } from '../../local/paths';
import { canonicalEventsOf } from '../event-input';
import { CliError, EXIT, parseCommandArgs, TEXT, printJson, readJsonFile, singleFile, type CliIo } from '../io';
import { loadPolicy } from '../policy-input';
import type { CliCommand } from './command';

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'print the decision for an event, using a policy file (stores nothing)',
  usage: `Usage: guardrail evaluate FILE [--policy FILE] [--now ISO] [--source NAME]

Evaluates the event in FILE against a policy and prints the decision as JSON
(outcome, severity, findings, summary, vendor, spend, requiredApprover,
policyVersion, …). Nothing is stored, notified or published.

FILE may be:
  - an EventBridge entry: {Source, DetailType, Detail} or {source, "detail-type", detail}
  - a canonical detail with "kind": "purchase-request" or "app-connected"
  - {"Entries": [...]} (prints an array of decisions)
  - a native payload from a known source (Okta, Entra ID, Google Workspace,
    IAM Identity Center, …): detected automatically, or forced with --source

Options:
  --policy FILE   policy YAML/JSON (default: policy/default.yaml of this project)
  --now ISO       evaluate as of this time, e.g. 2026-12-01T09:00:00Z (default: now)
  --source NAME   read FILE as that source's native payload
  --options FILE  JSON options for the source's normaliser (app names, field mapping)
  -h, --help      show this help

Exit codes: 0 a decision was printed (whatever its outcome: allow, review or
block), 2 bad usage, unreadable FILE, invalid JSON, invalid event (each bad
field is named on stderr) or invalid policy.`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs('evaluate', args, { policy: TEXT, now: TEXT, source: TEXT, options: TEXT });
    const file = singleFile('evaluate', positionals);
    const now = parseNow(values.now);
    const body = readJsonFile(file, io);
    const sourceOptions = values.options === undefined ? undefined : readJsonFile(values.options, io);
    const input = canonicalEventsOf(body, file, values.source, sourceOptions);
    for (const note of input.notes) io.stderr.write(`${note}\n`);
    const policy = preparePolicy(loadPolicy(values.policy ? resolve(io.cwd, values.policy) : DEFAULT_POLICY_FILE, values.policy ?? 'policy/default.yaml'));
    const decisions = input.events.map((event) => evaluateEvent(event, policy, now));
    if (input.ignoredReason !== undefined) {
      // A real source event that is not about apps or purchases: nothing to decide, and that is not an error.
      printJson(io, { status: 'ignored', source: input.source, reason: input.ignoredReason });
      return EXIT.ok;
    }
    if (decisions.length === 0) {
      io.stderr.write(`${file}: no events to evaluate\n`);
      printJson(io, []);
      return EXIT.ok;
    }
    printJson(io, input.many || decisions.length > 1 ? decisions : decisions[0]);
    return EXIT.ok;
  },
};

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  // Date.parse accepts many shapes; require the ISO form the help promises.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliError(`--now: "${value}" is not an ISO 8601 time such as 2026-12-01T09:00:00Z`);
  }
  return new Date(value);
}
