/**
 * Importing a people directory export: every row is checked first; with any
 * bad row nothing is stored unless the caller asks to skip bad rows, so a
 * half-read export never silently replaces what the directory held.
 */
import { readDirectoryExport, type DirectoryRowProblem, type Person } from '../../inventory/people';
import type { PeopleDirectory } from '../../ports/app-inventory';

export interface DirectoryImportReport {
  imported: number;
  aliases: number;
  /** Rows left out, each with what is wrong. */
  skipped: DirectoryRowProblem[];
}

export class DirectoryRowsError extends Error {
  constructor(readonly problems: DirectoryRowProblem[]) {
    super(`${problems.length} bad ${problems.length === 1 ? 'row' : 'rows'}; nothing was imported`);
    this.name = 'DirectoryRowsError';
  }
}

/** How many people are stored at once. */
const CONCURRENCY = 8;

export async function importDirectory(
  directory: PeopleDirectory,
  content: string,
  format: 'csv' | 'json',
  options: { skipBadRows?: boolean } = {},
): Promise<DirectoryImportReport> {
  const { people, problems } = readDirectoryExport(content, format);
  if (problems.length > 0 && (!options.skipBadRows || people.length === 0)) throw new DirectoryRowsError(problems);
  await storeAll(directory, people);
  return { imported: people.length, aliases: people.reduce((n, p) => n + p.aliases.length, 0), skipped: problems };
}

async function storeAll(directory: PeopleDirectory, people: readonly Person[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < people.length; i = next++) await directory.put(people[i]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, people.length) }, worker));
}

/** "row 4: email is not an email address" lines for a terminal or an HTTP answer. */
export function rowProblemLines(problems: readonly DirectoryRowProblem[]): string[] {
  return problems.map((p) => (p.row === 0 ? p.problem : `row ${p.row}: ${p.problem}`));
}
