/**
 * policy/default.yaml is what a new installation starts with: it must load
 * cleanly and encode the promises the samples and docs make about it.
 */
import { join } from 'node:path';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import { preparePolicy } from '../../../functions/domain/prepared-policy';

const DEFAULT_POLICY = join(__dirname, '..', '..', '..', 'policy', 'default.yaml');

describe('policy/default.yaml', () => {
  const policy = loadPolicyFile(DEFAULT_POLICY);
  const prepared = preparePolicy(policy);

  it('validates, with no catalogue clashes', () => {
    expect(policy.version).toBe('2026-11-27.1');
    expect(policy.spend.baseCurrency).toBe('USD');
    expect(prepared.catalogue.problems).toEqual([]);
  });

  it('catalogues about twenty well-known vendors across the main categories', () => {
    expect(policy.vendors.length).toBeGreaterThanOrEqual(20);
    const categories = new Set(policy.vendors.map((v) => v.category));
    for (const c of [
      'file-sharing',
      'crm',
      'chat',
      'video-conferencing',
      'project-management',
      'analytics',
      'e-signature',
      'design',
      'password-management',
      'marketing-email',
      'developer-platform',
      'ai-assistant',
      'notes-wiki',
    ]) {
      expect(categories).toContain(c);
    }
    expect(new Set(policy.vendors.map((v) => v.status))).toEqual(new Set(['sanctioned', 'tolerated', 'restricted', 'prohibited']));
  });

  it('sanctions Box for file sharing with 120 of 500 seats unused, and prohibits WeTransfer', () => {
    const box = prepared.catalogue.match('Box')?.vendor;
    expect(box).toMatchObject({ status: 'sanctioned', category: 'file-sharing', agreement: { type: 'enterprise', seats: 500, seatsUsed: 380 } });
    expect(prepared.catalogue.sanctionedIn('file-sharing').map((v) => v.name)).toEqual(['Box']);
    expect(prepared.catalogue.match('WeTransfer')?.status).toBe('prohibited');
  });

  it('recognises the usual spellings', () => {
    expect(prepared.catalogue.match('Dropbox Business')?.vendorId).toBe('dropbox');
    expect(prepared.catalogue.match('x', 'www.dropbox.com')?.vendorId).toBe('dropbox');
    expect(prepared.catalogue.match('dropboxusercontent.com')?.vendorId).toBe('dropbox');
    expect(prepared.catalogue.match('Okta SSO login')?.vendorId).toBe('okta');
    expect(prepared.catalogue.match('Monday.com')?.vendorId).toBe('monday');
  });

  it('has some security reviews that lapsed before the version date', () => {
    const lapsed = policy.vendors.filter((v) => v.securityReview?.expiresOn !== undefined && v.securityReview.expiresOn < '2026-11-27');
    expect(lapsed.length).toBeGreaterThanOrEqual(2);
  });

  it('uses the agreed spend tiers, with two-step CIO approval at the top', () => {
    expect(policy.spend.tiers).toEqual([
      { upTo: 1000, approver: 'none', twoStep: false },
      { upTo: 10000, approver: 'it-manager', twoStep: false },
      { upTo: 50000, approver: 'it-director', twoStep: false },
      { approver: 'cio', twoStep: true },
    ]);
    expect(policy.spend.departmentOverrides.map((o) => o.department)).toContain('Engineering');
    for (const currency of ['EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'SEK']) expect(policy.spend.exchangeRates[currency]).toBeGreaterThan(0);
  });

  it('blocks unknown vendors for restricted data only', () => {
    expect(policy.dataClassification.restricted.blockUnknownVendor).toBe(true);
    expect(policy.dataClassification.confidential.blockUnknownVendor).toBe(false);
  });

  it('flags the risky Google and Microsoft scopes', () => {
    const risky = (scope: string) => prepared.riskyScopes.match(scope)?.severity;
    expect(risky('https://www.googleapis.com/auth/drive')).toBe('high');
    expect(risky('https://www.googleapis.com/auth/gmail.modify')).toBe('high');
    expect(risky('https://www.googleapis.com/auth/admin.directory.user')).toBe('critical');
    expect(risky('https://www.googleapis.com/auth/admin.directory.group.readonly')).toBe('high');
    expect(risky('https://www.googleapis.com/auth/cloud-platform')).toBe('high');
    expect(risky('Mail.ReadWrite')).toBe('high');
    expect(risky('Files.ReadWrite.All')).toBe('high');
    expect(risky('Directory.ReadWrite.All')).toBe('critical');
    expect(risky('Sites.FullControl.All')).toBe('critical');
    expect(risky('offline_access')).toBe('low');
    expect(risky('User.Read')).toBeUndefined();
    expect(risky('openid')).toBeUndefined();
  });

  it('allows AWS managed apps and knows Okta’s system actor', () => {
    for (const app of ['Amazon Managed Grafana', 'Amazon EMR Studio', 'Amazon DataZone', 'Amazon Q Business', 'AWS IAM Identity Center']) {
      expect(prepared.managedApps.has(app.toLowerCase())).toBe(true);
    }
    expect(policy.identityProvider.systemActors).toEqual(['system@okta.com']);
  });
});
