/**
 * The local dead-letter queue: one JSON line per rejected event, with its
 * reason and problems, readable back with `list()` (local UI, CLI, tests).
 */
import type { DeadLetter, DeadLetterSink } from '../../domain/ports/dead-letter';
import { appendJsonLine, readJsonLines } from '../json-lines';

export class FileDeadLetterSink implements DeadLetterSink {
  constructor(readonly filePath: string) {}

  async send(letter: DeadLetter): Promise<void> {
    await appendJsonLine(this.filePath, letter);
  }

  /** Every dead letter so far, oldest first (empty when there are none). */
  async list(): Promise<DeadLetter[]> {
    return readJsonLines<DeadLetter>(this.filePath);
  }
}
