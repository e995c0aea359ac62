/**
 * Lambda behind the approvals HTTP API (payload format 2.0): the decision
 * page and its POST, the approvers' inbox and the request pages. A thin
 * adapter: API Gateway's event becomes the web app's request (the signed-in
 * approver from the JWT claims the authorizer verified, on the routes that
 * have one), the app's answer becomes the API's response.
 *
 * Without an identity provider `/decide` has no authorizer: the signed link
 * is the credential. With one, every route sits behind its JWT authorizer
 * (with the approver scope) and the decision also needs the signed-in
 * approver to be the link's. Which claims identify the person: the
 * configured subject claim (`sub`; Entra `oid`; Okta access tokens `uid`),
 * and an address only when the provider vouches for it (see
 * {@link identityFromClaims}).
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SignedInIdentity } from '../domain/approvals';
import { handleApprovalRequest, type ApprovalHttpRequest } from '../adapters/web/approvals-app';
import { htmlResponse } from '../adapters/web/security-headers';
import { renderMessagePage } from '../adapters/web/page-layout';
import { awsApprovalsEdges } from '../composition/aws-edges';
import { approvalsServices } from '../composition/root';
import { readApprovalsConfig } from './shared/approvals-config';
import type { ApprovalsHandlerDeps } from './shared/approvals-deps';
import { resolveOnce } from './shared/resolve-deps';
import { withPowertools } from './shared/powertools-handler';

export type ApprovalsApiHandler = MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

export const APPROVALS_METRICS = {
  pageOpened: 'DecisionPagesOpened',
  recorded: 'DecisionsRecorded',
  refused: 'DecisionsRefused',
  inboxViews: 'InboxViews',
  serverErrors: 'ApprovalAppErrors',
} as const;

/** The JWT claims API Gateway put on the event (absent on routes without an authorizer). */
function jwtClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer;
  return authorizer?.jwt?.claims;
}

/** Which JWT claims name the signed-in approver. */
export interface ApproverClaimNames {
  /** The address claim (`email`; Entra: `upn`, or `preferred_username` where the tenant controls it). */
  email: string;
  /** The immutable subject claim (`sub`; Entra: `oid`; Okta access tokens: `uid`). */
  subject: string;
}

export const DEFAULT_APPROVER_CLAIMS: ApproverClaimNames = { email: 'email', subject: 'sub' };

/**
 * The signed-in person as the verified token says. The subject is taken as
 * given. The address is taken only when it can be trusted: the standard
 * `email` claim needs `email_verified: true` beside it (Okta and Google send
 * it; anyone can otherwise set an unverified address on an account, and
 * Entra ID sends no `email_verified` at all, so there `email` never
 * counts); another configured claim (Entra's `upn`) is one the operator
 * chose because their administrators control it. API Gateway passes claim
 * values as strings ("true").
 */
export function identityFromClaims(
  claims: Record<string, unknown> | undefined,
  names: ApproverClaimNames = DEFAULT_APPROVER_CLAIMS,
): SignedInIdentity | undefined {
  if (!claims) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' && value.length <= 256 ? value.trim() : undefined);
  const subject = text(claims[names.subject]);
  const address = text(claims[names.email]);
  const vouched = names.email !== 'email' || claims.email_verified === true || claims.email_verified === 'true';
  const email = address && address.includes('@') && vouched ? address : undefined;
  const name = text(claims.name);
  if (!subject && !email && !name) return undefined;
  return { ...(subject ? { subject } : {}), ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

/** The API Gateway event as the web app's request. Exported for tests. */
export function toApprovalRequest(event: APIGatewayProxyEventV2, names: ApproverClaimNames = DEFAULT_APPROVER_CLAIMS): ApprovalHttpRequest {
  const identity = identityFromClaims(jwtClaims(event), names);
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    // Repeated parameters arrive comma-joined; a comma never appears in a valid token, so such a link is refused as damaged.
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    cookies: event.cookies,
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    ...(identity ? { identity } : {}),
  };
}

export function createApprovalsApiHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): ApprovalsApiHandler {
  const { resolved, configError, logger, metrics } = resolveOnce(deps, 'Approvals function');

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!resolved) {
      logger.error('Approvals API is misconfigured', configError as Error);
      metrics.addMetric(APPROVALS_METRICS.serverErrors, MetricUnit.Count, 1);
      const page = htmlResponse(renderMessagePage({ title: 'Something went wrong', message: 'Nothing was changed. IT has been alerted.' }), {
        statusCode: 500,
      });
      return { statusCode: page.statusCode, headers: page.headers, body: page.body };
    }
    const request = toApprovalRequest(event, { email: resolved.approverEmailClaim, subject: resolved.approverSubjectClaim ?? DEFAULT_APPROVER_CLAIMS.subject });
    const response = await handleApprovalRequest({ ...resolved.app, logger }, request);
    count(metrics, request, response.statusCode);
    logger.info('Approvals request', { method: request.method, path: request.path, status: response.statusCode, signedIn: request.identity !== undefined });
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      ...(response.cookies?.length ? { cookies: response.cookies } : {}),
      body: response.body,
    };
  };

  // The response is an HTML page holding the link token and CSRF value: never copy it into a trace.
  return withPowertools(handle, { logger, metrics });
}

function count(metrics: Metrics, request: ApprovalHttpRequest, status: number): void {
  if (status >= 500) metrics.addMetric(APPROVALS_METRICS.serverErrors, MetricUnit.Count, 1);
  else if (request.path === '/decide' && request.method === 'GET' && status === 200) metrics.addMetric(APPROVALS_METRICS.pageOpened, MetricUnit.Count, 1);
  else if (request.path === '/decide' && request.method === 'POST' && status === 200) metrics.addMetric(APPROVALS_METRICS.recorded, MetricUnit.Count, 1);
  else if (request.path === '/decide' && status >= 400) metrics.addMetric(APPROVALS_METRICS.refused, MetricUnit.Count, 1);
  else if (request.path === '/inbox' && status === 200) metrics.addMetric(APPROVALS_METRICS.inboxViews, MetricUnit.Count, 1);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: ApprovalsApiHandler = createApprovalsApiHandler(() => approvalsServices(awsApprovalsEdges(readApprovalsConfig())));
