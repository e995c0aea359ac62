/**
 * Local development sign-in for `npm start` ONLY: an approver types an email
 * address from the policy's approver directory, no password, and gets a
 * session cookie signed with the local decision-link key. Deployed, the
 * approvals API uses API Gateway's JWT authorizer and the company's identity
 * provider instead; the Lambda never constructs this class.
 *
 * The cookie is `<base64url(JSON {sub, exp})>.<base64url(HMAC)>`, keyed with
 * a key derived from the keyring for this purpose only (a session value can
 * never pass as a link signature or CSRF value), HttpOnly and SameSite=Strict.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyringSource, SigningKey } from '../security/decision-link-signer';
import { readCookie } from './security-headers';

export const SESSION_COOKIE = 'guardrail-local-session';
export const SIGN_IN_CSRF_COOKIE = 'guardrail-local-sign-in';

/** A working day: a local session does not need to outlive the developer's afternoon. */
const DEFAULT_TTL_MS = 8 * 3_600_000;
const B64URL = /^[A-Za-z0-9_-]+$/;

export interface LocalSession {
  email: string;
  expiresAt: Date;
}

export class LocalSessions {
  private readonly ttlMs: number;

  constructor(
    private readonly keys: KeyringSource,
    options: { ttlMs?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** `Set-Cookie` for a new session of `email`. */
  async issue(email: string, now: Date): Promise<string> {
    const { current } = await this.keys.keyring();
    const payload = Buffer.from(JSON.stringify({ sub: email, exp: Math.floor((now.getTime() + this.ttlMs) / 1000), kid: current.id }), 'utf8').toString('base64url');
    const value = `${payload}.${mac(current, payload).toString('base64url')}`;
    return cookie(SESSION_COOKIE, value, Math.floor(this.ttlMs / 1000));
  }

  /** The session in a request's cookies, if it is authentic and unexpired. Never throws. */
  async read(cookies: string | readonly string[] | undefined, now: Date): Promise<LocalSession | undefined> {
    try {
      const value = readCookie(cookies, SESSION_COOKIE);
      if (!value || value.length > 1024) return undefined;
      const [payload, signature, extra] = value.split('.');
      if (extra !== undefined || !payload || !signature || !B64URL.test(payload) || !B64URL.test(signature)) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown; kid?: unknown };
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || typeof claims.kid !== 'string') return undefined;
      const key = await this.keys.byId(claims.kid);
      if (!key) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(key, payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      if (now.getTime() >= claims.exp * 1000) return undefined;
      return { email: claims.sub, expiresAt: new Date(claims.exp * 1000) };
    } catch {
      return undefined;
    }
  }

  /** `Set-Cookie` that ends the session. */
  clear(): string {
    return cookie(SESSION_COOKIE, '', 0);
  }

  /** A fresh double-submit value for the sign-in form: the same random value in a cookie and a hidden field. */
  newSignInCsrf(): { value: string; cookie: string } {
    const value = randomBytes(24).toString('base64url');
    return { value, cookie: cookie(SIGN_IN_CSRF_COOKIE, value, 3600) };
  }

  /** True when the form's value matches the cookie (constant time). */
  checkSignInCsrf(cookies: string | readonly string[] | undefined, formValue: string | undefined): boolean {
    const expected = readCookie(cookies, SIGN_IN_CSRF_COOKIE);
    if (!expected || !formValue || expected.length !== formValue.length) return false;
    return timingSafeEqual(Buffer.from(expected), Buffer.from(formValue));
  }
}

function mac(key: SigningKey, payload: string): Buffer {
  const sessionKey = createHmac('sha256', key.key).update('procurement-guardrail/local-session/v1').digest();
  return createHmac('sha256', sessionKey).update(payload, 'utf8').digest();
}

/** Local only (plain http on localhost), so no `Secure`; HttpOnly and SameSite=Strict all the same. */
function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`].join('; ');
}
