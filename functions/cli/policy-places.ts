/**
 * Where the `policy` commands find the stored policy and requests: a deployed
 * table (`--table`, the AWS SDK's default credentials), a running local
 * runtime (`--url`, or the one that wrote `runtime.json` into the data
 * folder: it holds the folder's lock, so the CLI goes through its routes), or
 * the local data folder opened directly when nothing holds it.
 */
import { createDynamoDbDocumentClient, DYNAMODB_ENDPOINT_ENV } from '../adapters/dynamodb/document-client';
import type { DynamoDbPolicyStore } from '../adapters/dynamodb/policy-store';
import {
  ConcurrentPolicyChangeError,
  InvalidPolicyError,
  PolicyLoadError,
  PolicyNotFoundError,
  PolicyVersionConflictError,
} from '../adapters/dynamodb/policy-errors';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Policy } from '../domain/policy';
import { DataDirLockedError } from '../local/dynalite';
import { dataFiles, defaultDataDir } from '../local/paths';
import { openLocalTables, type LocalTables } from '../local/tables';
import { openPolicyStore } from '../composition/root';
import { CliError, EXIT, type CliIo } from './io';
import { localServerUrl, runningRuntimeUrl } from './local-server';
import { policyProblemsText } from './policy-input';

export interface PlaceFlags {
  url?: string;
  table?: string;
  region?: string;
}

export type PolicyPlace =
  | { kind: 'table'; store: DynamoDbPolicyStore; documents: DynamoDBDocumentClient; label: string }
  | { kind: 'runtime'; url: string; label: string }
  | { kind: 'local'; tables: LocalTables; policies: DynamoDbPolicyStore; dataDir: string; label: string };

/**
 * Runs `work` against the place the flags name, closing what it opened.
 * `--table` here is the policy table; commands that read another table pass
 * their own client instead.
 */
export async function withPolicyPlace<T>(command: string, flags: PlaceFlags, io: CliIo, work: (place: PolicyPlace) => Promise<T>): Promise<T> {
  if (flags.url !== undefined && flags.table !== undefined) throw new CliError(`${command}: use either --url or --table, not both`);
  if (flags.region !== undefined && flags.table === undefined) throw new CliError(`${command}: --region goes with --table`);
  if (flags.table !== undefined) {
    const client = deployedClient(flags.region, io);
    try {
      return await work({ kind: 'table', store: openPolicyStore(client, flags.table), documents: client, label: `table ${flags.table}` });
    } finally {
      client.destroy();
    }
  }
  const dataDir = defaultDataDir(io.env);
  const runtime = flags.url !== undefined ? localServerUrl(flags.url, io) : runningRuntimeUrl(dataDir);
  if (runtime !== undefined) return work({ kind: 'runtime', url: runtime, label: `the local runtime at ${runtime}` });
  let tables: LocalTables;
  try {
    tables = await openLocalTables(dataFiles(dataDir).dynamodb);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const url = runningRuntimeUrl(dataDir);
    if (!url) {
      throw new CliError(`${error.message}\nStop the process that holds it, or go through a running runtime with --url http://localhost:PORT.`, EXIT.failed);
    }
    return work({ kind: 'runtime', url, label: `the local runtime at ${url}` });
  }
  try {
    return await work({
      kind: 'local',
      tables,
      policies: openPolicyStore(tables.documents, tables.policyTable),
      dataDir,
      label: `the local store (${dataDir})`,
    });
  } finally {
    await tables.close();
  }
}

/**
 * DynamoDB in `--region` (or AWS_REGION), credentials from the SDK's default
 * chain; `DYNAMODB_ENDPOINT` points it at a DynamoDB Local or dynalite instead.
 */
export function deployedClient(region: string | undefined, io: CliIo): DynamoDBDocumentClient {
  const chosen = region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!chosen) throw new CliError('--region is required with --table (or set AWS_REGION)');
  return createDynamoDbDocumentClient({ region: chosen, endpoint: io.env[DYNAMODB_ENDPOINT_ENV] });
}

/** The current policy (undefined before the first import) or a stored version, wherever the place keeps them. */
export async function storedPolicy(place: PolicyPlace, version?: string): Promise<Policy | undefined> {
  if (place.kind === 'runtime') {
    const { status, body } = await getJson(`${place.url}/policy${version === undefined ? '' : `?version=${encodeURIComponent(version)}`}`);
    if (status === 404) throw new CliError(`no policy version "${version}" is stored in ${place.label}`, EXIT.failed);
    if (status >= 400) throw new CliError(`${place.label} answered HTTP ${status}: ${(body as { error?: string }).error ?? JSON.stringify(body)}`, EXIT.failed);
    return ((body as { policy: Policy | null }).policy ?? undefined) as Policy | undefined;
  }
  const store = place.kind === 'table' ? place.store : place.policies;
  return storeCall(async () => {
    if (version !== undefined) {
      if (!(await store.listVersions()).some((v) => v.version === version)) {
        throw new CliError(`no policy version "${version}" is stored in ${place.label}`, EXIT.failed);
      }
      return store.loadVersion(version);
    }
    try {
      return await store.loadCurrent();
    } catch (error) {
      if (error instanceof PolicyNotFoundError) return undefined;
      throw error;
    }
  });
}

/** GETs JSON from the runtime; an unreachable runtime is a CliError naming it. */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new CliError(`cannot reach the local runtime at ${new URL(url).origin} (${(error as Error).message}); is \`npm start\` running?`, EXIT.failed);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Store errors that are the user's to fix become messages; the rest keep their stack. */
export async function storeCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidPolicyError) throw new CliError(policyProblemsText('policy', error.problems));
    if (error instanceof PolicyVersionConflictError || error instanceof ConcurrentPolicyChangeError || error instanceof PolicyLoadError) {
      throw new CliError(error.message, EXIT.failed);
    }
    const name = (error as { name?: string }).name ?? '';
    if (name === 'ResourceNotFoundException' || name.includes('Credentials') || name === 'UnrecognizedClientException' || name === 'AccessDeniedException') {
      throw new CliError(`DynamoDB: ${(error as Error).message}`, EXIT.failed);
    }
    throw error;
  }
}
