/**
 * What outreach needs from outside: the stored records of a time range, a
 * marker per department and period (so a week's note goes out once), and
 * the department topic.
 */
import type { DepartmentMessage } from '../notifications';
import type { RequestRecord } from '../records';

/** Stored request records by when they arrived: an operator's read (a bounded scan), never the event path. */
export interface RecordHistory {
  /** Records received before `until` (and at or after `since`), up to the store's bound; `truncated` when it was reached. */
  receivedBetween(range: { since?: Date; until?: Date }): Promise<{ records: RequestRecord[]; truncated: boolean }>;
}

/**
 * One marker per audience and period (`weekly/2026-W49/Marketing`). `claim`
 * is a conditional write: true only for the one run that may send (a claim
 * older than the lease counts as abandoned); `complete` records the sent
 * message; `release` gives the claim up after a failed send, so the next run retries.
 */
export interface OutreachMarkers {
  claim(marker: string, now: Date, leaseMs: number): Promise<boolean>;
  complete(marker: string, messageId: string, now: Date): Promise<void>;
  release(marker: string): Promise<void>;
}

/** The department topic (SNS filtered by `department`; the local outbox with audience `department`). */
export interface DepartmentNotifier {
  notifyDepartment(message: DepartmentMessage): Promise<{ messageId: string }>;
}
