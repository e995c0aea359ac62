/**
 * Local sign-in for `npm start` (`GET/POST /sign-in`, `POST /sign-out`):
 * only when the app is built with LocalSessions. Deployed, the identity
 * provider signs approvers in and these routes do not exist.
 */
import { appPath, capitalise, redirect, settingsOf, type ApprovalAppDeps, type ApprovalHttpRequest, type ApprovalHttpResponse } from './app-support';
import { parseSignInForm } from './forms';
import { renderSignInPage } from './page-layout';
import { htmlResponse } from './security-headers';

export async function signInPage(deps: ApprovalAppDeps, req: ApprovalHttpRequest, error?: string, email?: string): Promise<ApprovalHttpResponse> {
  const sessions = deps.localSessions!;
  const csrf = sessions.newSignInCsrf();
  const returnTo = safeReturnTo(req.query.returnTo);
  const body = renderSignInPage({
    action: appPath(deps, 'sign-in'),
    csrfToken: csrf.value,
    ...(returnTo ? { returnTo } : {}),
    ...(email ? { email } : {}),
    ...(error ? { error } : {}),
  });
  return htmlResponse(body, { statusCode: error ? 400 : 200, cookies: [csrf.cookie] });
}

export async function signIn(deps: ApprovalAppDeps, req: ApprovalHttpRequest): Promise<ApprovalHttpResponse> {
  const sessions = deps.localSessions!;
  const form = parseSignInForm(req.body, { contentType: req.headers['content-type'], isBase64Encoded: req.isBase64Encoded });
  if (!form.ok) return signInPage(deps, req, capitalise(form.problem));
  if (!sessions.checkSignInCsrf(req.cookies, form.value.csrf)) {
    return signInPage(
      deps,
      { ...req, query: { returnTo: form.value.returnTo } },
      'The form could not be verified (cookies blocked, or it came from another site). Try again.',
      form.value.email,
    );
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

export function signOut(deps: ApprovalAppDeps): ApprovalHttpResponse {
  return redirect(deps, '/sign-in', [deps.localSessions!.clear()]);
}

/** Only this app's own pages: never an open redirect. */
function safeReturnTo(value: string | undefined): string | undefined {
  // Only this app's own pages (the console's sections, one item below them, a plain query): never another site.
  if (!value || !/^\/(?:(?:inbox|requests|inventory|renewals|outbox)(?:\/[^/?#\\]+)?)?(?:\?[A-Za-z0-9%&=._+-]*)?$/.test(value)) return undefined;
  return value;
}
