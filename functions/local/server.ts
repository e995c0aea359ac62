/**
 * `npm start`: the guardrail running locally (see runtime.ts). Reads PORT,
 * HOST and GUARDRAIL_DATA_DIR, prints the banner, and closes the HTTP server
 * and dynalite (flushing LevelDB) on Ctrl+C or SIGTERM.
 */
import { PolicyValidationError } from '../adapters/policy-file';
import { DataDirLockedError } from './dynalite';
import { defaultDataDir } from './paths';
import { hideNodeVersionSupportWarning } from './quiet-warnings';
import { startLocalRuntime } from './runtime';

hideNodeVersionSupportWarning();

async function main(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), got "${process.env.PORT}"`);
  }
  const runtime = await startLocalRuntime({
    port,
    host: process.env.HOST?.trim() || '127.0.0.1',
    dataDir: defaultDataDir(),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`\n${signal}: stopping (closing the server and the local DynamoDB)…\n`);
    runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof DataDirLockedError) {
    process.stderr.write(
      `Cannot start: ${error.message}\nOnly one process can use a data folder. Stop the other runtime, or use another folder: GUARDRAIL_DATA_DIR=.local-data-2 npm start\n`,
    );
  } else if (error instanceof PolicyValidationError) {
    process.stderr.write(`Cannot seed the policy: ${error.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${(error as Error).message}\n`);
  }
  process.exit(1);
});
