/**
 * The approvers' web app, independent of how requests arrive: the Lambda
 * behind API Gateway (HTTP API, payload v2) and the local runtime both turn
 * their request into an {@link ApprovalHttpRequest} and send back the
 * {@link ApprovalHttpResponse}. Routes:
 *
 * - `GET /decide?token=…`: the page a decision link opens. Reads only: mail
 *   scanners fetch every link, so a GET never decides, spends a link or
 *   writes anything; it sets the form's CSRF cookie and shows the request,
 *   the findings, suggestions, history and the decision form.
 * - `POST /decide`: the form. Token (signature, expiry), CSRF (cookie and
 *   field), then the decision use case (rules, single use, conditional write).
 * - `GET /inbox`: pending requests for a signed-in approver, soonest signing
 *   date first, each with a fresh decision link of their own.
 * - `GET /requests/{id}`: the request with its history; HTML for browsers
 *   (`Accept: text/html`), JSON otherwise.
 * - Local sign-in (`GET/POST /sign-in`, `POST /sign-out`) when the app is
 *   built with {@link LocalSessions} (`npm start` only).
 *
 * Signed-in identity comes from the caller: the JWT claims API Gateway
 * verified, or the local session. Every outside value reaches HTML through
 * the escaping page templates.
 */
import {
  APPROVER_ACTIONS,
  authorizeApproverAction,
  requestSummaryOf,
  requesterEmailsOf,
  type ApproverAction,
  type ApproverTier,
  type RequestSummary,
} from '../../domain/approvals';
import {
  actingApprover,
  approvalSettingsOf,
  decideRequest,
  decisionLinkExpiry,
  type ApprovalDeps,
  type ApprovalSettings,
} from '../../domain/approval-service';
import type { RequestRecord } from '../../domain/ports';
import { errorMessage } from '../../domain/errors';
import { DecisionLinkSigner, decisionBaseUrl, newCsrfSessionValue, type KeyringSource } from '../security/decision-link-signer';
import { parseDecisionForm, parseSignInForm } from './forms';
import { HttpRouter } from './http-router';
import type { LocalSessions } from './local-session';
import {
  refusalForApproval,
  refusalForToken,
  renderDecisionPage,
  renderInboxPage,
  renderMessagePage,
  renderRequestPage,
  renderResultPage,
  renderSignInPage,
  type PageUser,
  type ResultRefusal,
} from './pages';
import { SECURITY_HEADERS, csrfCookie, csrfCookieName, htmlResponse, readCookie, type HtmlResponse } from './security-headers';

export interface ApprovalHttpRequest {
  method: string;
  /** Path below the app's base URL, starting with `/` (`/decide`, `/requests/PR-1`). */
  path: string;
  query: Record<string, string | undefined>;
  /** Header names in lower case (HTTP API v2 and node:http both give them so). */
  headers: Record<string, string | undefined>;
  /** The `Cookie` header, or API Gateway's `cookies` list. */
  cookies?: string | readonly string[];
  body?: string;
  isBase64Encoded?: boolean;
  /** Who is signed in, as the identity provider's verified token says (deployed); absent locally. */
  identity?: { email: string; name?: string };
}

export type ApprovalHttpResponse = HtmlResponse;

export interface ApprovalAppDeps extends ApprovalDeps {
  /** Keys for link tokens and CSRF values (the same keyring that signs the links). */
  keys: KeyringSource;
  /** The app's public base URL: `https://…/` deployed, `http://127.0.0.1:<port>/` locally. */
  baseUrl: string | (() => string);
  /** Local sign-in (`npm start`). Never set deployed: there the identity provider signs people in. */
  localSessions?: LocalSessions;
  /**
   * Whether the inbox and request pages are served (deployed only when an
   * identity provider is configured). Default true.
   */
  inboxEnabled?: boolean;
  /**
   * Whether `GET /requests/{id}` answers JSON without a signed-in approver.
   * Only the local runtime sets it (its other inspection routes are open
   * too, on 127.0.0.1); deployed, the route sits behind the JWT authorizer.
   */
  anonymousRecordJson?: boolean;
}

/** Handles one request. Never throws: unexpected errors become a plain 500 page (details only in the log). */
export async function handleApprovalRequest(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  try {
    return await route(deps, req);
  } catch (error) {
    deps.logger?.error('Approvals app failed', { method: req.method, path: req.path, error: errorMessage(error) });
    return htmlResponse(renderMessagePage({ title: 'Something went wrong', message: 'Nothing was changed. Try again in a minute; if it keeps failing, tell IT.' }), {
      statusCode: 500,
    });
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
  { method: 'POST', path: '/decide', summary: 'record a decision from the page (CSRF-protected, link works once)', handle: (deps, req) => submitDecision(deps, req) },
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

const HOME_ROUTE: AppRoute = { method: 'GET', path: '/', summary: 'the inbox', handle: (deps) => redirect(deps, '/inbox') };

const summaryOf = ({ method, path, summary }: AppRoute) => ({ method, path, summary });
/** The routes this app answers, for the local runtime's route table and the API's routes. */
export const APPROVAL_ROUTES = [...DECISION_ROUTES, ...INBOX_ROUTES].map(summaryOf);
/** Local sign-in routes (only with LocalSessions). */
export const LOCAL_SIGN_IN_ROUTES = SIGN_IN_ROUTES.map(summaryOf);

/** One router per combination of optional route groups (at most four), built on first use. */
const routers = new Map<string, HttpRouter<AppRoute>>();

function routerFor(deps: ApprovalAppDeps): HttpRouter<AppRoute> {
  const inbox = deps.inboxEnabled !== false;
  const signIn = deps.localSessions !== undefined;
  const key = `${inbox}/${signIn}`;
  let router = routers.get(key);
  if (!router) {
    router = new HttpRouter([...DECISION_ROUTES, ...(inbox ? [...INBOX_ROUTES, HOME_ROUTE] : []), ...(signIn ? SIGN_IN_ROUTES : [])]);
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

// ---------------------------------------------------------------------------
// Decision page
// ---------------------------------------------------------------------------

async function openDecisionPage(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const token = req.query.token;
  const signer = await DecisionLinkSigner.fromProvider(deps.keys, { forToken: token });
  const verified = await signer.verify(token, { now });
  if (!verified.ok) return refusalPage(deps, refusalForToken(verified.reason));
  const claims = verified.claims;
  const settings = await settingsOf(deps);
  const loaded = await deps.requests.loadApproval(claims.rid);
  if (!loaded) return refusalPage(deps, 'not-found');
  const { record } = loaded;
  const summary = requestSummaryOf(record, settings.escalation);
  if (await deps.requests.findTokenUse(claims.jti)) return refusalPage(deps, 'used', { request: summary });

  const approver = actingApprover(settings, claims.sub);
  const session = newCsrfSessionValue();
  const expiresAt = new Date(claims.exp * 1000);
  const body = renderDecisionPage({
    request: summary,
    approval: record.approval,
    history: await deps.audit.list(record.recordId),
    approver: pageUser(approver),
    token: token as string,
    csrfToken: signer.issueCsrfToken(claims.jti, session),
    ...(claims.act ? { preselected: claims.act } : {}),
    formAction: appPath(deps, 'decide'),
    now,
    linkExpiresAt: expiresAt,
    refusals: refusalsFor(record, approver, now),
  });
  return htmlResponse(body, { cookies: [csrfCookie(claims.jti, session, { secure: isSecure(deps), maxAgeSeconds: cookieLifetime(expiresAt, now) })] });
}

async function submitDecision(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const form = parseDecisionForm(req.body, { contentType: req.headers['content-type'], isBase64Encoded: req.isBase64Encoded });
  if (!form.ok) return refusalPage(deps, 'bad-form', { detail: capitalise(form.problem) });
  const { token, csrf, action, comment } = form.value;
  const signer = await DecisionLinkSigner.fromProvider(deps.keys, { forToken: token });
  const verified = await signer.verify(token, { now });
  if (!verified.ok) return refusalPage(deps, refusalForToken(verified.reason));
  const claims = verified.claims;
  const secure = isSecure(deps);
  const cookieValue = readCookie(req.cookies, csrfCookieName(claims.jti, secure));
  if (!signer.verifyCsrfToken(csrf, claims.jti, cookieValue)) return refusalPage(deps, 'csrf');

  const result = await decideRequest(deps, {
    recordId: claims.rid,
    approverEmail: claims.sub,
    action,
    comment,
    tokenId: claims.jti,
    tokenExpiresAt: new Date(claims.exp * 1000),
  });
  const settings = await settingsOf(deps);
  const approver = actingApprover(settings, claims.sub);
  const clearCsrf = csrfCookieName(claims.jti, secure) + `=; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}; Max-Age=0`;
  switch (result.status) {
    case 'recorded': {
      const page = renderResultPage({
        kind: 'recorded',
        action: result.step.action,
        request: requestSummaryOf(result.record, settings.escalation),
        approval: result.state,
        user: pageUser(approver),
        inboxUrl: inboxLink(deps),
      });
      return htmlResponse(page.html, { statusCode: page.statusCode, cookies: [clearCsrf] });
    }
    case 'invalid': {
      // A fixable form problem: the same page again, with the comment kept and the link not spent.
      const session = newCsrfSessionValue();
      const expiresAt = new Date(claims.exp * 1000);
      const body = renderDecisionPage({
        request: requestSummaryOf(result.record, settings.escalation),
        approval: result.record.approval,
        history: await deps.audit.list(result.record.recordId),
        approver: pageUser(approver),
        token,
        csrfToken: signer.issueCsrfToken(claims.jti, session),
        preselected: action,
        formAction: appPath(deps, 'decide'),
        now,
        linkExpiresAt: expiresAt,
        error: result.refusal.reason,
        comment,
        refusals: refusalsFor(result.record, approver, now),
      });
      return htmlResponse(body, { statusCode: 422, cookies: [csrfCookie(claims.jti, session, { secure, maxAgeSeconds: cookieLifetime(expiresAt, now) })] });
    }
    case 'refused':
      return refusalPage(deps, refusalForApproval(result.refusal.code) ?? 'bad-form', {
        detail: result.refusal.reason,
        request: requestSummaryOf(result.record, settings.escalation),
      });
    case 'used':
      return refusalPage(deps, 'used');
    case 'not-found':
      return refusalPage(deps, 'not-found');
    case 'conflict':
      return htmlResponse(
        renderMessagePage({
          title: 'The request changed while you were deciding',
          message: 'Nothing was recorded and your link still works. Open it again to see the latest state, then decide.',
        }),
        { statusCode: 409 },
      );
  }
}

/** Actions the rules would refuse this approver now, with the rule's own sentence (the page disables them). */
function refusalsFor(record: RequestRecord, approver: ReturnType<typeof actingApprover>, now: Date): Partial<Record<ApproverAction, string>> {
  const refusals: Partial<Record<ApproverAction, string>> = {};
  for (const action of APPROVER_ACTIONS) {
    const verdict = authorizeApproverAction({ state: record.approval, requesterEmail: requesterEmailsOf(record), approver, action, now });
    if (!verdict.ok) refusals[action] = verdict.reason;
  }
  return refusals;
}

// ---------------------------------------------------------------------------
// Inbox and request pages
// ---------------------------------------------------------------------------

async function showInbox(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const who = await signedInApprover(deps, req, '/inbox');
  if ('response' in who) return who.response;
  const { approver, settings } = who;
  const records = await deps.requests.listOpenApprovals();
  const signer = await DecisionLinkSigner.fromProvider(deps.keys);
  const entries = await Promise.all(
    records.map(async (record) => {
      const summary = requestSummaryOf(record, settings.escalation);
      return { summary, state: record.approval, href: await freshDecisionLink(deps, signer, record.recordId, approver.email, summary, settings, now) };
    }),
  );
  const body = renderInboxPage({
    user: pageUser(approver),
    entries,
    now,
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body);
}

async function showRequest(deps: ApprovalAppDeps, req: ApprovalHttpRequest, recordId: string): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const wantsHtml = /\btext\/html\b/i.test(req.headers.accept ?? '');
  if (!wantsHtml && deps.anonymousRecordJson) return recordJson(deps, recordId);
  const who = await signedInApprover(deps, req, `/requests/${encodeURIComponent(recordId)}`, wantsHtml);
  if ('response' in who) return who.response;
  if (!wantsHtml) return recordJson(deps, recordId);
  const { approver, settings } = who;
  const loaded = await deps.requests.loadApproval(recordId);
  if (!loaded) return refusalPage(deps, 'not-found', { user: pageUser(approver) });
  const { record } = loaded;
  const summary = requestSummaryOf(record, settings.escalation);
  const open = ['pending', 'info-requested', 'expired-undecided'].includes(record.approval.status);
  const signer = await DecisionLinkSigner.fromProvider(deps.keys);
  const body = renderRequestPage({
    request: summary,
    approval: record.approval,
    history: await deps.audit.list(recordId),
    user: pageUser(approver),
    now,
    inboxUrl: appPath(deps, 'inbox'),
    ...(open ? { decideUrl: await freshDecisionLink(deps, signer, recordId, approver.email, summary, settings, now) } : {}),
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body);
}

/** The stored record, its approval and its history, for tools and tests. */
async function recordJson(deps: ApprovalAppDeps, recordId: string): Promise<ApprovalHttpResponse> {
  const loaded = await deps.requests.loadApproval(recordId);
  if (!loaded) {
    return jsonResponse(404, {
      error: `no request record "${recordId}"`,
      hint: 'purchase requests are stored under their requestId; app events under "<source>:<sourceEventId>"',
    });
  }
  return jsonResponse(200, { ...loaded.record, history: await deps.audit.list(recordId) });
}

/** A decision link minted now for a signed-in approver (the inbox and the request page link to it). */
async function freshDecisionLink(
  deps: ApprovalAppDeps,
  signer: DecisionLinkSigner,
  recordId: string,
  approverEmail: string,
  summary: RequestSummary,
  settings: ApprovalSettings,
  now: Date,
): Promise<string> {
  const token = await signer.issue({ recordId, approverEmail, expiresAt: decisionLinkExpiry(summary.deadline, now, settings.links), now });
  const url = new URL('decide', baseUrl(deps));
  url.searchParams.set('token', token);
  return url.toString();
}

type SignedIn = { approver: ReturnType<typeof actingApprover>; settings: ApprovalSettings } | { response: ApprovalHttpResponse };

/** The signed-in approver, or the answer for someone who is not one (sign in, or "not an approver"). */
async function signedInApprover(deps: ApprovalAppDeps, req: ApprovalHttpRequest, returnTo: string, html = true): Promise<SignedIn> {
  const now = deps.clock.now();
  const identity = req.identity ?? (deps.localSessions ? await deps.localSessions.read(req.cookies, now) : undefined);
  if (!identity) {
    if (!html) return { response: jsonResponse(401, { error: 'sign in as an approver first' }) };
    if (deps.localSessions) return { response: redirect(deps, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`) };
    return { response: await refusalPage(deps, 'sign-in') };
  }
  const settings = await settingsOf(deps);
  const approver = actingApprover(settings, identity.email);
  if (approver.tier === 'none') {
    const message = `${identity.email} is not in the approver directory (approvals.approvers in the policy). Ask IT to add you.`;
    return {
      response: html
        ? htmlResponse(renderMessagePage({ title: 'Not an approver', message, user: { email: identity.email } }), { statusCode: 403 })
        : jsonResponse(403, { error: message }),
    };
  }
  return { approver, settings };
}

// ---------------------------------------------------------------------------
// Local sign-in
// ---------------------------------------------------------------------------

async function signInPage(deps: ApprovalAppDeps, req: ApprovalHttpRequest, error?: string, email?: string): Promise<ApprovalHttpResponse> {
  const sessions = deps.localSessions!;
  const csrf = sessions.newSignInCsrf();
  const returnTo = safeReturnTo(req.query.returnTo);
  const body = renderSignInPage({ action: appPath(deps, 'sign-in'), csrfToken: csrf.value, ...(returnTo ? { returnTo } : {}), ...(email ? { email } : {}), ...(error ? { error } : {}) });
  return htmlResponse(body, { statusCode: error ? 400 : 200, cookies: [csrf.cookie] });
}

async function signIn(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const sessions = deps.localSessions!;
  const form = parseSignInForm(req.body, { contentType: req.headers['content-type'], isBase64Encoded: req.isBase64Encoded });
  if (!form.ok) return signInPage(deps, req, capitalise(form.problem));
  if (!sessions.checkSignInCsrf(req.cookies, form.value.csrf)) {
    return signInPage(deps, { ...req, query: { returnTo: form.value.returnTo } }, 'The form could not be verified (cookies blocked, or it came from another site). Try again.', form.value.email);
  }
  const settings = await settingsOf(deps);
  const approver = settings.directory?.find(form.value.email);
  if (!approver) {
    return signInPage(
      deps,
      { ...req, query: { returnTo: form.value.returnTo } },
      `${form.value.email} is not in the approver directory (approvals.approvers in the policy).`,
      form.value.email,
    );
  }
  const cookie = await sessions.issue(approver.email, deps.clock.now());
  return redirect(deps, safeReturnTo(form.value.returnTo) ?? '/inbox', [cookie]);
}

function signOut(deps: ApprovalAppDeps): ApprovalHttpResponse {
  return redirect(deps, '/sign-in', [deps.localSessions!.clear()]);
}

/** Only this app's own pages: never an open redirect. */
function safeReturnTo(value: string | undefined): string | undefined {
  if (!value || !/^\/(inbox|requests\/[^/?#\\]+)$/.test(value)) return undefined;
  return value;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async function settingsOf(deps: ApprovalAppDeps): Promise<ApprovalSettings> {
  return approvalSettingsOf((await deps.policy.current()).policy);
}

function baseUrl(deps: ApprovalAppDeps): URL {
  return decisionBaseUrl(typeof deps.baseUrl === 'function' ? deps.baseUrl() : deps.baseUrl);
}

/** A same-origin path under the app's base (`/decide`, or `/prefix/decide` behind a mapped base path). */
function appPath(deps: ApprovalAppDeps, page: string): string {
  return new URL(page, baseUrl(deps)).pathname;
}

function inboxLink(deps: ApprovalAppDeps): string | undefined {
  return deps.inboxEnabled === false ? undefined : appPath(deps, 'inbox');
}

function isSecure(deps: ApprovalAppDeps): boolean {
  return baseUrl(deps).protocol === 'https:';
}

function cookieLifetime(expiresAt: Date, now: Date): number {
  // The form is good while the page is open; an hour, or less if the link expires sooner.
  return Math.max(60, Math.min(3600, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)));
}

function pageUser(approver: { email: string; name?: string; tier: ApproverTier }): PageUser {
  return { email: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier };
}

async function refusalPage(
  deps: ApprovalAppDeps,
  reason: ResultRefusal,
  extra: { detail?: string; request?: RequestSummary; user?: PageUser } = {},
): Promise<ApprovalHttpResponse> {
  const page = renderResultPage({
    kind: 'refused',
    reason,
    ...extra,
    inboxUrl: inboxLink(deps),
    ...(deps.localSessions ? { signInUrl: appPath(deps, 'sign-in') } : {}),
  });
  return htmlResponse(page.html, { statusCode: page.statusCode });
}

function notFoundPage(): ApprovalHttpResponse {
  return htmlResponse(renderMessagePage({ title: 'Page not found', message: 'There is no page at this address.' }), { statusCode: 404 });
}

function notAllowed(allow: string[]): ApprovalHttpResponse {
  return htmlResponse(renderMessagePage({ title: 'Method not allowed', message: `Use ${allow.join(' or ')}.` }), {
    statusCode: 405,
    headers: { Allow: allow.join(', ') },
  });
}

/** 303 to one of this app's pages (a path with an optional query), with cookies to set. */
function redirect(deps: ApprovalAppDeps, to: string, cookies: string[] = []): ApprovalHttpResponse {
  const url = new URL(to.replace(/^\//, ''), baseUrl(deps));
  return htmlResponse('', { statusCode: 303, headers: { Location: `${url.pathname}${url.search}` }, cookies });
}

function jsonResponse(statusCode: number, body: unknown): ApprovalHttpResponse {
  return {
    statusCode,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': SECURITY_HEADERS['Cache-Control'],
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
    body: `${JSON.stringify(body, null, 2)}\n`,
  };
}

function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
