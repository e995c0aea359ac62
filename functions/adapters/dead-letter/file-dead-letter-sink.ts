/**
 * The local dead-letter queue: one JSON line per rejected event, with its
 * reason and problems, readable back with `list()` (local UI, CLI, tests).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetter, DeadLetterSink } from '../../domain/ports';
import { readJsonLines } from '../notifier/outbox-notifier';

export class FileDeadLetterSink implements DeadLetterSink {
  constructor(readonly filePath: string) {}

  async send(letter: DeadLetter): Promise<void> {
    await mkdir(dirname(this.filePath), { recursive: true });
    await appendFile(this.filePath, `${JSON.stringify(letter)}\n`, 'utf8');
  }

  /** Every dead letter so far, oldest first (empty when there are none). */
  async list(): Promise<DeadLetter[]> {
    return readJsonLines<DeadLetter>(this.filePath);
  }
}
