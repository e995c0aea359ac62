/**
 * Entry of `npx guardrail` (bin/guardrail.js loads this through tsx). Sets the
 * exit code instead of calling process.exit so piped output is flushed first.
 */
import { hideNodeVersionSupportWarning } from '../local/quiet-warnings';
import { runCli } from './main';

hideNodeVersionSupportWarning();

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`guardrail: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
