/**
 * A progress line on stderr for long CLI work: rewritten in place (`\r`) on a
 * terminal, at most ten times a second; one line every few seconds
 * otherwise (a CI log or a file must not fill up with carriage returns).
 */
import type { CliIo } from './io';

export class ProgressLine {
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastAt: number;
  private shown = '';

  constructor(
    private readonly stderr: CliIo['stderr'],
    options: { tty?: boolean; intervalMs?: number; now?: () => number } = {},
  ) {
    this.tty = options.tty ?? (stderr as { isTTY?: boolean }).isTTY === true;
    this.intervalMs = options.intervalMs ?? (this.tty ? 100 : 5000);
    this.now = options.now ?? Date.now;
    this.lastAt = this.now();
  }

  /** Shows `text` if enough time has passed since the last one. */
  update(text: string): void {
    const at = this.now();
    if (at - this.lastAt < this.intervalMs) return;
    this.lastAt = at;
    this.write(text);
  }

  /** The final line, always shown, ending the line on a terminal. */
  done(text: string): void {
    this.write(text);
    if (this.tty) this.stderr.write('\n');
  }

  private write(text: string): void {
    if (this.tty) {
      // Pad over what the previous, longer line left.
      this.stderr.write(`\r${text.padEnd(this.shown.length)}`);
      this.shown = text;
    } else {
      this.stderr.write(`${text}\n`);
    }
  }
}
