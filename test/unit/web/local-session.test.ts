import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { DecisionLinkSigner, StaticKeyProvider, type SigningKey } from '../../../functions/adapters/security';
import { LocalSessions, SESSION_COOKIE } from '../../../functions/adapters/web/local-session';

const K1: SigningKey = { id: 'k1', key: randomBytes(32) };
const K2: SigningKey = { id: 'k2', key: randomBytes(32) };
const NOW = new Date('2026-12-01T10:00:00Z');
const sessions = new LocalSessions(new StaticKeyProvider({ current: K1, previous: [] }));
const valueOf = (setCookie: string) => setCookie.split(';')[0].slice(SESSION_COOKIE.length + 1);
const asCookie = (value: string) => `${SESSION_COOKIE}=${value}`;
const sessionKey = (k: SigningKey) => createHmac('sha256', k.key).update('procurement-guardrail/local-session/v1').digest();
const signSession = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, k = K1) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: k.id, typ: 'local-session+jwt', ...header } as never).sign(sessionKey(k));
const iat = NOW.getTime() / 1000;

describe('local sessions (npm start sign-in)', () => {
  it('issues an HttpOnly, SameSite=Strict cookie holding a compact JWS, and reads it back until it expires', async () => {
    const setCookie = await sessions.issue('marcus.lee@example.com', NOW);
    expect(setCookie).toMatch(/^guardrail-local-session=eyJ[\w-]+\.[\w-]+\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const cookie = asCookie(valueOf(setCookie));
    expect(await sessions.read(cookie, NOW)).toEqual({ email: 'marcus.lee@example.com', expiresAt: new Date(NOW.getTime() + 8 * 3_600_000) });
    expect(await sessions.read(cookie, new Date(NOW.getTime() + 8 * 3_600_000 - 1000))).toBeDefined();
    expect(await sessions.read(cookie, new Date(NOW.getTime() + 8 * 3_600_000))).toBeUndefined();
  });

  it('keeps a session across a key rotation, and refuses one signed with a key the ring does not hold', async () => {
    const cookie = asCookie(valueOf(await sessions.issue('marcus.lee@example.com', NOW)));
    expect(await new LocalSessions(new StaticKeyProvider({ current: K2, previous: [K1] })).read(cookie, NOW)).toBeDefined();
    expect(await new LocalSessions(new StaticKeyProvider({ current: K2, previous: [] })).read(cookie, NOW)).toBeUndefined();
    expect(
      await sessions.read(asCookie(await signSession({ sub: 'a@example.com', iat, exp: iat + 60 }, { kid: 'k1' }, { id: 'k1', key: randomBytes(32) })), NOW),
    ).toBeUndefined();
  });

  it('refuses tampered, unsigned, re-typed, over-long and out-of-shape sessions', async () => {
    const value = valueOf(await sessions.issue('marcus.lee@example.com', NOW));
    const [h, p, s] = value.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      `${h}.${b64({ ...claims, sub: 'chris.cio@example.com' })}.${s}`,
      `${b64({ alg: 'none', kid: 'k1', typ: 'local-session+jwt' })}.${p}.`,
      `${b64({ alg: 'HS512', kid: 'k1', typ: 'local-session+jwt' })}.${p}.${s}`,
      await signSession({ sub: 'a@example.com', iat, exp: iat + 60 }, { typ: 'decision-link+jwt' }),
      await signSession({ sub: 'a@example.com', iat, exp: iat + 9 * 3600 }),
      await signSession({ sub: 'a@example.com', iat: iat - 9 * 3600, exp: iat + 60 }),
      await signSession({ sub: 'a@example.com', iat, exp: iat + 60, admin: true }),
      await signSession({ iat, exp: iat + 60 }),
      'not-a-jwt',
      'a'.repeat(2000),
    ]) {
      expect(await sessions.read(asCookie(bad), NOW)).toBeUndefined();
    }
    expect(await sessions.read(asCookie(await signSession({ sub: 'a@example.com', iat, exp: iat + 60 })), NOW)).toEqual({
      email: 'a@example.com',
      expiresAt: new Date((iat + 60) * 1000),
    });
  });

  it('a decision link is not a session, even though both come from the same keyring', async () => {
    const link = await new DecisionLinkSigner(K1).issue({
      recordId: 'PR-1',
      approverEmail: 'marcus.lee@example.com',
      expiresAt: new Date(NOW.getTime() + 3_600_000),
      now: NOW,
    });
    expect(await sessions.read(asCookie(link), NOW)).toBeUndefined();
  });
});
