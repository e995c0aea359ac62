/**
 * Authenticating pushes to the ingest endpoint. Sources that sign (form
 * tools, ServiceNow outbound REST, our own pollers for Graph and Reports)
 * send `sha256=<hex>` = HMAC-SHA256 over `${timestamp}.${rawBody}` with a
 * shared secret; the timestamp bounds the replay window. Verification is
 * over the raw bytes as received (re-serialised JSON would not match) and
 * compares in constant time.
 *
 * Okta event hooks do not sign: they authenticate with a static header
 * secret, and prove the endpoint once with a GET carrying
 * `X-Okta-Verification-Challenge` — answered by
 * {@link answerOktaVerificationChallenge}.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface HmacVerificationInput {
  /** The request body exactly as received. */
  rawBody: string | Buffer;
  /** The signature header's value, `sha256=<64 hex digits>`. */
  header: string | null | undefined;
  /** The shared secret; several while a secret is being rotated (any may match). */
  secret: string | Buffer | ReadonlyArray<string | Buffer>;
  /** The timestamp header's value, in Unix seconds. */
  timestampHeader?: string | null;
  /**
   * Whether a timestamp must be present (default true). Only a source that
   * cannot send one should turn this off: its signature then covers the body
   * alone and a captured request can be replayed (duplicates are still
   * absorbed by the event id dedupe, but not forged ones).
   */
  requireTimestamp?: boolean;
  /** How far the timestamp may be from `now`, either way (clock skew + delivery delay). */
  toleranceSeconds: number;
  now: Date;
}

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP_FORMAT = /^\d{1,12}$/;

/** Verifies a `sha256=` HMAC signature (see module doc). Never throws. */
export function verifyHmacSignature(input: HmacVerificationInput): SignatureCheck {
  const secrets = (Array.isArray(input.secret) ? input.secret : [input.secret]) as Array<string | Buffer>;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) return reject('no signing secret is configured');

  const header = input.header?.trim();
  if (!header) return reject('missing signature header');
  const match = SIGNATURE_FORMAT.exec(header);
  if (!match) return reject('malformed signature header: expected sha256=<64 hex digits>');
  const received = Buffer.from(match[1], 'hex');

  const signed = signedPayload(input);
  if (!signed.ok) return signed;

  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(signed.payload).digest();
    // Both are 32-byte SHA-256 digests, so timingSafeEqual's equal-length precondition holds.
    return expected.length === received.length && timingSafeEqual(expected, received);
  });
  return matches ? { ok: true } : reject('signature does not match the body');
}

function signedPayload(input: HmacVerificationInput): { ok: true; payload: Buffer } | { ok: false; reason: string } {
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const timestamp = input.timestampHeader?.trim();
  if (!timestamp) {
    if (input.requireTimestamp ?? true) return reject('missing timestamp header');
    return { ok: true, payload: body };
  }
  if (!TIMESTAMP_FORMAT.test(timestamp)) return reject('malformed timestamp header: expected Unix seconds');
  const skewSeconds = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (!(skewSeconds <= input.toleranceSeconds)) {
    return reject(`timestamp is ${Math.round(skewSeconds)} s from now, outside the ${input.toleranceSeconds} s replay window`);
  }
  return { ok: true, payload: Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]) };
}

const reject = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * The header value a sender puts on a request: `sha256=<hex>` over
 * `${timestamp}.${rawBody}` (or the body alone without a timestamp). Used by
 * our pollers, the CLI and the local runtime, and by tests.
 */
export function signRequestBody(input: { rawBody: string | Buffer; secret: string | Buffer; timestamp?: string | number }): string {
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  const payload = input.timestamp === undefined ? body : Buffer.concat([Buffer.from(`${input.timestamp}.`, 'utf8'), body]);
  return `sha256=${createHmac('sha256', input.secret).update(payload).digest('hex')}`;
}

export const OKTA_VERIFICATION_HEADER = 'x-okta-verification-challenge';

/**
 * Okta's one-time endpoint verification: a GET with the header
 * `X-Okta-Verification-Challenge` must be answered with
 * `{"verification": <value>}`. Header names are matched case-insensitively
 * (API Gateway v2 lower-cases them, others keep Okta's spelling). Returns
 * undefined when the request is not a verification challenge.
 */
export function answerOktaVerificationChallenge(
  headers: Readonly<Record<string, string | readonly string[] | null | undefined>> | null | undefined,
): { verification: string } | undefined {
  if (!headers) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== OKTA_VERIFICATION_HEADER) continue;
    const challenge = typeof value === 'string' ? value : Array.isArray(value) ? value[0] : undefined;
    if (typeof challenge === 'string' && challenge.trim() !== '') return { verification: challenge };
  }
  return undefined;
}

/** Header names of the guardrail's own signing scheme (lower case: HTTP header names are case-insensitive). */
export const GUARDRAIL_SIGNATURE_HEADER = 'x-guardrail-signature';
export const GUARDRAIL_TIMESTAMP_HEADER = 'x-guardrail-timestamp';
/** How far a signed timestamp may be from the receiver's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * Okta event hooks' own scheme: the hook sends a fixed secret in a header
 * (configured in Okta as the "Authentication field" `Authorization` and its
 * "Authentication secret"). Compared in constant time: both sides are hashed
 * first, so neither the length nor a common prefix leaks through timing.
 * Never throws.
 */
export function verifySharedSecretHeader(header: string | null | undefined, secret: string | Buffer | ReadonlyArray<string | Buffer>): SignatureCheck {
  const secrets = (Array.isArray(secret) ? secret : [secret]) as Array<string | Buffer>;
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) return reject('no shared secret is configured');
  if (header === null || header === undefined || header.trim() === '') return reject('missing authorization header');
  const received = createHash('sha256').update(header, 'utf8').digest();
  // Every candidate is compared (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const candidate of secrets) {
    const expected = createHash('sha256').update(candidate).digest();
    if (timingSafeEqual(expected, received)) matched = true;
  }
  return matched ? { ok: true } : reject('authorization header does not match the shared secret');
}

/**
 * A header's value, looked up case-insensitively (API Gateway v2 lower-cases
 * names, node:http too, other callers may not). A repeated header gives its
 * first value.
 */
export function headerValue(
  headers: Readonly<Record<string, string | readonly string[] | null | undefined>> | null | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}
