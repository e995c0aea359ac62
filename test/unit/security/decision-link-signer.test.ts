import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  DecisionLinkSigner,
  MAX_TOKEN_LENGTH,
  StaticKeyProvider,
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
const decodeClaims = (t: string) => JSON.parse(Buffer.from(parts(t)[1], 'base64url').toString('utf8'));
const encodeClaims = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');

describe('issue and verify', () => {
  it('issues a compact v1 token whose claims bind request, approver, action, expiry, id and key', () => {
    const t = issue({ nonce: 'abcdefghijklmnopqrstuv' });
    expect(t).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(decodeClaims(t)).toEqual({
      rid: 'REQ-1001',
      sub: 'mia.manager@example.com',
      act: 'approve',
      exp: LATER.getTime() / 1000,
      iat: NOW.getTime() / 1000,
      jti: 'abcdefghijklmnopqrstuv',
      kid: 'k1',
    });
    expect(signer.verify(t, { recordId: 'REQ-1001', now: NOW })).toEqual({ ok: true, claims: decodeClaims(t) });
  });

  it('gives every token a different random id', () => {
    const ids = new Set(Array.from({ length: 50 }, () => decodeClaims(issue()).jti));
    expect(ids.size).toBe(50);
  });

  it('refuses a token forged with another key under the same key id', () => {
    const forger = new DecisionLinkSigner({ id: 'k1', key: randomBytes(32) });
    expect(signer.verify(issue({}, forger), { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses tampered claims (another request, a later expiry, another approver)', () => {
    const t = issue();
    for (const change of [{ rid: 'REQ-9999' }, { exp: decodeClaims(t).exp + 86400 }, { sub: 'mallory@example.com' }, { act: 'reject' }]) {
      const forged = ['v1', encodeClaims({ ...decodeClaims(t), ...change }), parts(t)[2]].join('.');
      expect(signer.verify(forged, { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('refuses a tampered signature', () => {
    const t = issue();
    const sig = parts(t)[2];
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(signer.verify(`v1.${parts(t)[1]}.${flipped}`, { now: NOW })).toEqual({ ok: false, reason: 'bad-signature' });
    // Any single-character change anywhere in the token fails.
    fc.assert(
      fc.property(fc.nat({ max: t.length - 1 }), fc.constantFrom(...'AZaz09-_.x'), (pos, ch) => {
        fc.pre(t[pos] !== ch);
        const changed = t.slice(0, pos) + ch + t.slice(pos + 1);
        expect(signer.verify(changed, { now: NOW }).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an expired token from the second of its expiry', () => {
    const t = issue();
    expect(signer.verify(t, { now: new Date(LATER.getTime() - 1) }).ok).toBe(true);
    expect(signer.verify(t, { now: LATER })).toEqual({ ok: false, reason: 'expired' });
    expect(signer.verify(t, { now: new Date('2027-01-01') })).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token used for another request or by another approver', () => {
    const t = issue();
    expect(signer.verify(t, { recordId: 'REQ-2002', now: NOW })).toEqual({ ok: false, reason: 'wrong-request' });
    expect(signer.verify(t, { recordId: 'REQ-1001', approverEmail: 'dana.director@example.com', now: NOW })).toEqual({ ok: false, reason: 'wrong-approver' });
    expect(signer.verify(t, { recordId: 'REQ-1001', approverEmail: ' Mia.Manager@Example.com ', now: NOW }).ok).toBe(true);
  });

  it('refuses a token naming a key it does not know', () => {
    const other = new DecisionLinkSigner(K2);
    expect(other.verify(issue(), { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('keeps verifying tokens of a previous key after rotation, and signs with the new one', () => {
    const old = issue();
    const rotated = new DecisionLinkSigner(K2, [K1]);
    expect(rotated.verify(old, { now: NOW }).ok).toBe(true);
    const fresh = issue({}, rotated);
    expect(decodeClaims(fresh).kid).toBe('k2');
    expect(signer.verify(fresh, { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('refuses claims that are signed but out of shape', () => {
    // A correctly signed payload with an extra claim or a wrong type is still not a token.
    const sign = (claims: unknown) => {
      const body = `v1.${encodeClaims(claims)}`;
      return `${body}.${createHmac('sha256', K1.key).update(body).digest('base64url')}`;
    };
    const good = decodeClaims(issue());
    expect(signer.verify(sign(good), { now: NOW }).ok).toBe(true);
    for (const bad of [
      { ...good, admin: true },
      { ...good, exp: String(good.exp) },
      { ...good, exp: 1.5 },
      { ...good, act: 'delete' },
      { ...good, sub: 'not-an-email' },
      { ...good, jti: 'short' },
      { ...good, rid: '' },
      [good],
      null,
      'v1',
    ]) {
      expect(signer.verify(sign(bad), { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
    }
    // JSON.parse makes "__proto__" an own key: it is refused like any unknown claim, correctly signed or not.
    const body = `v1.${Buffer.from(JSON.stringify(good).replace('{', '{"__proto__":{"admin":true},')).toString('base64url')}`;
    const protoToken = `${body}.${createHmac('sha256', K1.key).update(body).digest('base64url')}`;
    expect(signer.verify(protoToken, { now: NOW })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('garbage never verifies and never throws', () => {
  const check = (input: unknown): { ok: false; reason: string } => {
    const r = signer.verify(input, { recordId: 'REQ-1001', now: NOW });
    expect(r.ok).toBe(false);
    return r as { ok: false; reason: string };
  };

  it('handles random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void check(s)), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void check(s)), { numRuns: 500 });
  });

  it('handles strings shaped like tokens', () => {
    const b64 = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_='.split('')), minLength: 0, maxLength: 120 });
    fc.assert(fc.property(b64, b64, (a, b) => void check(`v1.${a}.${b}`)), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        check(`v1.${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}.${randomBytes(32).toString('base64url')}`);
      }),
      { numRuns: 500 },
    );
  });

  it('handles non-strings, huge strings, bad base64 and JSON bombs', () => {
    for (const v of [undefined, null, 42, {}, [], Symbol('x'), () => 1, new Date(), Buffer.from('v1.a.b')]) check(v);
    const started = Date.now();
    expect(check('v1.' + 'A'.repeat(10_000_000) + '.x')).toEqual({ ok: false, reason: 'malformed' });
    expect(Date.now() - started).toBeLessThan(500);
    expect(check('v1.' + Buffer.from('['.repeat(MAX_TOKEN_LENGTH) + ']'.repeat(MAX_TOKEN_LENGTH)).toString('base64url') + '.x').reason).toBe('malformed');
    expect(check('v1.' + Buffer.from('['.repeat(500) + ']'.repeat(500)).toString('base64url') + '.' + randomBytes(32).toString('base64url')).reason).toBe('malformed');
    const t = issue();
    expect(check(t.replace(/^v1/, 'v2')).reason).toBe('malformed');
    expect(check(`${t}.extra`).reason).toBe('malformed');
    expect(check(t.replace(/\./g, '%2E')).reason).toBe('malformed');
    // Padding or non-canonical base64 is not the same token.
    expect(check(`${t}=`).reason).toBe('malformed');
    expect(check(`v1.${parts(t)[1]}==.${parts(t)[2]}`).reason).toBe('malformed');
    expect(check(`v1.${parts(t)[1]}.${parts(t)[2].slice(0, -1)}`).reason).toBe('malformed');
    expect(signer.verify(t, { now: new Date('invalid') })).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('keys and issuing rules', () => {
  it('refuses keys shorter than 32 bytes, bad ids and duplicates', () => {
    expect(() => new DecisionLinkSigner({ id: 'k', key: Buffer.alloc(31) })).toThrow(/at least 32 bytes \(got 31\)/);
    expect(() => new DecisionLinkSigner({ id: 'k', key: 'x'.repeat(40) as unknown as Buffer })).toThrow(/at least 32 bytes/);
    expect(() => new DecisionLinkSigner({ id: 'bad id!', key: Buffer.alloc(32) })).toThrow(/key id/);
    expect(() => new DecisionLinkSigner(K1, [K1])).toThrow(/appears twice/);
  });

  it('copies the key so a caller reusing its buffer changes nothing', () => {
    const buf = Buffer.alloc(32, 7);
    const s = new DecisionLinkSigner({ id: 'k', key: buf });
    const t = issue({}, s);
    buf.fill(0);
    expect(s.verify(t, { now: NOW }).ok).toBe(true);
  });

  it('refuses to issue expired, overlong or malformed tokens', () => {
    expect(() => issue({ expiresAt: NOW })).toThrow(/future/);
    expect(() => issue({ expiresAt: new Date(NOW.getTime() + 31 * 86_400_000) })).toThrow(/at most 30 days/);
    expect(() => issue({ approverEmail: 'nobody' })).toThrow(/approverEmail/);
    expect(() => issue({ recordId: '' })).toThrow(/recordId/);
    expect(() => issue({ nonce: 'short' })).toThrow(/nonce/);
    expect(() => issue({ action: 'delete' as never })).toThrow(/action/);
  });

  it('exposes what the store needs to make a token work once', () => {
    const t = issue({ nonce: 'abcdefghijklmnopqrstuv' });
    const r = signer.verify(t, { now: NOW });
    if (!r.ok) throw new Error(r.reason);
    expect(tokenUsageRecord(r.claims, 'reject', NOW)).toEqual({
      jti: 'abcdefghijklmnopqrstuv',
      recordId: 'REQ-1001',
      approverEmail: 'mia.manager@example.com',
      expiresAt: LATER.getTime() / 1000,
      usedAt: NOW.toISOString(),
      action: 'reject',
    });
    expect(peekKeyId(t)).toBe('k1');
    expect(peekKeyId('garbage')).toBeUndefined();
  });

  it('builds a signer from a provider, fetching the older key a token names', async () => {
    const old = issue();
    const byId = jest.fn(async (id: string) => (id === 'k1' ? K1 : undefined));
    const provider = { keyring: async () => ({ current: K2, previous: [] }), byId };
    const s = await DecisionLinkSigner.fromProvider(provider, { forToken: old });
    expect(byId).toHaveBeenCalledWith('k1');
    expect(s.keyId).toBe('k2');
    expect(s.verify(old, { now: NOW }).ok).toBe(true);
    const s2 = await DecisionLinkSigner.fromProvider(new StaticKeyProvider({ current: K2, previous: [] }), { forToken: 'garbage' });
    expect(s2.verify(old, { now: NOW })).toEqual({ ok: false, reason: 'unknown-key' });
  });
});

describe('CSRF values', () => {
  const t = issue();
  const jti = decodeClaims(t).jti as string;

  it('verify only with the same cookie value and token id', () => {
    const cookie = newCsrfSessionValue();
    const csrf = signer.issueCsrfToken(jti, cookie);
    expect(csrf).toMatch(/^k1\.[A-Za-z0-9_-]{43}$/);
    expect(signer.verifyCsrfToken(csrf, jti, cookie)).toBe(true);
    expect(signer.verifyCsrfToken(csrf, jti, newCsrfSessionValue())).toBe(false);
    expect(signer.verifyCsrfToken(csrf, decodeClaims(issue()).jti, cookie)).toBe(false);
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
    expect(buildDecisionLinks('http://localhost:3000/', tokens, { path: '/approvals/decide' }).approve).toBe('http://localhost:3000/approvals/decide?token=v1.a.b');
  });

  it('requires https except on localhost, and no credentials', () => {
    expect(() => buildDecisionLinks('http://guardrail.example.com', tokens)).toThrow(/https/);
    expect(() => buildDecisionLinks('javascript:alert(1)', tokens)).toThrow(/https/);
    expect(() => buildDecisionLinks('not a url', tokens)).toThrow(/not a URL/);
    expect(() => buildDecisionLinks('https://u:p@guardrail.example.com', tokens)).toThrow(/credentials/);
  });

  it('issues one distinct token per action, each preselecting its action', () => {
    const links = issueDecisionLinks(signer, 'https://guardrail.example.com', { recordId: 'REQ-1001', approverEmail: 'mia.manager@example.com', expiresAt: LATER, now: NOW });
    const claims = Object.entries(links).map(([action, url]) => {
      const token = new URL(url).searchParams.get('token')!;
      const r = signer.verify(token, { recordId: 'REQ-1001', now: NOW });
      if (!r.ok) throw new Error(r.reason);
      expect(r.claims.act).toBe(action);
      return r.claims.jti;
    });
    expect(new Set(claims).size).toBe(3);
  });
});
