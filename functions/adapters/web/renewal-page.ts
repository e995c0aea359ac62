/**
 * The renewal pages: the calendar (`/renewals`, signed-in approvers: every
 * renewal ahead with its notice deadline, seats, price, owner and where it
 * stands) and the owner's page a renewal link opens (the facts, and a form to
 * record renew / renegotiate / cancel). Built on the shared layout; every
 * outside value (agreement names from the catalogue or a request, owners,
 * notes) goes through `html`, which escapes it.
 */
import { formatInstant } from '../../domain/approvals';
import { unusedSeats, type Renewal } from '../../domain/renewals/calendar';
import {
  RENEWAL_ACTIONS,
  RENEWAL_ACTION_LABELS,
  STANDING_LABELS,
  type RenewalAction,
  type RenewalHistory,
  type RenewalStanding,
} from '../../domain/renewals/schedule';
import { html, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';

export interface CalendarRow {
  renewal: Renewal;
  history: RenewalHistory;
  standing: RenewalStanding;
}

/** An address that may break before its `@` in a narrow column (escaped like any other value). */
const email = (address: string): SafeHtml => {
  const at = address.indexOf('@');
  return at > 0 ? html`${address.slice(0, at)}<wbr>${address.slice(at)}` : html`${address}`;
};

const count = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));
const price = (r: Renewal) => (r.annualPrice ? `${count(r.annualPrice.amount)} ${r.annualPrice.currency}` : '–');

/** Badge words (the hint under the table spells out what each means). */
const STANDING_BADGE: Record<RenewalStanding, string> = {
  decided: 'decided',
  'notice-passed': 'notice passed',
  escalated: 'escalated',
  reminded: 'reminded',
  upcoming: 'upcoming',
};

const STANDING_CLASS: Record<RenewalStanding, string> = {
  decided: 'st-approved',
  'notice-passed': 'overdue-badge',
  escalated: 'overdue-badge',
  reminded: 'soon-badge',
  upcoming: 'sev-info',
};

export function renderRenewalCalendar(input: {
  user: PageUser;
  rows: CalendarRow[];
  today: string;
  withinDays: number;
  signOutAction?: string;
  nav?: ConsoleNav;
}): string {
  const { rows } = input;
  const inNotice = rows.filter((r) => r.standing !== 'decided' && r.standing !== 'upcoming').length;
  const body = html`<h1>Renewal calendar</h1>
<p class="lede">${rows.length === 0 ? `No renewals in the next ${input.withinDays} days.` : `${rows.length} renewal${rows.length === 1 ? '' : 's'} in the next ${input.withinDays} days${inNotice ? `, ${inNotice} waiting for a decision` : ''}.`}</p>
<p class="hint">Agreements in the policy's catalogue and contracts approved here. Owners are reminded before the notice deadline and record renew, renegotiate or cancel from their email; IT hears when nobody decides. Seats used come from the app inventory where an app's complete assignment list was imported (the list is named under the number), else from the catalogue's agreement.</p>
${rows.length === 0 ? '' : calendarTable(rows)}
<p class="hint">Upcoming: not yet in its notice period. Reminded: the owner has been asked. Escalated: IT has been told nobody decided. Notice passed: the notice deadline went by undecided. Decided: the owner (or IT) recorded renew, renegotiate or cancel.</p>`;
  return layout({
    title: 'Renewal calendar',
    user: input.user,
    body,
    wide: true,
    ...(input.nav ? { nav: input.nav } : {}),
    ...(input.signOutAction ? { signOutAction: input.signOutAction } : {}),
  });
}

function calendarTable(rows: CalendarRow[]): SafeHtml {
  return html`<table class="inbox renewals">
<caption>Soonest renewal first</caption>
<thead><tr><th scope="col">Renews</th><th scope="col">Notice by</th><th scope="col">Agreement</th><th scope="col">Owner</th><th scope="col" class="num">Seats</th><th scope="col" class="num">Used</th><th scope="col" class="num">Unused</th><th scope="col" class="num">Last year</th><th scope="col">Alternatives</th><th scope="col">Status</th></tr></thead>
<tbody>${rows.map(({ renewal: r, history, standing }) => {
    const decision = history.decision;
    return html`<tr${standing === 'notice-passed' || standing === 'escalated' ? html` class="overdue"` : ''}>
<td class="date" data-label="Renews"><strong>${r.renewalDate}</strong></td>
<td class="date" data-label="Notice by">${r.noticeDeadline}</td>
<td class="request" data-label="Agreement">${r.name}${r.autoRenews ? html`<br><span class="hint">renews by itself</span>` : ''}${r.source === 'contract' ? html`<br><span class="hint">approved request ${r.recordId ?? ''}</span>` : ''}</td>
<td data-label="Owner">${r.owner ? email(r.owner) : 'nobody named'}</td>
<td class="num" data-label="Seats">${count(r.seats)}</td>
<td class="num" data-label="Used"${r.seatsUsedFrom ? html` title="${r.seatsUsedFrom}"` : ''}>${count(r.seatsUsed)}${r.seatsUsedFrom && r.seatsUsedFrom !== 'from the policy' ? html`<br><span class="hint">${shortBasis(r.seatsUsedFrom)}</span>` : ''}</td>
<td class="num" data-label="Unused">${count(unusedSeats(r))}</td>
<td class="num" data-label="Last year">${price(r)}</td>
<td data-label="Alternatives">${r.alternatives.length ? r.alternatives.join(', ') : '–'}</td>
<td class="waiting" data-label="Status"><span class="badge ${STANDING_CLASS[standing]}" title="${STANDING_LABELS[standing]}">${STANDING_BADGE[standing]}</span>${
      decision
        ? html`<br>${RENEWAL_ACTION_LABELS[decision.action]}<br><span class="hint">${email(decision.by)}, ${formatInstant(new Date(decision.at))}</span>`
        : ''
    }</td>
</tr>`;
  })}</tbody>
</table>`;
}

/** "Okta list, 2026-11-20" for a table cell; the full sentence is the cell's title. */
function shortBasis(from: string): string {
  const m = /^from the (.+) assignment list imported (\d{4}-\d{2}-\d{2})/.exec(from);
  return m ? `${m[1]} list, ${m[2]}` : from.replace(/^from the /, '');
}

function facts(r: Renewal): SafeHtml {
  const unused = unusedSeats(r);
  return html`<dl class="facts">
<dt>Renewal date</dt><dd>${r.renewalDate}${r.autoRenews ? ' (renews by itself unless cancelled)' : ''}</dd>
<dt>Notice deadline</dt><dd>${r.noticeDeadline} (${r.noticeDays} days' notice)</dd>
<dt>Seats bought</dt><dd>${count(r.seats)}</dd>
<dt>Seats used</dt><dd>${count(r.seatsUsed)}${r.seatsUsedFrom ? html` <span class="hint">(${r.seatsUsedFrom})</span>` : ''}</dd>
<dt>Seats unused</dt><dd>${count(unused)}</dd>
<dt>Last year's price</dt><dd>${price(r)}</dd>
<dt>Sanctioned alternatives</dt><dd>${r.alternatives.length ? r.alternatives.join(', ') : 'none in the catalogue'}</dd>
<dt>Owner</dt><dd>${r.owner ?? 'nobody named'}</dd>
</dl>`;
}

export function renderRenewalActionPage(input: {
  renewal: Renewal;
  owner: string;
  token: string;
  csrfToken: string;
  formAction: string;
  preselected: RenewalAction;
  linkExpiresAt: Date;
}): string {
  const { renewal: r } = input;
  const body = html`<h1>Renewal of ${r.name}</h1>
<p class="lede">Renews on ${r.renewalDate}; to cancel or renegotiate, notice is due by ${r.noticeDeadline}.</p>
${facts(r)}
<form class="decide" method="post" action="${safeUrl(input.formAction)}">
<input type="hidden" name="token" value="${input.token}">
<input type="hidden" name="csrf" value="${input.csrfToken}">
<fieldset><legend>Your decision</legend>
${RENEWAL_ACTIONS.map(
  (action) =>
    html`<label><input type="radio" name="action" value="${action}"${action === input.preselected ? html` checked` : ''}> ${RENEWAL_ACTION_LABELS[action]}</label>`,
)}
<label for="note">Note for IT (optional: seats to drop, price to aim for)</label>
<textarea id="note" name="note" rows="3" maxlength="1000"></textarea>
</fieldset>
<div class="actions"><button type="submit" class="primary">Record decision</button></div>
<p class="hint">Recorded as ${input.owner}. This link works once and expires ${formatInstant(input.linkExpiresAt)}.</p>
</form>`;
  return layout({ title: `Renewal of ${r.name}`, body });
}

export function renderRenewalRecordedPage(input: { renewal: Renewal; history: RenewalHistory; recordedNow: boolean }): { html: string; statusCode: number } {
  const { renewal: r } = input;
  const d = input.history.decision;
  const body = html`<h1>Renewal of ${r.name}</h1>
<div class="notice ${input.recordedNow ? 'success' : 'warn'}"><p>${
    d
      ? `${input.recordedNow ? 'Recorded' : 'Already recorded'}: ${RENEWAL_ACTION_LABELS[d.action]}, by ${d.by} on ${formatInstant(new Date(d.at))}.`
      : 'Nothing is recorded for this renewal.'
  } ${input.recordedNow ? 'IT has it on the renewal calendar; no more reminders will come.' : 'Only the first decision for a renewal counts; ask IT to change it.'}</p></div>
${d?.note ? html`<p>Note: ${d.note}</p>` : ''}
${facts(r)}`;
  return { html: layout({ title: `Renewal of ${r.name}`, body }), statusCode: input.recordedNow ? 200 : 409 };
}
