/**
 * A real DynamoDB API on the developer's machine: dynalite in-process, on a
 * LevelDB directory so requests and policy versions survive restarts. The
 * runtime and the CLI point the very same DynamoDB adapters the Lambdas use at
 * it; only the endpoint and the (dummy) credentials differ.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import dynalite from 'dynalite';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

/** dynalite checks neither credentials nor region; the SDK still wants both. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalDynamoDb {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where the data lives, or undefined when in memory. */
  path?: string;
  /** A low-level client for table administration (the adapters build their own). */
  client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * The data directory is held by another process (usually a running
 * `npm start`). LevelDB allows one process per directory; dynalite would crash
 * on its first request instead of saying so, hence the check up front.
 */
export class DataDirLockedError extends Error {
  constructor(readonly path: string) {
    super(`${path} is in use by another process (is the local runtime, \`npm start\`, running?)`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * Starts dynalite on 127.0.0.1 and a free port. With `path`, data persists
 * there; without, it lives in memory (tests).
 */
export async function startLocalDynamoDb(options: { path?: string } = {}): Promise<LocalDynamoDb> {
  if (options.path) {
    mkdirSync(options.path, { recursive: true });
    await assertDirectoryFree(options.path);
  }
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const inFlight = trackAnswers(server);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    path: options.path,
    client,
    close() {
      closed ??= (async () => {
        client.destroy();
        // dynalite closes LevelDB as soon as its HTTP server has closed, even between two steps of an
        // UpdateItem (its read, then its write), and then throws "Database is closed" out of the request
        // callback: an uncaught exception in this process. So every request it took is answered first.
        await inFlight.drained(DRAIN_TIMEOUT_MS);
        await new Promise<void>((resolve, reject) => {
          // dynalite's close() waits for the HTTP server, then flushes and closes LevelDB.
          server.close((error?: Error) => (error ? reject(error) : resolve()));
          // Keep-alive sockets from SDK clients would hold close() open for their idle timeout.
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

/** How long close() waits for dynalite to answer the requests it has taken (a stuck one must not hang it). */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Counts the requests dynalite has taken and not yet answered. Counted at
 * `res.end()`, not at the socket's close: a client that gives up (or is
 * destroyed) mid-request closes the socket, but dynalite still performs the
 * operation and only then answers.
 */
function trackAnswers(server: Server): { drained(timeoutMs: number): Promise<void> } {
  let pending = 0;
  let waiters: Array<() => void> = [];
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    pending++;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    let answered = false;
    res.end = ((...args: unknown[]) => {
      if (!answered) {
        answered = true;
        pending--;
        if (pending === 0) for (const wake of waiters.splice(0)) wake();
      }
      return end(...args);
    }) as ServerResponse['end'];
  });
  return {
    drained(timeoutMs) {
      if (pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve();
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(wake);
      });
    },
  };
}

/**
 * Opens and closes the LevelDB directory with dynalite's own `level` module to
 * learn whether another process holds its lock.
 */
async function assertDirectoryFree(path: string): Promise<void> {
  // Resolve `level` from dynalite's location: it is dynalite's dependency, not ours.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Level } = require(require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] })) as {
    Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirLockedError(path);
    throw error;
  }
  await probe.close();
}

/**
 * Creates the tables that do not exist yet, from the same definitions the
 * adapters (and the CDK stack) use. Returns the names it created.
 */
export async function ensureTables(client: DynamoDBClient, definitions: readonly CreateTableCommandInput[]): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const definition of definitions) {
    if (!definition.TableName || existing.has(definition.TableName)) continue;
    try {
      await client.send(new CreateTableCommand(definition));
      created.push(definition.TableName);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  for (const name of created) await waitUntilActive(client, name);
  return created;
}

/**
 * dynalite answers CreateTable with the table CREATING and flips it to ACTIVE
 * on a timer after its own write, even with createTableMs 0; a request that
 * arrives first gets ResourceNotFoundException (seen under load). The SDK's
 * waiter polls every 20 s at least, so poll briefly here instead.
 */
async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`local table ${tableName} is still ${Table?.TableStatus} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
