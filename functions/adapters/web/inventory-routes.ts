/**
 * `GET /inventory` and `GET /inventory/{app}`, behind the same sign-in as the
 * inbox: HTML for browsers, JSON to `Accept: application/json`. An approver
 * who covers only some departments sees the apps of those departments and
 * only their people. Locally the JSON is open without a session, like the
 * request JSON (the CLI reads it from a running runtime).
 */
import type { InventoryView } from '../../domain/ports/app-inventory';
import {
  appPath,
  consoleNav,
  jsonResponse,
  pageUser,
  signedInIdentity,
  type ApprovalAppDeps,
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
} from './app-support';
import { signedInApprover } from './inbox-routes';
import { renderAppPage, renderInventoryPage, type AppDetail } from './inventory-pages';
import { notFoundPage } from './app-support';
import { htmlResponse } from './security-headers';

function wantsJson(req: ApprovalHttpRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

/** The signed-in approver's departments (undefined: every department), or the response for someone who is not signed in. */
async function viewer(deps: ApprovalAppDeps, req: ApprovalHttpRequest, returnTo: string) {
  const json = wantsJson(req);
  if (json && deps.anonymousRecordJson && !(await signedInIdentity(deps, req))) return { covered: undefined, user: undefined };
  const who = await signedInApprover(deps, req, returnTo, !json);
  if ('response' in who) return { response: who.response };
  return { covered: who.approver.departments?.map((d) => d.toLowerCase()), user: pageUser(who.approver), departments: who.approver.departments };
}

const covers = (covered: string[] | undefined, department: string | undefined) =>
  !covered || (department !== undefined && covered.includes(department.toLowerCase()));

export async function showInventory(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const view = deps.inventory;
  if (!view) return notFoundPage();
  const who = await viewer(deps, req, '/inventory');
  if ('response' in who && who.response) return who.response;
  const department = (req.query.department ?? '').trim().slice(0, 100) || undefined;
  const all = await view.list();
  const visible = all.filter((app) => !who.covered || app.departments.some((d) => covers(who.covered, d)));
  const apps = department ? visible.filter((app) => app.departments.some((d) => d.toLowerCase() === department.toLowerCase())) : visible;
  if (wantsJson(req)) return jsonResponse(200, { count: apps.length, ...(department ? { department } : {}), apps });
  const departments = [...new Map(visible.flatMap((a) => a.departments).map((d) => [d.toLowerCase(), d])).values()]
    .filter((d) => covers(who.covered, d))
    .sort((a, b) => a.localeCompare(b));
  return htmlResponse(
    renderInventoryPage({
      user: who.user!,
      apps,
      department,
      departments,
      appHref: (key) => appPath(deps, `inventory/${encodeURIComponent(key)}`),
      requestHref: (id) => appPath(deps, `requests/${encodeURIComponent(id)}`),
      listHref: appPath(deps, 'inventory'),
      nav: consoleNav(deps, 'inventory'),
      ...(who.departments ? { coveredDepartments: who.departments } : {}),
      ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
    }),
  );
}

export async function showApp(deps: ApprovalAppDeps, req: ApprovalHttpRequest, appKey: string): Promise<ApprovalHttpResponse> {
  const view: InventoryView | undefined = deps.inventory;
  if (!view) return notFoundPage();
  const who = await viewer(deps, req, `/inventory/${encodeURIComponent(appKey)}`);
  if ('response' in who && who.response) return who.response;
  const found = await view.app(appKey, { usersLimit: 500 });
  const visible = found && (!who.covered || found.departments.some((d) => covers(who.covered, d)) || found.departments.length === 0);
  if (!found || !visible) {
    if (wantsJson(req)) return jsonResponse(404, { error: `no app "${appKey}" in the inventory`, hint: 'app keys are listed by GET /inventory' });
    return notFoundPage();
  }
  const people = found.people.filter((p) => covers(who.covered, p.department));
  const app: AppDetail = { ...found, people };
  const hiddenPeople = found.people.length - people.length;
  if (wantsJson(req)) return jsonResponse(200, app);
  const review = found.review ? await deps.approvals.load(found.review.recordId) : undefined;
  return htmlResponse(
    renderAppPage({
      user: who.user!,
      app,
      ...(review ? { reviewStatus: review.record.approval.status.replace(/-/g, ' ') } : {}),
      requestHref: (id) => appPath(deps, `requests/${encodeURIComponent(id)}`),
      listHref: appPath(deps, 'inventory'),
      nav: consoleNav(deps, 'inventory'),
      ...(hiddenPeople > 0 ? { hiddenPeople } : {}),
      ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
    }),
  );
}
