/**
 * JSON-lines files: what the local stand-ins for SNS (the outbox), SQS (the
 * dead-letter file) and the bus (the decision log) keep their entries in,
 * one JSON document per line, appended in time order and readable back.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Appends one entry as one line, creating the file and its directory on
 * first use. One appendFile per entry: a line is written whole, so a reader
 * never sees half an entry.
 */
export async function appendJsonLine(filePath: string, entry: unknown): Promise<void> {
  await mkdir(dirname(filePath), { recursive: true });
  await appendFile(filePath, `${JSON.stringify(entry)}\n`, 'utf8');
}

/**
 * Reads a JSON-lines file; a missing file is an empty list. A torn last line
 * (a crash mid-append) is skipped rather than making the whole file unreadable.
 */
export async function readJsonLines<T>(filePath: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: T[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      entries.push(JSON.parse(line) as T);
    } catch (error) {
      if (index < lines.length - 1 && lines.slice(index + 1).some((l) => l.trim() !== '')) {
        throw new Error(`${filePath}:${index + 1}: not valid JSON (${(error as Error).message})`, { cause: error });
      }
    }
  });
  return entries;
}
