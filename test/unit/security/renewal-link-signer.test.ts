import { randomBytes } from 'node:crypto';
import { DecisionLinkSigner } from '../../../functions/adapters/security/decision-link-signer';
import { RenewalLinkSigner, SignedRenewalLinkIssuer } from '../../../functions/adapters/security/renewal-link-signer';

const current = { id: 'k2', key: randomBytes(32) };
const old = { id: 'k1', key: randomBytes(32) };
const keys = { keyring: async () => ({ current, previous: [old] }), byId: async (id: string) => [current, old].find((k) => k.id === id) };
const now = new Date('2026-11-30T07:00:00Z');
const input = {
  key: 'vendor:okta',
  renewalDate: '2027-01-15',
  owner: 'security@example.com',
  action: 'cancel' as const,
  expiresAt: new Date('2026-12-21T07:00:00Z'),
  now,
};

describe('renewal links', () => {
  it('verify for their renewal, owner and action until they expire', async () => {
    const signer = new RenewalLinkSigner(keys);
    const token = await signer.issue(input);
    expect(await signer.verify(token, now)).toMatchObject({
      ok: true,
      claims: { rk: 'vendor:okta', rd: '2027-01-15', sub: 'security@example.com', act: 'cancel' },
    });
    expect(await signer.verify(token, new Date('2026-12-22T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse tampering, unknown keys and a decision link (another type under another key)', async () => {
    const signer = new RenewalLinkSigner(keys);
    const token = await signer.issue(input);
    const [h, p, s] = token.split('.');
    const forged = [h, Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), act: 'renew' })).toString('base64url'), s].join('.');
    expect((await signer.verify(forged, now)).ok).toBe(false);
    expect(
      (
        await new RenewalLinkSigner({
          keyring: async () => ({ current: { id: 'k9', key: randomBytes(32) }, previous: [] }),
          byId: async () => undefined,
        }).verify(token, now)
      ).ok,
    ).toBe(false);
    const decision = await new DecisionLinkSigner(current).issue({
      recordId: 'vendor:okta',
      approverEmail: 'security@example.com',
      expiresAt: input.expiresAt,
      now,
    });
    expect((await signer.verify(decision, now)).ok).toBe(false);
    expect((await new DecisionLinkSigner(current).verify(token, { now })).ok).toBe(false);
    expect((await signer.verify('x'.repeat(5000), now)).ok).toBe(false);
  });

  it('cap the lifetime at three weeks', async () => {
    const token = await new RenewalLinkSigner(keys).issue({ ...input, expiresAt: new Date('2027-06-01T00:00:00Z') });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(21 * 86_400);
  });

  it('build one https link per action', async () => {
    const links = await new SignedRenewalLinkIssuer({ keys, baseUrl: 'https://approvals.example.com' }).linksFor({ ...input });
    expect(Object.keys(links)).toEqual(['renew', 'renegotiate', 'cancel']);
    expect(links.renew).toMatch(/^https:\/\/approvals\.example\.com\/renewals\/act\?token=/);
  });
});
