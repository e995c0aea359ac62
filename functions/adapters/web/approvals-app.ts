/**
 * The approvers' web app, independent of how requests arrive: the Lambda
 * behind API Gateway (HTTP API, payload v2) and the local runtime both turn
 * their request into an {@link ApprovalHttpRequest} and send back the
 * {@link ApprovalHttpResponse}. This module is its route table; the routes
 * live by job: decision-routes.ts (the page a link opens and its form),
 * inbox-routes.ts (inbox and request pages, signed in), sign-in-routes.ts
 * (`npm start` only). Every outside value reaches HTML through the escaping
 * page templates.
 */
import { errorMessage } from '../../domain/errors';
import { notAllowed, notFoundPage, redirect, type ApprovalAppDeps, type ApprovalHttpRequest, type ApprovalHttpResponse } from './app-support';
import { openDecisionPage, submitDecision } from './decision-routes';
import { HttpRouter } from './http-router';
import { showConsoleHome, showRequestList } from './console-routes';
import { showInbox, showRequest } from './inbox-routes';
import { showApp, showInventory } from './inventory-routes';
import { renderMessagePage } from './page-layout';
import { openRenewalAction, showRenewalCalendar, submitRenewalAction } from './renewal-routes';
import { htmlResponse } from './security-headers';
import { signIn, signInPage, signOut } from './sign-in-routes';

export type { ApprovalAppDeps, ApprovalHttpRequest, ApprovalHttpResponse } from './app-support';

/** Handles one request. Never throws: unexpected errors become a plain 500 page (details only in the log). */
export async function handleApprovalRequest(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  try {
    return await route(deps, req);
  } catch (error) {
    deps.logger?.error('Approvals app failed', { method: req.method, path: req.path, error: errorMessage(error) });
    return htmlResponse(
      renderMessagePage({ title: 'Something went wrong', message: 'Nothing was changed. Try again in a minute; if it keeps failing, tell IT.' }),
      {
        statusCode: 500,
      },
    );
  }
}

type Handle = (deps: ApprovalAppDeps, req: ApprovalHttpRequest, params: Record<string, string>) => Promise<ApprovalHttpResponse> | ApprovalHttpResponse;

interface AppRoute {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  handle: Handle;
}

const DECISION_ROUTES: readonly AppRoute[] = [
  { method: 'GET', path: '/decide', summary: 'decision page a link opens (reads only: never decides)', handle: (deps, req) => openDecisionPage(deps, req) },
  {
    method: 'POST',
    path: '/decide',
    summary: 'record a decision from the page (CSRF-protected, link works once)',
    handle: (deps, req) => submitDecision(deps, req),
  },
  { method: 'GET', path: '/renewals/act', summary: "the page an owner's renewal link opens (reads only)", handle: (deps, req) => openRenewalAction(deps, req) },
  {
    method: 'POST',
    path: '/renewals/act',
    summary: 'record renew / renegotiate / cancel for a renewal (CSRF-protected, once per renewal)',
    handle: (deps, req) => submitRenewalAction(deps, req),
  },
];

/** Only when the inbox is served (deployed: with an identity provider). */
const INBOX_ROUTES: readonly AppRoute[] = [
  { method: 'GET', path: '/inbox', summary: 'pending requests for the signed-in approver, by signing date', handle: (deps, req) => showInbox(deps, req) },
  {
    method: 'GET',
    path: '/requests/:id',
    summary: 'a request with its history (HTML for browsers, JSON otherwise)',
    handle: (deps, req, params) => showRequest(deps, req, params.id),
  },
  {
    method: 'GET',
    path: '/renewals',
    summary: 'renewal calendar: notice deadlines, seats, prices, owners (?within=120d; HTML for browsers, JSON otherwise)',
    handle: (deps, req) => showRenewalCalendar(deps, req),
  },
  {
    method: 'GET',
    path: '/inventory',
    summary: 'every app in use: people, departments, how connected, risk, review (HTML or JSON)',
    handle: (deps, req) => showInventory(deps, req),
  },
  {
    method: 'GET',
    path: '/inventory/:app',
    summary: 'one app with the people using it and its review (HTML or JSON)',
    handle: (deps, req, params) => showApp(deps, req, params.app),
  },
];

/** Only with LocalSessions (`npm start`). */
const SIGN_IN_ROUTES: readonly AppRoute[] = [
  {
    method: 'GET',
    path: '/sign-in',
    summary: 'local sign-in page (npm start only; deployed, the identity provider signs in)',
    handle: (deps, req) => signInPage(deps, req),
  },
  { method: 'POST', path: '/sign-in', summary: 'sign in as an approver from the policy directory (local only)', handle: (deps, req) => signIn(deps, req) },
  { method: 'POST', path: '/sign-out', summary: 'end the local session', handle: (deps) => signOut(deps) },
];

/** The IT console, with the inbox (it needs the record history: without one `/` is the inbox). */
const CONSOLE_ROUTES: readonly AppRoute[] = [
  {
    method: 'GET',
    path: '/',
    summary: 'IT console: pending by deadline, decisions this week, new apps, spend by department',
    handle: (deps, req) => showConsoleHome(deps, req),
  },
  {
    method: 'GET',
    path: '/requests',
    summary: 'IT console: every request, filtered (?kind, outcome, status, department, source), searched (?q), paginated (?page)',
    handle: (deps, req) => showRequestList(deps, req),
  },
];

const HOME_ROUTE: AppRoute = { method: 'GET', path: '/', summary: 'the inbox', handle: (deps) => redirect(deps, '/inbox') };

const summaryOf = ({ method, path, summary }: AppRoute) => ({ method, path, summary });
/** The routes this app answers, for the local runtime's route table and the API's routes. */
export const APPROVAL_ROUTES = [...DECISION_ROUTES, ...INBOX_ROUTES].map(summaryOf);
/** The console's routes (served with the inbox when the record history is given). */
export const CONSOLE_APP_ROUTES = CONSOLE_ROUTES.map(summaryOf);
/** Local sign-in routes (only with LocalSessions). */
export const LOCAL_SIGN_IN_ROUTES = SIGN_IN_ROUTES.map(summaryOf);

/** One router per combination of optional route groups (at most eight), built on first use. */
const routers = new Map<string, HttpRouter<AppRoute>>();

function routerFor(deps: ApprovalAppDeps): HttpRouter<AppRoute> {
  const inbox = deps.inboxEnabled !== false;
  const signIn = deps.localSessions !== undefined;
  const withConsole = inbox && deps.history !== undefined;
  const key = `${inbox}/${signIn}/${withConsole}`;
  let router = routers.get(key);
  if (!router) {
    const home = withConsole ? CONSOLE_ROUTES : inbox ? [HOME_ROUTE] : [];
    router = new HttpRouter([...DECISION_ROUTES, ...(inbox ? INBOX_ROUTES : []), ...home, ...(signIn ? SIGN_IN_ROUTES : [])]);
    routers.set(key, router);
  }
  return router;
}

async function route(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const match = routerFor(deps).match(req.method, req.path);
  if (match.status === 'method-not-allowed') return notAllowed(match.allow);
  if (match.status === 'not-found') return notFoundPage();
  return match.route.handle(deps, req, match.params);
}
