/**
 * `GET /renewals` (the calendar, for signed-in approvers; JSON unless the
 * browser asks for HTML) and `GET` / `POST /renewals/act` (the page an
 * owner's renewal link opens, and its form). As with decision links, the GET
 * only reads (mail scanners fetch every link) and sets the form's CSRF
 * cookie; the POST checks token, expiry, cookie and field, then records the
 * decision with a conditional put, so a renewal is decided once.
 */
import { parseWithinDays } from '../../domain/renewals/ack';
import { RENEWAL_ACTIONS, type RenewalAction } from '../../domain/renewals/schedule';
import { renewalCalendarView } from '../../domain/use-cases/renewals/guard';
import { DecisionLinkSigner, newCsrfSessionValue } from '../security/decision-link-signer';
import { RenewalLinkSigner, type RenewalLinkClaims } from '../security/renewal-link-signer';
import {
  appPath,
  consoleNav,
  cookieLifetime,
  isSecure,
  jsonResponse,
  refusalPage,
  signedInIdentity,
  type ApprovalAppDeps,
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
} from './app-support';
import { refusalForToken } from './decision-page';
import { parseUrlEncodedForm } from './forms';
import { signedInApprover } from './inbox-routes';
import { renderMessagePage } from './page-layout';
import { renderRenewalActionPage, renderRenewalCalendar, renderRenewalRecordedPage } from './renewal-page';
import { csrfCookie, csrfCookieName, htmlResponse, readCookie } from './security-headers';

export async function showRenewalCalendar(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const wantsHtml = /\btext\/html\b/i.test(req.headers.accept ?? '');
  const within = parseWithinDays(req.query.within);
  if (within === undefined) {
    const message = 'within must be a number of days from 1 to 1830, such as 120 or 120d';
    return wantsHtml ? htmlResponse(renderMessagePage({ title: 'Bad request', message }), { statusCode: 400 }) : jsonResponse(400, { error: message });
  }
  // Locally the JSON is open for inspection (`guardrail renewals`), as the local runtime's other inspection routes are.
  const anonymousJson = !wantsHtml && deps.anonymousRecordJson === true && !(await signedInIdentity(deps, req));
  const who = anonymousJson
    ? undefined
    : await signedInApprover(deps, req, `/renewals${req.query.within ? `?within=${encodeURIComponent(req.query.within)}` : ''}`, wantsHtml);
  if (who && 'response' in who) return who.response;
  const rows = await renewalCalendarView(deps, now, within);
  if (!wantsHtml || !who) {
    return jsonResponse(200, {
      today: now.toISOString().slice(0, 10),
      withinDays: within,
      renewals: rows.map(({ renewal, history, standing }) => ({ ...renewal, standing, steps: history.steps, decision: history.decision ?? null })),
    });
  }
  const { approver } = who;
  const user = { email: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier };
  return htmlResponse(
    renderRenewalCalendar({
      user,
      rows,
      today: now.toISOString().slice(0, 10),
      withinDays: within,
      nav: consoleNav(deps, 'renewals'),
      ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
    }),
  );
}

type Verified = { claims: RenewalLinkClaims; signer: DecisionLinkSigner } | { response: ApprovalHttpResponse };

async function verifiedLink(deps: ApprovalAppDeps, token: unknown): Promise<Verified> {
  const verified = await new RenewalLinkSigner(deps.keys).verify(token, deps.clock.now());
  if (!verified.ok) return { response: await refusalPage(deps, refusalForToken(verified.reason)) };
  // Owners need not be approvers, so no sign-in is asked for even with an identity provider: the link,
  // bound to this owner, renewal and expiry, is the credential (see infra's owner-link routes).
  return { claims: verified.claims, signer: await DecisionLinkSigner.fromProvider(deps.keys) };
}

async function renewalFor(deps: ApprovalAppDeps, claims: RenewalLinkClaims) {
  const rows = await renewalCalendarView(deps, deps.clock.now());
  return rows.find((r) => r.renewal.key === claims.rk && r.renewal.renewalDate === claims.rd);
}

const renewalGone = () =>
  htmlResponse(
    renderMessagePage({
      title: 'Renewal not found',
      message: 'This renewal is no longer on the calendar (its date has passed or the agreement was removed). Nothing was recorded.',
    }),
    { statusCode: 404 },
  );

export async function openRenewalAction(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const link = await verifiedLink(deps, req.query.token);
  if ('response' in link) return link.response;
  const { claims, signer } = link;
  const row = await renewalFor(deps, claims);
  if (!row) return renewalGone();
  if (row.history.decision) {
    const page = renderRenewalRecordedPage({ renewal: row.renewal, history: row.history, recordedNow: false });
    return htmlResponse(page.html, { statusCode: page.statusCode });
  }
  const session = newCsrfSessionValue();
  const expiresAt = new Date(claims.exp * 1000);
  const body = renderRenewalActionPage({
    renewal: row.renewal,
    owner: claims.sub,
    token: req.query.token as string,
    csrfToken: signer.issueCsrfToken(claims.jti, session),
    formAction: appPath(deps, 'renewals/act'),
    preselected: claims.act,
    linkExpiresAt: expiresAt,
  });
  return htmlResponse(body, { cookies: [csrfCookie(claims.jti, session, { secure: isSecure(deps), maxAgeSeconds: cookieLifetime(expiresAt, now) })] });
}

export async function submitRenewalAction(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const form = parseUrlEncodedForm(req.body, { contentType: req.headers['content-type'], isBase64Encoded: req.isBase64Encoded });
  if (!form.ok) return refusalPage(deps, 'bad-form', { detail: form.problem });
  const fields = form.value;
  const action = fields.get('action') as RenewalAction | undefined;
  if (!action || !RENEWAL_ACTIONS.includes(action)) return refusalPage(deps, 'bad-form', { detail: `Choose one of ${RENEWAL_ACTIONS.join(', ')}.` });
  const note = (fields.get('note') ?? '').trim().replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (note.length > 1000) return refusalPage(deps, 'bad-form', { detail: 'The note is longer than 1,000 characters.' });
  const link = await verifiedLink(deps, fields.get('token'));
  if ('response' in link) return link.response;
  const { claims, signer } = link;
  const secure = isSecure(deps);
  if (!signer.verifyCsrfToken(fields.get('csrf'), claims.jti, readCookie(req.cookies, csrfCookieName(claims.jti, secure)))) return refusalPage(deps, 'csrf');
  const row = await renewalFor(deps, claims);
  if (!row) return renewalGone();
  const decision = { action, by: claims.sub, at: now.toISOString(), via: 'link' as const, ...(note ? { note } : {}) };
  const recorded = await deps.renewals.recordDecision(claims.rk, claims.rd, decision);
  const history = recorded ? { ...row.history, decision } : await deps.renewals.history(claims.rk, claims.rd);
  deps.logger?.info('Renewal decision', { key: claims.rk, renewalDate: claims.rd, action, recorded });
  const page = renderRenewalRecordedPage({ renewal: row.renewal, history, recordedNow: recorded });
  const clearCsrf = `${csrfCookieName(claims.jti, secure)}=; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}; Max-Age=0`;
  return htmlResponse(page.html, { statusCode: page.statusCode, cookies: [clearCsrf] });
}
