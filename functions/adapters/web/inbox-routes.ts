/**
 * The pages for a signed-in approver: `GET /inbox` (what they may decide,
 * each with a fresh decision link of their own, and apart what they only
 * watch; see use-cases/approvals/inbox.ts) and `GET /requests/{id}` (HTML
 * for browsers, JSON otherwise; only for requests of departments they
 * cover). Who is signed in comes from the caller: the JWT claims API
 * Gateway verified, or the local session.
 */
import { requestSummaryOf, type RequestSummary } from '../../domain/approvals';
import { recordAliases } from '../../domain/use-cases/approvals/directory-aliases';
import { inboxPlaceOf, mayDecideSomething, mayView } from '../../domain/use-cases/approvals/inbox';
import { actingApprover, decisionLinkExpiry, type ApprovalSettings } from '../../domain/use-cases/approvals/settings';
import type { RequestRecord } from '../../domain/records';
import { DecisionLinkSigner } from '../security/decision-link-signer';
import {
  appPath,
  baseUrl,
  consoleNav,
  identityLabel,
  jsonResponse,
  pageUser,
  redirect,
  refusalPage,
  settingsOf,
  signedInIdentity,
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
  // The directory's aliases can only add refusals (their own request under another address): only rows the policy's
  // aliases leave decidable are looked up again, so the inbox never offers what the POST would refuse.
  const placed = await Promise.all(
    records.map(async (record) => {
      const place = inboxPlaceOf(record, settings, approver, now);
      if (place.section !== 'decide' || !deps.people) return { record, place };
      return { record, place: inboxPlaceOf(record, settings, approver, now, await recordAliases(deps.people, settings, record, approver.email, deps.logger)) };
    }),
  );
  const entries = await Promise.all(
    placed
      .filter((p) => p.place.section === 'decide')
      .map(async ({ record }) => {
        const summary = requestSummaryOf(record, settings.escalation);
        return { summary, state: record.approval, href: await freshDecisionLink(deps, signer, record.recordId, approver.email, summary, settings, now) };
      }),
  );
  // Watched requests link to their page (sign-in needed), never to a decision link.
  const watching = placed.flatMap(({ record, place }) =>
    place.section === 'watch'
      ? [
          {
            summary: requestSummaryOf(record, settings.escalation),
            state: record.approval,
            href: appPath(deps, `requests/${encodeURIComponent(record.recordId)}`),
            why: place.code,
          },
        ]
      : [],
  );
  const body = renderInboxPage({
    user: pageUser(approver),
    entries,
    watching,
    now,
    nav: consoleNav(deps, 'inbox'),
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body);
}

export async function showRequest(deps: ApprovalAppDeps, req: ApprovalHttpRequest, recordId: string): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const wantsHtml = /\btext\/html\b/i.test(req.headers.accept ?? '');
  // Locally the JSON is open for inspection, but someone signed in sees only what they may see.
  if (!wantsHtml && deps.anonymousRecordJson && !(await signedInIdentity(deps, req))) return recordJson(deps, recordId);
  const who = await signedInApprover(deps, req, `/requests/${encodeURIComponent(recordId)}`, wantsHtml);
  if ('response' in who) return who.response;
  const { approver, settings } = who;
  if (!wantsHtml) return recordJson(deps, recordId, (record) => mayView(record, settings, approver));
  const loaded = await deps.approvals.load(recordId);
  if (!loaded) return refusalPage(deps, 'not-found', { user: pageUser(approver) });
  const { record } = loaded;
  if (!mayView(record, settings, approver)) return notYourDepartment(approver);
  const summary = requestSummaryOf(record, settings.escalation);
  const open =
    ['pending', 'info-requested', 'expired-undecided'].includes(record.approval.status) &&
    mayDecideSomething(record, settings, approver, now, await recordAliases(deps.people, settings, record, approver.email, deps.logger));
  const signer = await DecisionLinkSigner.fromProvider(deps.keys);
  const body = renderRequestPage({
    request: summary,
    approval: record.approval,
    history: await deps.audit.list(recordId),
    user: pageUser(approver),
    now,
    inboxUrl: appPath(deps, 'inbox'),
    nav: consoleNav(deps),
    ...(open ? { decideUrl: await freshDecisionLink(deps, signer, recordId, approver.email, summary, settings, now) } : {}),
    ...(deps.localSessions ? { signOutAction: appPath(deps, 'sign-out') } : {}),
  });
  return htmlResponse(body);
}

/** The stored record, its approval and its history, for tools and tests (`visible`: whether the signed-in approver may see it). */
async function recordJson(deps: ApprovalAppDeps, recordId: string, visible: (record: RequestRecord) => boolean = () => true): Promise<ApprovalHttpResponse> {
  const loaded = await deps.approvals.load(recordId);
  if (loaded && !visible(loaded.record)) return jsonResponse(403, { error: 'this request belongs to a department you do not cover' });
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
  const identity = await signedInIdentity(deps, req);
  if (!identity) {
    if (!html) return { response: jsonResponse(401, { error: 'sign in as an approver first' }) };
    if (deps.localSessions) return { response: redirect(deps, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`) };
    return { response: await refusalPage(deps, 'sign-in') };
  }
  const settings = await settingsOf(deps);
  const found = settings.directory?.signedIn(identity);
  if (!found) {
    const who = identityLabel(identity);
    const message = identity.email
      ? `${who} is not in the approver directory (approvals.approvers in the policy), or that approver is matched by their identity-provider subject and this sign-in has another. Ask IT to add you.`
      : `Your sign-in (${who}) carries no verified email address and no subject listed in the approver directory. Ask IT to add your identity-provider subject to approvals.approvers in the policy.`;
    return {
      response: html
        ? htmlResponse(renderMessagePage({ title: 'Not an approver', message, user: { email: who } }), { statusCode: 403 })
        : jsonResponse(403, { error: message }),
    };
  }
  return { approver: actingApprover(settings, found.email), settings };
}

function notYourDepartment(approver: ReturnType<typeof actingApprover>): ApprovalHttpResponse {
  const covered = approver.departments?.join(', ') ?? 'every department';
  return htmlResponse(
    renderMessagePage({
      title: 'This request belongs to another department',
      message: `You decide and follow requests for ${covered}; this one is another department's. Its approvers have it in their inbox.`,
      user: pageUser(approver),
    }),
    { statusCode: 403 },
  );
}
