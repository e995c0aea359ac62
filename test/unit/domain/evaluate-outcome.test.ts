import type { Finding } from '../../../functions/domain/decision';
import { evaluateEvent, evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { outcomeOf } from '../../../functions/domain/rules/outcome';
import { appEvent, NOW, preparedWith, purchase } from './fixtures';

const f = (severity: Finding['severity'], code = 'X'): Finding => ({ code, dimension: 'security', severity, message: code });

describe('outcome aggregation', () => {
  it('blocks on any critical finding', () => {
    expect(outcomeOf([f('low'), f('critical')], 'none')).toBe('block');
  });

  it('reviews on a medium or high finding', () => {
    expect(outcomeOf([f('medium')], 'none')).toBe('review');
    expect(outcomeOf([f('info'), f('high')], undefined)).toBe('review');
  });

  it('reviews when an approver is required even without serious findings', () => {
    expect(outcomeOf([f('low')], 'it-manager')).toBe('review');
    expect(outcomeOf([], 'cio')).toBe('review');
  });

  it('allows info and low findings with no approver', () => {
    expect(outcomeOf([f('info'), f('low')], 'none')).toBe('allow');
    expect(outcomeOf([], undefined)).toBe('allow');
  });
});

describe('decision assembly', () => {
  const prepared = preparedWith();
  const messy = purchase({
    vendor: { name: 'Dropbox' },
    product: 'Dropbox',
    dataClassification: 'confidential',
    amount: { value: 900, currency: 'EUR' },
    billingPeriod: 'monthly',
    termMonths: 36,
    autoRenew: true,
    expectedSigningDate: '2026-11-28',
  });

  it('records the max severity, the policy version and the evaluation time', () => {
    const d = evaluatePurchaseRequest(purchase({ vendor: { name: 'WeTransfer' }, product: 'WeTransfer' }), prepared, NOW);
    expect(d.severity).toBe('critical');
    expect(d.policyVersion).toBe('test-1');
    expect(d.evaluatedAt).toBe('2026-11-27T12:00:00.000Z');
    expect(d.recordId).toBe('bus:PR-1');
    expect(d.summary).toBe('Blocked: WeTransfer is prohibited — use Box instead (+1 more finding)');
  });

  it('orders findings by severity, then code', () => {
    const d = evaluatePurchaseRequest(messy, prepared, NOW);
    const ranks = ['info', 'low', 'medium', 'high', 'critical'];
    for (let i = 1; i < d.findings.length; i++) {
      const prev = d.findings[i - 1];
      const cur = d.findings[i];
      const order = ranks.indexOf(prev.severity) - ranks.indexOf(cur.severity) || (prev.code <= cur.code ? 1 : -1);
      expect(order).toBeGreaterThan(0);
    }
    // EUR 900 a month is USD 11,880 a year: IT director, medium like the other two.
    expect(d.findings.map((x) => x.code)).toEqual([
      'DUPLICATE_CAPABILITY',
      'LONG_TERM',
      'SPEND_APPROVAL_REQUIRED',
      'AUTO_RENEWAL',
      'SIGNING_DATE_SOON',
      'VENDOR_TOLERATED',
    ]);
  });

  it('is deterministic: the same input gives the same decision', () => {
    const a = evaluatePurchaseRequest(messy, prepared, NOW);
    const b = evaluatePurchaseRequest(structuredClone(messy), preparedWith(), new Date(NOW.getTime()));
    expect(JSON.stringify(b)).toEqual(JSON.stringify(a));
  });

  it('does not change its inputs', () => {
    const input = structuredClone(messy);
    const policyBefore = JSON.stringify(prepared.policy);
    evaluatePurchaseRequest(input, prepared, NOW);
    expect(input).toEqual(messy);
    expect(JSON.stringify(prepared.policy)).toBe(policyBefore);
  });

  it('never leaks the internal headline into findings', () => {
    const d = evaluatePurchaseRequest(messy, prepared, NOW);
    for (const finding of d.findings) expect(Object.keys(finding).sort()).toEqual(expect.arrayContaining(['code', 'dimension', 'message', 'severity']));
    expect(d.findings.some((x) => 'headline' in x)).toBe(false);
  });

  it('gives every finding a dimension and severity from the agreed sets', () => {
    const d = evaluatePurchaseRequest(messy, prepared, NOW);
    for (const finding of d.findings) {
      expect(['security', 'cost', 'integration', 'compliance']).toContain(finding.dimension);
      expect(['info', 'low', 'medium', 'high', 'critical']).toContain(finding.severity);
      expect(finding.message.length).toBeGreaterThan(10);
    }
  });

  it('dispatches on the event kind', () => {
    expect(evaluateEvent({ kind: 'purchase-request', detail: purchase() }, prepared, NOW).kind).toBe('purchase-request');
    expect(evaluateEvent({ kind: 'app-connected', detail: appEvent() }, prepared, NOW).recordId).toBe('okta:evt-1');
  });
});
