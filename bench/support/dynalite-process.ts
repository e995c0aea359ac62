/**
 * Starts and stops dynalite as a child process (see dynalite-server.js). The
 * reliability suite stops it mid-run and starts it again on the same port and
 * data folder, as a DynamoDB outage the code must ride out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { inventoryTableDefinition, policyTableDefinition, requestsTableDefinition } from '../../functions/adapters/dynamodb/tables';

const SERVER_SCRIPT = join(__dirname, 'dynalite-server.js');
const PROJECT_ROOT = join(__dirname, '..', '..');

export interface DynaliteProcess {
  endpoint: string;
  port: number;
  pid: number;
  /** Stops the process (SIGTERM; LevelDB is flushed when a path was given). */
  stop(): Promise<void>;
}

export async function startDynaliteProcess(options: { port?: number; path?: string } = {}): Promise<DynaliteProcess> {
  const child = spawn(process.execPath, [SERVER_SCRIPT, String(options.port ?? 0), ...(options.path ? [options.path] : [])], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`dynalite did not start within 15 s: ${err}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(`dynalite printed no port: ${line}`));
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dynalite exited with ${code} before listening: ${err}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Creates the guardrail's two tables (from the adapters' own definitions) on an endpoint. */
export async function createGuardrailTables(endpoint: string, names: { policy: string; requests: string; inventory?: string }): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const definitions = [
      policyTableDefinition(names.policy),
      requestsTableDefinition(names.requests),
      ...(names.inventory ? [inventoryTableDefinition(names.inventory)] : []),
    ];
    for (const definition of definitions) {
      try {
        await client.send(new CreateTableCommand(definition));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
}
