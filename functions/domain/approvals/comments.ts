/**
 * Comments on approver actions: cleaned of control characters (they reach
 * pages and messages), bounded, and required where the requester or the
 * audit trail is owed words: a rejection's reason, an information request's
 * question, and why a high or critical finding was accepted.
 */
import type { Finding } from '../decision';
import { SEVERITIES, type Severity } from '../policy';
import type { ApprovalRefusal, RefusalCode } from './approval-rules';
import type { ApproverAction } from './types';

/** Longest comment kept (the page's textarea says so too). */
export const MAX_COMMENT_LENGTH = 2000;

/** Approving a request with a finding this severe or worse needs a comment. */
export const COMMENT_REQUIRED_FROM_SEVERITY: Severity = 'high';

/** Why approving this request needs a comment (a finding of high severity or worse), or undefined when it does not. */
export function approvalCommentReason(findings: readonly Pick<Finding, 'severity'>[] | undefined): string | undefined {
  const worst = highestSeverity(findings);
  if (worst === undefined || SEVERITIES.indexOf(worst) < SEVERITIES.indexOf(COMMENT_REQUIRED_FROM_SEVERITY)) return undefined;
  return `This request has a ${worst} finding: say why you accept the risk (your comment is kept in the audit trail).`;
}

function highestSeverity(findings: readonly Pick<Finding, 'severity'>[] | undefined): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings ?? []) if (worst === undefined || SEVERITIES.indexOf(f.severity) > SEVERITIES.indexOf(worst)) worst = f.severity;
  return worst;
}

/**
 * Checks a comment for an action; returns a refusal or the cleaned comment.
 * `findings`: the request's findings (approving past a high or critical one needs a comment).
 */
export function validateComment(
  action: ApproverAction,
  comment: string | undefined,
  findings?: readonly Pick<Finding, 'severity'>[],
): ApprovalRefusal | { ok: true; comment?: string } {
  // Normalise line endings and drop control characters other than newline and tab: comments reach pages and messages.
  const cleaned = (comment ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim();
  if (cleaned.length > MAX_COMMENT_LENGTH) {
    return refusal('COMMENT_TOO_LONG', `The comment is ${cleaned.length} characters; keep it to ${MAX_COMMENT_LENGTH}.`);
  }
  if (!cleaned && action === 'reject') return refusal('COMMENT_REQUIRED', 'Say why you reject it (and what to use instead): the requester gets your comment.');
  if (!cleaned && action === 'request-info') return refusal('COMMENT_REQUIRED', 'Say what information you need: the requester gets your comment.');
  const approvalReason = action === 'approve' ? approvalCommentReason(findings) : undefined;
  if (!cleaned && approvalReason) return refusal('COMMENT_REQUIRED', approvalReason);
  return cleaned ? { ok: true, comment: cleaned } : { ok: true };
}

function refusal(code: RefusalCode, reason: string): ApprovalRefusal {
  return { ok: false, code, reason };
}
