/**
 * The approvers' inbox: what the signed-in person may decide (soonest
 * deadline first, overdue ones highlighted in words as well as colour) and,
 * apart, what they only watch. Rows are short enough for a laptop screen:
 * the deadline leads each row, people appear by name, and long facts sit in
 * the request page.
 */
import { deadlineDistance, formatMoney, inboxRows, waitingForBrief, type InboxEntry, type InboxRow, type RefusalCode } from '../../domain/approvals';
import { html, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';
import { isoDayLabel } from '../../domain/date-labels';

/** A request the person follows but cannot approve now, and why. */
export interface WatchedEntry extends InboxEntry {
  why: RefusalCode;
}

export interface InboxPageInput {
  user: PageUser;
  /** Requests the person may approve now (each `href` a decision link minted for them). */
  entries: readonly InboxEntry[];
  /** Requests of their departments that wait for someone else (each `href` the request page). */
  watching?: readonly WatchedEntry[];
  now: Date;
  /** Hours before a deadline that count as "due soon" (default 72). */
  dueSoonHours?: number;
  signOutAction?: string;
  signOutCsrf?: string;
  /** A one-line message after an action ("Signed in"). */
  flash?: string;
  /** The console navigation. */
  nav?: ConsoleNav;
}

const WATCH_REASONS: Partial<Record<RefusalCode, string>> = {
  TIER_TOO_LOW: 'Needs a higher tier',
  SAME_APPROVER_TWICE: 'You gave the first signature',
  SELF_APPROVAL: 'You raised it',
};

function watchReason(code: RefusalCode | undefined): string {
  return (code && WATCH_REASONS[code]) ?? 'Someone else decides';
}

/** The inbox page: "To decide" with decision links, then "Watching" (read-only). */
export function renderInboxPage(input: InboxPageInput): string {
  const rows = inboxRows(input.entries, input.now, input.dueSoonHours);
  const watched = inboxRows(input.watching ?? [], input.now, input.dueSoonHours);
  const why = new Map((input.watching ?? []).map((w) => [w.summary.recordId, w.why]));
  const overdue = rows.filter((r) => r.overdue).length;
  const body = html`<h1>Pending requests</h1>
${input.flash ? html`<div class="notice success" role="status"><p>${input.flash}</p></div>` : ''}
<p class="lede">${rows.length === 0 ? 'Nothing is waiting for your decision.' : `${rows.length} waiting for your decision${overdue ? `, ${overdue} overdue` : ''}.`}${
    watched.length ? ` ${watched.length} more you are watching.` : ''
  }</p>
<section aria-labelledby="to-decide">
<h2 id="to-decide">To decide (${rows.length})</h2>
<p class="hint">Requests you may approve now: in the departments you cover, at your tier or below. Soonest deadline first; each link is yours alone.</p>
${rows.length ? inboxTable(rows, 'decide') : ''}
</section>
${
  watched.length
    ? html`<section aria-labelledby="watching">
<h2 id="watching">Watching (${watched.length})</h2>
<p class="hint">Requests of your departments that wait for someone else: a higher tier, a second signer, or your own requests. You can open them; only the people who may decide get decision links.</p>
${inboxTable(watched, 'watch', why)}
</section>`
    : ''
}`;
  return layout({
    title: 'Pending requests',
    user: input.user,
    nav: input.nav,
    signOutAction: input.signOutAction,
    signOutCsrf: input.signOutCsrf,
    body,
    wide: true,
  });
}

function inboxTable(rows: readonly InboxRow[], kind: 'decide' | 'watch', why?: Map<string, RefusalCode>): SafeHtml {
  return html`<table class="inbox ${kind}">
<caption class="visually-hidden">${kind === 'decide' ? 'Requests to decide' : 'Requests you are watching'}, soonest deadline first</caption>
<thead><tr><th scope="col" class="deadline">Deadline</th><th scope="col">Request</th><th scope="col">Requester</th><th scope="col" class="num">Per year</th><th scope="col">Policy</th><th scope="col">Waiting for</th></tr></thead>
<tbody>
${rows.map((row) => inboxRow(row, kind === 'watch' ? watchReason(why?.get(row.summary.recordId)) : undefined))}</tbody>
</table>`;
}

function inboxRow(row: InboxRow, watchReason: string | undefined): SafeHtml {
  const s = row.summary;
  const deadline = s.deadline ? html`<time datetime="${s.deadline}">${isoDayLabel(s.deadline)}</time>` : html`<span class="hint">none</span>`;
  const distance =
    row.hoursLeft === undefined
      ? ''
      : row.overdue
        ? html`<span class="badge overdue-badge">${deadlineDistance(row.hoursLeft)}</span>`
        : row.dueSoon
          ? html`<span class="badge soon-badge">due ${deadlineDistance(row.hoursLeft)}</span>`
          : html`<span class="hint">${deadlineDistance(row.hoursLeft)}</span>`;
  const requester = s.requester.name ?? s.requester.email ?? 'unknown';
  return html`<tr class="${row.overdue ? 'overdue' : row.dueSoon ? 'due-soon' : ''}">
<td class="deadline" data-label="Deadline"><strong>${deadline}</strong><br>${distance}</td>
<td class="request">${row.href ? html`<a href="${safeUrl(row.href)}">${s.title}</a>` : s.title}<br><span class="hint">${s.recordId}${
    s.expectedSigningDate ? ` · signing ${s.expectedSigningDate}` : ''
  }</span></td>
<td data-label="Requester"><span title="${s.requester.email ?? ''}">${requester}</span>${s.department ? html`<br><span class="hint">${s.department}</span>` : ''}</td>
<td class="num" data-label="Per year">${s.annualised ? formatMoney(s.annualised.value, s.annualised.currency) : '—'}</td>
<td class="policy" data-label="Policy"><span class="badge out-${s.outcome}">${s.outcome}</span> <span class="badge sev-${s.severity}">${s.severity}</span></td>
<td class="waiting" data-label="Waiting for">${waitingForBrief(row.state)}${watchReason ? html`<br><span class="hint">${watchReason}</span>` : ''}</td>
</tr>
`;
}
