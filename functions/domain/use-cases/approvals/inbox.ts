/**
 * What the signed-in approver's inbox holds, judged by the same rules as a
 * decision, so the inbox never offers what the POST would refuse:
 *
 * - "To decide": open requests the person may approve now (their signature
 *   moves the request on). Only these get decision links.
 * - "Watching": open requests in departments they cover that wait for
 *   someone else (a higher tier, a second signer after their first, or the
 *   requester's answer), and their own requests. Read-only: the row opens
 *   the request page, which offers a link only if they may still reject or
 *   ask for information.
 * - Requests of departments they do not cover are not shown at all: an IT
 *   manager for Marketing does not see Engineering's requests. Approvers
 *   without a department list (the IT director, the CIO) see every request.
 */
import { APPROVER_ACTIONS, authorizeApproverAction, coversDepartment, type ActingApprover, type RefusalCode } from '../../approvals';
import type { AliasSource } from '../../approvals/identity';
import type { RequestRecord } from '../../records';
import { coverageOf, ruleContextOf, type ApprovalSettings } from './settings';

export type InboxPlace =
  | { section: 'decide' }
  /** `code`: why they cannot approve now (tier, their first signature, their own request). */
  | { section: 'watch'; code: RefusalCode }
  | { section: 'hidden' };

/** Whether the approver's department coverage lets them see this request at all. */
export function mayView(record: RequestRecord, settings: ApprovalSettings, approver: ActingApprover): boolean {
  if (approver.tier === 'none') return false;
  return coversDepartment({ tier: approver.tier, departments: approver.departments ? [...approver.departments] : undefined }, coverageOf(record, settings));
}

/** Where an open request belongs in this approver's inbox. */
export function inboxPlaceOf(record: RequestRecord, settings: ApprovalSettings, approver: ActingApprover, now: Date, aliases?: AliasSource): InboxPlace {
  if (!mayView(record, settings, approver)) return { section: 'hidden' };
  const verdict = authorizeApproverAction({ ...ruleContextOf(record, settings, approver, aliases), action: 'approve', now });
  return verdict.ok ? { section: 'decide' } : { section: 'watch', code: verdict.code };
}

/** True when the rules let this approver take any action now (approve, reject or ask): only then is a decision link made. */
export function mayDecideSomething(record: RequestRecord, settings: ApprovalSettings, approver: ActingApprover, now: Date, aliases?: AliasSource): boolean {
  return APPROVER_ACTIONS.some((action) => authorizeApproverAction({ ...ruleContextOf(record, settings, approver, aliases), action, now }).ok);
}
