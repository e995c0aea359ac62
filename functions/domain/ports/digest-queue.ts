/**
 * Low-risk reviews waiting for the daily digest (policy `approvals.digest`)
 * instead of a message each.
 */
import type { RequestRecord } from '../records';

export interface DigestQueue {
  /** Takes a claimed notification (`sending`) into the queue instead of sending it. */
  hold(recordId: string, heldAt: Date, digestAt: Date): Promise<void>;
  /** Requests held for a digest due at or before `now`. */
  listDue(now: Date): Promise<RequestRecord[]>;
  /** Marks a held request's notification sent (the digest went out, or it was decided first) and takes it out of the queue. */
  markSent(recordId: string, messageId: string, sentAt: Date): Promise<void>;
}
