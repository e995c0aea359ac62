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

describe('matchPurchaseVendor: the vendor chooses, the product refines', () => {
  const withSalesforce = (publisher?: string) =>
    preparedWith((input) => {
      input.vendors.push({ id: 'salesforce', name: 'Salesforce', category: 'chat', status: 'sanctioned', domains: ['salesforce.com'] });
      if (publisher)
        Object.assign(
          input.vendors.find((v) => v.id === 'slack')!,
          { publisher },
        );
    });

  it('a product of the same publisher refines the vendor ("Slack" bought from "Salesforce")', () => {
    const req = purchase({ vendor: { name: 'Salesforce', domain: 'salesforce.com' }, product: 'Slack' });
    expect(matchPurchaseVendor(withSalesforce('Salesforce').catalogue, req)).toMatchObject({ vendorId: 'slack', confidence: 'exact' });
  });

  it('a publisher that is no catalogue entry still lets its own products through', () => {
    const p = preparedWith((input) =>
      Object.assign(
        input.vendors.find((v) => v.id === 'confluence')!,
        { publisher: 'Atlassian' },
      ),
    );
    expect(matchPurchaseVendor(p.catalogue, purchase({ vendor: { name: 'Atlassian Pty Ltd' }, product: 'Confluence' }))).toMatchObject({
      vendorId: 'confluence',
      confidence: 'high',
    });
  });

  it('vendor and product of different companies: the vendor decides, confidence drops, a finding says so', () => {
    const p = withSalesforce();
    const req = purchase({ vendor: { name: 'Salesforce', domain: 'salesforce.com' }, product: 'Slack' });
    expect(matchPurchaseVendor(p.catalogue, req)).toMatchObject({ vendorId: 'salesforce', confidence: 'high' });
    const decision = evaluatePurchaseRequest(req, p, NOW);
    expect(decision.outcome).toBe('review');
    expect(decision.findings.find((f) => f.code === 'VENDOR_PRODUCT_MISMATCH')?.message).toMatch(/the decision follows the vendor/);
  });

  it('a product name never makes a prohibited vendor allowed', () => {
    const req = purchase({ vendor: { name: 'WeTransfer', domain: 'wetransfer.com' }, product: 'Box Enterprise' });
    const decision = evaluatePurchaseRequest(req, prepared, NOW);
    expect(decision.outcome).toBe('block');
    expect(decision.vendor).toMatchObject({ vendorId: 'wetransfer' });
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['VENDOR_PROHIBITED', 'VENDOR_PRODUCT_MISMATCH']));
  });

  it('a product name never makes an unknown vendor a catalogued one', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Unknown Reseller' }, product: 'Slack' }), prepared, NOW);
    expect(decision.outcome).not.toBe('allow');
    expect(decision.vendor).toMatchObject({ vendorId: 'slack' });
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['VENDOR_UNKNOWN', 'VENDOR_PRODUCT_MISMATCH']));
  });

  it('falls back to the domain when the name is the legal entity', () => {
    expect(matchPurchaseVendor(prepared.catalogue, purchase({ vendor: { name: 'X Corp', domain: 'files.box.com' }, product: 'Storage' }))?.vendorId).toBe(
      'box',
    );
  });

  it('a typo never allows: treated as unknown, asking "did you mean …?"', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Slakc' }, product: 'Team messaging' }), prepared, NOW);
    expect(decision.outcome).toBe('review');
    expect(decision.findings.find((f) => f.code === 'VENDOR_MATCH_UNCERTAIN')?.suggestion).toMatch(/^Did you mean Slack\?/);
    expect(decision.vendor).toMatchObject({ vendorId: 'slack', confidence: 'low', matchedBy: 'similar-name' });
  });

  it('a typo the product confirms is the vendor, as sure as a normalised name', () => {
    expect(matchPurchaseVendor(prepared.catalogue, purchase({ vendor: { name: 'Dropbx' }, product: 'Dropbox Business' }))).toMatchObject({
      vendorId: 'dropbox',
      confidence: 'medium',
    });
  });

  it('a typo of a prohibited vendor makes the decision stricter, not a block on spelling alone', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'WeTransfr' }, product: 'Large file transfer' }), prepared, NOW);
    expect(decision.findings.find((f) => f.code === 'VENDOR_MATCH_UNCERTAIN')).toMatchObject({ severity: 'high' });
    expect(decision.outcome).toBe('review');
  });
});
