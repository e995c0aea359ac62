/**
 * Whether a first notification may wait for the daily digest instead of
 * going out now.
 */
import { nextDigestAt, shouldDigest } from '../../approvals';
import type { RequestRecord } from '../../records';
import type { ApprovalSettings } from '../approvals/settings';

/**
 * The digest a notification joins: digests on, a low-risk review, approvers
 * in the policy, and nothing (a reminder) due before the digest goes out.
 * Undefined means send now.
 */
export function digestSlotFor(record: RequestRecord, settings: ApprovalSettings, now: Date): Date | undefined {
  if (!settings.directory || !shouldDigest(record.decision, settings.digest)) return undefined;
  const digestAt = nextDigestAt(now, settings.digest);
  const due = record.approval.escalation.nextDueAt;
  return due === undefined || Date.parse(due) > digestAt.getTime() ? digestAt : undefined;
}
