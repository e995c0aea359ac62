/**
 * `guardrail policy validate|diff|simulate|import|show`: check a policy
 * file, see what it changes and which decisions it would change, store it as
 * a new version (in the local store, or a deployed table), and look at what
 * is stored. Validation and storage are the adapters' own, so a file that
 * passes `validate` is exactly one the store accepts.
 */
import type { Policy } from '../../domain/policy';
import { policyDiffText } from '../../domain/policy-diff';
import { plural } from '../../domain/rules/findings';
import { importPolicyVersion, PolicyNotNewerError, type PolicyImportReport } from '../../domain/use-cases/policy/import';
import { CliError, EXIT, parseCommandArgs, TEXT, FLAG, PLACE_FLAGS, printJson, singleFile, type CliIo } from '../io';
import { postJson } from '../local-server';
import { getJson, storeCall, storedPolicy, withPolicyPlace, type PolicyPlace } from '../policy-places';
import { readPolicyArg } from '../policy-input';
import type { CliCommand } from './command';
import { diffPolicyCommand, DIFF_USAGE } from './policy-diff';
import { simulatePolicyCommand, SIMULATE_USAGE } from './policy-simulate';

const USAGE = `Usage: guardrail policy <validate|diff|simulate|import|show> ...

  guardrail policy validate FILE
      Checks a policy file (YAML or JSON) in one pass: syntax, schema, misspelt keys,
      cross-references. Prints "valid: version X, N vendors, M categories", or every problem with its path.

${DIFF_USAGE}

${SIMULATE_USAGE}

  guardrail policy import FILE [--force] [--url URL | --table NAME [--region REGION]]
      Stores FILE as a new policy version and makes it current, saying what it changes.
      default          the local store in the data folder (.local-data, or $GUARDRAIL_DATA_DIR).
                       If \`npm start\` is running it holds that folder, so the import goes
                       through the runtime's POST /policy instead (found automatically).
      --url URL        import through a running local runtime at URL.
      --table NAME     a deployed policy table (the stack's PolicyTableName output), with the AWS
                       SDK's default credentials; --region or $AWS_REGION names the region.
      --force          import a version that is not newer than the current one (a rollback).
      "Newer": versions are compared part by part, numbers as numbers and words alphabetically
      (2026-11-27.2 after 2026-11-27.1, 1.10 after 1.9, 2026-11-27.1 after 2026-11-27); versions of
      different schemes (test-2 against 2026-11-27.1) are not comparable and need --force.
      A version is immutable: the same version with other content is refused, --force or not.

  guardrail policy show [--version V] [--url URL | --table NAME [--region REGION]]
      Prints the current policy (or version V) and the imported versions, as JSON.

Exit codes: 0 done, 1 the store refused or could not be reached (version not newer, version
conflict, folder in use, AWS error), 2 bad usage, unreadable or invalid policy file.`;

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'validate a policy, diff two, simulate one on the stored requests, import it, show the stored policy',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'validate':
        return validate(rest, io);
      case 'diff':
        return diffPolicyCommand(rest, io);
      case 'simulate':
        return simulatePolicyCommand(rest, io);
      case 'import':
        return importPolicy(rest, io);
      case 'show':
        return show(rest, io);
      case undefined:
        io.stdout.write(`${USAGE}\n`);
        return EXIT.invalid;
      default:
        throw new CliError(`policy: unknown subcommand "${sub}"; use validate, diff, simulate, import or show\n\n${USAGE}`);
    }
  },
};

function validate(args: string[], io: CliIo): number {
  const { positionals } = parseCommandArgs('policy validate', args, {});
  const policy = readPolicyArg(singleFile('policy validate', positionals), io);
  io.stdout.write(
    `valid: version ${policy.version}, ${plural(policy.vendors.length, 'vendor')}, ${plural(policy.categories.length, 'category', 'categories')}\n`,
  );
  return EXIT.ok;
}

async function importPolicy(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy import', args, { ...PLACE_FLAGS, force: FLAG });
  const policy = readPolicyArg(singleFile('policy import', positionals), io);
  const force = values.force === true;
  return withPolicyPlace('policy import', values, io, async (place) => {
    if (place.kind === 'runtime') io.stderr.write(`Importing through the local runtime at ${place.url} (POST /policy): it holds the data folder.\n`);
    const report = place.kind === 'runtime' ? await importThroughRuntime(place.url, policy, force) : await importIntoStore(place, policy, force);
    reportImport(io, report);
    return EXIT.ok;
  });
}

async function importIntoStore(place: Exclude<PolicyPlace, { kind: 'runtime' }>, policy: Policy, force: boolean): Promise<PolicyImportReport> {
  const store = place.kind === 'table' ? place.store : place.policies;
  try {
    return await storeCall(() => importPolicyVersion(store, policy, { force, where: place.label }));
  } catch (error) {
    if (error instanceof PolicyNotNewerError) throw new CliError(`${error.message} with --force (for a rollback).`, EXIT.failed);
    throw error;
  }
}

async function importThroughRuntime(url: string, policy: Policy, force: boolean): Promise<PolicyImportReport> {
  const { status, body } = await postJson(`${url}/policy${force ? '?force=1' : ''}`, policy);
  if (status >= 400) {
    const answer = body as { error?: string; problems?: string[]; order?: string };
    if (status === 409 && answer.order) throw new CliError(`${answer.error?.replace(/ with \?force=1$/, '')} with --force (for a rollback).`, EXIT.failed);
    const problems = answer.problems?.length ? `\n${answer.problems.map((p) => `  - ${p}`).join('\n')}` : '';
    throw new CliError(
      `the runtime refused the policy (HTTP ${status}): ${answer.error ?? JSON.stringify(body)}${problems}`,
      status === 400 ? EXIT.invalid : EXIT.failed,
    );
  }
  return body as PolicyImportReport;
}

/** The message, and the whole diff when the message's one-line list of changes had to stop short. */
function reportImport(io: CliIo, report: PolicyImportReport): void {
  io.stdout.write(`${report.message}\n`);
  if (report.diff && report.diff.changeCount > 5) {
    io.stdout.write(
      `\nChanges from ${report.diff.from.version} to ${report.diff.to.version}:\n${policyDiffText(report.diff, { maxLines: 40, indent: '  ' })}\n`,
    );
  }
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy show', args, { version: TEXT, ...PLACE_FLAGS });
  if (positionals.length > 0) throw new CliError(`policy show: unexpected argument "${positionals[0]}"`);
  return withPolicyPlace('policy show', values, io, async (place) => {
    const policy = await storedPolicy(place, values.version);
    const versions =
      place.kind === 'runtime'
        ? getJson(`${place.url}/policy`).then((r) => (r.body as { versions: unknown[] }).versions)
        : storeCall(() => (place.kind === 'table' ? place.store : place.policies).listVersions());
    printJson(io, { version: policy?.version ?? null, versions: await versions, policy: policy ?? null });
    return EXIT.ok;
  });
}
