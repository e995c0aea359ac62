/**
 * The approvals web app over node:http, for `npm start` and the browser
 * test: a request becomes an {@link ApprovalHttpRequest} (form bodies read
 * with a hard size limit), the app's answer is written back with each cookie
 * as its own `Set-Cookie` header.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FORM_BYTES } from './forms';
import type { ApprovalHttpRequest, ApprovalHttpResponse } from './approvals-app';

/** Reads a node request as the app's request. Bodies over the form limit are cut off (the form parser then refuses them). */
export async function approvalRequestFromNode(req: IncomingMessage, url: URL, identity?: ApprovalHttpRequest['identity']): Promise<ApprovalHttpRequest> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  const method = (req.method ?? 'GET').toUpperCase();
  let body: string | undefined;
  if (method === 'POST') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES + 1) {
        // Enough to know it is too large; keep reading nothing more.
        req.destroy();
        break;
      }
      chunks.push(chunk);
    }
    body = Buffer.concat(chunks).toString('utf8');
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    // A repeated parameter is ambiguous: keep a value no token can have, so it is refused as damaged.
    query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;
  }
  return {
    method,
    path: url.pathname,
    query,
    headers,
    cookies: headers.cookie,
    body,
    ...(identity ? { identity } : {}),
  };
}

/** Writes the app's answer (status, headers, one `Set-Cookie` per cookie, body). */
export function writeApprovalResponse(res: ServerResponse, response: ApprovalHttpResponse): void {
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.cookies?.length) res.setHeader('Set-Cookie', response.cookies);
  res.setHeader('Content-Length', Buffer.byteLength(response.body));
  res.end(response.body);
}
