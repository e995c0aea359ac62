/**
 * The page a decision link opens (the request, its findings and history, and
 * the decision form) and the page after it: recorded, or refused with words
 * an approver understands. Opening the page never decides anything: only
 * the form's POST does, so a mail scanner fetching the link changes nothing.
 */
import {
  ACTION_LABELS,
  APPROVER_ACTIONS,
  TIER_LABELS,
  formatInstant,
  MAX_COMMENT_LENGTH,
  type ApprovalState,
  type ApproverAction,
  type AuditEntry,
  type RefusalCode,
  type RequestSummary,
} from '../../domain/approvals';
import type { VerifyFailureReason } from '../security/decision-link-signer';
import { html, safeUrl, trusted, type SafeHtml } from './html';
import { layout, type PageUser } from './page-layout';
import { approvalSection, deadlineNotice, findingsSection, historySection, requestSection, statusLine } from './request-page';

export interface DecisionPageInput {
  request: RequestSummary;
  approval: ApprovalState;
  history: readonly AuditEntry[];
  /** Who the link was issued to (the token's subject, with directory details). */
  approver: PageUser;
  /** The link token and the CSRF value, carried in hidden fields. */
  token: string;
  csrfToken: string;
  /** The action of the link that was opened; highlighted, never submitted by itself. */
  preselected?: ApproverAction;
  /** Where the form posts (same origin). */
  formAction: string;
  now: Date;
  linkExpiresAt?: Date;
  /** A fixable problem with the last POST (e.g. a missing comment); the token was not used. */
  error?: string;
  /** The comment to put back after an error. */
  comment?: string;
  /** Actions this approver may not take, with the reason (from authorizeApproverAction). */
  refusals?: Partial<Record<ApproverAction, string>>;
  /** Why approving needs a comment here (a high or critical finding), from approvalCommentReason. */
  approvalCommentReason?: string;
}

/** The page a decision link opens: the request, findings, suggestions, history, and the decision form. */
export function renderDecisionPage(input: DecisionPageInput): string {
  const { request: r, approval } = input;
  const open = approval.status === 'pending' || approval.status === 'info-requested' || approval.status === 'expired-undecided';
  const preselected = input.preselected;
  const allRefused = APPROVER_ACTIONS.every((a) => input.refusals?.[a]);
  const body = html`
<h1>Decide: ${r.title}</h1>
${statusLine(r, approval)}
${input.error ? html`<div class="notice error" role="alert"><p><strong>Nothing was recorded.</strong> ${input.error}</p></div>` : ''}
${
  open && preselected && !input.error
    ? html`<div class="notice"><p>You opened the <strong>${ACTION_LABELS[preselected]}</strong> link. <strong>Nothing has been recorded yet:</strong> review the request, then confirm with a button at the bottom of the page.${
        preselected === 'approve' && input.approvalCommentReason && !input.refusals?.approve ? ' Approving it needs a comment: see why below.' : ''
      }</p></div>`
    : ''
}
${deadlineNotice(r, approval, input.now)}
${requestSection(r)}
${findingsSection(r)}
${approvalSection(approval)}
${
  open
    ? decisionForm(input, allRefused)
    : html`<div class="notice success"><p>This request is already <strong>${approval.status}</strong>; there is nothing left to decide.</p></div>`
}
${historySection(input.history)}`;
  return layout({ title: `Decide: ${r.title}`, user: input.approver, body });
}

function decisionForm(input: DecisionPageInput, allRefused: boolean): SafeHtml {
  const who = input.approver;
  const refusals = input.refusals ?? {};
  const refusedList = APPROVER_ACTIONS.filter((a) => refusals[a]);
  const approvalNeedsComment = input.approvalCommentReason !== undefined && !refusals.approve;
  return html`
<form class="decide" method="post" action="${safeUrl(input.formAction)}">
<fieldset>
<legend>Your decision</legend>
<p class="hint">You are deciding as ${who.name ? `${who.name} ` : ''}&lt;${who.email}&gt;${who.tier && who.tier !== 'none' ? ` (${TIER_LABELS[who.tier]})` : ''}. This link is yours alone and works once${
    input.linkExpiresAt ? html`; it expires <time datetime="${input.linkExpiresAt.toISOString()}">${formatInstant(input.linkExpiresAt)}</time>` : ''
  }.</p>
${
  refusedList.length
    ? html`<div class="notice warn"><ul>${refusedList.map((a) => html`<li><strong>${ACTION_LABELS[a]}:</strong> ${refusals[a]}</li>`)}</ul></div>`
    : ''
}
${approvalNeedsComment ? html`<div class="notice warn comment-required"><p><strong>Approving needs a comment.</strong> ${input.approvalCommentReason}</p></div>` : ''}
<label for="comment">Comment${approvalNeedsComment ? ' (required to approve)' : ''}</label>
<p class="hint" id="comment-hint">Required to reject or to ask for information: the requester receives it.${
    approvalNeedsComment ? ' Required to approve this request too.' : ''
  } Suggest an alternative where you can. At most ${MAX_COMMENT_LENGTH} characters.</p>
<textarea id="comment" name="comment" rows="5" maxlength="${MAX_COMMENT_LENGTH}" aria-describedby="comment-hint"${allRefused ? trusted(' disabled') : ''}>${input.comment ?? ''}</textarea>
<input type="hidden" name="token" value="${input.token}">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<div class="actions">
${APPROVER_ACTIONS.map((a) => {
  const cls = `${a === 'approve' ? 'approve' : a === 'reject' ? 'reject' : 'info'}${input.preselected === a ? ' primary' : ''}`;
  return html`<button type="submit" name="action" value="${a}" class="${cls}"${refusals[a] ? trusted(' disabled') : ''}>${ACTION_LABELS[a]}</button>
`;
})}</div>
</fieldset>
</form>`;
}

/** Why a decision attempt was refused, in words an approver understands. */
export const RESULT_REFUSALS = {
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Decision links work for a limited time.',
    next: 'Open the request from the approvers’ inbox, or ask IT for a new link.',
  },
  used: {
    status: 409,
    title: 'This link has already been used',
    text: 'Each decision link works once, and this one already recorded a decision.',
    next: 'Open the request from the approvers’ inbox to see what was recorded.',
  },
  tampered: {
    status: 400,
    title: 'This link is not valid',
    text: 'The link was changed or damaged (for example, cut off by a mail program).',
    next: 'Open the original link from the email again, or use the approvers’ inbox.',
  },
  'not-yours': {
    status: 403,
    title: 'This link is not for this request or person',
    text: 'Decision links are tied to one request and one approver.',
    next: 'Use the link from your own notification, or the approvers’ inbox.',
  },
  'self-approval': {
    status: 403,
    title: 'You cannot decide your own request',
    text: 'You raised this request; another approver must decide it (separation of duties).',
    next: 'Nothing was recorded. IT has been notified and another approver will decide.',
  },
  'department-not-covered': {
    status: 403,
    title: 'This request belongs to another department',
    text: 'You decide requests for other departments than this one.',
    next: 'Nothing was recorded. An approver who covers its department (or every department) will decide it.',
  },
  'wrong-approver': {
    status: 403,
    title: 'This link belongs to another approver',
    text: 'A decision link works only for the approver it was sent to, and someone else is signed in.',
    next: 'Nothing was recorded. Use the link from your own notification, or open the request from your inbox.',
  },
  'tier-too-low': {
    status: 403,
    title: 'This needs a higher approval tier',
    text: 'The policy requires an approver of a higher tier for this request.',
    next: 'Nothing was recorded. The request stays with the approvers of the required tier.',
  },
  'same-approver-twice': {
    status: 403,
    title: 'A second person must sign',
    text: 'This request needs two signatures from two different people, and you gave the first.',
    next: 'Nothing was recorded. Another approver will give the second signature.',
  },
  'already-decided': {
    status: 409,
    title: 'This request is already decided',
    text: 'Someone decided this request before you.',
    next: 'See the history below or in the approvers’ inbox.',
  },
  'not-required': { status: 409, title: 'No approval is needed', text: 'The policy allowed this request.', next: 'There is nothing to decide.' },
  csrf: {
    status: 403,
    title: 'The form could not be verified',
    text: 'The form was sent without the cookie its page set (perhaps it was open too long, cookies are blocked, or it came from another site).',
    next: 'Open the link again and resubmit the form.',
  },
  'not-found': {
    status: 404,
    title: 'Request not found',
    text: 'There is no request with this reference.',
    next: 'Check the link, or look in the approvers’ inbox.',
  },
  'bad-form': {
    status: 400,
    title: 'The form was incomplete',
    text: 'The decision form arrived without all its fields.',
    next: 'Open the link again and resubmit the form.',
  },
  'sign-in': { status: 401, title: 'Please sign in', text: 'The approvers’ pages need you to sign in.', next: 'Sign in, then try again.' },
} as const satisfies Record<string, { status: number; title: string; text: string; next: string }>;
export type ResultRefusal = keyof typeof RESULT_REFUSALS;

/** Maps a token check failure to what the page says. */
export function refusalForToken(reason: VerifyFailureReason): ResultRefusal {
  switch (reason) {
    case 'expired':
      return 'expired';
    case 'wrong-request':
    case 'wrong-approver':
      return 'not-yours';
    case 'malformed':
    case 'bad-signature':
    case 'unknown-key':
    case 'lifetime-too-long':
      return 'tampered';
  }
}

/** Maps an approval rule refusal to what the page says (comment problems re-render the form instead). */
export function refusalForApproval(code: RefusalCode): ResultRefusal | undefined {
  switch (code) {
    case 'SELF_APPROVAL':
      return 'self-approval';
    case 'DEPARTMENT_NOT_COVERED':
      return 'department-not-covered';
    case 'WRONG_APPROVER':
      return 'wrong-approver';
    case 'TIER_TOO_LOW':
      return 'tier-too-low';
    case 'SAME_APPROVER_TWICE':
      return 'same-approver-twice';
    case 'ALREADY_DECIDED':
      return 'already-decided';
    case 'NOT_REQUIRED':
      return 'not-required';
    case 'COMMENT_REQUIRED':
    case 'COMMENT_TOO_LONG':
    case 'UNKNOWN_ACTION':
      return undefined;
  }
}

export type ResultPageInput =
  | {
      kind: 'recorded';
      action: ApproverAction;
      request: RequestSummary;
      approval: ApprovalState;
      user?: PageUser;
      inboxUrl?: string;
    }
  | {
      kind: 'refused';
      reason: ResultRefusal;
      /** The rule's own sentence (e.g. which tier is needed); shown under the general text. */
      detail?: string;
      request?: RequestSummary;
      user?: PageUser;
      inboxUrl?: string;
      signInUrl?: string;
    };

/** The page after a POST (recorded), or for a refused link or decision (nothing changed). Includes the HTTP status. */
export function renderResultPage(input: ResultPageInput): { statusCode: number; html: string } {
  const back = input.inboxUrl ? html`<p><a href="${safeUrl(input.inboxUrl)}">Go to pending requests</a></p>` : '';
  if (input.kind === 'recorded') {
    const s = input.approval;
    const first = input.action === 'approve' && s.status !== 'approved';
    const what =
      input.action === 'approve'
        ? first
          ? 'Your approval was recorded as the first of two signatures. The request now waits for the second signature.'
          : 'The request is approved. The requester has been told they can go ahead.'
        : input.action === 'reject'
          ? 'The request is rejected. The requester receives your comment.'
          : 'Your question was sent to the requester. Reminders pause until they answer.';
    const title =
      input.action === 'approve' ? (first ? 'First approval recorded' : 'Approved') : input.action === 'reject' ? 'Rejected' : 'More information requested';
    const body = html`<h1>${title}</h1>
<div class="notice success" role="status"><p><strong>Recorded.</strong> ${what}</p></div>
<p>${input.request.title} (${input.request.recordId})</p>
${back}`;
    return { statusCode: 200, html: layout({ title, user: input.user, body }) };
  }
  const r = RESULT_REFUSALS[input.reason];
  const body = html`<h1>${r.title}</h1>
<div class="notice error" role="alert"><p><strong>Nothing was changed.</strong> ${r.text}</p>${input.detail ? html`<p>${input.detail}</p>` : ''}</div>
<p>${r.next}</p>
${input.request ? html`<p>Request: ${input.request.title} (${input.request.recordId})</p>` : ''}
${input.reason === 'sign-in' && input.signInUrl ? html`<p><a href="${safeUrl(input.signInUrl)}">Sign in</a></p>` : ''}
${back}`;
  return { statusCode: r.status, html: layout({ title: r.title, user: input.user, body }) };
}
