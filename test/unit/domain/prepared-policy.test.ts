import { preparePolicy, spendTiersFor, CategoryKeywordIndex, RiskyScopeMatcher } from '../../../functions/domain/prepared-policy';
import { policyWith } from './fixtures';

describe('preparePolicy', () => {
  const prepared = preparePolicy(policyWith());

  it('builds the catalogue, category map and allow lists once', () => {
    expect(prepared.catalogue.size).toBe(7);
    expect(prepared.categories.get('file-sharing')?.name).toBe('File sharing');
    expect(prepared.managedApps.has('amazon managed grafana')).toBe(true);
    expect(prepared.systemActors.has('system@okta.com')).toBe(true);
  });

  it('finds a department override whatever the letter case', () => {
    for (const dept of ['Engineering', 'engineering', ' ENGINEERING ']) {
      expect(spendTiersFor(prepared, dept)).toMatchObject({ overrideFor: 'Engineering' });
    }
    expect(spendTiersFor(prepared, 'Sales')).toEqual({ tiers: prepared.policy.spend.tiers });
    expect(spendTiersFor(prepared, undefined)).toEqual({ tiers: prepared.policy.spend.tiers });
  });
});

describe('CategoryKeywordIndex', () => {
  const index = new CategoryKeywordIndex(policyWith().categories);

  it('infers a category from a multi-word keyword, ignoring case, punctuation and plurals', () => {
    expect(index.infer('Acme Cloud-Storage for teams')).toMatchObject({ category: { id: 'file-sharing' }, keywords: ['cloud storage'] });
    expect(index.infer('Dashboards Pro')).toMatchObject({ category: { id: 'analytics' }, keywords: ['dashboard'] });
  });

  it("uses the category's own name as a keyword", () => {
    expect(index.infer('Team Chat deluxe')?.category.id).toBe('chat');
  });

  it('does not match inside words', () => {
    expect(index.infer('Chatterbox')).toBeUndefined();
  });

  it('prefers the category with more (and longer) keyword hits, then policy order', () => {
    expect(index.infer('messaging with file sharing and file transfer')?.category.id).toBe('file-sharing');
    expect(index.infer('chat wiki')?.category.id).toBe('chat');
  });
});

describe('RiskyScopeMatcher', () => {
  const matcher = new RiskyScopeMatcher(policyWith().oauth.riskyScopes);

  it('matches whole scopes case-insensitively', () => {
    expect(matcher.match('https://www.googleapis.com/auth/drive')?.reason).toBe('All Drive files');
    expect(matcher.match('mail.readwrite')?.reason).toBe('Read and write mail');
    expect(matcher.match('https://www.googleapis.com/auth/drive.file')).toBeUndefined();
  });

  it('matches a policy scope ending in * as a prefix', () => {
    expect(matcher.match('https://www.googleapis.com/auth/admin.directory.user.readonly')?.reason).toBe('Directory admin');
    expect(matcher.match('https://www.googleapis.com/auth/admin.reports.audit.readonly')).toBeUndefined();
  });

  it('matches Microsoft Graph scopes given as resource URIs', () => {
    expect(matcher.match('https://graph.microsoft.com/Mail.ReadWrite')?.reason).toBe('Read and write mail');
  });

  it('lets the longest prefix decide', () => {
    const m = new RiskyScopeMatcher([
      { scope: 'https://x/auth/*', severity: 'low', reason: 'any' },
      { scope: 'https://x/auth/admin*', severity: 'critical', reason: 'admin' },
    ]);
    expect(m.match('https://x/auth/admin.users')?.severity).toBe('critical');
    expect(m.match('https://x/auth/read')?.severity).toBe('low');
  });
});

describe('category inference reads what people wrote, not identifiers', () => {
  const { humanText } = jest.requireActual('../../../functions/domain/prepared-policy') as typeof import('../../../functions/domain/prepared-policy');

  it.each([
    ['arn:aws:sso::123456789012:application/ssoins-1234/apl-abcd', ''],
    ['0oa9q2zyxWVU8tsr7q6p', ''],
    ['123456789-abc123def456.apps.googleusercontent.com', ''],
    ['Office365ProPlus cloud storage', 'Office365ProPlus cloud storage'],
    ['Team chat for 5137153cc611227c000bbd1bd8cd2005', 'Team chat for'],
  ])('%p → %p', (text, human) => expect(humanText(text)).toBe(human));
});
