import type { Finding } from '../../../functions/domain/decision';
import { evaluateAppConnected } from '../../../functions/domain/evaluate';
import { appEvent, codesOf, NOW, preparedWith } from './fixtures';

const prepared = preparedWith();
const evaluate = (overrides: Parameters<typeof appEvent>[0]) => evaluateAppConnected(appEvent(overrides), prepared, NOW);
const findingsOf = (d: { findings: Finding[] }, code: string) => d.findings.filter((f) => f.code === code);

describe('app-connected rules', () => {
  it('allows a user assigned to a sanctioned app, keyed by source and event id', () => {
    const d = evaluate({});
    expect(d).toMatchObject({ kind: 'app-connected', recordId: 'okta:evt-1', outcome: 'allow', severity: 'info', findings: [] });
    expect(d.summary).toBe('Allowed: Slack is sanctioned for Team chat');
    expect(d.requiredApprover).toBeUndefined();
    expect(d.spend).toBeUndefined();
  });

  it('allows a platform-managed app (case-insensitive) and skips the other rules', () => {
    const d = evaluate({
      source: 'iam-identity-center',
      app: { name: 'amazon managed GRAFANA' },
      connectionKind: 'sso-app-created',
      scopes: ['Mail.ReadWrite'],
    });
    expect(d.outcome).toBe('allow');
    expect(codesOf(d.findings)).toEqual(['MANAGED_APP']);
    expect(d.summary).toBe('Allowed: Amazon managed GRAFANA is a platform-managed app');
  });

  it('allows a managed instance by the AWS service that created it, whatever its generated name', () => {
    const d = evaluate({
      source: 'iam-identity-center',
      app: { name: 'Amazon Grafana-g-3f2e1d0c9b' },
      actor: { type: 'system', id: 'grafana.amazonaws.com' },
      connectionKind: 'sso-app-created',
    });
    expect(d.outcome).toBe('allow');
    expect(codesOf(d.findings)).toContain('MANAGED_APP');
    expect(d.findings.find((f) => f.code === 'MANAGED_APP')?.message).toContain('grafana.amazonaws.com');
  });

  it('does not trust a service principal claimed by a person', () => {
    const d = evaluate({
      source: 'iam-identity-center',
      app: { name: 'Amazon Grafana-g-3f2e1d0c9b' },
      actor: { type: 'user', id: 'grafana.amazonaws.com', email: 'dev@example.com' },
      connectionKind: 'sso-app-created',
    });
    expect(codesOf(d.findings)).not.toContain('MANAGED_APP');
    expect(d.outcome).toBe('review');
  });

  describe('unknown apps', () => {
    it('is medium when an SSO app is created or OAuth consent granted', () => {
      for (const connectionKind of ['sso-app-created', 'oauth-consent'] as const) {
        const d = evaluate({ app: { name: 'Zyxo' }, connectionKind });
        expect(findingsOf(d, 'UNSANCTIONED_APP')[0]).toMatchObject({ severity: 'medium', dimension: 'security' });
        expect(d.outcome).toBe('review');
      }
    });

    it('is low when a user is assigned to an existing tile', () => {
      const d = evaluate({ app: { name: 'Zyxo' }, connectionKind: 'user-assigned' });
      expect(findingsOf(d, 'UNSANCTIONED_APP')[0]).toMatchObject({ severity: 'low' });
      expect(d.outcome).toBe('allow');
      // Allowed, but the requester and IT must not read it as "fine".
      expect(d.summary).toBe('Allowed: Zyxo is not in the catalogue yet; noted for IT (1 note)');
    });
  });

  it('applies vendor status to known apps, matching the app domain', () => {
    const d = evaluate({ app: { name: 'Big Files', domain: 'www.wetransfer.com' }, connectionKind: 'oauth-consent' });
    expect(d.vendor).toMatchObject({ vendorId: 'wetransfer', matchedBy: 'domain' });
    expect(findingsOf(d, 'VENDOR_PROHIBITED')).toHaveLength(1);
    expect(d.outcome).toBe('block');
  });

  it('names each risky scope, by exact match or prefix, case-insensitively', () => {
    const d = evaluate({
      connectionKind: 'oauth-consent',
      scopes: [
        'openid',
        'HTTPS://www.googleapis.com/auth/drive',
        'https://www.googleapis.com/auth/admin.directory.group.readonly',
        'https://www.googleapis.com/auth/drive.file',
      ],
    });
    const risky = findingsOf(d, 'RISKY_OAUTH_SCOPE');
    expect(risky.map((f) => f.message)).toEqual([
      'Slack was granted the scope "HTTPS://www.googleapis.com/auth/drive": All Drive files.',
      'Slack was granted the scope "https://www.googleapis.com/auth/admin.directory.group.readonly": Directory admin.',
    ]);
    expect(risky.every((f) => f.severity === 'high')).toBe(true);
    expect(d.outcome).toBe('review');
  });

  it('matches Microsoft scope names and uses each scope’s own severity', () => {
    const d = evaluate({ source: 'entra-id', connectionKind: 'oauth-consent', scopes: ['User.Read', 'mail.readwrite', 'offline_access'] });
    expect(findingsOf(d, 'RISKY_OAUTH_SCOPE').map((f) => f.severity)).toEqual(['high', 'low']);
  });

  it('reports a scope granted twice only once', () => {
    const d = evaluate({ connectionKind: 'oauth-consent', scopes: ['Mail.ReadWrite', 'mail.readwrite'] });
    expect(findingsOf(d, 'RISKY_OAUTH_SCOPE')).toHaveLength(1);
  });

  it('flags admin consent with the policy’s severity', () => {
    const d = evaluate({ source: 'entra-id', connectionKind: 'oauth-consent', adminConsent: true });
    expect(findingsOf(d, 'ADMIN_CONSENT')[0]).toMatchObject({ severity: 'high', dimension: 'security' });
    const critical = evaluateAppConnected(
      appEvent({ connectionKind: 'oauth-consent', adminConsent: true }),
      preparedWith((p) => {
        p.oauth.adminConsentSeverity = 'critical';
      }),
      NOW,
    );
    expect(critical.outcome).toBe('block');
    expect(codesOf(evaluate({ adminConsent: false }).findings)).not.toContain('ADMIN_CONSENT');
  });

  describe('actor attribution', () => {
    it.each([
      ['a system actor', { type: 'system' as const }],
      ['an unknown actor', { type: 'unknown' as const }],
      ['an app actor', { type: 'app' as const, displayName: 'Provisioning bot' }],
      ['a listed system account', { type: 'user' as const, email: 'SYSTEM@okta.com' }],
    ])('records %s as unattributed, without guessing', (_label, actor) => {
      const d = evaluate({ actor });
      expect(findingsOf(d, 'ACTOR_UNATTRIBUTED')[0]).toMatchObject({
        severity: 'info',
        message: expect.stringContaining('not a person; the person was not guessed'),
      });
      expect(d.outcome).toBe('allow');
    });

    it('does not flag a named person', () => {
      expect(codesOf(evaluate({ actor: { type: 'user', email: 'ana@example.com' } }).findings)).toEqual([]);
    });

    it('suggests asking the consenting subject for OAuth consent', () => {
      const d = evaluate({ actor: { type: 'system', email: 'system@okta.com' }, connectionKind: 'oauth-consent', subject: { email: 'bo@example.com' } });
      expect(findingsOf(d, 'ACTOR_UNATTRIBUTED')[0]).toMatchObject({ suggestion: 'Ask bo@example.com whether they granted this consent.' });
    });
  });
});
