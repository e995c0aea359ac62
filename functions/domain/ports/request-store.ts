/**
 * Request records as the guardrail writes them: created once, then each side
 * effect (notification, decision event) taken with a leased claim and marked
 * done. Without the leases two concurrent deliveries could both send; without
 * the releases a failed send would stay locked until its lease ran out.
 */
import type { RequestRecord } from '../records';

export interface RequestStore {
  /**
   * Writes the record unless one with the same id exists (a conditional put):
   * at-least-once delivery must never produce a second record.
   */
  createIfAbsent(record: RequestRecord): Promise<{ created: boolean; record: RequestRecord }>;
  get(recordId: string): Promise<RequestRecord | undefined>;
  /**
   * Takes the right to send the notification: succeeds when the state is
   * `pending`, or `sending` with a claim older than `leaseMs` (a crashed sender).
   */
  claimNotification(recordId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives a notification claim back (`sending` → `pending`) if it is still the one taken at `claimedAt`. */
  releaseNotificationClaim(recordId: string, claimedAt: Date): Promise<void>;
  markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void>;
  /**
   * Takes the right to publish the decision event: succeeds when it is still
   * `pending` and nobody holds a live claim (older than `leaseMs` is dead).
   */
  claimDecisionEvent(recordId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives a decision-event claim back if it is still the one taken at `claimedAt`. */
  releaseDecisionEventClaim(recordId: string, claimedAt: Date): Promise<void>;
  markDecisionPublished(recordId: string, publishedAt: Date): Promise<void>;
}
