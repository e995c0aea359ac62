import { evaluateAppConnected, evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { withSeatCounts } from '../../../functions/domain/inventory/seat-counts';
import { appEvent, codesOf, NOW, preparedWith, purchase, vendorWith } from './fixtures';

const prepared = preparedWith();
const duplicateOf = (findings: { code: string }[]) =>
  findings.find((f) => f.code === 'DUPLICATE_CAPABILITY') as
    { code: string; severity: string; dimension: string; message: string; suggestion?: string } | undefined;

describe('duplicate capability rule', () => {
  it('names the sanctioned tool and its unused seats when a tolerated vendor duplicates it', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox' }), prepared, NOW);
    const f = duplicateOf(decision.findings);
    expect(f).toMatchObject({ severity: 'medium', dimension: 'integration' });
    expect(f?.message).toBe(
      'Box is already sanctioned for File sharing, 120 seats unused (from the policy); Dropbox would duplicate that capability (category from the catalogue entry for Dropbox).',
    );
    expect(f?.suggestion).toContain('Use Box (120 seats unused) instead');
    expect(decision.outcome).toBe('review');
    expect(decision.summary).toBe('Review needed: Box is already sanctioned for File sharing — 120 seats unused (+1 more finding)');
  });

  it("counts spare seats from the inventory once Box's assignment list is complete, and says so", () => {
    const counted = withSeatCounts(prepared, [
      { vendorId: 'box', appKey: 'vendor:box', used: 470, complete: { at: '2026-11-20T09:00:00.000Z', source: 'okta', count: 468 } },
    ]);
    const f = duplicateOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox' }), counted, NOW).findings);
    expect(f?.message).toContain(
      'Box is already sanctioned for File sharing, 30 seats unused (from the Okta assignment list imported 2026-11-20 (+2 assigned since)); Dropbox',
    );
    expect(f?.suggestion).toContain('Use Box (30 seats unused) instead');
    // The policy itself is untouched: without the counts the policy's number stands.
    expect(duplicateOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox' }), prepared, NOW).findings)?.message).toContain(
      '120 seats unused (from the policy)',
    );
  });

  it('leaves the prepared policy as it is when no count applies to an agreement', () => {
    expect(withSeatCounts(prepared, [])).toBe(prepared);
    expect(
      withSeatCounts(prepared, [{ vendorId: 'nobody', appKey: 'vendor:nobody', used: 3, complete: { at: '2026-11-20T00:00:00Z', source: 'file', count: 3 } }]),
    ).toBe(prepared);
  });

  it('uses the category chosen in the request, and says so', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Zyxo' }, product: 'Zyxo', category: 'file-sharing' }), prepared, NOW);
    expect(decision.category).toBe('file-sharing');
    expect(duplicateOf(decision.findings)?.message).toContain('(category chosen in the request)');
  });

  it('infers the category from keywords in the product name, and says which', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Zyxo' }, product: 'Zyxo Cloud Storage' }), prepared, NOW);
    expect(decision.category).toBe('file-sharing');
    expect(duplicateOf(decision.findings)?.message).toContain('category inferred from "cloud storage" in "Zyxo Cloud Storage Zyxo"');
  });

  it('reports an unknown explicit category and falls back to the catalogue', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox', category: 'storage-things' }), prepared, NOW);
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['CATEGORY_UNKNOWN', 'DUPLICATE_CAPABILITY']));
    expect(decision.category).toBe('file-sharing');
  });

  it('is not raised for more of a sanctioned tool', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Box' }, product: 'Box' }), prepared, NOW);
    expect(duplicateOf(decision.findings)).toBeUndefined();
  });

  it("is not raised when the category's duplicates are allowed", () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Notion' }, product: 'Notion' }), prepared, NOW);
    expect(decision.category).toBe('notes');
    expect(duplicateOf(decision.findings)).toBeUndefined();
  });

  it('is not raised when nothing is sanctioned in the category', () => {
    const decision = evaluatePurchaseRequest(purchase({ vendor: { name: 'Zyxo' }, product: 'Zyxo dashboards' }), prepared, NOW);
    expect(decision.category).toBe('analytics');
    expect(duplicateOf(decision.findings)).toBeUndefined();
  });

  it('names every sanctioned tool and where the spare seats are', () => {
    const p = preparedWith(vendorWith('wetransfer', { status: 'sanctioned', name: 'WeTransfer' }));
    const f = duplicateOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox' }), p, NOW).findings);
    expect(f?.message).toContain('Box and WeTransfer are already sanctioned for File sharing, Box has 120 seats unused');
  });

  it('leaves the seat count out when the agreement does not say', () => {
    const p = preparedWith(vendorWith('box', { agreement: { type: 'enterprise' } }));
    const f = duplicateOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Dropbox' }, product: 'Dropbox' }), p, NOW).findings);
    expect(f?.message).toMatch(/^Box is already sanctioned for File sharing; Dropbox/);
  });

  it('applies to connected apps too', () => {
    const decision = evaluateAppConnected(appEvent({ app: { name: 'Dropbox' }, connectionKind: 'oauth-consent' }), prepared, NOW);
    expect(duplicateOf(decision.findings)?.message).toContain('Box is already sanctioned for File sharing');
  });
});
