/**
 * The `guardrail` CLI: a table of commands, dispatch, help and the exit-code
 * contract. `guardrail.ts` runs it with the process's streams; keeping the
 * logic here lets it be called with other streams.
 */
import { evaluateCommand } from './commands/evaluate';
import type { CliCommand } from './commands/command';
import { normalizeCommand } from './commands/normalize';
import { policyCommand } from './commands/policy';
import { directoryCommand } from './commands/directory';
import { inventoryCommand } from './commands/inventory';
import { renewalsCommand } from './commands/renewals';
import { sendCommand } from './commands/send';
import { CliError, EXIT, type CliIo } from './io';

export const COMMANDS: readonly CliCommand[] = [
  evaluateCommand,
  normalizeCommand,
  sendCommand,
  policyCommand,
  renewalsCommand,
  inventoryCommand,
  directoryCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: guardrail <command> [options]

Procurement Guardrail: check purchase requests and app connections against
policy, on your machine, with the same code the Lambdas run.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`guardrail <command> --help\` for a command's options.

Exit codes:
  0  success (evaluate: a decision was printed, whatever its outcome)
  1  the command ran but failed: the local runtime refused or is not running,
     the store refused (version conflict) or is in use
  2  bad usage or bad input: unknown command or option, unreadable file,
     invalid JSON, invalid event or policy (each bad field is named)`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(`${usage()}\n`);
    return EXIT.invalid;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`guardrail: unknown command "${name}"\n\n${usage()}\n`);
    return EXIT.invalid;
  }
  // `--help` anywhere after a command prints that command's usage (subcommands share it).
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    io.stdout.write(`${command.usageFor?.(args) ?? command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`guardrail ${name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.failed;
  }
}
