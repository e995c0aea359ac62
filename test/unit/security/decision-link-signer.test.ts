import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT, UnsecuredJWT, base64url } from 'jose';
import {
  DecisionLinkSigner,
  MAX_LINK_LIFETIME_MS,
  MAX_TOKEN_LENGTH,
  StaticKeyProvider,
  TOKEN_TYPE,
  buildDecisionLinks,
  issueDecisionLinks,
  newCsrfSessionValue,
  peekKeyId,
  tokenUsageRecord,
  type SigningKey,
} from '../../../functions/adapters/security';

const key = (id: string, fill?: number): SigningKey => ({ id, key: fill === undefined ? randomBytes(32) : Buffer.alloc(32, fill) });
const K1 = key('k1', 1);
const K2 = key('k2', 2);
const NOW = new Date('2026-12-01T10:00:00.000Z');
const LATER = new Date('2026-12-08T10:00:00.000Z');
const signer = new DecisionLinkSigner(K1);

function issue(overrides: Partial<Parameters<DecisionLinkSigner['issue']>[0]> = {}, s = signer) {
  return s.issue({ recordId: 'REQ-1001', approverEmail: 'mia.manager@example.com', action: 'approve', expiresAt: LATER, now: NOW, ...overrides });
}

const parts = (t: string) => t.split('.');
const decodePart = (t: string, i: number) => JSON.parse(Buffer.from(parts(t)[i], 'base64url').toString('utf8'));
const decodeHeader = (t: string) => decodePart(t, 0);
const decodeClaims = (t: string) => decodePart(t, 1);
const encode = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
const secs = (d: Date) => d.getTime() / 1000;

/** A correctly signed JWT with any header and payload: what someone holding the key could make. */
function signRaw(payload: Record<string, unknown>, header: Record<string, unknown> = {}, k: SigningKey = K1): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: k.id, typ: TOKEN_TYPE, ...header } as never).sign(k.key);
}

describe('issue and verify', () => {
  it('issues a compact HS256 JWS whose header names the key and type, and whose claims bind request, approver, action, expiry and id', async () => {
    const t = await issue({ nonce: 'abcdefghijklmnopqrstuv' });
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(decodeHeader(t)).toEqual({ alg: 'HS256', kid: 'k1', typ: 'decision-link+jwt' });
    expect(decodeClaims(t)).toEqual({
      rid: 'REQ-1001',
      sub: 'mia.manager@example.com',
      act: 'approve',
      exp: secs(LATER),
      iat: secs(NOW),
      jti: 'abcdefghijklmnopqrstuv',
    });
    expect(await signer.verify(t, { recordId: 'REQ-1001', now: NOW })).toEqual({ ok: true, claims: { ...decodeClaims(t), kid: 'k1' } });
  });

  it("issues, byte for byte, the token jose's SignJWT makes from the same header and claims", async () => {
    for (const action of [undefined, 'approve', 'reject'] as const) {
      const token = await issue({ action, nonce: 'n0nce-0123456789abcdef' });
      const claims = decodeClaims(token) as Record<string, unknown>;
      const { rid, act, sub, iat, exp, jti } = claims as { rid: string; act?: string; sub: string; iat: number; exp: number; jti: string };
      const joseToken = await new SignJWT({ rid, ...(act ? { act } : {}) })
        .setProtectedHeader({ alg: 'HS256', kid: K1.id, typ: TOKEN_TYPE })
        .setSubject(sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(K1.key);
      expect(token).toBe(joseToken);
      expect(await signer.verify(token, { now: NOW })).toMatchObject({ ok: true });
    }
  });

  it('gives every token a different random id', async () => {
    const ids = new Set(await Promise.all(Array.from({ length: 50 }, async () => decodeClaims(await issue()).jti)));
    expect(ids.size).toBe(50);
  });

  it('refuses a token forged with another key under the same key id', async () => {
    const forger = new DecisionLinkSigner({ id: 'k1', key: randomBytes(32) });
    expect(await signer.verify(await issue({}, forger), { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses tampered claims (another request, a later expiry, another approver, another action)', async () => {
    const t = await issue();
    for (const change of [{ rid: 'REQ-9999' }, { exp: decodeClaims(t).exp + 86400 }, { sub: 'mallory@example.com' }, { act: 'reject' }]) {
      const forged = [parts(t)[0], encode({ ...decodeClaims(t), ...change }), parts(t)[2]].join('.');
      expect(await signer.verify(forged, { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('refuses a tampered header: another key id, another type, alg "none"', async () => {
    const t = await issue();
    const withHeader = (h: Record<string, unknown>) => [encode({ ...decodeHeader(t), ...h }), parts(t)[1], parts(t)[2]].join('.');
    const rotated = new DecisionLinkSigner(K2, [K1]);
    expect(await rotated.verify(withHeader({ kid: 'k2' }), { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await signer.verify(withHeader({ kid: 'nobody' }), { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
    // The header is signed too: changing its type breaks the signature (checked before any claim is read).
    expect(await signer.verify(withHeader({ typ: 'JWT' }), { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await signer.verify(withHeader({ alg: 'HS512' }), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    expect(await signer.verify(withHeader({ alg: 'none' }), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses an unsigned token (alg "none"), with or without a signature part', async () => {
    const claims = decodeClaims(await issue());
    const unsecured = new UnsecuredJWT(claims).encode(); // "<header>.<payload>." as jose writes it
    expect(await signer.verify(unsecured, { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    const none = `${encode({ alg: 'none', kid: 'k1', typ: TOKEN_TYPE })}.${encode(claims)}`;
    expect(await signer.verify(`${none}.`, { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    expect(await signer.verify(`${none}.${base64url.encode(new Uint8Array(32))}`, { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a token of another type signed with the same key (explicit typing)', async () => {
    const claims = decodeClaims(await issue());
    expect(await signer.verify(await signRaw(claims, { typ: 'JWT' }), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    expect(await signer.verify(await signRaw(claims, { typ: undefined }), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    expect(await signer.verify(await signRaw(claims), { now: NOW })).toMatchObject({ ok: true });
  });

  it('refuses a tampered signature, and any single-character change', async () => {
    const t = await issue();
    const sig = parts(t)[2];
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(await signer.verify(`${parts(t)[0]}.${parts(t)[1]}.${flipped}`, { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: t.length - 1 }), fc.constantFrom(...'AZaz09-_.x'), async (pos, ch) => {
        fc.pre(t[pos] !== ch);
        const changed = t.slice(0, pos) + ch + t.slice(pos + 1);
        expect((await signer.verify(changed, { now: NOW })).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an expired token from the second of its expiry', async () => {
    const t = await issue();
    expect((await signer.verify(t, { now: new Date(LATER.getTime() - 1) })).ok).toBe(true);
    expect(await signer.verify(t, { now: LATER })).toEqual({ ok: false, reason: 'expired' });
    expect(await signer.verify(t, { now: new Date('2027-01-01') })).toEqual({ ok: false, reason: 'expired' });
  });

  it('caps the lifetime when verifying: a correctly signed token living longer than the maximum is refused', async () => {
    const good = decodeClaims(await issue());
    const max = MAX_LINK_LIFETIME_MS / 1000;
    expect((await signer.verify(await signRaw({ ...good, exp: good.iat + max }), { now: NOW })).ok).toBe(true);
    expect(await signer.verify(await signRaw({ ...good, exp: good.iat + max + 1 }), { now: NOW })).toEqual({ ok: false, reason: 'lifetime-too-long' });
    expect(await signer.verify(await signRaw({ ...good, exp: 4_102_444_800 }), { now: NOW })).toEqual({ ok: false, reason: 'lifetime-too-long' });
    // A signer with a shorter cap applies it to tokens issued under a longer one.
    const strict = new DecisionLinkSigner(K1, [], { maxLifetimeMs: 3 * 86_400_000 });
    expect(await strict.verify(await issue(), { now: NOW })).toEqual({ ok: false, reason: 'lifetime-too-long' });
    // Back-dating iat does not help: the lifetime is still too long.
    expect(await signer.verify(await signRaw({ ...good, iat: good.iat - max - 60, exp: good.iat + 3600 }), { now: NOW })).toEqual({
      ok: false,
      reason: 'lifetime-too-long',
    });
    // An iat ahead of the clock (a sweep run "as if" later) is fine, but no token is good for longer than the cap from now.
    expect((await signer.verify(await signRaw({ ...good, iat: good.iat + 3600 }), { now: NOW })).ok).toBe(true);
    expect(await signer.verify(await signRaw({ ...good, iat: good.iat + 2 * max, exp: good.iat + 2 * max + 60 }), { now: NOW })).toEqual({
      ok: false,
      reason: 'lifetime-too-long',
    });
  });

  it('refuses a token used for another request or by another approver', async () => {
    const t = await issue();
    expect(await signer.verify(t, { recordId: 'REQ-2002', now: NOW })).toEqual({ ok: false, reason: 'wrong-request' });
    expect(await signer.verify(t, { recordId: 'REQ-1001', approverEmail: 'dana.director@example.com', now: NOW })).toEqual({
      ok: false,
      reason: 'wrong-approver',
    });
    expect((await signer.verify(t, { recordId: 'REQ-1001', approverEmail: ' Mia.Manager@Example.com ', now: NOW })).ok).toBe(true);
  });

  it('refuses a token naming a key it does not know', async () => {
    const other = new DecisionLinkSigner(K2);
    expect(await other.verify(await issue(), { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
    expect(await signer.verify(await signRaw(decodeClaims(await issue()), { kid: undefined }), { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('keeps verifying tokens of a previous key after rotation, and signs with the new one', async () => {
    const old = await issue();
    const rotated = new DecisionLinkSigner(K2, [K1]);
    expect((await rotated.verify(old, { now: NOW })).ok).toBe(true);
    const fresh = await issue({}, rotated);
    expect(decodeHeader(fresh).kid).toBe('k2');
    expect(await signer.verify(fresh, { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('refuses claims that are signed but out of shape', async () => {
    // A correctly signed payload with an extra claim or a wrong type is still not a token.
    const good = decodeClaims(await issue());
    expect((await signer.verify(await signRaw(good), { now: NOW })).ok).toBe(true);
    for (const bad of [
      { ...good, admin: true },
      { ...good, exp: String(good.exp) },
      { ...good, exp: good.exp + 0.5 },
      { ...good, act: 'delete' },
      { ...good, sub: 'not-an-email' },
      { ...good, jti: 'short' },
      { ...good, rid: '' },
      { ...good, rid: undefined },
      { ...good, jti: undefined },
    ]) {
      expect(await signer.verify(await signRaw(bad), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    }
    // Payloads that are not a claims object at all, signed with the right key.
    const sign = async (payload: string) => {
      const t = await signRaw(good);
      const { createHmac } = await import('node:crypto');
      const body = `${parts(t)[0]}.${Buffer.from(payload).toString('base64url')}`;
      return `${body}.${createHmac('sha256', K1.key).update(body).digest('base64url')}`;
    };
    for (const payload of ['[1]', 'null', '"v1"', '{'])
      expect(await signer.verify(await sign(payload), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    // JSON.parse makes "__proto__" an own key: it is refused like any unknown claim, correctly signed or not.
    expect(await signer.verify(await sign(JSON.stringify(good).replace('{', '{"__proto__":{"admin":true},')), { now: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('garbage never verifies and never throws', () => {
  const check = async (input: unknown): Promise<{ ok: false; reason: string }> => {
    const r = await signer.verify(input, { recordId: 'REQ-1001', now: NOW });
    expect(r.ok).toBe(false);
    return r as { ok: false; reason: string };
  };

  it('handles random strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (s) => void (await check(s))),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (s) => void (await check(s))),
      { numRuns: 500 },
    );
  });

  it('handles strings shaped like tokens', async () => {
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_='.split('')), minLength: 0, maxLength: 120 });
    const header = encode({ alg: 'HS256', kid: 'k1', typ: TOKEN_TYPE });
    await fc.assert(
      fc.asyncProperty(b64, b64, b64, async (a, b, c) => void (await check(`${a}.${b}.${c}`))),
      { numRuns: 500 },
    );
    await fc.assert(
      fc.asyncProperty(b64, b64, async (a, b) => void (await check(`${header}.${a}.${b}`))),
      { numRuns: 500 },
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        await check(`${header}.${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}.${randomBytes(32).toString('base64url')}`);
        await check(
          `${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}.${encode({ rid: 'REQ-1001' })}.${randomBytes(32).toString('base64url')}`,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('handles non-strings, huge strings, bad base64 and JSON bombs', async () => {
    for (const v of [undefined, null, 42, {}, [], Symbol('x'), () => 1, new Date(), Buffer.from('a.b.c')]) await check(v);
    const header = encode({ alg: 'HS256', kid: 'k1', typ: TOKEN_TYPE });
    const started = Date.now();
    expect(await check(`${header}.${'A'.repeat(10_000_000)}.x`)).toEqual({ ok: false, reason: 'malformed' });
    expect(Date.now() - started).toBeLessThan(500);
    expect((await check(`${header}.${Buffer.from('['.repeat(MAX_TOKEN_LENGTH) + ']'.repeat(MAX_TOKEN_LENGTH)).toString('base64url')}.x`)).reason).toBe(
      'malformed',
    );
    // The payload is not even parsed before the signature is checked.
    expect(
      (await check(`${header}.${Buffer.from('['.repeat(500) + ']'.repeat(500)).toString('base64url')}.${randomBytes(32).toString('base64url')}`)).reason,
    ).toBe('bad-signature');
    const t = await issue();
    expect((await check(`${t}.extra`)).reason).toBe('malformed');
    expect((await check(t.replace(/\./g, '%2E'))).reason).toBe('malformed');
    // Padding or non-canonical base64 is not the same token.
    expect((await check(`${t}=`)).reason).toBe('malformed');
    expect((await check(`${parts(t)[0]}.${parts(t)[1]}==.${parts(t)[2]}`)).reason).toBe('malformed');
    expect((await check(`${parts(t)[0]}.${parts(t)[1]}.${parts(t)[2].slice(0, -1)}`)).reason).toBe('malformed');
    expect(await signer.verify(t, { now: new Date('invalid') })).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('keys and issuing rules', () => {
  it('refuses keys shorter than 32 bytes, bad ids and duplicates', () => {
    expect(() => new DecisionLinkSigner({ id: 'k', key: Buffer.alloc(31) })).toThrow(/at least 32 bytes \(got 31\)/);
    expect(() => new DecisionLinkSigner({ id: 'k', key: 'x'.repeat(40) as unknown as Buffer })).toThrow(/at least 32 bytes/);
    expect(() => new DecisionLinkSigner({ id: 'bad id!', key: Buffer.alloc(32) })).toThrow(/key id/);
    expect(() => new DecisionLinkSigner(K1, [K1])).toThrow(/appears twice/);
  });

  it('copies the key so a caller reusing its buffer changes nothing', async () => {
    const buf = Buffer.alloc(32, 7);
    const s = new DecisionLinkSigner({ id: 'k', key: buf });
    const t = await issue({}, s);
    buf.fill(0);
    expect((await s.verify(t, { now: NOW })).ok).toBe(true);
  });

  it('refuses to issue expired, overlong or malformed tokens', async () => {
    await expect(issue({ expiresAt: NOW })).rejects.toThrow(/future/);
    await expect(issue({ expiresAt: new Date(NOW.getTime() + 31 * 86_400_000) })).rejects.toThrow(/at most 30 days/);
    await expect(issue({ approverEmail: 'nobody' })).rejects.toThrow(/approverEmail/);
    await expect(issue({ recordId: '' })).rejects.toThrow(/recordId/);
    await expect(issue({ nonce: 'short' })).rejects.toThrow(/nonce/);
    await expect(issue({ action: 'delete' as never })).rejects.toThrow(/action/);
  });

  it('exposes what the store needs to make a token work once', async () => {
    const t = await issue({ nonce: 'abcdefghijklmnopqrstuv' });
    const r = await signer.verify(t, { now: NOW });
    if (!r.ok) throw new Error(r.reason);
    expect(tokenUsageRecord(r.claims, 'reject', NOW)).toEqual({
      jti: 'abcdefghijklmnopqrstuv',
      recordId: 'REQ-1001',
      approverEmail: 'mia.manager@example.com',
      expiresAt: secs(LATER),
      usedAt: NOW.toISOString(),
      action: 'reject',
    });
    expect(peekKeyId(t)).toBe('k1');
    expect(peekKeyId('garbage')).toBeUndefined();
    expect(peekKeyId(`${encode({ kid: 'bad kid!' })}.e30.${randomBytes(32).toString('base64url')}`)).toBeUndefined();
  });

  it('builds a signer from a provider, fetching the older key a token names', async () => {
    const old = await issue();
    const byId = jest.fn(async (id: string) => (id === 'k1' ? K1 : undefined));
    const provider = { keyring: async () => ({ current: K2, previous: [] }), byId };
    const s = await DecisionLinkSigner.fromProvider(provider, { forToken: old });
    expect(byId).toHaveBeenCalledWith('k1');
    expect(s.keyId).toBe('k2');
    expect((await s.verify(old, { now: NOW })).ok).toBe(true);
    const s2 = await DecisionLinkSigner.fromProvider(new StaticKeyProvider({ current: K2, previous: [] }), { forToken: 'garbage' });
    expect(await s2.verify(old, { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });
});

describe('CSRF values', () => {
  let t: string;
  let jti: string;
  beforeAll(async () => {
    t = await issue();
    jti = decodeClaims(t).jti as string;
  });

  it('verify only with the same cookie value and token id', () => {
    const cookie = newCsrfSessionValue();
    const csrf = signer.issueCsrfToken(jti, cookie);
    expect(csrf).toMatch(/^k1\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verifyCsrfToken(csrf, jti, cookie)).toBe(true);
    expect(signer.verifyCsrfToken(csrf, jti, newCsrfSessionValue())).toBe(false);
    expect(signer.verifyCsrfToken(csrf, 'another-token-id-0123', cookie)).toBe(false);
    expect(new DecisionLinkSigner({ id: 'k1', key: randomBytes(32) }).verifyCsrfToken(csrf, jti, cookie)).toBe(false);
    expect(signer.verifyCsrfToken(csrf.slice(0, -2) + 'AA', jti, cookie)).toBe(false);
  });

  it('is not the token signature (separate key derivation)', () => {
    const cookie = newCsrfSessionValue();
    expect(signer.issueCsrfToken(jti, cookie).split('.')[1]).not.toBe(parts(t)[2]);
  });

  it('survives a key rotation between page and POST', () => {
    const cookie = newCsrfSessionValue();
    const csrf = signer.issueCsrfToken(jti, cookie);
    expect(new DecisionLinkSigner(K2, [K1]).verifyCsrfToken(csrf, jti, cookie)).toBe(true);
  });

  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, c) => {
        expect(signer.verifyCsrfToken(a, b, c)).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(signer.verifyCsrfToken('k1.' + 'A'.repeat(43), jti, '')).toBe(false);
    expect(() => signer.issueCsrfToken(jti, 'short')).toThrow(/sessionValue/);
  });
});

describe('decision links', () => {
  const tokens = { approve: 'v1.a.b', reject: 'v1.c.d', 'request-info': 'v1.e.f' };

  it('puts the token in the query string under the base path', () => {
    expect(buildDecisionLinks('https://guardrail.example.com/prod', tokens)).toEqual({
      approve: 'https://guardrail.example.com/prod/decide?token=v1.a.b',
      reject: 'https://guardrail.example.com/prod/decide?token=v1.c.d',
      'request-info': 'https://guardrail.example.com/prod/decide?token=v1.e.f',
    });
    expect(buildDecisionLinks('http://localhost:3000/', tokens, { path: '/approvals/decide' }).approve).toBe(
      'http://localhost:3000/approvals/decide?token=v1.a.b',
    );
  });

  it('requires https except on localhost, and no credentials', () => {
    expect(() => buildDecisionLinks('http://guardrail.example.com', tokens)).toThrow(/https/);
    expect(() => buildDecisionLinks('javascript:alert(1)', tokens)).toThrow(/https/);
    expect(() => buildDecisionLinks('not a url', tokens)).toThrow(/not a URL/);
    expect(() => buildDecisionLinks('https://u:p@guardrail.example.com', tokens)).toThrow(/credentials/);
  });

  it('issues one distinct token per action, each preselecting its action', async () => {
    const links = await issueDecisionLinks(signer, 'https://guardrail.example.com', {
      recordId: 'REQ-1001',
      approverEmail: 'mia.manager@example.com',
      expiresAt: LATER,
      now: NOW,
    });
    const claims = await Promise.all(
      Object.entries(links).map(async ([action, url]) => {
        const token = new URL(url).searchParams.get('token')!;
        const r = await signer.verify(token, { recordId: 'REQ-1001', now: NOW });
        if (!r.ok) throw new Error(r.reason);
        expect(r.claims.act).toBe(action);
        return r.claims.jti;
      }),
    );
    expect(new Set(claims).size).toBe(3);
  });
});
