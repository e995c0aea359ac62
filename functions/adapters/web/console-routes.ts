/**
 * The IT console's routes, behind the same sign-in as the inbox: `GET /`
 * (what matters now) and `GET /requests` (every request, filtered, searched,
 * paginated). HTML for browsers, JSON for `Accept: application/json`. A
 * signed-in approver sees the requests of the departments they cover, as in
 * the inbox; locally (`npm start`) the JSON is open for inspection like the
 * other local routes. Records come from the bounded history read
 * (record-history.ts), pending ones from the approvals index.
 */
export { consoleNav } from './app-support';
import type { RequestRecord } from '../../domain/records';
import { mayView } from '../../domain/use-cases/approvals/inbox';
import type { ApprovalSettings } from '../../domain/use-cases/approvals/settings';
import { overviewOf, type Overview } from '../../domain/use-cases/console/overview';
import { listRequests, parseRequestQuery, type RequestQuery } from '../../domain/use-cases/console/request-list';
import {
  appPath,
  consoleNav,
  jsonResponse,
  pageUser,
  settingsOf,
  signedInIdentity,
  wantsJson,
  type ApprovalAppDeps,
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
} from './app-support';
import { renderConsoleHome } from './console-page';
import { signedInApprover } from './inbox-routes';
import { queryString, renderRequestsPage } from './requests-page';
import { htmlResponse } from './security-headers';

type Viewer =
  | { kind: 'approver'; settings: ApprovalSettings; approver: Parameters<typeof mayView>[2] }
  /** `npm start` without a session, asking for JSON: every record, as the other local inspection routes. */
  | { kind: 'local-inspection'; settings: ApprovalSettings };

async function viewerOf(deps: ApprovalAppDeps, req: ApprovalHttpRequest, returnTo: string): Promise<Viewer | { response: ApprovalHttpResponse }> {
  const json = wantsJson(req);
  if (json && deps.anonymousRecordJson && !(await signedInIdentity(deps, req))) return { kind: 'local-inspection', settings: await settingsOf(deps) };
  const who = await signedInApprover(deps, req, returnTo, !json);
  if ('response' in who) return who;
  return { kind: 'approver', settings: who.settings, approver: who.approver };
}

function visibleTo(viewer: Viewer): (record: RequestRecord) => boolean {
  return viewer.kind === 'approver' ? (record) => mayView(record, viewer.settings, viewer.approver) : () => true;
}

async function visibleHistory(deps: ApprovalAppDeps, viewer: Viewer): Promise<{ records: RequestRecord[]; truncated: boolean }> {
  if (!deps.history) return { records: [], truncated: false };
  const { records, truncated } = await deps.history.receivedBetween({});
  return { records: records.filter(visibleTo(viewer)), truncated };
}

/** The home page's figures for whoever may see them (also the local index's `overview`). */
export async function consoleOverview(deps: ApprovalAppDeps, viewer: Viewer): Promise<{ overview: Overview; truncated: boolean }> {
  const now = deps.clock.now();
  const [open, history] = await Promise.all([deps.approvals.listOpen(), visibleHistory(deps, viewer)]);
  const overview = overviewOf({ open: open.filter(visibleTo(viewer)), records: history.records, now, escalation: viewer.settings.escalation });
  return { overview, truncated: history.truncated };
}

export async function localOverviewJson(deps: ApprovalAppDeps): Promise<Overview> {
  return (await consoleOverview(deps, { kind: 'local-inspection', settings: await settingsOf(deps) })).overview;
}

export async function showConsoleHome(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const viewer = await viewerOf(deps, req, '/');
  if ('response' in viewer) return viewer.response;
  const { overview, truncated } = await consoleOverview(deps, viewer);
  if (wantsJson(req)) return jsonResponse(200, { ...overview, truncated });
  if (viewer.kind !== 'approver') throw new Error('an HTML page needs a signed-in approver');
  const requests = appPath(deps, 'requests');
  const body = renderConsoleHome({
    overview,
    truncated,
    user: pageUser(viewer.approver),
    nav: consoleNav(deps, 'home'),
    requestsUrl: (query) => `${requests}${queryString(query)}`,
    requestUrl: (id) => appPath(deps, `requests/${encodeURIComponent(id)}`),
    ...(viewer.approver.departments ? { scope: `requests of ${viewer.approver.departments.join(', ')}` } : {}),
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body);
}

export async function showRequestList(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const parsed = parseRequestQuery(req.query);
  const returnTo = `/requests${queryString('query' in parsed ? parsed.query : {})}`;
  const viewer = await viewerOf(deps, req, returnTo);
  if ('response' in viewer) return viewer.response;
  if ('problems' in parsed && wantsJson(req)) return jsonResponse(400, { error: parsed.problems.join('; ') });
  const query: RequestQuery = 'query' in parsed ? parsed.query : { page: 1 };
  const { records, truncated } = await visibleHistory(deps, viewer);
  const list = listRequests(records, query);
  if (wantsJson(req)) {
    return jsonResponse(200, { query, total: list.total, page: query.page, pages: list.pages, truncated, facets: list.facets, requests: list.records });
  }
  if (viewer.kind !== 'approver') throw new Error('an HTML page needs a signed-in approver');
  const body = renderRequestsPage({
    list,
    truncated,
    user: pageUser(viewer.approver),
    nav: consoleNav(deps, 'requests'),
    action: appPath(deps, 'requests'),
    requestUrl: (id) => appPath(deps, `requests/${encodeURIComponent(id)}`),
    ...('problems' in parsed ? { problems: parsed.problems } : {}),
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body, { statusCode: 'problems' in parsed ? 400 : 200 });
}
