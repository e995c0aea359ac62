/**
 * The pages for a signed-in approver: `GET /inbox` (pending requests, soonest
 * signing date first, each with a fresh decision link of their own) and
 * `GET /requests/{id}` (HTML for browsers, JSON otherwise). Who is signed in
 * comes from the caller: the JWT claims API Gateway verified, or the local
 * session.
 */
import { requestSummaryOf, type RequestSummary } from '../../domain/approvals';
import { actingApprover, decisionLinkExpiry, type ApprovalSettings } from '../../domain/use-cases/approvals/settings';
import { DecisionLinkSigner } from '../security/decision-link-signer';
import {
  appPath,
  baseUrl,
  jsonResponse,
  pageUser,
  redirect,
  refusalPage,
  settingsOf,
  type ApprovalAppDeps,
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
} from './app-support';
import { renderInboxPage } from './inbox-page';
import { renderMessagePage } from './page-layout';
import { renderRequestPage } from './request-page';
import { htmlResponse } from './security-headers';

export async function showInbox(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const who = await signedInApprover(deps, req, '/inbox');
  if ('response' in who) return who.response;
  const { approver, settings } = who;
  const records = await deps.approvals.listOpen();
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

export async function showRequest(deps: ApprovalAppDeps, req: ApprovalHttpRequest, recordId: string): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const wantsHtml = /\btext\/html\b/i.test(req.headers.accept ?? '');
  if (!wantsHtml && deps.anonymousRecordJson) return recordJson(deps, recordId);
  const who = await signedInApprover(deps, req, `/requests/${encodeURIComponent(recordId)}`, wantsHtml);
  if ('response' in who) return who.response;
  if (!wantsHtml) return recordJson(deps, recordId);
  const { approver, settings } = who;
  const loaded = await deps.approvals.load(recordId);
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
  const loaded = await deps.approvals.load(recordId);
  if (!loaded) {
    return jsonResponse(404, {
      error: `no request record "${recordId}"`,
      hint: 'requests are stored as "<source>:<the source\'s id>" (coupa:4822, form:<form name>:<id>, okta:<event id>; "bus:<requestId>" when put on the bus without a source); URL-encode the ":" as %3A',
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
export async function signedInApprover(deps: ApprovalAppDeps, req: ApprovalHttpRequest, returnTo: string, html = true): Promise<SignedIn> {
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

