/**
 * The inventory pages: every app the company uses (`/inventory`) and one app
 * with the people using it (`/inventory/:app`). Server-rendered, no scripts;
 * every name, scope and department goes through `html`, which escapes it.
 */
import { CONNECTION_LABELS, type AppUser, type InventoryEntry } from '../../domain/inventory/app-inventory';
import { APP_SOURCES, type AppSource } from '../../domain/events';
import { sourceLabel } from '../../domain/rules/app-connection';
import { html, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';
import { dayMonthLabel, isoDayLabel } from '../../domain/date-labels';

export type ListedApp = InventoryEntry & { users: number };
export type AppDetail = ListedApp & { people: AppUser[] };

export interface InventoryListInput {
  user: PageUser;
  apps: readonly ListedApp[];
  /** The department filter in force, if any. */
  department?: string;
  /** Departments offered in the filter. */
  departments: readonly string[];
  /** `inventory/<key>` for an app, relative to the app's base. */
  appHref(appKey: string): string;
  requestHref(recordId: string): string;
  listHref: string;
  /** The IT console's navigation. */
  nav?: ConsoleNav;
  signOutAction?: string;
  /** Set when the signed-in approver covers only some departments. */
  coveredDepartments?: readonly string[];
}

const STATUS_LABELS: Record<string, string> = {
  discovered: 'discovered',
  sanctioned: 'sanctioned',
  tolerated: 'tolerated',
  prohibited: 'prohibited',
};

export function renderInventoryPage(input: InventoryListInput): string {
  const { apps } = input;
  const discovered = apps.filter((a) => a.status === 'discovered').length;
  const reviewing = apps.filter((a) => a.review).length;
  const people = apps.reduce((sum, a) => sum + a.users, 0);
  const body = html`<h1>App inventory</h1>
<p class="lede">${apps.length === 0 ? 'No apps seen yet' : `${apps.length} ${apps.length === 1 ? 'app' : 'apps'} in use`}${input.department ? ` in ${input.department}` : ''}${
    apps.length ? `: ${discovered} not in the catalogue, ${reviewing} with a review, ${people} ${people === 1 ? 'assignment' : 'assignments'} in all.` : '.'
  }</p>
${input.coveredDepartments ? html`<p class="hint">Showing the apps of the departments you cover: ${input.coveredDepartments.join(', ')}.</p>` : ''}
<form method="get" action="${safeUrl(input.listHref)}" class="filter">
<label for="department">Department</label>
<select id="department" name="department">
<option value="">Every department</option>
${input.departments.map((d) => html`<option value="${d}"${d === input.department ? html` selected` : ''}>${d}</option>`)}
</select>
<button type="submit">Show</button>
</form>
${apps.length ? appsTable(input) : html`<p>Apps appear here when an identity provider reports one (an SSO app created, a user assigned, an OAuth consent) or a purchase request asks for one.</p>`}`;
  return layout({ title: 'App inventory', user: input.user, nav: input.nav, signOutAction: input.signOutAction, body, wide: true });
}

function appsTable(input: InventoryListInput): SafeHtml {
  return html`<table class="inventory">
<caption class="visually-hidden">Apps in use, most recently seen first</caption>
<thead><tr><th scope="col">App</th><th scope="col" class="num">People</th><th scope="col">Departments</th><th scope="col">Connected by</th><th scope="col">Risk</th><th scope="col">Review</th><th scope="col">Last seen</th></tr></thead>
<tbody>
${input.apps.map(
  (app) => html`<tr>
<td><a href="${safeUrl(input.appHref(app.appKey))}">${app.name}</a><br><span class="badge st-${app.status}">${STATUS_LABELS[app.status] ?? app.status}</span>${app.owner ? html` <span class="hint">owner ${app.owner}</span>` : ''}</td>
<td class="num">${app.users}</td>
<td>${app.departments.length ? app.departments.join(', ') : html`<span class="hint">unknown</span>`}</td>
<td>${app.connections.map((c) => CONNECTION_LABELS[c]).join(', ') || html`<span class="hint">requested only</span>`}<br><span class="hint">${sourcesOf(app.sources)}</span></td>
<td><span class="badge sev-${app.highestRisk}">${app.highestRisk}</span></td>
<td>${app.review ? reviewCell(app, input.requestHref(app.review.recordId)) : html`<span class="hint">none</span>`}${
    app.requests.length ? html`<br><span class="hint">${app.requests.length} purchase ${app.requests.length === 1 ? 'request' : 'requests'}</span>` : ''
  }</td>
<td class="date"><time datetime="${app.lastSeen}">${isoDayLabel(app.lastSeen)}</time></td>
</tr>
`,
)}</tbody>
</table>`;
}

export interface AppPageInput {
  user: PageUser;
  app: AppDetail;
  /** Where the review stands, when it has a record. */
  reviewStatus?: string;
  requestHref(recordId: string): string;
  listHref: string;
  /** The IT console's navigation. */
  nav?: ConsoleNav;
  signOutAction?: string;
  /** People outside the departments the approver covers are left out; how many. */
  hiddenPeople?: number;
}

export function renderAppPage(input: AppPageInput): string {
  const { app } = input;
  const body = html`<p><a href="${safeUrl(input.listHref)}">← App inventory</a></p>
<h1>${app.name}</h1>
<p class="lede"><span class="badge st-${app.status}">${STATUS_LABELS[app.status] ?? app.status}</span> ${app.users} ${app.users === 1 ? 'person uses' : 'people use'} it${
    app.departments.length ? ` in ${app.departments.join(', ')}` : ''
  }. Highest risk found: <span class="badge sev-${app.highestRisk}">${app.highestRisk}</span></p>
<dl class="facts">
<dt>Catalogue</dt><dd>${app.catalogue ? `${app.catalogue.name} (${app.catalogue.category}), ${app.status}` : 'not in the catalogue: discovered'}</dd>
<dt>Owner</dt><dd>${app.owner ?? 'none named'}</dd>
<dt>First seen</dt><dd><time datetime="${app.firstSeen}">${longDate(app.firstSeen)}</time></dd>
<dt>Last seen</dt><dd><time datetime="${app.lastSeen}">${longDate(app.lastSeen)}</time></dd>
<dt>Connected by</dt><dd>${app.connections.map((c) => CONNECTION_LABELS[c]).join(', ') || 'requested, not yet connected'}</dd>
<dt>Seen by</dt><dd>${sourcesOf(app.sources)}</dd>
<dt>Risky scopes</dt><dd>${app.riskyScopes.length ? html`<ul>${app.riskyScopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>` : 'none granted'}</dd>
<dt>Seats used</dt><dd>${app.catalogue ? "the catalogue agreement's figure: these events show who was assigned or consented, not the complete assignment list" : 'no agreement'}</dd>
<dt>Purchase requests</dt><dd>${app.requests.length ? app.requests.map((id, i) => html`${i ? ', ' : ''}<a href="${safeUrl(input.requestHref(id))}">${id}</a>`) : 'none'}</dd>
</dl>
${reviewSection(input)}
<h2 id="people">People using it (${app.users})</h2>
${input.hiddenPeople ? html`<p class="hint">${input.hiddenPeople} more in departments you do not cover.</p>` : ''}
${app.people.length ? peopleTable(app.people) : html`<p>No person is named yet: the events so far created the app or consented for everyone.</p>`}
${app.people.length < app.users - (input.hiddenPeople ?? 0) ? html`<p class="hint">The ${app.people.length} seen most recently are listed.</p>` : ''}`;
  return layout({ title: app.name, user: input.user, nav: input.nav, signOutAction: input.signOutAction, body, wide: true });
}

function reviewSection(input: AppPageInput): SafeHtml {
  const review = input.app.review;
  if (!review) return html`<h2>Review</h2><p>No review: nothing about this app has needed one.</p>`;
  return html`<h2>Review</h2>
<p><a href="${safeUrl(input.requestHref(review.recordId))}">Open the review</a>${input.reviewStatus ? ` (${input.reviewStatus})` : ''} <span class="hint">record ${review.recordId}</span>, opened <time datetime="${review.openedAt}">${longDate(review.openedAt)}</time> when ${review.people} ${review.people === 1 ? 'person' : 'people'} used it.</p>
${
  review.changes.length
    ? html`<ol class="history">${review.changes.map((c) => html`<li><time datetime="${c.at}">${longDate(c.at)}</time>${c.detail}</li>`)}</ol>`
    : html`<p class="hint">Nothing has changed since it was opened.</p>`
}`;
}

function peopleTable(people: readonly AppUser[]): SafeHtml {
  return html`<table class="people">
<thead><tr><th scope="col">Person</th><th scope="col">Department</th><th scope="col">Connected by</th><th scope="col">Source</th><th scope="col">First seen</th></tr></thead>
<tbody>
${people.map(
  (
    p,
  ) => html`<tr><td>${p.name ?? p.email ?? p.personKey}${p.name && p.email ? html`<br><span class="hint">${p.email}</span>` : ''}</td><td>${p.department ?? html`<span class="hint">unknown</span>`}</td><td>${CONNECTION_LABELS[p.connection] ?? p.connection}</td><td>${sourcesOf([p.source])}</td><td class="date"><time datetime="${p.firstSeen}">${isoDayLabel(p.firstSeen)}</time></td></tr>
`,
)}</tbody>
</table>`;
}

/** Changes noted since the review opened (its first sighting is not one). */
function reviewCell(app: ListedApp, href: string): SafeHtml {
  const changes = app.review!.changes.filter((c) => c.kind !== 'first-sighting').length;
  return html`<a href="${safeUrl(href)}">Review</a>${changes ? html`<br><span class="hint">${changes} ${changes === 1 ? 'change' : 'changes'} since opened</span>` : ''}`;
}

/** Identity providers by their names; procurement sources as they call themselves. */
function sourcesOf(sources: readonly string[]): string {
  return sources.map((s) => ((APP_SOURCES as readonly string[]).includes(s) ? sourceLabel(s as AppSource) : s)).join(', ');
}

function longDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${dayMonthLabel(at)} ${at.toISOString().slice(11, 16)} UTC`;
}
