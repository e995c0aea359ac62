/**
 * The console's request list: a GET form of filters (kind, outcome, status,
 * department, source) and a search box, then one short row per request,
 * newest first, decided ones too, and links to the previous and next page
 * that keep the filters. Without scripts: the form submits to itself.
 */
import { APPROVAL_STATUSES, formatMoney, requestSummaryOf } from '../../domain/approvals';
import { OUTCOMES } from '../../domain/decision';
import { PAGE_SIZE, RECORD_KINDS, type RequestListPage, type RequestQuery } from '../../domain/use-cases/console/request-list';
import type { RequestRecord } from '../../domain/records';
import { html, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';
import { dayMonthLabel } from '../../domain/date-labels';

export interface RequestsPageInput {
  list: RequestListPage;
  user: PageUser;
  nav: ConsoleNav;
  /** This page's path (the form's action). */
  action: string;
  requestUrl(recordId: string): string;
  signOutAction?: string;
  truncated?: boolean;
  /** Problems with the query string, shown above the form (the list then shows everything). */
  problems?: string[];
}

const KIND_LABELS: Record<(typeof RECORD_KINDS)[number], string> = { 'purchase-request': 'Purchase requests', 'app-connected': 'App connections' };

/** `?…` of a query (empty values left out), for links that keep the filters. */
export function queryString(query: Partial<RequestQuery>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (key === 'page' && value === 1)) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function select(name: string, label: string, options: readonly string[], selected: string | undefined, labels: Record<string, string> = {}): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">Any</option>${options.map(
    (o) => html`<option value="${o}"${selected !== undefined && o.toLowerCase() === selected.toLowerCase() ? html` selected` : ''}>${labels[o] ?? o}</option>`,
  )}</select></div>`;
}

export function renderRequestsPage(input: RequestsPageInput): string {
  const { list } = input;
  const q = list.query;
  const filtered = Boolean(q.kind || q.outcome || q.status || q.department || q.source || q.q);
  const first = list.total === 0 ? 0 : (q.page - 1) * PAGE_SIZE + 1;
  const last = (q.page - 1) * PAGE_SIZE + list.records.length;
  const body = html`<h1>Requests</h1>
${input.problems?.length ? html`<div class="notice error" role="alert"><p>${input.problems.join('; ')}</p></div>` : ''}
<form method="get" action="${safeUrl(input.action)}" class="filters" role="search">
<div class="field grow"><label for="f-q">Search</label><input id="f-q" name="q" type="search" maxlength="200" value="${q.q ?? ''}" placeholder="Vendor, app, requester or id"></div>
${select('kind', 'Kind', RECORD_KINDS, q.kind, KIND_LABELS)}
${select('outcome', 'Policy outcome', OUTCOMES, q.outcome)}
${select('status', 'Approval', APPROVAL_STATUSES, q.status)}
${select('department', 'Department', list.facets.departments, q.department)}
${select('source', 'Source', list.facets.sources, q.source)}
<div class="field"><button type="submit" class="primary">Filter</button></div>
</form>
<p class="lede">${list.total === 0 ? 'No request matches.' : `${first}–${last} of ${list.total} request${list.total === 1 ? '' : 's'}`}${filtered ? html` · <a href="${safeUrl(input.action)}">Clear filters</a>` : ''}, newest first.</p>
${input.truncated ? html`<div class="notice warn"><p>Only the most recent records could be read; narrow the search to find older ones.</p></div>` : ''}
${list.records.length > 0 ? requestTable(list.records, input.requestUrl) : ''}
${pager(list, input.action)}`;
  return layout({ title: 'Requests', user: input.user, nav: input.nav, signOutAction: input.signOutAction, body, wide: true });
}

function requestTable(records: readonly RequestRecord[], requestUrl: (id: string) => string): SafeHtml {
  return html`<table class="inbox requests">
<caption class="visually-hidden">Requests, newest first</caption>
<thead><tr><th scope="col">Request</th><th scope="col">Requester</th><th scope="col" class="num">Per year</th><th scope="col">Policy · approval</th></tr></thead>
<tbody>
${records.map((record) => {
  const s = requestSummaryOf(record);
  const requester = s.requester.name ?? s.requester.email ?? 'unknown';
  return html`<tr>
<td class="request"><a href="${safeUrl(requestUrl(s.recordId))}">${s.title}</a><br><span class="hint id">${s.recordId} · received <time datetime="${s.receivedAt}">${shortDate(s.receivedAt)}</time></span></td>
<td data-label="Requester"><span title="${s.requester.email ?? ''}">${requester}</span>${s.department ? html`<br><span class="hint">${s.department}</span>` : ''}</td>
<td class="num" data-label="Per year">${s.annualised ? formatMoney(s.annualised.value, s.annualised.currency) : '—'}</td>
<td class="status" data-label="Policy"><span class="badge out-${s.outcome}">${s.outcome}</span> <span class="badge sev-${s.severity}">${s.severity}</span><br><span class="badge st-${record.approval.status}">${record.approval.status}</span></td>
</tr>
`;
})}</tbody>
</table>`;
}

function pager(list: RequestListPage, action: string): SafeHtml | '' {
  if (list.pages <= 1) return '';
  const q = list.query;
  const link = (page: number, label: string, rel: string) => html`<a href="${safeUrl(`${action}${queryString({ ...q, page })}`)}" rel="${rel}">${label}</a>`;
  return html`<nav class="pager" aria-label="Pages"><p>${q.page > 1 ? link(q.page - 1, '← Newer', 'prev') : ''} <span>Page ${q.page} of ${list.pages}</span> ${
    q.page < list.pages ? link(q.page + 1, 'Older →', 'next') : ''
  }</p></nav>`;
}

function shortDate(iso: string): string {
  const d = new Date(iso);
  return `${dayMonthLabel(d)} ${d.toISOString().slice(11, 16)}`;
}
