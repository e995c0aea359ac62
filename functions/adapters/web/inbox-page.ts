/**
 * The approvers' inbox: pending requests, soonest signing date first, overdue
 * ones highlighted in words as well as colour.
 */
import { formatInstant, formatMoney, inboxRows, type InboxEntry } from '../../domain/approvals';
import { html, safeUrl } from './html';
import { layout, type PageUser } from './page-layout';

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

