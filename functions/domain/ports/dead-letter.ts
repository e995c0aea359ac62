/** Where an event that cannot be processed goes, with its reason, so nothing is lost. */
import type { EventKind } from '../events';

export interface DeadLetter {
  reason: string;
  /** Field-level problems, each naming the field (`detail.amount.currency: …`). */
  problems: string[];
  kind?: EventKind;
  receivedAt: string;
  event: unknown;
}

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}
