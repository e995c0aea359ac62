/**
 * Reading an ingest body: bounded in size first, then strict UTF-8 JSON (a
 * byte-order mark tolerated). Signatures are checked on the raw bytes in
 * between, so nothing here runs on an unauthenticated body but the size check.
 */
import type { Answer, IngestDeps, IngestRequest, IngestResponse } from './ingest-answer';
import { headerValue } from './request-signature';
import { looksLikeXml } from '../sources/source-names';

/** 1 MiB: a Graph page or a CloudTrail log file fits; anything bigger is refused before it is read. */
export const DEFAULT_MAX_INGEST_BODY_BYTES = 1024 * 1024;

/**
 * The body, bounded before anything reads it: a declared Content-Length over
 * the limit, or more bytes than the limit (or a body the transport cut off),
 * is answered 413 without being verified or parsed.
 */
export function boundedBody(deps: IngestDeps, request: IngestRequest, answer: Answer): { ok: true; body: Buffer } | { ok: false; response: IngestResponse } {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_INGEST_BODY_BYTES;
  const declared = headerValue(request.headers, 'content-length')?.trim();
  if (declared && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return { ok: false, response: answer.send(413, 'too-large', { error: tooLargeMessage(Number(declared), maxBytes) }) };
  }
  const body = toBuffer(request.rawBody);
  const size = Math.max(body.length, request.receivedBytes ?? 0);
  answer.bodyBytes = size;
  // A body the transport cut off is over its own limit (it keeps one byte more than that limit).
  const cutOff = size > body.length;
  if (cutOff || size > maxBytes) {
    return {
      ok: false,
      response: answer.send(413, 'too-large', { error: tooLargeMessage(size, cutOff ? Math.min(maxBytes, Math.max(body.length - 1, 0)) : maxBytes) }),
    };
  }
  return { ok: true, body };
}

export function parseJsonBody(body: Buffer, xmlToo = false): { ok: true; value: unknown; text: string } | { ok: false; error: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, error: 'the body is not UTF-8 text: send JSON' };
  }
  // Some tools prepend a byte-order mark; JSON.parse does not accept one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: 'the body is empty: send the JSON payload' };
  // Coupa answers XML unless asked for JSON: its normaliser reads the text itself.
  if (xmlToo && looksLikeXml(text)) return { ok: true, value: text, text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { ok: false, error: `the body is not valid JSON (${(error as Error).message.slice(0, 200)})` };
  }
}

function toBuffer(body: string | Buffer | null | undefined): Buffer {
  if (body === null || body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function tooLargeMessage(bytes: number, limit: number): string {
  return `the body is ${bytes} bytes; this endpoint accepts at most ${limit} bytes (split the batch)`;
}
