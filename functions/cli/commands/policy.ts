/**
 * `guardrail policy validate|import|show`: check a policy file, store it as a
 * new version (in the local store, or a deployed table), and look at what is
 * stored. Validation and storage are the adapters' own, so a file that passes
 * `validate` is exactly one the store accepts.
 */
import { resolve } from 'node:path';
import { createDynamoDbDocumentClient } from '../../adapters/clients';
import type { DynamoDbPolicyStore, ImportResult } from '../../adapters/dynamodb/policy-store';
import {
  ConcurrentPolicyChangeError,
  InvalidPolicyError,
  PolicyLoadError,
  PolicyNotFoundError,
  PolicyVersionConflictError,
} from '../../adapters/dynamodb/policy-errors';
import { loadPolicyFile, PolicyValidationError } from '../../adapters/policy-file';
import type { Policy } from '../../domain/policy';
import { plural } from '../../domain/rules/findings';
import { DataDirLockedError } from '../../local/dynalite';
import { dataFiles, defaultDataDir } from '../../local/paths';
import { openLocalTables, type LocalTables } from '../../local/tables';
import { openPolicyStore } from '../../composition/root';
import { CliError, EXIT, parseCommandArgs, printJson, singleFile, type CliIo } from '../io';
import { localServerUrl, postJson, runningRuntimeUrl } from '../local-server';
import { policyProblemsText } from '../policy-input';
import type { CliCommand } from './command';

const USAGE = `Usage: guardrail policy <validate|import|show> ...

  guardrail policy validate FILE
      Checks a policy file (YAML or JSON): schema, misspelt keys, cross-references.
      Prints "valid: version X, N vendors, M categories", or each problem with its path.

  guardrail policy import FILE [--url URL | --table NAME [--region REGION]]
      Stores FILE as a new policy version and makes it current.
      default          the local store in the data folder (.local-data, or $GUARDRAIL_DATA_DIR).
                       If \`npm start\` is running it holds that folder, so the import goes
                       through the runtime's POST /policy instead (found automatically).
      --url URL        import through a running local runtime at URL.
      --table NAME     a deployed policy table, with the AWS SDK's default credentials
                       (environment, profile, SSO…); --region or $AWS_REGION names the region.
      A version is immutable: importing the same version with other content is refused.

  guardrail policy show [--version V] [--url URL | --table NAME [--region REGION]]
      Prints the current policy (or version V) and the imported versions, as JSON.

Exit codes: 0 done, 1 the store refused or could not be reached (version conflict,
folder in use, AWS error), 2 bad usage, unreadable or invalid policy file.`;

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: 'validate a policy file, import it as a new version, show the stored policy',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'validate':
        return validate(rest, io);
      case 'import':
        return importPolicy(rest, io);
      case 'show':
        return show(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return sub === undefined ? EXIT.invalid : EXIT.ok;
      default:
        throw new CliError(`policy: unknown subcommand "${sub}"; use validate, import or show\n\n${USAGE}`);
    }
  },
};

function validate(args: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs('policy validate', args, {});
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const file = singleFile('policy validate', positionals);
  const policy = readPolicy(file, io);
  io.stdout.write(`valid: version ${policy.version}, ${plural(policy.vendors.length, 'vendor')}, ${plural(policy.categories.length, 'category', 'categories')}\n`);
  return EXIT.ok;
}

async function importPolicy(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy import', args, {
    url: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const file = singleFile('policy import', positionals);
  if (values.url !== undefined && values.table !== undefined) throw new CliError('policy import: use either --url or --table, not both');
  if (values.region !== undefined && values.table === undefined) throw new CliError('policy import: --region goes with --table');
  const policy = readPolicy(file, io);

  if (values.table !== undefined) {
    const store = deployedStore(values.table, values.region, io);
    const result = await storeCall(() => store.importPolicy(policy));
    reportImport(io, result, `table ${values.table}`);
    return EXIT.ok;
  }
  if (values.url !== undefined) return importThroughRuntime(localServerUrl(values.url, io), policy, io);

  const dataDir = defaultDataDir(io.env);
  let tables: LocalTables;
  try {
    tables = await openLocalTables(dataFiles(dataDir).dynamodb);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const url = runningRuntimeUrl(dataDir);
    if (!url) {
      throw new CliError(
        `${error.message}\nStop the process that holds it, or import through a running runtime with --url http://localhost:3000.`,
        EXIT.failed,
      );
    }
    io.stderr.write(`The local runtime at ${url} holds ${dataDir}: importing through it (POST /policy).\n`);
    return importThroughRuntime(url, policy, io);
  }
  try {
    const result = await storeCall(() => localPolicyStore(tables).importPolicy(policy));
    reportImport(io, result, `the local store (${dataDir})`);
    return EXIT.ok;
  } finally {
    await tables.close();
  }
}

async function importThroughRuntime(url: string, policy: Policy, io: CliIo): Promise<number> {
  const { status, body } = await postJson(`${url}/policy`, policy);
  if (status >= 400) {
    const answer = body as { error?: string; problems?: string[] };
    const problems = answer.problems?.length ? `\n${answer.problems.map((p) => `  - ${p}`).join('\n')}` : '';
    throw new CliError(`the runtime refused the policy (HTTP ${status}): ${answer.error ?? JSON.stringify(body)}${problems}`, status === 400 ? EXIT.invalid : EXIT.failed);
  }
  reportImport(io, body as ImportResult, `the local runtime at ${url}`);
  return EXIT.ok;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy show', args, {
    version: { type: 'string' },
    url: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new CliError(`policy show: unexpected argument "${positionals[0]}"`);
  if (values.table !== undefined) {
    printJson(io, await describeStore(deployedStore(values.table, values.region, io), values.version));
    return EXIT.ok;
  }
  const dataDir = defaultDataDir(io.env);
  // A running runtime holds the folder's lock: read through it then.
  const throughRuntime = values.url ?? runningRuntimeUrl(dataDir);
  if (throughRuntime !== undefined) {
    const base = localServerUrl(throughRuntime, io);
    let response: Response;
    try {
      response = await fetch(`${base}/policy`);
    } catch (error) {
      throw new CliError(`cannot reach the local runtime at ${base} (${(error as Error).message}); is \`npm start\` running?`, EXIT.failed);
    }
    const answer = (await response.json()) as { version: string | null; versions: unknown[]; policy: Policy | null };
    if (values.version !== undefined && values.version !== answer.version) {
      throw new CliError('policy show --version: through a running runtime only the current version can be shown; stop it to read older versions', EXIT.failed);
    }
    printJson(io, answer);
    return EXIT.ok;
  }
  const tables = await openLocalTables(dataFiles(dataDir).dynamodb);
  try {
    printJson(io, await describeStore(localPolicyStore(tables), values.version));
    return EXIT.ok;
  } finally {
    await tables.close();
  }
}

async function describeStore(store: DynamoDbPolicyStore, version: string | undefined) {
  return storeCall(async () => {
    const versions = await store.listVersions();
    if (version !== undefined) return { version, versions, policy: await store.loadVersion(version) };
    try {
      const policy = await store.loadCurrent();
      return { version: policy.version, versions, policy };
    } catch (error) {
      if (error instanceof PolicyNotFoundError) return { version: null, versions, policy: null };
      throw error;
    }
  });
}

function deployedStore(table: string, region: string | undefined, io: CliIo): DynamoDbPolicyStore {
  const chosenRegion = region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!chosenRegion) throw new CliError('--region is required with --table (or set AWS_REGION)');
  // No endpoint: the real DynamoDB, credentials from the SDK's default chain.
  return openPolicyStore(createDynamoDbDocumentClient({ region: chosenRegion }), table);
}

function localPolicyStore(tables: LocalTables): DynamoDbPolicyStore {
  return openPolicyStore(tables.documents, tables.policyTable);
}

/** Store errors that are the user's to fix become messages; the rest keep their stack. */
async function storeCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidPolicyError) throw new CliError(policyProblemsText('policy', error.problems));
    if (
      error instanceof PolicyVersionConflictError ||
      error instanceof ConcurrentPolicyChangeError ||
      error instanceof PolicyLoadError
    ) {
      throw new CliError(error.message, EXIT.failed);
    }
    const name = (error as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException' || name.includes('Credentials') || name === 'UnrecognizedClientException' || name === 'AccessDeniedException') {
      throw new CliError(`DynamoDB: ${(error as Error).message}`, EXIT.failed);
    }
    throw error;
  }
}

function readPolicy(file: string, io: CliIo): Policy {
  try {
    return loadPolicyFile(resolve(io.cwd, file));
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new CliError(policyProblemsText(file, error.problems));
    throw error;
  }
}

function reportImport(io: CliIo, result: ImportResult, where: string): void {
  const what = result.written ? `stored (${result.itemsWritten} items)` : 'already stored with this content';
  const current = result.activated
    ? `now current${result.previousVersion ? ` (was ${result.previousVersion})` : ''}`
    : 'already current';
  io.stdout.write(`policy ${result.version} ${what} in ${where}; ${current}\n`);
}
