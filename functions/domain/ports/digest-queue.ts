/**
 * Low-risk reviews waiting for the daily digest (policy `approvals.digest`)
 * instead of a message each. The guardrail writes a request held (with the
 * queue's keys) when it creates the record; the digest run lists and sends them.
 */
import type { RequestRecord } from '../records';

export interface DigestQueue {
  /** Requests held for a digest due at or before `now`. */
  listDue(now: Date): Promise<RequestRecord[]>;
  /** Marks a held request's notification sent (the digest went out, or it was decided first) and takes it out of the queue. */
  markSent(recordId: string, messageId: string, sentAt: Date): Promise<void>;
}
