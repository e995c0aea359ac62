/**
 * What every CLI command shares: reading input files, the exit-code contract
 * and argument parsing. Commands throw `CliError`; the entry point prints its
 * message on stderr and exits with its code, so no command calls process.exit.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes, documented in `guardrail --help`. */
export const EXIT = {
  ok: 0,
  /** The command ran but failed: server answered 4xx/5xx, connection refused, store busy. */
  failed: 1,
  /** Bad usage or bad input: unknown command/option, unreadable file, invalid JSON, invalid event or policy. */
  invalid: 2,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes. Injected so tests (and the entry) choose the streams. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function readTextFile(file: string, io: Pick<CliIo, 'cwd'>): string {
  const path = resolve(io.cwd, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

export function readJsonFile(file: string, io: Pick<CliIo, 'cwd'>): unknown {
  const text = readTextFile(file, io);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function printJson(io: Pick<CliIo, 'stdout'>, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Option kinds for parseCommandArgs, and the flags that name where the stored data lives. */
export const TEXT = { type: 'string' } as const;
export const FLAG = { type: 'boolean' } as const;
export const PLACE_FLAGS = { url: TEXT, table: TEXT, region: TEXT } as const;

/**
 * node:util parseArgs in strict mode, with its errors turned into usage errors
 * (exit 2) that name the command.
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
): { values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean }; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as never, positionals };
  } catch (error) {
    throw new CliError(`${command}: ${(error as Error).message}\nRun \`guardrail ${command} --help\` for usage.`);
  }
}

/** Exactly one positional FILE, or a usage error naming the command. */
export function singleFile(command: string, positionals: string[]): string {
  if (positionals.length === 0) throw new CliError(`${command}: FILE is required\nRun \`guardrail ${command} --help\` for usage.`);
  if (positionals.length > 1) throw new CliError(`${command}: expected one FILE, got ${positionals.length}: ${positionals.join(' ')}`);
  return positionals[0];
}
