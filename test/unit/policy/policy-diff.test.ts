import { join } from 'node:path';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import type { Policy } from '../../../functions/domain/policy';
import { diffPolicies, policyDiffHeadline, policyDiffText, type PolicyDiff } from '../../../functions/domain/policy-diff';

const DEFAULT = loadPolicyFile(join(__dirname, '..', '..', '..', 'policy', 'default.yaml'));

function changed(edit: (p: Policy) => void): Policy {
  const copy = structuredClone(DEFAULT);
  copy.version = '2026-12-01';
  edit(copy);
  return copy;
}

function texts(diff: PolicyDiff, section?: string): string[] {
  return diff.sections.filter((s) => section === undefined || s.id === section).flatMap((s) => s.changes.map((c) => c.text));
}

const vendor = (p: Policy, id: string) => p.vendors.find((v) => v.id === id)!;

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself, and says only the version moved', () => {
    const diff = diffPolicies(
      DEFAULT,
      changed(() => undefined),
    );
    expect(diff).toMatchObject({ identical: true, changeCount: 0, sections: [], from: { version: DEFAULT.version }, to: { version: '2026-12-01' } });
    expect(policyDiffText(diff)).toBe('No differences in content (only the version).');
  });

  it('names a vendor status change the way a person says it, with a stable path and both values', () => {
    const diff = diffPolicies(
      DEFAULT,
      changed((p) => (vendor(p, 'dropbox').status = 'prohibited')),
    );
    expect(diff.changeCount).toBe(1);
    expect(diff.sections[0]).toMatchObject({ id: 'vendors', title: 'Vendors' });
    expect(diff.sections[0].changes[0]).toEqual({
      path: 'vendors.dropbox.status',
      change: 'changed',
      subject: 'Dropbox',
      field: 'status',
      before: 'tolerated',
      after: 'prohibited',
      text: 'Dropbox: tolerated → prohibited',
    });
    expect(policyDiffText(diff)).toBe('Vendors:\n  Dropbox: tolerated → prohibited');
  });

  it('reports vendors added and removed, data approval, review, DPA, SSO and agreement changes', () => {
    const after = changed((p) => {
      p.vendors = p.vendors.filter((v) => v.id !== 'wetransfer');
      p.vendors.push({ ...structuredClone(vendor(p, 'box')), id: 'egnyte', name: 'Egnyte', aliases: [], domains: ['egnyte.com'], status: 'tolerated' });
      const dropbox = vendor(p, 'dropbox');
      dropbox.approvedDataClassification = 'confidential';
      dropbox.securityReview = { status: 'pending' };
      dropbox.dpaSigned = true;
      dropbox.aliases = [...dropbox.aliases, 'Dropbox Teams'];
      const box = vendor(p, 'box');
      box.agreement = { ...box.agreement!, seats: 600, renewalDate: '2028-03-31' };
      box.ssoSupported = false;
    });
    const lines = texts(diffPolicies(DEFAULT, after), 'vendors');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Egnyte added: tolerated, category file-sharing, approved for data up to restricted',
        'WeTransfer removed (was prohibited): it is now an unknown vendor',
        'Dropbox: approved for data up to internal → confidential',
        'Dropbox: security review approved → pending',
        'Dropbox: security review completed on 2023-10-02 → (none)',
        'Dropbox: DPA signed no → yes',
        'Dropbox: aliases added Dropbox Teams',
        'Box: seats 500 → 600',
        'Box: renewal date 2027-03-31 → 2028-03-31',
        'Box: SSO supported yes → no',
      ]),
    );
  });

  it('reports categories, spend tiers per tier, department overrides and exchange rates', () => {
    const after = changed((p) => {
      p.categories.push({ id: 'legal-tech', name: 'Legal tech', keywords: ['contract', 'e-discovery'], duplicates: 'allow' });
      p.categories[0].keywords = [...p.categories[0].keywords, 'dataroom'];
      p.spend.tiers[1] = { ...p.spend.tiers[1], approver: 'it-director' };
      p.spend.exchangeRates = { ...p.spend.exchangeRates, KRW: 0.00072 };
      p.spend.departmentOverrides = [
        ...p.spend.departmentOverrides,
        {
          department: 'Research',
          tiers: [
            { upTo: 10000, approver: 'none', twoStep: false },
            { approver: 'it-manager', twoStep: false },
          ],
        },
      ];
    });
    const diff = diffPolicies(DEFAULT, after);
    expect(texts(diff, 'categories')).toEqual([
      `${DEFAULT.categories[0].name}: keywords added dataroom`,
      'Legal tech (legal-tech) added, keywords contract, e-discovery',
    ]);
    const spend = texts(diff, 'spend');
    expect(spend).toContain(
      `Tier 2 (up to ${DEFAULT.spend.tiers[1].upTo!.toLocaleString('en-US')} USD): approver ${DEFAULT.spend.tiers[1].approver} → it-director`,
    );
    expect(spend).toContain('Exchange rates: KRW rate (none) → 0.00072');
    expect(spend).toContain('Research: own tiers added (up to 10,000 USD: none; above the rest: it-manager)');
  });

  it('describes a tier ladder that gained a tier as before → after', () => {
    const after = changed((p) => p.spend.tiers.splice(1, 0, { upTo: DEFAULT.spend.tiers[0].upTo! + 1000, approver: 'it-manager', twoStep: false }));
    const [change] = diffPolicies(DEFAULT, after).sections[0].changes;
    expect(change).toMatchObject({ path: 'spend.tiers', field: 'tiers' });
    expect(change.text).toMatch(/^Tiers: up to .* → up to .*/);
  });

  it('reports data rules, contracts, OAuth scopes and the identity provider lists', () => {
    const after = changed((p) => {
      p.dataClassification.confidential.requireSso = !DEFAULT.dataClassification.confidential.requireSso;
      p.contracts.maxTermMonths = 24;
      p.oauth.riskyScopes.push({ scope: 'https://www.googleapis.com/auth/tasks', severity: 'medium', reason: 'reads every task list' });
      p.oauth.riskyScopes[0] = { ...p.oauth.riskyScopes[0], severity: 'critical' };
      p.identityProvider.systemActors = [...p.identityProvider.systemActors, 'robot@example.com'];
    });
    const diff = diffPolicies(DEFAULT, after);
    const was = DEFAULT.dataClassification.confidential.requireSso;
    expect(texts(diff, 'data-rules')).toEqual([`confidential data: requires SSO ${was ? 'yes' : 'no'} → ${was ? 'no' : 'yes'}`]);
    expect(texts(diff, 'contracts')).toEqual([`Contracts: longest term without review (months) ${DEFAULT.contracts.maxTermMonths} → 24`]);
    expect(texts(diff, 'oauth')).toEqual([
      `Scope ${DEFAULT.oauth.riskyScopes[0].scope}: severity ${DEFAULT.oauth.riskyScopes[0].severity} → critical`,
      'Scope https://www.googleapis.com/auth/tasks is now risky (medium): reads every task list',
    ]);
    expect(texts(diff, 'identity-provider')).toEqual(['Identity provider: system actors added robot@example.com']);
  });

  it('matches approvers by who they are: a re-cased address is the same person, tier and department changes are named', () => {
    const after = changed((p) => {
      const approvers = p.approvals!.approvers;
      approvers[0] = { ...approvers[0], email: approvers[0].email.toUpperCase(), tier: 'it-director' };
      approvers[1] = { ...approvers[1], departments: undefined };
      approvers.push({ email: 'new.person@example.com', name: 'New Person', tier: 'it-manager', departments: ['Legal'] });
      p.approvals!.approvers = approvers.filter((a) => a.email !== 'dana.okafor@example.com');
      p.approvals!.escalation = { ...p.approvals!.escalation, reminderLeadHours: 96 };
    });
    const lines = texts(diffPolicies(DEFAULT, after), 'approvals');
    expect(lines).toEqual(
      expect.arrayContaining([
        'New Person <new.person@example.com> added as it-manager for Legal',
        'Dana Okafor <dana.okafor@example.com> removed (was it-director for every department)',
        'Priya Shah: tier it-manager → it-director',
        'Priya Shah: email priya.shah@example.com → PRIYA.SHAH@EXAMPLE.COM',
        expect.stringMatching(/^Marcus Lee: departments Marketing, .* → every department$/),
        'Approvals: escalation reminder lead hours 120 → 96',
      ]),
    );
  });

  it('reports the approvals section appearing and going, and settings it does not know by their keys', () => {
    const without = changed((p) => delete p.approvals);
    expect(texts(diffPolicies(DEFAULT, without))).toEqual(['Approvals section removed: notifications carry no decision links']);
    expect(texts(diffPolicies(without, DEFAULT))[0]).toMatch(/^Approvals section added \(4 approvers\)/);
    const extended = changed((p) => Object.assign(p, { renewals: { reminderDays: [90, 30] } }));
    expect(texts(diffPolicies(DEFAULT, extended), 'other')).toEqual(['renewals: reminder days added 90, 30']);
  });

  it('keeps sections in a fixed order, and shortens long text output saying how much is left out', () => {
    const after = changed((p) => {
      p.contracts.minLeadTimeDays = 10;
      for (const v of p.vendors) v.ssoSupported = !v.ssoSupported;
    });
    const diff = diffPolicies(DEFAULT, after);
    expect(diff.sections.map((s) => s.id)).toEqual(['vendors', 'contracts']);
    const short = policyDiffText(diff, { maxLines: 5 });
    expect(short.split('\n')).toHaveLength(5);
    expect(short).toMatch(new RegExp(`… and ${diff.changeCount - 3} more changes`));
    expect(policyDiffHeadline(diff, 2)).toMatch(/^Box: SSO supported yes → no; .*; and \d+ more$/);
  });
});
