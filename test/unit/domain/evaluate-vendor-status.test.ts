import { evaluatePurchaseRequest, matchPurchaseVendor } from '../../../functions/domain/evaluate';
import { codesOf, NOW, preparedWith, purchase } from './fixtures';

const prepared = preparedWith();

describe('vendor status rule (purchase requests)', () => {
  it('raises nothing for a sanctioned vendor', () => {
    const decision = evaluatePurchaseRequest(purchase(), prepared, NOW);
    expect(decision.findings).toEqual([]);
    expect(decision.vendor).toEqual({
      vendorId: 'slack',
      name: 'Slack',
      status: 'sanctioned',
      category: 'chat',
      matchedBy: 'name',
      confidence: 'exact',
    });
  });

  it('blocks a prohibited vendor and names the sanctioned alternative', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'WeTransfer' }, product: 'WeTransfer Pro' }), prepared, NOW);
    const f = decision.findings.find((x) => x.code === 'VENDOR_PROHIBITED');
    expect(f).toMatchObject({ dimension: 'security', severity: 'critical' });
    expect(f?.suggestion).toContain('Box (120 seats unused)');
    expect(decision.outcome).toBe('block');
  });

  it('says when a prohibited vendor has no sanctioned alternative', () => {
    const p = preparedWith((input) => {
      input.vendors = input.vendors.filter((v) => v.id !== 'box');
    });
    const f = evaluatePurchaseRequest(purchase({ vendor: { name: 'WeTransfer' }, product: 'WeTransfer' }), p, NOW).findings.find(
      (x) => x.code === 'VENDOR_PROHIBITED',
    );
    expect(f?.suggestion).toBe('No File sharing tool is sanctioned yet: ask IT which tool to use.');
  });

  it('flags a restricted vendor as high', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Rocket Chat' }, product: 'Rocket Chat' }), prepared, NOW);
    expect(decision.findings.find((x) => x.code === 'VENDOR_RESTRICTED')).toMatchObject({ severity: 'high', dimension: 'security' });
    expect(decision.outcome).toBe('review');
  });

  it('notes a tolerated vendor as low, with the sanctioned alternative', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Notion' }, product: 'Notion' }), prepared, NOW);
    const f = decision.findings.find((x) => x.code === 'VENDOR_TOLERATED');
    expect(f).toMatchObject({ severity: 'low' });
    expect(f?.suggestion).toBe('Prefer Confluence, sanctioned for Notes.');
    expect(decision.outcome).toBe('allow');
  });

  describe('unknown vendor', () => {
    const unknown = (dataClassification: 'public' | 'internal' | 'confidential' | 'restricted') =>
      evaluatePurchaseRequest(purchase({ vendor: { name: 'Zyxo' }, product: 'Zyxo', dataClassification }), prepared, NOW);

    it('needs a security review (medium) for public or internal data', () => {
      for (const level of ['public', 'internal'] as const) {
        const f = unknown(level).findings.find((x) => x.code === 'VENDOR_UNKNOWN');
        expect(f).toMatchObject({ severity: 'medium', dimension: 'security' });
        expect(f?.message).toContain('not in the catalogue; it needs a security review');
      }
      expect(unknown('internal').outcome).toBe('review');
      expect(unknown('internal').vendor).toBeUndefined();
    });

    it('is high for confidential data', () => {
      expect(unknown('confidential').findings.find((x) => x.code === 'VENDOR_UNKNOWN')?.severity).toBe('high');
    });

    it('is critical, and blocks, when the data rule blocks unknown vendors', () => {
      const decision = unknown('restricted');
      expect(decision.findings.find((x) => x.code === 'VENDOR_UNKNOWN')?.severity).toBe('critical');
      expect(decision.outcome).toBe('block');
    });
  });

  it('flags a similar-name match as uncertain so a person can confirm it', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Slack Enterprise Inc' }, product: 'Messaging seats' }), prepared, NOW);
    expect(decision.vendor).toMatchObject({ vendorId: 'slack', matchedBy: 'normalised-name', confidence: 'medium' });
    expect(decision.findings.find((x) => x.code === 'VENDOR_MATCH_UNCERTAIN')).toMatchObject({ severity: 'info' });
  });
});

describe('matchPurchaseVendor', () => {
  it('prefers an exact product match over the vendor company ("Slack" bought from "Salesforce")', () => {
    const p = preparedWith((input) => {
      input.vendors.push({ id: 'salesforce', name: 'Salesforce', category: 'chat', status: 'sanctioned', domains: ['salesforce.com'] });
    });
    const req = purchase({ vendor: { name: 'Salesforce', domain: 'salesforce.com' }, product: 'Slack' });
    expect(matchPurchaseVendor(p.catalogue, req)?.vendorId).toBe('slack');
  });

  it('falls back to the vendor name and domain, then a similar product name', () => {
    expect(matchPurchaseVendor(prepared.catalogue, purchase({ vendor: { name: 'X Corp', domain: 'files.box.com' }, product: 'Storage' }))?.vendorId).toBe('box');
    expect(
      codesOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Unknown Reseller' }, product: 'Dropbox Pro' }), prepared, NOW).findings),
    ).toContain('VENDOR_MATCH_UNCERTAIN');
  });
});
