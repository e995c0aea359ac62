/**
 * Signed decision links. An approver's email carries one link per action;
 * each link holds a token bound to the request, the approver and an expiry,
 * signed with HMAC-SHA256 under a key from Secrets Manager or SSM (never in
 * code). The token only opens the decision page: mail scanners fetch every
 * link, so nothing is decided by a GET, and the single use of a token is
 * enforced by the store when the page's POST records a decision (a
 * conditional put of the token's `jti`).
 *
 * Format: `v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "v1.<claims>"))>`.
 * Verification never throws: anything that is not a well-formed token is
 * `malformed`, and signatures are compared in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { APPROVER_ACTIONS, type ApproverAction, type DecisionLinks } from '../../domain/approvals';

export const TOKEN_VERSION = 'v1';
/** HMAC-SHA256 keys shorter than the hash output weaken it; refuse them. */
export const MIN_KEY_BYTES = 32;
/** Real tokens are ~300 characters; anything much longer is refused before parsing. */
export const MAX_TOKEN_LENGTH = 2048;
/** Links live at most this long, however long the caller asks for. */
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

/** What a token asserts. Short names keep links short. */
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
  /** Which key signed it. */
  kid: string;
}

export type VerifyFailureReason = 'malformed' | 'bad-signature' | 'expired' | 'wrong-request' | 'wrong-approver' | 'unknown-key';
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
    this.maxLifetimeMs = options.maxLifetimeMs ?? MAX_LINK_LIFETIME_MS;
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
  issue(input: IssueInput): string {
    const now = input.now ?? new Date();
    if (typeof input.recordId !== 'string' || input.recordId.length < 1 || input.recordId.length > 256 || /[\u0000-\u001f\u007f]/.test(input.recordId)) {
      throw new Error('recordId must be 1-256 characters without control characters');
    }
    const sub = typeof input.approverEmail === 'string' ? input.approverEmail.trim() : '';
    if (!/^[^\s@]+@[^\s@]+$/.test(sub) || sub.length > 254) throw new Error('approverEmail must be an email address');
    if (input.action !== undefined && !APPROVER_ACTIONS.includes(input.action)) throw new Error(`action must be one of ${APPROVER_ACTIONS.join(', ')}`);
    const expMs = input.expiresAt?.getTime?.();
    if (!Number.isFinite(expMs) || expMs <= now.getTime()) throw new Error('expiresAt must be a date in the future');
    if (expMs - now.getTime() > this.maxLifetimeMs) {
      throw new Error(`expiresAt must be at most ${Math.round(this.maxLifetimeMs / 86_400_000)} days ahead`);
    }
    const jti = input.nonce ?? randomBytes(18).toString('base64url');
    if (!JTI.test(jti)) throw new Error('nonce must be 16-64 base64url characters');
    const claims: DecisionLinkClaims = {
      rid: input.recordId,
      sub,
      ...(input.action ? { act: input.action } : {}),
      exp: Math.floor(expMs / 1000),
      iat: Math.floor(now.getTime() / 1000),
      jti,
      kid: this.currentId,
    };
    const body = `${TOKEN_VERSION}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
    return `${body}.${hmac(this.keys.get(this.currentId)!, body).toString('base64url')}`;
  }

  /**
   * Checks a token from a URL or form. Never throws. Order: shape, key,
   * signature, then what the (authentic) claims say: request, approver, expiry.
   */
  verify(token: unknown, options: VerifyOptions): VerifyResult {
    try {
      const parsed = parseToken(token);
      if (!parsed) return fail('malformed');
      const key = this.keys.get(parsed.claims.kid);
      if (!key) return fail('unknown-key');
      const expected = hmac(key, parsed.signedPart);
      if (parsed.signature.length !== expected.length || !timingSafeEqual(parsed.signature, expected)) return fail('bad-signature');
      const claims = parsed.claims;
      if (options.recordId !== undefined && claims.rid !== options.recordId) return fail('wrong-request');
      if (options.approverEmail !== undefined && claims.sub.toLowerCase() !== options.approverEmail.trim().toLowerCase()) return fail('wrong-approver');
      const nowMs = options.now?.getTime?.();
      if (!Number.isFinite(nowMs) || nowMs >= claims.exp * 1000) return fail('expired');
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
}

/** A fresh random value for the CSRF cookie (one per rendered page). */
export function newCsrfSessionValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The key id a token claims, without verifying anything (to pick the key).
 * Undefined for anything that does not parse.
 */
export function peekKeyId(token: unknown): string | undefined {
  try {
    return parseToken(token)?.claims.kid;
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
export function issueDecisionLinks(
  signer: DecisionLinkSigner,
  baseUrl: string,
  input: Omit<IssueInput, 'action' | 'nonce'>,
  options: BuildLinksOptions = {},
): DecisionLinks {
  const tokens = {} as Record<ApproverAction, string>;
  for (const action of APPROVER_ACTIONS) tokens[action] = signer.issue({ ...input, action });
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

interface ParsedToken {
  claims: DecisionLinkClaims;
  signedPart: string;
  signature: Buffer;
}

function parseToken(token: unknown): ParsedToken | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_VERSION) return undefined;
  const [, payload, sig] = parts;
  if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(sig, SIGNATURE_BYTES)) return undefined;
  const json = Buffer.from(payload, 'base64url').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const claims = toClaims(value);
  if (!claims) return undefined;
  return { claims, signedPart: `${TOKEN_VERSION}.${payload}`, signature: Buffer.from(sig, 'base64url') };
}

const CLAIM_KEYS = new Set(['rid', 'sub', 'act', 'exp', 'iat', 'jti', 'kid']);

function toClaims(value: unknown): DecisionLinkClaims | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.some((k) => !CLAIM_KEYS.has(k))) return undefined;
  const { rid, sub, act, exp, iat, jti, kid } = o;
  if (typeof rid !== 'string' || rid.length < 1 || rid.length > 256 || /[\u0000-\u001f\u007f]/.test(rid)) return undefined;
  if (typeof sub !== 'string' || sub.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(sub)) return undefined;
  if (act !== undefined && !(typeof act === 'string' && (APPROVER_ACTIONS as readonly string[]).includes(act))) return undefined;
  if (!Number.isSafeInteger(exp) || (exp as number) <= 0) return undefined;
  if (!Number.isSafeInteger(iat) || (iat as number) <= 0) return undefined;
  if (typeof jti !== 'string' || !JTI.test(jti)) return undefined;
  if (typeof kid !== 'string' || !KEY_ID.test(kid)) return undefined;
  return { rid, sub, ...(act !== undefined ? { act: act as ApproverAction } : {}), exp: exp as number, iat: iat as number, jti, kid };
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

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function csrfMac(key: Buffer, jti: string, sessionValue: string): Buffer {
  // Domain separation: a CSRF value can never double as a token signature.
  const csrfKey = createHmac('sha256', key).update('procurement-guardrail/csrf/v1').digest();
  return createHmac('sha256', csrfKey).update(`${jti}\n${sessionValue}`, 'utf8').digest();
}

function fail(reason: VerifyFailureReason): VerifyResult {
  return { ok: false, reason };
}
