/**
 * Signed renewal links: an agreement's owner records renew / renegotiate /
 * cancel from their reminder email. Built like decision links (HS256 JWT by
 * `jose`, `kid` for rotation, capped lifetime, verification never throws) but
 * a different type (`typ: renewal-link+jwt`) under a key derived for this
 * purpose only, so neither kind of token can pass for the other. Single use
 * comes from the store: a renewal's decision is recorded once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTHeaderParameters } from 'jose';
import * as z from '../../domain/zod-mini';
import { RENEWAL_ACTIONS, type RenewalAction } from '../../domain/renewals/schedule';
import type { RenewalLinkIssuer } from '../../domain/ports/renewal-link-issuer';
import { MAX_TOKEN_LENGTH, decisionBaseUrl, peekKeyId, type KeyringSource, type SigningKey } from './decision-link-signer';

export const RENEWAL_TOKEN_TYPE = 'renewal-link+jwt';
/** Owners get two weeks between reminders; a link lives at most this long. */
export const MAX_RENEWAL_LINK_LIFETIME_MS = 21 * 24 * 3_600_000;

export interface RenewalLinkClaims {
  /** The renewal: agreement key and renewal date. */
  rk: string;
  rd: string;
  /** The owner the link was sent to. */
  sub: string;
  act: RenewalAction;
  exp: number;
  iat: number;
  jti: string;
}

const CLAIMS = z.object({
  rk: z.string().check(z.minLength(1), z.maxLength(300)),
  rd: z.iso.date(),
  sub: z.email().check(z.maxLength(254)),
  act: z.enum(RENEWAL_ACTIONS),
  exp: z.int(),
  iat: z.int(),
  jti: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
});

const derive = (key: Buffer) => createHmac('sha256', key).update('procurement-guardrail/renewal-link/v1').digest();

export type RenewalVerifyResult =
  { ok: true; claims: RenewalLinkClaims } | { ok: false; reason: 'malformed' | 'expired' | 'bad-signature' | 'unknown-key' | 'lifetime-too-long' };

export class RenewalLinkSigner {
  constructor(private readonly keys: KeyringSource) {}

  async issue(input: { key: string; renewalDate: string; owner: string; action: RenewalAction; expiresAt: Date; now: Date }): Promise<string> {
    const { current } = await this.keys.keyring();
    const iat = Math.floor(input.now.getTime() / 1000);
    const exp = Math.min(Math.floor(input.expiresAt.getTime() / 1000), iat + MAX_RENEWAL_LINK_LIFETIME_MS / 1000);
    if (exp <= iat) throw new Error('expiresAt must be in the future');
    return new SignJWT({ rk: input.key, rd: input.renewalDate, act: input.action })
      .setProtectedHeader({ alg: 'HS256', kid: current.id, typ: RENEWAL_TOKEN_TYPE })
      .setSubject(input.owner)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomBytes(18).toString('base64url'))
      .sign(derive(current.key));
  }

  async verify(token: unknown, now: Date): Promise<RenewalVerifyResult> {
    try {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return { ok: false, reason: 'malformed' };
      const kid = peekKeyId(token);
      const ring = await this.keys.keyring();
      const key: SigningKey | undefined = [ring.current, ...ring.previous].find((k) => k.id === kid) ?? (kid ? await this.keys.byId(kid) : undefined);
      if (!key) return { ok: false, reason: 'unknown-key' };
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, (header: JWTHeaderParameters) => (header.kid === key.id ? derive(key.key) : new Uint8Array()), {
          algorithms: ['HS256'],
          typ: RENEWAL_TOKEN_TYPE,
          currentDate: now,
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        }));
      } catch (error) {
        return { ok: false, reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'bad-signature' };
      }
      const parsed = CLAIMS.safeParse(payload);
      if (!parsed.success) return { ok: false, reason: 'malformed' };
      const maxSeconds = MAX_RENEWAL_LINK_LIFETIME_MS / 1000;
      if (parsed.data.exp - parsed.data.iat > maxSeconds || parsed.data.exp - now.getTime() / 1000 > maxSeconds)
        return { ok: false, reason: 'lifetime-too-long' };
      return { ok: true, claims: parsed.data };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
  }
}

/** The domain's RenewalLinkIssuer: `<base>renewals/act?token=…` per action. */
export class SignedRenewalLinkIssuer implements RenewalLinkIssuer {
  private readonly signer: RenewalLinkSigner;

  constructor(private readonly options: { keys: KeyringSource; baseUrl: string | (() => string); inbox?: boolean }) {
    this.signer = new RenewalLinkSigner(options.keys);
  }

  private base(): URL {
    const b = this.options.baseUrl;
    return decisionBaseUrl(typeof b === 'function' ? b() : b);
  }

  async linksFor(input: { key: string; renewalDate: string; owner: string; expiresAt: Date; now: Date }): Promise<Record<RenewalAction, string>> {
    const out = {} as Record<RenewalAction, string>;
    for (const action of RENEWAL_ACTIONS) {
      const url = new URL('renewals/act', this.base());
      url.searchParams.set('token', await this.signer.issue({ ...input, action }));
      out[action] = url.toString();
    }
    return out;
  }

  calendarUrl(): string | undefined {
    return this.options.inbox === false ? undefined : new URL('renewals', this.base()).toString();
  }
}
