/**
 * Issue 13 ("names as people type them") and issue 9 ("a product name launders
 * a vendor"), replayed against policy/default.yaml: each ends the safe way.
 */
import { join } from 'node:path';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import { PurchaseRequestSchema, type AppConnected } from '../../../functions/domain/events';
import { evaluateAppConnected, evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { preparePolicy } from '../../../functions/domain/prepared-policy';
import { NOW, codesOf } from './fixtures';

const prepared = preparePolicy(loadPolicyFile(join(__dirname, '../../../policy/default.yaml')));
const request = (vendor: Record<string, string>, product: string) =>
  PurchaseRequestSchema.parse({
    requestId: 'PR-REPLAY',
    requester: { email: 'ana@example.com', department: 'Marketing' },
    vendor,
    product,
    amount: { value: 1200, currency: 'USD' },
    billingPeriod: 'annual',
    dataClassification: 'internal',
  });
const app = (name: string): AppConnected => ({
  source: 'okta',
  sourceEventId: `evt-${name}`,
  occurredAt: '2026-11-27T10:00:00Z',
  app: { name },
  actor: { type: 'user', email: 'admin@example.com' },
  connectionKind: 'sso-app-created',
});

describe('names as people type them (default policy)', () => {
  it.each([
    ['Dropbx', 'dropbox', 'low'],
    ['Gogle Drive', 'google-drive', 'low'],
    ['Salesforse', 'salesforce', 'low'],
    ['Drop Box', 'dropbox', 'medium'],
  ])('vendor %p is taken for %s with %s confidence, and a typo is only a suggestion', (name, id, confidence) => {
    const decision = evaluatePurchaseRequest(request({ name }, 'Storage'), prepared, NOW);
    expect(decision.vendor).toMatchObject({ vendorId: id, confidence });
    if (confidence === 'low') {
      expect(decision.outcome).not.toBe('allow');
      expect(decision.findings.find((f) => f.code === 'VENDOR_MATCH_UNCERTAIN')?.suggestion).toMatch(/^Did you mean /);
    }
  });

  it.each([
    ['Salesforce Prod', 'salesforce'],
    ['Box (Legal)', 'box'],
    ['Okta SSO', 'okta'],
    ['Slack | Marketing', 'slack'],
    ['Zoom - Sandbox', 'zoom'],
  ])('the Okta app label %p is %s', (label, id) => {
    expect(evaluateAppConnected(app(label), prepared, NOW).vendor).toMatchObject({ vendorId: id });
  });
});

describe('a product name never launders a vendor (default policy)', () => {
  it('WeTransfer selling "Box Business" is WeTransfer, and blocked', () => {
    const decision = evaluatePurchaseRequest(request({ name: 'WeTransfer', domain: 'wetransfer.com' }, 'Box Business'), prepared, NOW);
    expect(decision.outcome).toBe('block');
    expect(decision.vendor?.vendorId).toBe('wetransfer');
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['VENDOR_PROHIBITED', 'VENDOR_PRODUCT_MISMATCH']));
  });

  it('LastPass selling "Teams" is LastPass, not Microsoft Teams, and blocked', () => {
    const decision = evaluatePurchaseRequest(request({ name: 'LastPass' }, 'Teams'), prepared, NOW);
    expect(decision.outcome).toBe('block');
    expect(decision.vendor?.vendorId).toBe('lastpass');
  });

  it('a publisher may name its own products: Atlassian selling Confluence is Confluence', () => {
    const decision = evaluatePurchaseRequest(request({ name: 'Atlassian' }, 'Confluence Cloud'), prepared, NOW);
    expect(decision.vendor?.vendorId).toBe('confluence');
    expect(codesOf(decision.findings)).not.toContain('VENDOR_PRODUCT_MISMATCH');
  });
});
