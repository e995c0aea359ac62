/**
 * `guardrail policy simulate FILE`: the stored requests decided again under
 * FILE, listing every decision that would change, without storing anything.
 * Locally it reads the data folder directly, or asks the running runtime
 * (`POST /policy?dryRun=1`) when `npm start` holds it; `--table` scans a
 * deployed requests table page by page.
 */
import { openPolicyStore } from '../../composition/root';
import { scanStoredDecisions } from '../../adapters/dynamodb/request-scan';
import type { Policy } from '../../domain/policy';
import { diffPolicies } from '../../domain/policy-diff';
import {
  parseSimulationOptions,
  simulatePolicy,
  type SimulationOptions,
  type SimulationProgress,
  type StoredDecision,
} from '../../domain/use-cases/policy/simulate';
import { CliError, EXIT, parseCommandArgs, TEXT, FLAG, PLACE_FLAGS, printJson, singleFile, type CliIo } from '../io';
import { postJson } from '../local-server';
import { deployedClient, storeCall, storedPolicy, withPolicyPlace } from '../policy-places';
import { readPolicyArg } from '../policy-input';
import { ProgressLine } from '../progress';
import { simulationText, type SimulationAnswer } from '../simulation-text';

export const SIMULATE_USAGE = `  guardrail policy simulate FILE [--since DATE] [--limit N] [--now TIME] [--json]
                          [--url URL | --table REQUESTS_TABLE [--region REGION] [--policy-table NAME]]
      Decides the stored requests again under FILE, with the evaluation the Lambdas run, and lists
      every decision that would change: id, outcome before → after, findings added (+) and
      removed (-); then totals by transition (review → block: 3). Nothing is stored and the
      current policy stays current. Each request is evaluated at the time it was first evaluated
      (lead time before signing, security review expiry depend on it).
      --now TIME       evaluate every request as of TIME instead (an ISO time, or "now").
      --since DATE     only requests received since DATE (2026-11-01 or an ISO time).
      --limit N        only the N most recently received requests.
      --json           {current, diff, simulation: {policy, evaluatedAt, totals, changes, failures}}.
      default          the local store; while \`npm start\` holds it, through its POST /policy?dryRun=1.
      --table NAME     a deployed requests table (the stack's RequestsTableName output), read with a
                       paged Scan: an operator's tool (needs dynamodb:Scan), not for the hot path.
      --policy-table NAME  with --table: also compare FILE with the deployed current policy.
      A progress line goes to stderr.`;

export async function simulatePolicyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy simulate', args, {
    since: TEXT,
    limit: TEXT,
    now: TEXT,
    json: FLAG,
    ...PLACE_FLAGS,
    'policy-table': TEXT,
  });
  const file = singleFile('policy simulate', positionals);
  const { options, problems } = parseSimulationOptions({ since: values.since, limit: values.limit, now: values.now }, () => new Date());
  if (problems.length > 0) throw new CliError(problems.map((p) => `policy simulate: --${p}`).join('\n'));
  if (values['policy-table'] !== undefined && values.table === undefined) throw new CliError('policy simulate: --policy-table goes with --table');
  const candidate = readPolicyArg(file, io);

  let where: string;
  let answer: SimulationAnswer;
  if (values.table !== undefined) {
    if (values.url !== undefined) throw new CliError('policy simulate: use either --url or --table, not both');
    const client = deployedClient(values.region, io);
    where = `table ${values.table}`;
    const policyTable = values['policy-table'];
    try {
      const current = policyTable ? await storeCall(() => openPolicyStore(client, policyTable).loadCurrent()) : undefined;
      const pages = scanStoredDecisions(client, values.table, { since: options.since });
      answer = withCurrent(candidate, current, await storeCall(() => simulateWithProgress(candidate, pages, options, io)));
    } finally {
      client.destroy();
    }
  } else {
    if (values.region !== undefined) throw new CliError('policy simulate: --region goes with --table');
    [where, answer] = await withPolicyPlace('policy simulate', { url: values.url }, io, async (place): Promise<[string, SimulationAnswer]> => {
      if (place.kind === 'runtime') return [place.label, await simulateThroughRuntime(place.url, candidate, values, io)];
      if (place.kind === 'table') throw new Error('unreachable: no --table here');
      const pages = scanStoredDecisions(place.tables.documents, place.tables.requestsTable, { since: options.since });
      return [place.label, withCurrent(candidate, await storedPolicy(place), await simulateWithProgress(candidate, pages, options, io))];
    });
  }
  if (values.json) printJson(io, answer);
  else io.stdout.write(simulationText(answer, where));
  return EXIT.ok;
}

/** The answer the runtime's dry run gives, built here: the simulation and what FILE changes against the current policy. */
function withCurrent(candidate: Policy, current: Policy | undefined, simulation: SimulationAnswer['simulation']): SimulationAnswer {
  return { current: current ? { version: current.version } : null, diff: current ? diffPolicies(current, candidate) : null, simulation };
}

function simulateWithProgress(candidate: Policy, pages: AsyncIterable<StoredDecision[]>, options: SimulationOptions, io: CliIo) {
  const progress = new ProgressLine(io.stderr);
  const line = (p: SimulationProgress) =>
    `simulating: ${p.scanned.toLocaleString('en-US')} records read, ${p.evaluated.toLocaleString('en-US')} evaluated, ${p.changed.toLocaleString('en-US')} would change`;
  const started = Date.now();
  let last: SimulationProgress = { scanned: 0, evaluated: 0, changed: 0 };
  return simulatePolicy({
    candidate,
    pages,
    ...options,
    onProgress: (p) => {
      last = p;
      progress.update(line(p));
    },
  }).finally(() => progress.done(`${line(last)} (${((Date.now() - started) / 1000).toFixed(1)} s)`));
}

async function simulateThroughRuntime(
  url: string,
  candidate: Policy,
  values: { since?: string; limit?: string; now?: string },
  io: CliIo,
): Promise<SimulationAnswer> {
  const query = new URLSearchParams({ dryRun: '1' });
  for (const name of ['since', 'limit', 'now'] as const) if (values[name] !== undefined) query.set(name, values[name]!);
  io.stderr.write(`Simulating through the local runtime at ${url} (POST /policy?dryRun=1): it holds the data folder.\n`);
  const { status, body } = await postJson(`${url}/policy?${query}`, candidate);
  if (status >= 400) {
    const answer = body as { error?: string; problems?: string[] };
    const problems = answer.problems?.length ? `\n${answer.problems.map((p) => `  - ${p}`).join('\n')}` : '';
    throw new CliError(
      `the runtime refused the simulation (HTTP ${status}): ${answer.error ?? JSON.stringify(body)}${problems}`,
      status === 400 ? EXIT.invalid : EXIT.failed,
    );
  }
  const answer = body as SimulationAnswer & { dryRun?: boolean };
  const { totals } = answer.simulation;
  io.stderr.write(
    `simulating: ${totals.scanned.toLocaleString('en-US')} records read, ${totals.evaluated.toLocaleString('en-US')} evaluated, ${totals.changed.toLocaleString('en-US')} would change\n`,
  );
  return { current: answer.current, diff: answer.diff, simulation: answer.simulation };
}
