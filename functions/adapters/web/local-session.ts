/**
 * Local development sign-in for `npm start` ONLY: an approver types an email
 * address from the policy's approver directory, no password, and gets a
 * session cookie signed with the local decision-link key. Deployed, the
 * approvals API uses API Gateway's JWT authorizer and the company's identity
 * provider instead; the Lambda never constructs this class.
 *
 * The cookie is a compact JWS like the decision links (jose, HS256, `kid`
 * header, `typ: local-session+jwt`, claims `sub, iat, exp`), keyed with a key
 * derived from the keyring for this purpose only: a session can never pass
 * as a link or a CSRF value, nor a link as a session. HttpOnly, SameSite=Strict.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import * as z from '../../domain/zod-mini';
import { peekKeyId, type KeyringSource, type SigningKey } from '../security/decision-link-signer';
import { readCookie } from './security-headers';

export const SESSION_COOKIE = 'guardrail-local-session';
export const SIGN_IN_CSRF_COOKIE = 'guardrail-local-sign-in';

/** A working day: a local session does not need to outlive the developer's afternoon. */
const DEFAULT_TTL_MS = 8 * 3_600_000;
const SESSION_TYPE = 'local-session+jwt';
const SESSION_CLAIMS = z.strictObject({
  sub: z.string().check(z.minLength(3), z.maxLength(254)),
  iat: z.int().check(z.positive()),
  exp: z.int().check(z.positive()),
});

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
    const iat = Math.floor(now.getTime() / 1000);
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: current.id, typ: SESSION_TYPE })
      .setSubject(email)
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.floor(this.ttlMs / 1000))
      .sign(sessionKey(current));
    return cookie(SESSION_COOKIE, value, Math.floor(this.ttlMs / 1000));
  }

  /** The session in a request's cookies, if it is authentic, unexpired and no older than a session lives. Never throws. */
  async read(cookies: string | readonly string[] | undefined, now: Date): Promise<LocalSession | undefined> {
    try {
      const value = readCookie(cookies, SESSION_COOKIE);
      if (!value || value.length > 1024) return undefined;
      const kid = peekKeyId(value);
      const key = kid ? await this.keys.byId(kid) : undefined;
      if (!key) return undefined;
      const { payload } = await jwtVerify(value, sessionKey(key), {
        algorithms: ['HS256'],
        typ: SESSION_TYPE,
        currentDate: now,
        maxTokenAge: Math.floor(this.ttlMs / 1000),
        requiredClaims: ['sub', 'iat', 'exp'],
      });
      const claims = SESSION_CLAIMS.safeParse(payload);
      if (!claims.success || claims.data.exp - claims.data.iat > Math.floor(this.ttlMs / 1000)) return undefined;
      return { email: claims.data.sub, expiresAt: new Date(claims.data.exp * 1000) };
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

/** The keyring key, derived for sessions only (domain separation from links and CSRF values). */
function sessionKey(key: SigningKey): Uint8Array {
  return createHmac('sha256', key.key).update('procurement-guardrail/local-session/v1').digest();
}

/** Local only (plain http on localhost), so no `Secure`; HttpOnly and SameSite=Strict all the same. */
function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`].join('; ');
}
