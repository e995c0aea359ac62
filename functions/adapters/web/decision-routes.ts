/**
 * `GET /decide?token=…` and `POST /decide`. The GET reads only: mail scanners
 * fetch every link, so it never decides, spends a link or writes anything;
 * it sets the form's CSRF cookie and shows the request and the form. The POST
 * checks the token (signature, expiry), the CSRF cookie and field, then runs
 * the decision use case (who is signed in, rules, single use, conditional write).
 *
 * Who is signed in: deployed with an identity provider, both routes sit
 * behind its JWT authorizer and the signed-in approver must be the link's
 * (a forwarded email or a chat channel is not enough); locally, a session
 * is checked the same way, and without one the link decides by itself.
 */
import { APPROVER_ACTIONS, approvalCommentReason, authorizeApproverAction, requestSummaryOf, samePerson, type ApproverAction } from '../../domain/approvals';
import { mayView } from '../../domain/use-cases/approvals/inbox';
import { actingApprover, aliasesOf, ruleContextOf, type ApprovalSettings } from '../../domain/use-cases/approvals/settings';
import { decideRequest } from '../../domain/use-cases/approvals/decide';
import { recordAliases } from '../../domain/use-cases/approvals/directory-aliases';
import type { RequestRecord } from '../../domain/records';
import { DecisionLinkSigner, newCsrfSessionValue } from '../security/decision-link-signer';
import {
  appPath,
  capitalise,
  cookieLifetime,
  identityLabel,
  inboxLink,
  isSecure,
  pageUser,
  refusalPage,
  settingsOf,
  signedInIdentity,
  type ApprovalAppDeps,
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
} from './app-support';
import { refusalForApproval, refusalForToken, renderDecisionPage, renderResultPage } from './decision-page';
import { parseDecisionForm } from './forms';
import { renderMessagePage } from './page-layout';
import { csrfCookie, csrfCookieName, htmlResponse, readCookie } from './security-headers';

export async function openDecisionPage(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const now = deps.clock.now();
  const token = req.query.token;
  const signer = await DecisionLinkSigner.fromProvider(deps.keys, { forToken: token });
  const verified = await signer.verify(token, { now });
  if (!verified.ok) return refusalPage(deps, refusalForToken(verified.reason));
  const claims = verified.claims;
  const settings = await settingsOf(deps);
  const loaded = await deps.approvals.load(claims.rid);
  if (!loaded) return refusalPage(deps, 'not-found');
  const { record } = loaded;
  const summary = requestSummaryOf(record, settings.escalation);
  if (await deps.usedLinks.find(claims.jti)) return refusalPage(deps, 'used', { request: summary });

  const approver = actingApprover(settings, claims.sub);
  const signedIn = await signedInCheck(deps, req, settings, approver);
  // Neither page names the request: whoever holds the link is not known to be its approver.
  if (signedIn === 'sign-in') return refusalPage(deps, 'sign-in');
  if (signedIn?.matches === false) return refusalPage(deps, 'wrong-approver', { detail: signedIn.detail });
  // A link for a department the approver does not cover (minted before the directory changed): not even the request is shown.
  if (approver.tier !== 'none' && !mayView(record, settings, approver)) {
    const refusal = authorizeApproverAction({ ...ruleContextOf(record, settings, approver), action: 'approve', now });
    return refusalPage(deps, 'department-not-covered', { ...(refusal.ok ? {} : { detail: refusal.reason }) });
  }
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
    refusals: await refusalsFor(deps, record, settings, approver, now),
    approvalCommentReason: approvalCommentReason(record.decision.findings),
  });
  return htmlResponse(body, { cookies: [csrfCookie(claims.jti, session, { secure: isSecure(deps), maxAgeSeconds: cookieLifetime(expiresAt, now) })] });
}

export async function submitDecision(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
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

  const settings = await settingsOf(deps);
  const approver = actingApprover(settings, claims.sub);
  const identity = await signedInIdentity(deps, req);
  const result = await decideRequest(deps, {
    recordId: claims.rid,
    approverEmail: claims.sub,
    action,
    comment,
    tokenId: claims.jti,
    tokenExpiresAt: new Date(claims.exp * 1000),
    ...(identity ? { signedIn: { approverEmail: settings.directory?.signedIn(identity)?.email, shownAs: identityLabel(identity) } } : {}),
    signInRequired: deps.decisionsNeedSignIn === true,
  });
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
        refusals: await refusalsFor(deps, result.record, settings, approver, now),
        approvalCommentReason: approvalCommentReason(result.record.decision.findings),
      });
      return htmlResponse(body, { statusCode: 422, cookies: [csrfCookie(claims.jti, session, { secure, maxAgeSeconds: cookieLifetime(expiresAt, now) })] });
    }
    case 'refused':
      return refusalPage(deps, refusalForApproval(result.refusal.code) ?? 'bad-form', {
        detail: result.refusal.reason,
        request: requestSummaryOf(result.record, settings.escalation),
      });
    case 'sign-in-required':
      return refusalPage(deps, 'sign-in');
    case 'wrong-approver':
      return refusalPage(deps, 'wrong-approver', { detail: result.refusal.reason });
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

/**
 * Actions the rules would refuse this approver now, with the rule's own sentence (the page disables them): judged
 * with the people directory's aliases too, as the POST will be.
 */
async function refusalsFor(
  deps: ApprovalAppDeps,
  record: RequestRecord,
  settings: ApprovalSettings,
  approver: ReturnType<typeof actingApprover>,
  now: Date,
): Promise<Partial<Record<ApproverAction, string>>> {
  const aliases = await recordAliases(deps.people, settings, record, approver.email, deps.logger);
  const refusals: Partial<Record<ApproverAction, string>> = {};
  for (const action of APPROVER_ACTIONS) {
    const verdict = authorizeApproverAction({ ...ruleContextOf(record, settings, approver, aliases), action, now });
    if (!verdict.ok) refusals[action] = verdict.reason;
  }
  return refusals;
}

/**
 * Whether the person signed in (if anyone) is the link's approver: undefined
 * when nobody is and nobody needs to be; `sign-in` when an identity provider
 * requires it; otherwise whether they match, with the sentence to show.
 */
async function signedInCheck(
  deps: ApprovalAppDeps,
  req: ApprovalHttpRequest,
  settings: ApprovalSettings,
  approver: ReturnType<typeof actingApprover>,
): Promise<undefined | 'sign-in' | { matches: true } | { matches: false; detail: string }> {
  const identity = await signedInIdentity(deps, req);
  if (!identity) return deps.decisionsNeedSignIn ? 'sign-in' : undefined;
  const signedIn = settings.directory?.signedIn(identity);
  if (signedIn && samePerson(signedIn.email, approver.email, aliasesOf(settings))) return { matches: true };
  return {
    matches: false,
    detail: `This link is ${approver.name ?? approver.email}'s, and you are signed in as ${signedIn?.name ?? identityLabel(identity)}. Open your own link, or the request from your inbox.`,
  };
}
