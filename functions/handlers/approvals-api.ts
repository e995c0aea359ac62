/**
 * Lambda behind the approvals HTTP API (payload format 2.0): the decision
 * page and its POST, the approvers' inbox and the request pages. A thin
 * adapter: API Gateway's event becomes the web app's request (the signed-in
 * approver from the JWT claims the authorizer verified, on the routes that
 * have one), the app's answer becomes the API's response.
 *
 * `/decide` has no authorizer on purpose: the signed link is the credential
 * (an approver opens it from an email without signing in). The inbox and
 * request pages sit behind the company identity provider's JWT authorizer.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { tracer } from '../adapters/tracing';
import { handleApprovalRequest, type ApprovalHttpRequest } from '../adapters/web/approvals-app';
import { htmlResponse } from '../adapters/web/security-headers';
import { renderMessagePage } from '../adapters/web/page-layout';
import { awsApprovalsEdges } from '../composition/aws-edges';
import { approvalsServices } from '../composition/root';
import { readApprovalsConfig } from './shared/approvals-config';
import type { ApprovalsHandlerDeps } from './shared/approvals-deps';
import { resolveOnce } from './shared/resolve-deps';

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

/** The API Gateway event as the web app's request. Exported for tests. */
export function toApprovalRequest(event: APIGatewayProxyEventV2, emailClaim = 'email'): ApprovalHttpRequest {
  const claims = jwtClaims(event);
  const email = claims?.[emailClaim];
  const name = claims?.name;
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    // Repeated parameters arrive comma-joined; a comma never appears in a valid token, so such a link is refused as damaged.
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    cookies: event.cookies,
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    ...(typeof email === 'string' && email.includes('@') ? { identity: { email, ...(typeof name === 'string' ? { name } : {}) } } : {}),
  };
}

export function createApprovalsApiHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): ApprovalsApiHandler {
  const { resolved, configError, logger, metrics } = resolveOnce(deps, 'Approvals function');

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!resolved) {
      logger.error('Approvals API is misconfigured', configError as Error);
      metrics.addMetric(APPROVALS_METRICS.serverErrors, MetricUnit.Count, 1);
      const page = htmlResponse(renderMessagePage({ title: 'Something went wrong', message: 'Nothing was changed. IT has been alerted.' }), { statusCode: 500 });
      return { statusCode: page.statusCode, headers: page.headers, body: page.body };
    }
    const request = toApprovalRequest(event, resolved.approverEmailClaim);
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

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>(handle)
    // The response is an HTML page holding the link token and CSRF value: never copy it into a trace.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

function count(metrics: Metrics, request: ApprovalHttpRequest, status: number): void {
  if (status >= 500) metrics.addMetric(APPROVALS_METRICS.serverErrors, MetricUnit.Count, 1);
  else if (request.path === '/decide' && request.method === 'GET' && status === 200) metrics.addMetric(APPROVALS_METRICS.pageOpened, MetricUnit.Count, 1);
  else if (request.path === '/decide' && request.method === 'POST' && status === 200) metrics.addMetric(APPROVALS_METRICS.recorded, MetricUnit.Count, 1);
  else if (request.path === '/decide' && status >= 400) metrics.addMetric(APPROVALS_METRICS.refused, MetricUnit.Count, 1);
  else if (request.path === '/inbox' && status === 200) metrics.addMetric(APPROVALS_METRICS.inboxViews, MetricUnit.Count, 1);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: ApprovalsApiHandler = createApprovalsApiHandler(() =>
  approvalsServices(awsApprovalsEdges(readApprovalsConfig())),
);
