/**
 * Loading a policy file for a CLI command: the adapters' loader, with its
 * validation problems turned into a usage error (exit 2) that lists each path.
 */
import { resolve } from 'node:path';
import type { Policy } from '../domain/policy';
import { loadPolicyFile, PolicyValidationError } from '../adapters/policy-file';
import { CliError, type CliIo } from './io';

/** `shownAs` is the name the user typed, so messages do not print absolute temp paths. */
export function loadPolicy(path: string, shownAs: string): Policy {
  try {
    return loadPolicyFile(path);
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new CliError(policyProblemsText(shownAs, error.problems));
    throw error;
  }
}

export function policyProblemsText(file: string, problems: readonly string[]): string {
  return `${file}: invalid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

/** A policy file named on the command line, relative to the working directory; problems name it as typed. */
export function readPolicyArg(file: string, io: Pick<CliIo, 'cwd'>): Policy {
  return loadPolicy(resolve(io.cwd, file), file);
}
