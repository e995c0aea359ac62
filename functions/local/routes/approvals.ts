/**
 * The approvers' pages on the local runtime, served by the same web app the
 * approvals Lambda runs: decision links from the outbox open here, the inbox
 * lists what is pending, `GET /requests/:id` shows a request with its
 * history (HTML for a browser, JSON otherwise), and `POST /admin/sweep` runs
 * the escalation sweep and digest now (or "as if" at a given time) instead of
 * waiting for the interval.
 */
import { APPROVAL_ROUTES, LOCAL_SIGN_IN_ROUTES, handleApprovalRequest } from '../../adapters/web/approvals-app';
import { approvalRequestFromNode } from '../../adapters/web/node-http';
import type { RouteGroup } from '../context';
import { HttpError, json, readJsonBody, type RouteResponse } from '../http';
import type { Route, RouteRequest } from '../router';

export const approvalRoutes: RouteGroup = (context) => {
  const approvals = context.approvals;
  const serve = async ({ req, url }: RouteRequest): Promise<RouteResponse> => {
    const response = await handleApprovalRequest(approvals.app, await approvalRequestFromNode(req, url));
    const { 'Content-Type': contentType, ...headers } = response.headers;
    return {
      status: response.statusCode,
      text: response.body,
      contentType: contentType ?? 'text/html; charset=utf-8',
      headers: { ...headers, ...(response.cookies?.length ? { 'Set-Cookie': response.cookies } : {}) },
    };
  };
  const pages: Route[] = [...APPROVAL_ROUTES, ...LOCAL_SIGN_IN_ROUTES].map((r) => ({ method: r.method, path: r.path, summary: r.summary, handle: serve }));
  return [
    ...pages,
    {
      method: 'POST',
      path: '/admin/sweep',
      summary: 'run the escalation sweep and digest now; JSON {"at": "<ISO time>"} runs them as if at that time',
      async handle({ req }) {
        const body = await readJsonBody(req, 4096);
        const at = body && typeof body === 'object' && 'at' in body ? (body as { at: unknown }).at : undefined;
        let when: Date | undefined;
        if (at !== undefined) {
          when = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
          if (Number.isNaN(when.getTime())) throw new HttpError(400, `at: ${JSON.stringify(at)} is not an ISO time such as 2027-01-05T00:00:00Z`);
        }
        return json(200, await approvals.sweep(when));
      },
    },
  ];
};
