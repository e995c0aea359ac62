/**
 * What every route of the approvers' web app shares: the request and
 * response shapes, the app's dependencies, and the answers built from them
 * (refusal, not found, 405, redirect, JSON) and the app's own URLs.
 */
import type { ApproverTier, RequestSummary, SignedInIdentity } from '../../domain/approvals';
import { approvalSettingsOf, type ApprovalSettings } from '../../domain/use-cases/approvals/settings';
import type { ApprovalDeps } from '../../domain/use-cases/approvals/deps';
import type { InventoryView } from '../../domain/ports/app-inventory';
import type { RecordHistory } from '../../domain/ports/outreach';
import { decisionBaseUrl, type KeyringSource } from '../security/decision-link-signer';
import { renderResultPage, type ResultRefusal } from './decision-page';
import type { LocalSessions } from './local-session';
import { consoleNavLinks, renderMessagePage, type ConsoleNav, type ConsoleSection, type PageUser } from './page-layout';
import { SECURITY_HEADERS, htmlResponse, type HtmlResponse } from './security-headers';

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
  /**
   * Who is signed in, as the identity provider's verified token says
   * (deployed, on the routes behind the JWT authorizer); absent locally,
   * where the local session says it. Only a verified address is given as `email`.
   */
  identity?: SignedInIdentity;
}

export type ApprovalHttpResponse = HtmlResponse;

export interface ApprovalAppDeps extends ApprovalDeps {
  /** Records by arrival time, for the IT console (`/`, `/requests`); without it those pages are not served. */
  history?: RecordHistory;
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
   * Deployed with an identity provider: `POST /decide` also needs a
   * signed-in approver who is the link's approver (the link alone is not
   * enough). Without one (`npm start` without a session) the link decides
   * by itself; with a local session the match is enforced all the same.
   */
  decisionsNeedSignIn?: boolean;
  /**
   * Whether `GET /requests/{id}` answers JSON without a signed-in approver.
   * Only the local runtime sets it (its other inspection routes are open
   * too, on 127.0.0.1); deployed, the route sits behind the JWT authorizer.
   */
  anonymousRecordJson?: boolean;
  /** The app inventory's read side (`/inventory`); without it those pages answer 404. */
  inventory?: InventoryView;
}

/** Who is signed in: the identity provider's verified token (deployed), or the local session (`npm start`). */
export async function signedInIdentity(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<SignedInIdentity | undefined> {
  if (req.identity) return req.identity;
  if (!deps.localSessions) return undefined;
  const session = await deps.localSessions.read(req.cookies, deps.clock.now());
  return session ? { email: session.email, localSignIn: true } : undefined;
}

/** A signed-in identity in words, for pages and the audit trail. */
export function identityLabel(identity: SignedInIdentity): string {
  return identity.email ?? identity.name ?? (identity.subject ? `subject ${identity.subject.slice(0, 64)}` : 'an unnamed account');
}

export async function settingsOf(deps: ApprovalAppDeps): Promise<ApprovalSettings> {
  return approvalSettingsOf((await deps.policy.current()).policy);
}

export function baseUrl(deps: ApprovalAppDeps): URL {
  return decisionBaseUrl(typeof deps.baseUrl === 'function' ? deps.baseUrl() : deps.baseUrl);
}

/** A same-origin path under the app's base (`/decide`, or `/prefix/decide` behind a mapped base path). */
export function appPath(deps: ApprovalAppDeps, page: string): string {
  return new URL(page, baseUrl(deps)).pathname;
}

/** The console navigation of this app (Outbox only locally), marking the current section. */
export function consoleNav(deps: ApprovalAppDeps, current?: ConsoleSection): ConsoleNav {
  return { links: consoleNavLinks((page) => appPath(deps, page), { outbox: deps.localSessions !== undefined }), ...(current ? { current } : {}) };
}

/** JSON only when asked for without HTML (a browser's Accept names text/html). */
export function wantsJson(req: ApprovalHttpRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

export function inboxLink(deps: ApprovalAppDeps): string | undefined {
  return deps.inboxEnabled === false ? undefined : appPath(deps, 'inbox');
}

export function isSecure(deps: ApprovalAppDeps): boolean {
  return baseUrl(deps).protocol === 'https:';
}

export function cookieLifetime(expiresAt: Date, now: Date): number {
  // The form is good while the page is open; an hour, or less if the link expires sooner.
  return Math.max(60, Math.min(3600, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)));
}

export function pageUser(approver: { email: string; name?: string; tier: ApproverTier }): PageUser {
  return { email: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier };
}

export async function refusalPage(
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

export function notFoundPage(): ApprovalHttpResponse {
  return htmlResponse(renderMessagePage({ title: 'Page not found', message: 'There is no page at this address.' }), { statusCode: 404 });
}

export function notAllowed(allow: string[]): ApprovalHttpResponse {
  return htmlResponse(renderMessagePage({ title: 'Method not allowed', message: `Use ${allow.join(' or ')}.` }), {
    statusCode: 405,
    headers: { Allow: allow.join(', ') },
  });
}

/** 303 to one of this app's pages (a path with an optional query), with cookies to set. */
export function redirect(deps: ApprovalAppDeps, to: string, cookies: string[] = []): ApprovalHttpResponse {
  const url = new URL(to.replace(/^\//, ''), baseUrl(deps));
  return htmlResponse('', { statusCode: 303, headers: { Location: `${url.pathname}${url.search}` }, cookies });
}

export function jsonResponse(statusCode: number, body: unknown): ApprovalHttpResponse {
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

export function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
