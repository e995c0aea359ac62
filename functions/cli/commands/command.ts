/**
 * The shape of a CLI command. The entry point keeps a table of these, so help,
 * dispatch and the "unknown command" answer read one list.
 */
import type { CliIo } from '../io';

export interface CliCommand {
  name: string;
  /** One line for `guardrail --help`. */
  summary: string;
  /** The full `guardrail NAME --help` text, including exit codes. */
  usage: string;
  /** The usage of a subcommand, when it has its own (`inventory import-assignments --help`). */
  usageFor?(args: readonly string[]): string | undefined;
  /** Returns the exit code; throws CliError for failures with a message. */
  run(args: string[], io: CliIo): Promise<number>;
}
