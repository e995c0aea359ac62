/**
 * Signed decision links. An approver's email carries one link per action;
 * each link holds a token bound to the request, the approver and an expiry,
 * signed under a key from Secrets Manager or SSM (never in code). The token
 * only opens the decision page: mail scanners fetch every link, so nothing
 * is decided by a GET, and the single use of a token is enforced by the
 * store when the page's POST records a decision (a conditional put of the
 * token's `jti`).
 *
 * Format: a compact JWS (RFC 7515) / JWT (RFC 7519) made and checked by
 * `jose`: header `{"alg":"HS256","kid":…,"typ":"decision-link+jwt"}`, claims
 * `rid, sub, act?, exp, iat, jti`. Only HS256 is accepted, the `kid` picks
 * the key (current or previous: rotation), the explicit `typ` keeps any
 * other JWT signed with the same keyring from passing as a link (RFC 8725
 * §3.11), and the lifetime (`exp - iat`) is capped when verifying as well as
 * when signing. Verification never throws.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type JWTHeaderParameters } from 'jose';
import * as z from '../../domain/zod-mini';
import { APPROVER_ACTIONS, type ApproverAction, type DecisionLinks } from '../../domain/approvals';

/** The JWT `typ` header of a decision link. */
export const TOKEN_TYPE = 'decision-link+jwt';
/** The one algorithm links are signed and verified with. */
export const TOKEN_ALGORITHM = 'HS256';
/** HMAC-SHA256 keys shorter than the hash output weaken it; refuse them. */
export const MIN_KEY_BYTES = 32;
/** Real tokens are ~300 characters; anything much longer is refused before parsing. */
export const MAX_TOKEN_LENGTH = 2048;
/** Links live at most this long, however long the caller asks for (and however long a token says it lives). */
export const MAX_LINK_LIFETIME_MS = 30 * 24 * 3_600_000;

const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const JTI = /^[A-Za-z0-9_-]{16,64}$/;
const SIGNATURE_BYTES = 32;

/** A signing key and the id tokens name it by (so keys can rotate). */
export interface SigningKey {
  id: string;
  key: Buffer;
}

/** What a token asserts (its JWT claims), plus the `kid` of its header. Short names keep links short. */
export interface DecisionLinkClaims {
  /** The request (record id) the token is for. */
  rid: string;
  /** The approver's email the link was sent to. */
  sub: string;
  /** The action the link preselects on the page (the page still offers all three). */
  act?: ApproverAction;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Unique token id: the store records it when the token is used, so it works once. */
  jti: string;
  /** Which key signed it (the header's `kid`). */
  kid: string;
}

export type VerifyFailureReason = 'malformed' | 'bad-signature' | 'expired' | 'lifetime-too-long' | 'wrong-request' | 'wrong-approver' | 'unknown-key';
export type VerifyResult = { ok: true; claims: DecisionLinkClaims } | { ok: false; reason: VerifyFailureReason };

export interface IssueInput {
  recordId: string;
  approverEmail: string;
  action?: ApproverAction;
  expiresAt: Date;
  /** The token id; random when absent (pass one only in tests). */
  nonce?: string;
  /** Issue time (defaults to the current time). */
  now?: Date;
}

export interface VerifyOptions {
  /** The request the token must be for (the page's request); a token for another request is refused. */
  recordId?: string;
  /** The signed-in approver, when there is one: a token for someone else is refused. */
  approverEmail?: string;
  now: Date;
}

/**
 * What the store keeps when a token is used: a conditional put on `jti`
 * makes the second use fail, and `expiresAt` lets a TTL clean the record up
 * once the token could not verify anyway.
 */
export interface TokenUsageRecord {
  jti: string;
  recordId: string;
  approverEmail: string;
  /** Seconds since the epoch (DynamoDB TTL format). */
  expiresAt: number;
  usedAt: string;
  action: ApproverAction;
}

export function tokenUsageRecord(claims: DecisionLinkClaims, action: ApproverAction, usedAt: Date): TokenUsageRecord {
  return { jti: claims.jti, recordId: claims.rid, approverEmail: claims.sub, expiresAt: claims.exp, usedAt: usedAt.toISOString(), action };
}

/** Minimal view of a key provider (see signing-keys.ts) so the signer can be built from one. */
export interface KeyringSource {
  keyring(): Promise<{ current: SigningKey; previous: SigningKey[] }>;
  byId(id: string): Promise<SigningKey | undefined>;
}

export class DecisionLinkSigner {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentId: string;
  private readonly maxLifetimeMs: number;

  /**
   * @param current signs new tokens and verifies.
   * @param previous verify only: tokens signed before a rotation keep working until they expire.
   */
  constructor(current: SigningKey, previous: readonly SigningKey[] = [], options: { maxLifetimeMs?: number } = {}) {
    for (const k of [current, ...previous]) {
      if (!KEY_ID.test(String(k?.id))) throw new Error(`signing key id "${String(k?.id).slice(0, 70)}" must be 1-64 letters, digits, ".", "_", ":" or "-"`);
      if (!Buffer.isBuffer(k.key) || k.key.length < MIN_KEY_BYTES) {
        throw new Error(`signing key "${k.id}" must be at least ${MIN_KEY_BYTES} bytes (got ${Buffer.isBuffer(k.key) ? k.key.length : 'no key'})`);
      }
      if (this.keys.has(k.id)) throw new Error(`signing key id "${k.id}" appears twice`);
      // Copy: a caller zeroing or reusing its buffer must not change our key.
      this.keys.set(k.id, Buffer.from(k.key));
    }
    this.currentId = current.id;
    this.maxLifetimeMs = Math.min(options.maxLifetimeMs ?? MAX_LINK_LIFETIME_MS, MAX_LINK_LIFETIME_MS);
  }

  /**
   * A signer with the provider's current and previous keys; given the token
   * about to be verified, also the (older) key it names, when the provider
   * still knows it.
   */
  static async fromProvider(provider: KeyringSource, options: { forToken?: unknown; maxLifetimeMs?: number } = {}): Promise<DecisionLinkSigner> {
    const ring = await provider.keyring();
    const previous = [...ring.previous];
    const kid = peekKeyId(options.forToken);
    if (kid && kid !== ring.current.id && !previous.some((k) => k.id === kid)) {
      const older = await provider.byId(kid);
      if (older) previous.push(older);
    }
    return new DecisionLinkSigner(ring.current, previous, { maxLifetimeMs: options.maxLifetimeMs });
  }

  get keyId(): string {
    return this.currentId;
  }

  /** Signs a token for one approver and one request. Throws on bad input (a programming error, not user input). */
  async issue(input: IssueInput): Promise<string> {
    const now = input.now ?? new Date();
    if (typeof input.recordId !== 'string' || !RECORD_ID.safeParse(input.recordId).success) {
      throw new Error('recordId must be 1-256 characters without control characters');
    }
    const sub = typeof input.approverEmail === 'string' ? input.approverEmail.trim() : '';
    if (!EMAIL.safeParse(sub).success) throw new Error('approverEmail must be an email address');
    if (input.action !== undefined && !APPROVER_ACTIONS.includes(input.action)) throw new Error(`action must be one of ${APPROVER_ACTIONS.join(', ')}`);
    const expMs = input.expiresAt?.getTime?.();
    if (!Number.isFinite(expMs) || expMs <= now.getTime()) throw new Error('expiresAt must be a date in the future');
    if (expMs - now.getTime() > this.maxLifetimeMs) {
      throw new Error(`expiresAt must be at most ${Math.round(this.maxLifetimeMs / 86_400_000)} days ahead`);
    }
    const jti = input.nonce ?? randomBytes(18).toString('base64url');
    if (!JTI.test(jti)) throw new Error('nonce must be 16-64 base64url characters');
    const iat = Math.floor(now.getTime() / 1000);
    const exp = Math.floor(expMs / 1000);
    // Rounding both down can stretch the lifetime by under a second; keep it within the cap verify() applies.
    const cappedExp = Math.min(exp, iat + Math.floor(this.maxLifetimeMs / 1000));
    // The compact JWS (RFC 7515 §7.1) jose would make, signed with node:crypto's synchronous HMAC: an
    // approver's links are three tokens per message, and WebCrypto's async HMAC cost more than the rest of
    // the signing. Verification stays with jose, which checks exactly this format.
    const header = { alg: TOKEN_ALGORITHM, kid: this.currentId, typ: TOKEN_TYPE };
    const claims = { rid: input.recordId, ...(input.action ? { act: input.action } : {}), sub, iat, exp: cappedExp, jti };
    const signingInput = `${base64urlJson(header)}.${base64urlJson(claims)}`;
    const signature = createHmac('sha256', this.keys.get(this.currentId)!).update(signingInput, 'ascii').digest('base64url');
    return `${signingInput}.${signature}`;
  }

  /**
   * Checks a token from a URL or form. Never throws. Order: shape, key,
   * signature (jose: HS256 only, `typ`, expiry), then what the (authentic)
   * claims say: shape, lifetime, request, approver.
   */
  async verify(token: unknown, options: VerifyOptions): Promise<VerifyResult> {
    try {
      if (!isCompactToken(token)) return fail('malformed');
      const nowMs = options.now?.getTime?.();
      if (!Number.isFinite(nowMs)) return fail('expired');
      const maxLifetimeSeconds = Math.floor(this.maxLifetimeMs / 1000);
      let verified: { payload: unknown; protectedHeader: JWTHeaderParameters };
      try {
        verified = await jwtVerify(token, (header) => this.verificationKey(header), {
          algorithms: [TOKEN_ALGORITHM],
          typ: TOKEN_TYPE,
          currentDate: options.now,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        });
      } catch (error) {
        return fail(reasonFor(error));
      }
      const parsed = CLAIMS.safeParse(verified.payload);
      if (!parsed.success) return fail('malformed');
      const claims: DecisionLinkClaims = { ...parsed.data, kid: verified.protectedHeader.kid as string };
      // Capped here too, not only when signing: a token minted with a leaked key cannot live for ever.
      // Nor can it from now on: an `iat` ahead of the clock (a sweep run "as if" later, locally) is
      // accepted, but no token is good for longer than the cap from the moment it is checked.
      const nowSeconds = Math.floor(nowMs / 1000);
      if (claims.exp - claims.iat > maxLifetimeSeconds || claims.exp - nowSeconds > maxLifetimeSeconds) return fail('lifetime-too-long');
      if (options.recordId !== undefined && claims.rid !== options.recordId) return fail('wrong-request');
      if (options.approverEmail !== undefined && claims.sub.toLowerCase() !== options.approverEmail.trim().toLowerCase()) return fail('wrong-approver');
      return { ok: true, claims };
    } catch {
      // Defensive: nothing above should throw, but a verifier must never turn garbage into a 500.
      return fail('malformed');
    }
  }

  /**
   * The CSRF value for the decision form: an HMAC over the link token's
   * `jti` and a random per-page cookie value (double submit). A forged
   * cross-site POST has neither the cookie (SameSite=Strict) nor a way to
   * compute the field. Keyed with a key derived for this purpose only, and
   * prefixed with the key id so a rotation between GET and POST still works.
   */
  issueCsrfToken(jti: string, sessionValue: string): string {
    if (!JTI.test(jti)) throw new Error('jti must be a token id');
    if (!isSessionValue(sessionValue)) throw new Error('sessionValue must come from newCsrfSessionValue()');
    return `${this.currentId}.${csrfMac(this.keys.get(this.currentId)!, jti, sessionValue).toString('base64url')}`;
  }

  /** Constant-time check of the form's CSRF value against the cookie and the token. Never throws. */
  verifyCsrfToken(csrfToken: unknown, jti: unknown, sessionValue: unknown): boolean {
    try {
      if (typeof csrfToken !== 'string' || csrfToken.length > 200 || typeof jti !== 'string' || !JTI.test(jti) || !isSessionValue(sessionValue)) return false;
      const dot = csrfToken.lastIndexOf('.');
      if (dot <= 0) return false;
      const key = this.keys.get(csrfToken.slice(0, dot));
      const macText = csrfToken.slice(dot + 1);
      if (!key || !isCanonicalBase64url(macText, SIGNATURE_BYTES)) return false;
      const given = Buffer.from(macText, 'base64url');
      const expected = csrfMac(key, jti, sessionValue);
      return given.length === expected.length && timingSafeEqual(given, expected);
    } catch {
      return false;
    }
  }

  private verificationKey(header: JWTHeaderParameters): Uint8Array {
    const key = typeof header.kid === 'string' ? this.keys.get(header.kid) : undefined;
    if (!key) throw new UnknownKeyError();
    return key;
  }
}

/** A fresh random value for the CSRF cookie (one per rendered page). */
export function newCsrfSessionValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The key id a token's header names, without verifying anything (to pick the
 * key). Undefined for anything that does not parse.
 */
export function peekKeyId(token: unknown): string | undefined {
  try {
    if (!isCompactToken(token)) return undefined;
    const kid = decodeProtectedHeader(token).kid;
    return typeof kid === 'string' && KEY_ID.test(kid) ? kid : undefined;
  } catch {
    return undefined;
  }
}

export interface BuildLinksOptions {
  /** Path below the base URL that serves the decision page. */
  path?: string;
}

/**
 * Decision page URLs, one per action. The base must be https (plain http is
 * allowed only for localhost, for `npm start`). Tokens go in the query string
 * of a page that sends `Referrer-Policy: no-referrer`.
 */
export function buildDecisionLinks(baseUrl: string, tokens: Record<ApproverAction, string>, options: BuildLinksOptions = {}): DecisionLinks {
  const base = decisionBaseUrl(baseUrl);
  const path = (options.path ?? 'decide').replace(/^\/+/, '');
  const out = {} as DecisionLinks;
  for (const action of APPROVER_ACTIONS) {
    const token = tokens[action];
    if (typeof token !== 'string' || !token) throw new Error(`no token for ${action}`);
    const url = new URL(path, base);
    url.searchParams.set('token', token);
    out[action] = url.toString();
  }
  return out;
}

/** Issues one token per action for an approver and builds the links. */
export async function issueDecisionLinks(
  signer: DecisionLinkSigner,
  baseUrl: string,
  input: Omit<IssueInput, 'action' | 'nonce'>,
  options: BuildLinksOptions = {},
): Promise<DecisionLinks> {
  const tokens = {} as Record<ApproverAction, string>;
  for (const action of APPROVER_ACTIONS) tokens[action] = await signer.issue({ ...input, action });
  return buildDecisionLinks(baseUrl, tokens, options);
}

/** Validates and normalises the public base URL (trailing slash, no query or fragment). */
export function decisionBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`decision link base URL "${String(baseUrl).slice(0, 200)}" is not a URL`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`decision link base URL must use https (http only for localhost), got ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password) throw new Error('decision link base URL must not carry credentials');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

const RECORD_ID = z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^[^\u0000-\u001f\u007f]*$/));
const EMAIL = z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+$/));

/** The claims of an authentic token; anything else, even correctly signed, is not a link. */
const CLAIMS = z.strictObject({
  rid: RECORD_ID,
  sub: EMAIL,
  act: z.optional(z.enum(APPROVER_ACTIONS)),
  exp: z.int().check(z.positive()),
  iat: z.int().check(z.positive()),
  jti: z.string().check(z.regex(JTI)),
});

/** The key function's way of saying "no such kid" (jose passes what it throws through). */
class UnknownKeyError extends Error {}

/** jose's error codes, mapped to what the page tells the approver. */
function reasonFor(error: unknown): VerifyFailureReason {
  if (error instanceof UnknownKeyError) return 'unknown-key';
  switch ((error as { code?: unknown })?.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad-signature';
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    default:
      // alg "none" or another algorithm, a wrong `typ`, missing claims, an `iat` in the future, bad JSON…
      return 'malformed';
  }
}

/**
 * Three canonical base64url parts of bounded length, before jose sees it:
 * no padding, no lenient decoding, no spare bits in the signature, so one
 * token has exactly one spelling.
 */
function isCompactToken(token: unknown): token is string {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return false;
  const parts = token.split('.');
  return parts.length === 3 && isCanonicalBase64url(parts[0]) && isCanonicalBase64url(parts[1]) && isCanonicalBase64url(parts[2], SIGNATURE_BYTES);
}

/** base64url without padding that decodes and re-encodes to itself (no lenient decoding, no malleable trailing bits). */
function isCanonicalBase64url(text: string, bytes?: number): boolean {
  if (!text || !B64URL.test(text)) return false;
  const decoded = Buffer.from(text, 'base64url');
  if (bytes !== undefined && decoded.length !== bytes) return false;
  return decoded.toString('base64url') === text;
}

function isSessionValue(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 22 && value.length <= 128 && B64URL.test(value);
}

function csrfMac(key: Buffer, jti: string, sessionValue: string): Buffer {
  // Domain separation: a CSRF value can never double as a token signature.
  const csrfKey = createHmac('sha256', key).update('procurement-guardrail/csrf/v1').digest();
  return createHmac('sha256', csrfKey).update(`${jti}\n${sessionValue}`, 'utf8').digest();
}

function base64urlJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function fail(reason: VerifyFailureReason): VerifyResult {
  return { ok: false, reason };
}
