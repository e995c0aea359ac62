/**
 * The runtime's terminal output: lines for people, and a stream for the
 * outbox notifier's readable copies. Muting lets the first-start replay print
 * one summary line per sample instead of a dozen notification blocks.
 */
import { Writable } from 'node:stream';

export interface TextSink {
  write(text: string): unknown;
}

export class Terminal {
  private muted = 0;

  constructor(private readonly out: TextSink) {}

  /** One line, unless muted. */
  readonly line = (text = ''): void => {
    if (this.muted === 0) this.out.write(`${text}\n`);
  };

  /** A line printed even while muted (the replay's own summary). */
  readonly always = (text = ''): void => {
    this.out.write(`${text}\n`);
  };

  /** A stream for adapters that print (OutboxNotifier); honours muting. */
  stream(): NodeJS.WritableStream {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, callback) => {
        if (this.muted === 0) this.out.write(chunk.toString());
        callback();
      },
    });
  }

  async whileMuted<T>(work: () => Promise<T>): Promise<T> {
    this.muted++;
    try {
      return await work();
    } finally {
      this.muted--;
    }
  }
}
