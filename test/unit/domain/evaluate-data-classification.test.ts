import type { Finding } from '../../../functions/domain/decision';
import { evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import type { DataClassification } from '../../../functions/domain/events';
import { codesOf, NOW, preparedWith, purchase, vendorWith } from './fixtures';

/** A Box purchase under a fixture where Box has been changed in one way. */
function boxPurchase(change: Parameters<typeof vendorWith>[1], dataClassification: DataClassification = 'confidential') {
  return evaluatePurchaseRequest(purchase({ vendor: { name: 'Box' }, product: 'Box', dataClassification }), preparedWith(vendorWith('box', change)), NOW);
}
const findingOf = (d: { findings: Finding[] }, code: string) => d.findings.find((f) => f.code === code);

describe('data classification rules', () => {
  it('raises nothing when the vendor meets every requirement', () => {
    expect(codesOf(boxPurchase({}, 'restricted').findings)).toEqual(['EXISTING_AGREEMENT']);
  });

  describe('requireSecurityReview', () => {
    it('flags a missing review', () => {
      const d = boxPurchase({ securityReview: undefined });
      expect(findingOf(d, 'SECURITY_REVIEW_MISSING')).toMatchObject({ severity: 'high', dimension: 'security' });
    });

    it('flags a pending review', () => {
      const f = findingOf(boxPurchase({ securityReview: { status: 'pending' } }), 'SECURITY_REVIEW_MISSING');
      expect(f).toMatchObject({ severity: 'medium', message: expect.stringContaining('still pending') });
    });

    it('flags a rejected review', () => {
      const f = findingOf(boxPurchase({ securityReview: { status: 'rejected', completedOn: '2026-10-01' } }), 'SECURITY_REVIEW_MISSING');
      expect(f).toMatchObject({ severity: 'high', message: expect.stringContaining('was rejected on 2026-10-01') });
    });

    it('flags a review that expired before now, but not one expiring today', () => {
      const expired = boxPurchase({ securityReview: { status: 'approved', expiresOn: '2026-11-26' } });
      expect(findingOf(expired, 'SECURITY_REVIEW_EXPIRED')).toMatchObject({
        severity: 'medium',
        message: expect.stringContaining('expired on 2026-11-26'),
      });
      const today = boxPurchase({ securityReview: { status: 'approved', expiresOn: '2026-11-27' } });
      expect(codesOf(today.findings)).not.toContain('SECURITY_REVIEW_EXPIRED');
    });

    it('is not checked when the classification does not require it', () => {
      expect(codesOf(boxPurchase({ securityReview: undefined }, 'internal').findings)).not.toContain('SECURITY_REVIEW_MISSING');
    });
  });

  it('requireDpa: flags a missing DPA as a compliance finding', () => {
    expect(findingOf(boxPurchase({ dpaSigned: false }), 'DPA_MISSING')).toMatchObject({ dimension: 'compliance', severity: 'high' });
    expect(codesOf(boxPurchase({ dpaSigned: false }, 'internal').findings)).not.toContain('DPA_MISSING');
  });

  it('requireSso: flags a vendor without SSO', () => {
    expect(findingOf(boxPurchase({ ssoSupported: false }, 'restricted'), 'SSO_UNSUPPORTED')).toMatchObject({ dimension: 'integration' });
    expect(codesOf(boxPurchase({ ssoSupported: false }, 'confidential').findings)).not.toContain('SSO_UNSUPPORTED');
  });

  it('requireScim: flags a vendor without SCIM', () => {
    expect(findingOf(boxPurchase({ scimSupported: false }, 'restricted'), 'SCIM_UNSUPPORTED')).toMatchObject({ dimension: 'integration' });
    expect(codesOf(boxPurchase({ scimSupported: false }, 'confidential').findings)).not.toContain('SCIM_UNSUPPORTED');
  });

  it('flags data more sensitive than the vendor is approved for', () => {
    const d = boxPurchase({ approvedDataClassification: 'internal' });
    expect(findingOf(d, 'DATA_CLASSIFICATION_EXCEEDS_APPROVAL')).toMatchObject({
      severity: 'high',
      message: 'Box is approved for internal data at most, but this request involves confidential data.',
    });
    expect(codesOf(boxPurchase({ approvedDataClassification: 'internal' }, 'internal').findings)).not.toContain('DATA_CLASSIFICATION_EXCEEDS_APPROVAL');
  });

  it('does not pile data findings on an unknown vendor (VENDOR_UNKNOWN covers it)', () => {
    const d = evaluatePurchaseRequest(purchase({ vendor: { name: 'Zyxo' }, product: 'Zyxo', dataClassification: 'confidential' }), preparedWith(), NOW);
    expect(codesOf(d.findings)).toEqual(['VENDOR_UNKNOWN']);
  });
});
