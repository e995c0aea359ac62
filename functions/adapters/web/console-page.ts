/**
 * The console's home page, "what matters now": pending approvals by
 * deadline (with the soonest ones listed), this week's decisions by outcome,
 * apps seen for the first time this week, and spend requested by department
 * over 30 days. Four cards of small SVG charts (charts.ts), each figure also
 * in text, each card linking to the matching request list.
 */
import { deadlineDistance, formatMoney } from '../../domain/approvals';
import { DEADLINE_BUCKETS, SPEND_DAYS, type DeadlineBucket, type Overview } from '../../domain/use-cases/console/overview';
import { barChart, type BarTone } from './charts';
import { html, safeUrl } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';

export interface ConsoleHomeInput {
  overview: Overview;
  user: PageUser;
  nav: ConsoleNav;
  /** `requests?…` URLs, from a query (`status=pending`). */
  requestsUrl(query: Record<string, string>): string;
  requestUrl(recordId: string): string;
  signOutAction?: string;
  /** The records read stopped at their bound: older ones are not counted. */
  truncated?: boolean;
  /** Whom the figures cover ("Marketing, Sales" for a department approver). */
  scope?: string;
}

const BUCKET_TONES: Record<DeadlineBucket, BarTone> = { overdue: 'bad', today: 'warn', 'this week': 'warn', later: 'accent', 'no deadline': 'muted' };

export function renderConsoleHome(input: ConsoleHomeInput): string {
  const o = input.overview;
  const now = new Date(o.now);
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const d = o.decisionsThisWeek;
  const currency = o.spendCurrency ?? '';
  const spendTotal = o.spendByDepartment.reduce((sum, s) => sum + s.annualised, 0);
  const body = html`<h1>What matters now</h1>
<p class="lede">${o.pending.total} pending approval${o.pending.total === 1 ? '' : 's'}${o.pending.byDeadline.overdue ? `, ${o.pending.byDeadline.overdue} overdue` : ''} · ${
    d.evaluated.allow + d.evaluated.review + d.evaluated.block
  } evaluated this week · ${o.newApps.length} new app${o.newApps.length === 1 ? '' : 's'} this week${input.scope ? ` · ${input.scope}` : ''}.</p>
${input.truncated ? html`<div class="notice warn"><p>Only the most recent records could be read; older ones are not counted here.</p></div>` : ''}
<div class="cards">
<section class="card" aria-labelledby="pending-h">
<h2 id="pending-h">Pending approvals by deadline</h2>
${barChart({
  id: 'chart-pending',
  title: 'Pending approvals by deadline',
  data: DEADLINE_BUCKETS.map((b) => ({ label: capital(b), value: o.pending.byDeadline[b], tone: BUCKET_TONES[b] })),
  empty: 'Nothing is waiting for a decision.',
})}
${
  o.pending.soonest.length > 0
    ? html`<ol class="soonest">${o.pending.soonest.slice(0, 5).map((s) => {
        const hours = s.deadline ? (Date.parse(s.deadline) - now.getTime()) / 3_600_000 : undefined;
        return html`<li><a href="${safeUrl(input.requestUrl(s.recordId))}">${s.title}</a> <span class="${hours !== undefined && hours < 0 ? 'badge overdue-badge' : 'hint'}">${hours === undefined ? 'no deadline' : deadlineDistance(hours)}</span></li>`;
      })}</ol>`
    : ''
}
<p><a href="${safeUrl(input.requestsUrl({ status: 'pending' }))}">All pending requests</a></p>
</section>
<section class="card" aria-labelledby="decisions-h">
<h2 id="decisions-h">Decisions this week</h2>
${barChart({
  id: 'chart-decisions',
  title: 'Decisions in the last 7 days',
  data: [
    { label: 'Policy: allow', value: d.evaluated.allow, tone: 'ok' },
    { label: 'Policy: review', value: d.evaluated.review, tone: 'warn' },
    { label: 'Policy: block', value: d.evaluated.block, tone: 'bad' },
    { label: 'Approved by IT', value: d.approved, tone: 'ok' },
    { label: 'Rejected by IT', value: d.rejected, tone: 'bad' },
  ],
  empty: 'No request was evaluated or decided in the last 7 days.',
})}
<p class="hint">Policy outcomes of requests received in the last 7 days; approvers' decisions made in them.</p>
<p><a href="${safeUrl(input.requestsUrl({ outcome: 'block' }))}">Blocked requests</a> · <a href="${safeUrl(input.requestsUrl({ status: 'rejected' }))}">Rejected requests</a></p>
</section>
<section class="card" aria-labelledby="apps-h">
<h2 id="apps-h">New apps this week</h2>
${barChart({
  id: 'chart-apps',
  title: 'People per app seen for the first time in the last 7 days',
  data: o.newApps.slice(0, 8).map((a) => ({
    label: a.name,
    value: Math.max(a.people, 0.0001),
    display: `${a.people} ${a.people === 1 ? 'person' : 'people'}`,
    tone: a.outcome === 'block' ? 'bad' : a.outcome === 'review' ? 'warn' : 'ok',
  })),
  empty: 'No app was connected for the first time in the last 7 days.',
})}
${o.newApps.length > 8 ? html`<p class="hint">And ${o.newApps.length - 8} more.</p>` : ''}
${o.newApps.length > 0 ? html`<p class="hint">${o.newApps.slice(0, 8).map((a, i) => html`${i ? ' · ' : ''}${a.name} (${a.source}${a.department ? `, ${a.department}` : ''})`)}</p>` : ''}
<p><a href="${safeUrl(input.requestsUrl({ kind: 'app-connected' }))}">All app connections</a></p>
</section>
<section class="card" aria-labelledby="spend-h">
<h2 id="spend-h">Spend requested by department</h2>
${barChart({
  id: 'chart-spend',
  title: `Annualised spend requested in the last ${SPEND_DAYS} days, by department`,
  data: o.spendByDepartment.slice(0, 8).map((s) => ({ label: s.department, value: s.annualised, display: compactMoney(s.annualised, currency) })),
  empty: `No purchase request stated an amount in the last ${SPEND_DAYS} days.`,
})}
<p class="hint">Per year, last ${SPEND_DAYS} days${spendTotal > 0 ? `: ${formatMoney(spendTotal, currency)} in total` : ''}.</p>
<p><a href="${safeUrl(input.requestsUrl({ kind: 'purchase-request' }))}">All purchase requests</a></p>
</section>
</div>`;
  return layout({ title: 'What matters now', user: input.user, nav: input.nav, signOutAction: input.signOutAction, body, wide: true });
}

/** "4.3k USD": fits beside a bar; the exact total is in the card's text. */
function compactMoney(value: number, currency: string): string {
  const rounded = value >= 1_000_000 ? `${(value / 1_000_000).toFixed(1)}M` : value >= 1000 ? `${(value / 1000).toFixed(1)}k` : String(Math.round(value));
  return `${rounded.replace('.0', '')} ${currency}`.trim();
}
