/**
 * Small helpers over node:http for the local runtime: bounded JSON and YAML
 * bodies, refusal of cross-site requests, and JSON responses. No framework:
 * the runtime is a developer tool with a handful of routes, and plain
 * node:http keeps its behaviour (limits, status codes) visible in one file.
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
 * Reads a request body as JSON, refusing more than `limitBytes`: sent as
 * `application/json`, or as what curl's `--data` sends by default (a form
 * type) or plain text, when it is JSON. `example` names the file in the 415
 * hint (`--data @event.json`).
 */
export async function readJsonBody(req: IncomingMessage, limitBytes = MAX_EVENT_BODY_BYTES, example = 'event.json'): Promise<unknown> {
  const { text } = await readDocumentBody(req, limitBytes, { yaml: false, example });
  return parseJsonText(text);
}

export type DocumentFormat = 'json' | 'yaml';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);
/**
 * Types a browser page may send to any site without a CORS preflight (or
 * none at all). curl sends the form type with `--data`, so they are read,
 * but only from a client that is not a web page of another site
 * (see {@link assertNotCrossSite}): a page must not be able to inject events
 * or replace the policy of a developer's unauthenticated local runtime.
 */
const SIMPLE_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded']);

/**
 * A document body in JSON or YAML (when `yaml` is allowed): by its
 * Content-Type, or sniffed when the type is one of the simple ones above
 * (what `curl --data-binary @policy.yaml` sends).
 */
export async function readDocumentBody(
  req: IncomingMessage,
  limitBytes: number,
  options: { yaml: boolean; example: string; optional?: boolean },
): Promise<{ text: string; format: DocumentFormat }> {
  const contentType = mediaTypeOf(req);
  let format: DocumentFormat | 'sniff';
  if (isJsonType(contentType)) format = 'json';
  else if (options.yaml && (YAML_TYPES.has(contentType) || contentType.endsWith('+yaml'))) format = 'yaml';
  else if (SIMPLE_TYPES.has(contentType)) format = 'sniff';
  else {
    await drain(req, limitBytes);
    const what = options.yaml
      ? 'JSON or YAML ("Content-Type: application/json" or "application/yaml")'
      : 'JSON with the header "Content-Type: application/json"';
    throw unsupportedType(req, `send the body as ${what}`, options.yaml ? 'application/yaml' : 'application/json', options.example);
  }
  if (format === 'sniff') await assertNotCrossSite(req, limitBytes);
  const text = await readBodyText(req, limitBytes, options.optional);
  if (format !== 'sniff') return { text, format };
  return { text, format: !options.yaml || /^\s*[[{]/.test(text) ? 'json' : 'yaml' };
}

/** An optional JSON body (`POST /admin/sweep`: nothing, `{}` or `{"at": …}`): none at all is undefined. */
export async function readOptionalJsonBody(req: IncomingMessage, limitBytes: number, example: string): Promise<unknown> {
  const { text } = await readDocumentBody(req, limitBytes, { yaml: false, example, optional: true });
  return text.trim() === '' ? undefined : parseJsonText(text);
}

/**
 * Refuses a request a web page of another site made: browsers name the
 * page's origin (`Origin`, `Sec-Fetch-Site`) on every cross-origin POST, and a
 * page must not drive an unauthenticated local server with a simple form or
 * text body. curl and the CLI send neither header.
 */
export async function assertNotCrossSite(req: IncomingMessage, limitBytes = MAX_EVENT_BODY_BYTES): Promise<void> {
  const site = headerText(req, 'sec-fetch-site');
  const origin = headerText(req, 'origin');
  const own = `http://${req.headers.host ?? ''}`.toLowerCase();
  const crossSite = (site !== '' && site !== 'same-origin' && site !== 'none') || (origin !== '' && origin.toLowerCase() !== own);
  if (crossSite) {
    await drain(req, limitBytes);
    throw new HttpError(
      403,
      `a request from ${origin || 'another site'} is refused: the local runtime takes these requests from its own pages, curl or the CLI only`,
    );
  }
}

/** The URL the client used for this request (its Host header), for hints that must work when pasted. */
export function requestUrl(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const path = (req.url ?? '/').split('?')[0];
  // The Host header is the client's own text: only a plain host[:port] is echoed back.
  return `http://${/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host) ? host : 'localhost'}${path}`;
}

function unsupportedType(req: IncomingMessage, message: string, type: string, example: string): HttpError {
  const binary = type.endsWith('yaml') ? '--data-binary' : '--data';
  return new HttpError(415, message, { hint: `curl -H 'content-type: ${type}' ${binary} @${example} ${requestUrl(req)}` });
}

function isJsonType(contentType: string): boolean {
  return contentType === 'application/json' || contentType.endsWith('+json');
}

function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function headerText(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : (value ?? '')).trim();
}

function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty: send a JSON document');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The body as text, at most `limitBytes` (413 beyond); empty is an error unless `emptyAllowed`. */
async function readBodyText(req: IncomingMessage, limitBytes: number, emptyAllowed = false): Promise<string> {
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
  if (text.trim() === '' && !emptyAllowed) throw new HttpError(400, 'the request body is empty: send a document');
  return text;
}

function tooLarge(limitBytes: number): HttpError {
  const limit = limitBytes >= 1024 * 1024 ? `${Math.round(limitBytes / (1024 * 1024))} MB` : `${Math.round(limitBytes / 1024)} KB`;
  return new HttpError(413, `the request body is larger than ${limit}${limitBytes === MAX_EVENT_BODY_BYTES ? ' (the EventBridge entry limit)' : ''}`);
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
