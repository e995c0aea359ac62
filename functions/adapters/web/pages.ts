/**
 * Server-rendered pages for approvers: the decision page a link opens, the
 * result of a decision, the inbox, and the local sign-in. Plain HTML that
 * works without JavaScript; every outside value goes through `html`, which
 * escapes it. Opening a page never decides anything: only the form's POST
 * does, so a mail scanner fetching the link changes nothing.
 */
import {
  ACTION_LABELS,
  APPROVER_ACTIONS,
  TIER_LABELS,
  approvalProgress,
  describeAuditEntry,
  formatInstant,
  formatMoney,
  inboxRows,
  sortAuditEntries,
  waitingFor,
  MAX_COMMENT_LENGTH,
  type ApprovalState,
  type ApproverAction,
  type ApproverTier,
  type AuditEntry,
  type InboxEntry,
  type RefusalCode,
  type RequestSummary,
} from '../../domain/approvals';
import type { VerifyFailureReason } from '../security/decision-link-signer';
import { html, multiline, safeUrl, trusted, type SafeHtml } from './html';
import { STYLESHEET } from './security-headers';

const PRODUCT = 'Procurement Guardrail';

export interface PageUser {
  email: string;
  name?: string;
  tier?: ApproverTier;
}

interface LayoutInput {
  title: string;
  user?: PageUser;
  /** A sign-out form target, shown next to the user. */
  signOutAction?: string;
  signOutCsrf?: string;
  body: SafeHtml;
}

/** The page frame: language, viewport, no referrer, the one stylesheet, a skip link. */
export function layout(input: LayoutInput): string {
  const who = input.user
    ? html`<div class="who">Signed in as ${input.user.name ? `${input.user.name} ` : ''}&lt;${input.user.email}&gt;${
        input.user.tier && input.user.tier !== 'none' ? `, ${TIER_LABELS[input.user.tier]}` : ''
      }${
        input.signOutAction
          ? html` <form method="post" action="${safeUrl(input.signOutAction)}" class="inline">${
              input.signOutCsrf ? html`<input type="hidden" name="csrf" value="${input.signOutCsrf}">` : ''
            }<button type="submit">Sign out</button></form>`
          : ''
      }</div>`
    : '';
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${input.title} · ${PRODUCT}</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site"><p class="brand">${PRODUCT}</p>${who}</header>
<main id="main">
${input.body}
</main>
<footer><p>IT reviews SaaS purchases and app connections before contracts are signed. Questions: reply to the notification or contact IT.</p></footer>
</body>
</html>`.value}\n`;
}

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
    ? html`<div class="notice"><p>You opened the <strong>${ACTION_LABELS[preselected]}</strong> link. <strong>Nothing has been recorded yet:</strong> review the request, then confirm with a button at the bottom of the page.</p></div>`
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

/** The same facts without a form (GET /requests/:id for a signed-in approver, or after a decision). */
export function renderRequestPage(input: {
  request: RequestSummary;
  approval: ApprovalState;
  history: readonly AuditEntry[];
  user?: PageUser;
  now: Date;
  inboxUrl?: string;
  /** A decision link minted for the signed-in approver, while the request is open. */
  decideUrl?: string;
  signOutAction?: string;
}): string {
  const r = input.request;
  const body = html`
${input.inboxUrl ? html`<p><a href="${safeUrl(input.inboxUrl)}">← Back to pending requests</a></p>` : ''}
<h1>${r.title}</h1>
${statusLine(r, input.approval)}
${input.decideUrl ? html`<p><a class="decide-link" href="${safeUrl(input.decideUrl)}">Decide on this request</a></p>` : ''}
${deadlineNotice(r, input.approval, input.now)}
${requestSection(r)}
${findingsSection(r)}
${approvalSection(input.approval)}
${historySection(input.history)}`;
  return layout({ title: r.title, user: input.user, signOutAction: input.signOutAction, body });
}

function decisionForm(input: DecisionPageInput, allRefused: boolean): SafeHtml {
  const who = input.approver;
  const refusals = input.refusals ?? {};
  const refusedList = APPROVER_ACTIONS.filter((a) => refusals[a]);
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
<label for="comment">Comment</label>
<p class="hint" id="comment-hint">Required to reject or to ask for information: the requester receives it. Suggest an alternative where you can. At most ${MAX_COMMENT_LENGTH} characters.</p>
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

function statusLine(r: RequestSummary, approval: ApprovalState): SafeHtml {
  return html`<p>Policy outcome <span class="badge out-${r.outcome}">${r.outcome}</span> severity <span class="badge sev-${r.severity}">${r.severity}</span> · Approval <span class="badge st-${approval.status}">${approval.status}</span></p>
<p>${r.summary}</p>`;
}

function deadlineNotice(r: RequestSummary, approval: ApprovalState, now: Date): SafeHtml | '' {
  if (!r.deadline || approval.status === 'approved' || approval.status === 'rejected' || approval.status === 'not-required') return '';
  const hours = (Date.parse(r.deadline) - now.getTime()) / 3_600_000;
  if (approval.status === 'expired-undecided' || hours <= 0) {
    return html`<div class="notice error"><p><span class="badge overdue-badge">Overdue</span> ${
      r.expectedSigningDate ? `The expected signing date (${r.expectedSigningDate}) has passed` : 'The waiting time has run out'
    } without a decision. A decision is still recorded, marked as late.</p></div>`;
  }
  const left = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.max(1, Math.round(hours))} hours`;
  return html`<div class="notice${hours <= 72 ? ' warn' : ''}"><p>Decide by <time datetime="${r.deadline}">${formatInstant(new Date(r.deadline))}</time> (${left} from now)${
    r.expectedSigningDate ? `, before the expected signing date ${r.expectedSigningDate}` : ''
  }.</p></div>`;
}

function requestSection(r: RequestSummary): SafeHtml {
  const fact = (label: string, value: unknown) => (value === undefined || value === null || value === '' ? '' : html`<dt>${label}</dt><dd>${value as string}</dd>\n`);
  const requester = [r.requester.name, r.requester.email ? `<${r.requester.email}>` : undefined].filter(Boolean).join(' ');
  return html`<h2>Request</h2>
<dl class="facts">
${fact('Reference', r.recordId)}
${fact('Vendor', r.vendor)}
${
  r.vendorMatch
    ? fact('Catalogue match', `${r.vendorMatch.name} (${r.vendorMatch.status}; matched by ${r.vendorMatch.matchedBy}, ${r.vendorMatch.confidence} confidence)`)
    : r.kind === 'purchase-request'
      ? fact('Catalogue match', 'Not in the vendor catalogue')
      : ''
}
${fact('Product', r.product)}
${fact(r.kind === 'purchase-request' ? 'Requester' : 'Connected by', requester || undefined)}
${fact('Department', r.department)}
${r.amount ? fact('Amount', `${formatMoney(r.amount.value, r.amount.currency)} (${r.amount.billingPeriod})`) : ''}
${r.annualised ? fact('Annualised', formatMoney(r.annualised.value, r.annualised.currency)) : ''}
${r.totalContractValue ? fact('Total contract value', formatMoney(r.totalContractValue.value, r.totalContractValue.currency)) : ''}
${fact('Term', r.termMonths !== undefined ? `${r.termMonths} months` : undefined)}
${fact('Renews automatically', r.autoRenew === undefined ? undefined : r.autoRenew ? 'Yes' : 'No')}
${fact('Seats', r.seats)}
${fact('Data classification', r.dataClassification)}
${fact('Expected signing date', r.expectedSigningDate ?? (r.kind === 'purchase-request' ? 'Not given' : undefined))}
${r.deadline ? html`<dt>Decision deadline</dt><dd><time datetime="${r.deadline}">${formatInstant(new Date(r.deadline))}</time></dd>` : ''}
${fact('Identity provider', r.identitySource)}
${fact('Event', r.connectionKind)}
${fact('Admin consent', r.adminConsent === undefined ? undefined : r.adminConsent ? 'Yes (whole organisation)' : 'No')}
${r.scopes?.length ? html`<dt>Scopes</dt><dd><ul>${r.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul></dd>` : ''}
${r.justification ? html`<dt>Justification</dt><dd>${multiline(r.justification)}</dd>` : ''}
<dt>Received</dt><dd><time datetime="${r.receivedAt}">${formatInstant(new Date(r.receivedAt))}</time></dd>
${fact('Policy version', r.policyVersion)}
</dl>`;
}

function findingsSection(r: RequestSummary): SafeHtml {
  return html`<h2>Policy findings</h2>
${
  r.findings.length
    ? html`<table>
<caption>${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}, most important first</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Area</th><th scope="col">Finding</th><th scope="col">Suggestion</th></tr></thead>
<tbody>
${sortFindings(r.findings).map(
  (f) => html`<tr><td><span class="badge sev-${f.severity}">${f.severity}</span></td><td>${f.dimension}</td><td>${f.message} <span class="hint">(${f.code})</span></td><td>${f.suggestion ?? '—'}</td></tr>
`,
)}</tbody>
</table>`
    : html`<p>No findings.</p>`
}
${
  r.suggestions.length
    ? html`<h2>Suggestions</h2>
<ul class="suggestions">${r.suggestions.map((s) => html`<li>${s}</li>`)}</ul>`
    : ''
}`;
}

function approvalSection(state: ApprovalState): SafeHtml {
  const p = approvalProgress(state);
  const steps = state.steps;
  return html`<h2>Approval</h2>
<dl class="facts">
<dt>Needs</dt><dd>${state.requiredApprover === 'none' ? 'No approval' : `${TIER_LABELS[state.requiredApprover]} or higher`}${state.twoStep ? ', two signatures from two different people' : ''}</dd>
<dt>Status</dt><dd>${p.stage === 'done' || p.stage === 'not-required' ? state.status : waitingFor(state)}</dd>
${state.escalation.level > 0 ? html`<dt>Escalated to</dt><dd>${TIER_LABELS[state.escalation.currentTier]}</dd>` : ''}
</dl>
${
  steps.length
    ? html`<ol class="history">${steps.map(
        (s) => html`<li><time datetime="${s.at}">${formatInstant(new Date(s.at))}</time>${ACTION_LABELS[s.action]}${s.stage ? ` (signature ${s.stage} of 2)` : ''} by ${s.by.name ?? s.by.email}${
          s.by.tier !== 'none' ? `, ${TIER_LABELS[s.by.tier]}` : ''
        }${s.late ? ' (after the signing date)' : ''}${s.comment ? html`: “${multiline(s.comment)}”` : ''}</li>`,
      )}</ol>`
    : ''
}`;
}

function historySection(history: readonly AuditEntry[]): SafeHtml {
  const entries = sortAuditEntries(history);
  return html`<h2>History</h2>
${
  entries.length
    ? html`<ol class="history">${entries.map(
        (e) => html`<li><time datetime="${e.at}">${formatInstant(new Date(e.at))}</time>${describeAuditEntry(e)}</li>`,
      )}</ol>`
    : html`<p>No history recorded yet.</p>`
}`;
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
function sortFindings<T extends { severity: string }>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

/** Why a decision attempt was refused, in words an approver understands. */
export const RESULT_REFUSALS = {
  expired: { status: 410, title: 'This link has expired', text: 'Decision links work for a limited time.', next: 'Open the request from the approvers’ inbox, or ask IT for a new link.' },
  used: { status: 409, title: 'This link has already been used', text: 'Each decision link works once, and this one already recorded a decision.', next: 'Open the request from the approvers’ inbox to see what was recorded.' },
  tampered: { status: 400, title: 'This link is not valid', text: 'The link was changed or damaged (for example, cut off by a mail program).', next: 'Open the original link from the email again, or use the approvers’ inbox.' },
  'not-yours': { status: 403, title: 'This link is not for this request or person', text: 'Decision links are tied to one request and one approver.', next: 'Use the link from your own notification, or the approvers’ inbox.' },
  'self-approval': { status: 403, title: 'You cannot decide your own request', text: 'You raised this request; another approver must decide it (separation of duties).', next: 'Nothing was recorded. IT has been notified and another approver will decide.' },
  'tier-too-low': { status: 403, title: 'This needs a higher approval tier', text: 'The policy requires an approver of a higher tier for this request.', next: 'Nothing was recorded. The request stays with the approvers of the required tier.' },
  'same-approver-twice': { status: 403, title: 'A second person must sign', text: 'This request needs two signatures from two different people, and you gave the first.', next: 'Nothing was recorded. Another approver will give the second signature.' },
  'already-decided': { status: 409, title: 'This request is already decided', text: 'Someone decided this request before you.', next: 'See the history below or in the approvers’ inbox.' },
  'not-required': { status: 409, title: 'No approval is needed', text: 'The policy allowed this request.', next: 'There is nothing to decide.' },
  csrf: { status: 403, title: 'The form could not be verified', text: 'The form was sent without the cookie its page set (perhaps it was open too long, cookies are blocked, or it came from another site).', next: 'Open the link again and resubmit the form.' },
  'not-found': { status: 404, title: 'Request not found', text: 'There is no request with this reference.', next: 'Check the link, or look in the approvers’ inbox.' },
  'bad-form': { status: 400, title: 'The form was incomplete', text: 'The decision form arrived without all its fields.', next: 'Open the link again and resubmit the form.' },
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
    const title = input.action === 'approve' ? (first ? 'First approval recorded' : 'Approved') : input.action === 'reject' ? 'Rejected' : 'More information requested';
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

export interface InboxPageInput {
  user: PageUser;
  entries: readonly InboxEntry[];
  now: Date;
  /** Hours before a deadline that count as "due soon" (default 72). */
  dueSoonHours?: number;
  signOutAction?: string;
  signOutCsrf?: string;
  /** A one-line message after an action ("Signed in"). */
  flash?: string;
}

/** Pending requests for approvers, soonest signing date first, overdue ones highlighted (in words, not only colour). */
export function renderInboxPage(input: InboxPageInput): string {
  const rows = inboxRows(input.entries, input.now, input.dueSoonHours);
  const overdue = rows.filter((r) => r.overdue).length;
  const body = html`<h1>Pending requests</h1>
${input.flash ? html`<div class="notice success" role="status"><p>${input.flash}</p></div>` : ''}
<p>${rows.length === 0 ? 'Nothing is waiting for a decision.' : `${rows.length} request${rows.length === 1 ? '' : 's'} waiting${overdue ? `, ${overdue} overdue` : ''}.`}</p>
${
  rows.length
    ? html`<table class="inbox">
<caption>Soonest expected signing date first; requests without a date at the end.</caption>
<thead><tr><th scope="col">Request</th><th scope="col">Requester</th><th scope="col">Annualised</th><th scope="col">Signing date</th><th scope="col">Deadline</th><th scope="col">Policy</th><th scope="col">Waiting for</th></tr></thead>
<tbody>
${rows.map((row) => {
  const s = row.summary;
  const deadline = s.deadline
    ? html`<time datetime="${s.deadline}">${formatInstant(new Date(s.deadline))}</time>`
    : html`none`;
  const flag = row.overdue
    ? html` <span class="badge overdue-badge">Overdue</span>`
    : row.dueSoon
      ? html` <span class="badge soon-badge">Due soon</span>`
      : '';
  return html`<tr class="${row.overdue ? 'overdue' : row.dueSoon ? 'due-soon' : ''}">
<td>${row.href ? html`<a href="${safeUrl(row.href)}">${s.title}</a>` : s.title}<br><span class="hint">${s.recordId}</span></td>
<td data-label="Requester">${s.requester.name ?? s.requester.email ?? 'unknown'}${s.department ? html`<br><span class="hint">${s.department}</span>` : ''}</td>
<td class="num" data-label="Annualised">${s.annualised ? formatMoney(s.annualised.value, s.annualised.currency) : '—'}</td>
<td class="date" data-label="Signing date">${s.expectedSigningDate ?? 'not given'}</td>
<td data-label="Deadline">${deadline}${flag}</td>
<td data-label="Policy"><span class="badge out-${s.outcome}">${s.outcome}</span> <span class="badge sev-${s.severity}">${s.severity}</span></td>
<td data-label="Waiting for">${row.waitingFor}</td>
</tr>
`;
})}</tbody>
</table>`
    : ''
}`;
  return layout({ title: 'Pending requests', user: input.user, signOutAction: input.signOutAction, signOutCsrf: input.signOutCsrf, body });
}

export interface SignInPageInput {
  /** Where the form posts. */
  action: string;
  csrfToken?: string;
  returnTo?: string;
  email?: string;
  error?: string;
}

/**
 * Local sign-in (npm start): an email address from the approver directory,
 * no password. Deployed, API Gateway's JWT authorizer and the company's
 * identity provider sign people in instead.
 */
export function renderSignInPage(input: SignInPageInput): string {
  const body = html`<h1>Sign in</h1>
<div class="notice warn"><p><strong>Local development sign-in.</strong> Anyone listed in the approver directory can sign in here with their email address and no password. Deployed, sign-in goes through the company’s identity provider.</p></div>
${input.error ? html`<div class="notice error" role="alert"><p>${input.error}</p></div>` : ''}
<form method="post" action="${safeUrl(input.action)}" class="decide">
<label for="email">Work email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${input.email ?? ''}">
${input.csrfToken ? html`<input type="hidden" name="csrf" value="${input.csrfToken}">` : ''}
${input.returnTo ? html`<input type="hidden" name="returnTo" value="${input.returnTo}">` : ''}
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
  return layout({ title: 'Sign in', body });
}

/** A plain message page (not found, server error) with the same frame. */
export function renderMessagePage(input: { title: string; message: string; user?: PageUser }): string {
  return layout({ title: input.title, user: input.user, body: html`<h1>${input.title}</h1><p>${input.message}</p>` });
}
