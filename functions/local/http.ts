/**
 * Small helpers over node:http for the local runtime: bounded JSON bodies and
 * JSON responses. No framework: the runtime is a developer tool with a handful
 * of routes, and plain node:http keeps its behaviour (limits, status codes)
 * visible in one file.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** EventBridge rejects PutEvents entries above 256 KB; the local bus does the same. */
export const MAX_EVENT_BODY_BYTES = 256 * 1024;

/**
 * An error that already knows its HTTP answer. Route handlers throw it; the
 * server turns it into a JSON response so every failure has one shape:
 * `{ error, problems? }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Reads a request body as JSON, refusing more than `limitBytes`.
 *
 * Only `application/json` bodies are read: a browser page can POST a form or
 * `text/plain` to localhost without a CORS preflight, and that must not be able
 * to inject events or replace the policy of a developer's local runtime.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes = MAX_EVENT_BODY_BYTES): Promise<unknown> {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json' && !contentType.endsWith('+json')) {
    await drain(req, limitBytes);
    throw new HttpError(415, 'send the body as JSON with the header "Content-Type: application/json"', {
      hint: "curl -H 'content-type: application/json' --data @event.json http://localhost:3000/events",
    });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    await drain(req, limitBytes);
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      // Keep reading (and discarding) so the client gets the 413 instead of a reset connection.
      overflow = true;
      if (size > limitBytes * 16) {
        req.destroy();
        break;
      }
      continue;
    }
    chunks.push(chunk);
  }
  if (overflow) throw tooLarge(limitBytes);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty: send a JSON document');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, `the request body is larger than ${Math.round(limitBytes / 1024)} KB (the EventBridge entry limit)`);
}

/** Reads and discards the rest of a body (bounded) so the response reaches the client. */
async function drain(req: IncomingMessage, limitBytes: number): Promise<void> {
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes * 16) {
      req.destroy();
      return;
    }
  }
}

/** What a route answers: JSON, or text with its own content type (HTML pages later). */
export type RouteResponse =
  | { status: number; json: unknown; headers?: Record<string, string> }
  /** A list value sends the header once per item (several `Set-Cookie`). */
  | { status: number; text: string; contentType: string; headers?: Record<string, string | string[]> };

/** Headers every response carries: the runtime is local, but its pages must not be framed or sniffed. */
const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function sendResponse(res: ServerResponse, response: RouteResponse): void {
  const isJson = 'json' in response;
  const body = isJson ? `${JSON.stringify(response.json, null, 2)}\n` : response.text;
  res.writeHead(response.status, {
    ...BASE_HEADERS,
    'content-type': isJson ? 'application/json; charset=utf-8' : response.contentType,
    'content-length': Buffer.byteLength(body),
    ...(response.headers ?? {}),
  });
  res.end(body);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): RouteResponse {
  return { status, json: body, headers };
}

/** The JSON body of an error response. */
export function errorBody(error: HttpError): Record<string, unknown> {
  return { error: error.message, ...error.details };
}
