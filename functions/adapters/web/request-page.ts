/**
 * A request as approvers read it: status, deadline, the facts, the policy
 * findings and suggestions, the approval so far and the history. The request
 * page shows them alone; the decision page adds its form (decision-page.ts).
 */
import {
  ACTION_LABELS,
  TIER_LABELS,
  approvalProgress,
  describeAuditEntry,
  formatInstant,
  formatMoney,
  sortAuditEntries,
  waitingFor,
  type ApprovalState,
  type AuditEntry,
  type RequestSummary,
} from '../../domain/approvals';
import { html, multiline, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';

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
  nav?: ConsoleNav;
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
  return layout({ title: r.title, user: input.user, nav: input.nav, signOutAction: input.signOutAction, body });
}

export function statusLine(r: RequestSummary, approval: ApprovalState): SafeHtml {
  return html`<p>Policy outcome <span class="badge out-${r.outcome}">${r.outcome}</span> severity <span class="badge sev-${r.severity}">${r.severity}</span> · Approval <span class="badge st-${approval.status}">${approval.status}</span></p>
<p>${r.summary}</p>`;
}

export function deadlineNotice(r: RequestSummary, approval: ApprovalState, now: Date): SafeHtml | '' {
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

export function requestSection(r: RequestSummary): SafeHtml {
  const fact = (label: string, value: unknown) =>
    value === undefined || value === null || value === '' ? '' : html`<dt>${label}</dt><dd>${value as string}</dd>\n`;
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

export function findingsSection(r: RequestSummary): SafeHtml {
  return html`<h2>Policy findings</h2>
${
  r.findings.length
    ? html`<table>
<caption>${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}, most important first</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Area</th><th scope="col">Finding</th><th scope="col">Suggestion</th></tr></thead>
<tbody>
${sortFindings(r.findings).map(
  (
    f,
  ) => html`<tr><td><span class="badge sev-${f.severity}">${f.severity}</span></td><td>${f.dimension}</td><td>${f.message} <span class="hint">(${f.code})</span></td><td>${f.suggestion ?? '—'}</td></tr>
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

export function approvalSection(state: ApprovalState): SafeHtml {
  const p = approvalProgress(state);
  const steps = state.steps;
  return html`<h2>Approval</h2>
<dl class="facts">
<dt>Needs</dt><dd>${state.requiredApprover === 'none' ? 'No approval' : `${TIER_LABELS[state.requiredApprover]} or higher`}${state.twoStep ? ', two signatures from two different people' : ''}${
    state.requesterUnidentified ? ' (the source names no person behind this request, so nobody can check the approver is not its requester)' : ''
  }</dd>
<dt>Status</dt><dd>${p.stage === 'done' || p.stage === 'not-required' ? state.status : waitingFor(state)}</dd>
${state.escalation.level > 0 ? html`<dt>Escalated to</dt><dd>${TIER_LABELS[state.escalation.currentTier]}</dd>` : ''}
</dl>
${
  steps.length
    ? html`<ol class="history">${steps.map(
        (s) =>
          html`<li><time datetime="${s.at}">${formatInstant(new Date(s.at))}</time>${ACTION_LABELS[s.action]}${s.stage ? ` (signature ${s.stage} of 2)` : ''} by ${s.by.name ?? s.by.email}${
            s.by.tier !== 'none' ? `, ${TIER_LABELS[s.by.tier]}` : ''
          }${s.late ? ' (after the signing date)' : ''}${s.comment ? html`: “${multiline(s.comment)}”` : ''}</li>`,
      )}</ol>`
    : ''
}`;
}

export function historySection(history: readonly AuditEntry[]): SafeHtml {
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
