/**
 * The approvers' pages on the local runtime, served by the same web app the
 * approvals Lambda runs: decision links from the outbox open here, the inbox
 * lists what is pending, `GET /requests/:id` shows a request with its
 * history (HTML for a browser, JSON otherwise), and `POST /admin/sweep` runs
 * the escalation sweep, digest and renewal guard now (or "as if" at a given
 * time) instead of waiting for the interval; `POST /admin/renewals/ack`
 * records a renewal decision for `guardrail renewals ack`.
 */
import { APPROVAL_ROUTES, CONSOLE_APP_ROUTES, LOCAL_SIGN_IN_ROUTES, handleApprovalRequest } from '../../adapters/web/approvals-app';
import { approvalRequestFromNode } from '../../adapters/web/node-http';
import type { LocalRuntimeContext, RouteGroup } from '../context';
import { INSTANT_FORMS, parseInstant } from '../../domain/instants';
import { HttpError, json, readOptionalJsonBody, type RouteResponse } from '../http';
import { assertKnownParams, textParam } from '../query';
import type { Route, RouteRequest } from '../router';
import { acknowledgeRenewal } from '../../domain/use-cases/renewals/guard';
import { parseRenewalAck } from '../../domain/renewals/ack';

/** One request answered by the approvals web app (pages, console, sign-in), as the Lambda would. */
export async function serveApprovalPage(context: LocalRuntimeContext, { req, url }: RouteRequest): Promise<RouteResponse> {
  const response = await handleApprovalRequest(context.approvals.app, await approvalRequestFromNode(req, url));
  const { 'Content-Type': contentType, ...headers } = response.headers;
  return {
    status: response.statusCode,
    text: response.body,
    contentType: contentType ?? 'text/html; charset=utf-8',
    headers: { ...headers, ...(response.cookies?.length ? { 'Set-Cookie': response.cookies } : {}) },
  };
}

export const approvalRoutes: RouteGroup = (context) => {
  const approvals = context.approvals;
  const serve = (request: RouteRequest) => serveApprovalPage(context, request);
  // `GET /` is the inspection index, which hands browsers to the console (routes/inspection.ts).
  const consolePages = CONSOLE_APP_ROUTES.filter((r) => r.path !== '/');
  const pages: Route[] = [...APPROVAL_ROUTES, ...consolePages, ...LOCAL_SIGN_IN_ROUTES].map((r) => ({
    method: r.method,
    path: r.path,
    summary: r.summary,
    handle: serve,
  }));
  return [
    ...pages,
    {
      method: 'POST',
      path: '/admin/sweep',
      summary: 'run the escalation sweep, digest, department outreach and renewal guard now; no body, {} or {"at": "<ISO time>"} (as if at that time)',
      async handle({ req, url }) {
        assertKnownParams(url, ['at']);
        const body = await readOptionalJsonBody(req, 4096, 'sweep.json');
        if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
          throw new HttpError(400, 'the body is an object such as {"at": "2027-01-05T00:00:00Z"}, {} or nothing');
        }
        const fields = (body ?? {}) as Record<string, unknown>;
        const unknown = Object.keys(fields).filter((k) => k !== 'at');
        if (unknown.length > 0) throw new HttpError(400, `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; the body takes only "at"`);
        // `?at=` works too, for a POST without a body.
        const at = fields.at ?? textParam(url, 'at');
        let when: Date | undefined;
        if (at !== undefined) {
          when = typeof at === 'string' ? parseInstant(at) : undefined;
          if (!when) throw new HttpError(400, `at: ${JSON.stringify(at)} is not ${INSTANT_FORMS}`);
        }
        return json(200, await approvals.sweep(when));
      },
    },
    {
      method: 'POST',
      path: '/admin/renewals/ack',
      summary:
        'record a renewal decision: {"key": "vendor:okta", "renewalDate"?: "2027-01-15", "action": "renew|renegotiate|cancel", "by": "<email>", "note"?: "…"}',
      async handle({ req, url }) {
        assertKnownParams(url, []);
        const parsed = parseRenewalAck(await readOptionalJsonBody(req, 4096, 'ack.json'));
        if (!parsed.ok) throw new HttpError(400, parsed.problem);
        const result = await acknowledgeRenewal(approvals.app, parsed.value, approvals.app.clock.now());
        return json(result.status === 'recorded' ? 200 : result.status === 'not-found' ? 404 : 409, result);
      },
    },
  ];
};
