import { evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { annualise, tierFor, totalContractValue } from '../../../functions/domain/rules/spend';
import { codesOf, NOW, policyWith, preparedWith, purchase, vendorWith } from './fixtures';

const prepared = preparedWith();
const evaluate = (overrides: Parameters<typeof purchase>[0]) => evaluatePurchaseRequest(purchase(overrides), prepared, NOW);
const approval = (findings: { code: string }[]) =>
  findings.find((f) => f.code === 'SPEND_APPROVAL_REQUIRED') as { severity: string; dimension: string; message: string } | undefined;

describe('spend normalisation', () => {
  it('annualises by billing period', () => {
    expect(annualise(100, 'one-time')).toBe(100);
    expect(annualise(100, 'monthly')).toBe(1200);
    expect(annualise(100, 'annual')).toBe(100);
  });

  it('derives the total contract value from the term, one-time purchases excepted', () => {
    expect(totalContractValue(1200, purchase({ billingPeriod: 'annual', termMonths: 36 }))).toBe(3600);
    expect(totalContractValue(1200, purchase({ billingPeriod: 'monthly', termMonths: 6 }))).toBe(600);
    expect(totalContractValue(1200, purchase({ billingPeriod: 'monthly', termMonths: undefined }))).toBe(1200);
    expect(totalContractValue(1200, purchase({ billingPeriod: 'one-time', termMonths: 36 }))).toBe(1200);
  });

  it('converts to the base currency and records it on the decision', () => {
    const decision = evaluate({ amount: { value: 100, currency: 'EUR' }, billingPeriod: 'monthly', termMonths: 24 });
    expect(decision.spend).toEqual({ annualised: 1320, totalContractValue: 2640, currency: 'USD' });
  });

  it('says when the term was assumed', () => {
    const decision = evaluate({ termMonths: undefined });
    expect(decision.findings.find((f) => f.code === 'TERM_NOT_STATED')).toMatchObject({ severity: 'info' });
    expect(codesOf(evaluate({ termMonths: undefined, billingPeriod: 'one-time' }).findings)).not.toContain('TERM_NOT_STATED');
  });
});

describe('spend tiers', () => {
  const tiers = policyWith().spend.tiers;

  it('treats upper bounds as inclusive and the last tier as unbounded', () => {
    expect(tierFor(tiers, 1000).approver).toBe('none');
    expect(tierFor(tiers, 1000.01).approver).toBe('it-manager');
    expect(tierFor(tiers, 50000).approver).toBe('it-director');
    expect(tierFor(tiers, 5e9).approver).toBe('cio');
  });

  it('needs no approval within the lowest tier', () => {
    const decision = evaluate({ amount: { value: 1000, currency: 'USD' } });
    expect(decision.requiredApprover).toBe('none');
    expect(decision.twoStepApproval).toBe(false);
    expect(approval(decision.findings)).toBeUndefined();
    expect(decision.outcome).toBe('allow');
  });

  it('requires an IT manager (low) and still goes to review', () => {
    const decision = evaluate({ amount: { value: 400, currency: 'USD' }, billingPeriod: 'monthly' });
    expect(approval(decision.findings)).toMatchObject({ severity: 'low', dimension: 'cost' });
    expect(decision.requiredApprover).toBe('it-manager');
    expect(decision.outcome).toBe('review');
    expect(decision.summary).toBe('Review needed: IT manager approval needed for USD 4,800 a year');
  });

  it('requires an IT director (medium)', () => {
    const decision = evaluate({ amount: { value: 20000, currency: 'USD' } });
    expect(approval(decision.findings)?.severity).toBe('medium');
    expect(decision.requiredApprover).toBe('it-director');
  });

  it('requires the CIO (high) with two-step approval above the top bound', () => {
    const decision = evaluate({ amount: { value: 60000, currency: 'GBP' }, termMonths: 36 });
    expect(approval(decision.findings)).toMatchObject({
      severity: 'high',
      message:
        'Annualised spend of USD 78,000 (total contract value USD 234,000 over 36 months) needs IT director then CIO approval under the standard spend limits.',
    });
    expect(decision.requiredApprover).toBe('cio');
    expect(decision.twoStepApproval).toBe(true);
  });

  it("uses the department's override, matched case-insensitively", () => {
    const decision = evaluate({ amount: { value: 4000, currency: 'USD' }, requester: { email: 'e@example.com', department: 'engineering' } });
    expect(decision.requiredApprover).toBe('none');
    const higher = evaluate({ amount: { value: 30000, currency: 'USD' }, requester: { email: 'e@example.com', department: 'ENGINEERING' } });
    expect(higher.requiredApprover).toBe('it-director');
    expect(higher.twoStepApproval).toBe(true);
    expect(approval(higher.findings)?.message).toContain("under Engineering's spend limits");
  });

  it('routes an unconvertible currency to the most senior tier instead of guessing', () => {
    const decision = evaluate({ amount: { value: 10, currency: 'BRL' } });
    expect(decision.findings.find((f) => f.code === 'CURRENCY_UNKNOWN')).toMatchObject({ severity: 'medium', dimension: 'cost' });
    expect(decision.spend).toBeUndefined();
    expect(decision.requiredApprover).toBe('cio');
    expect(decision.twoStepApproval).toBe(true);
    expect(decision.outcome).toBe('review');
  });

  it('accepts the base currency without a rate', () => {
    const p = preparedWith((input) => {
      input.spend.baseCurrency = 'EUR';
    });
    const decision = evaluatePurchaseRequest(purchase({ amount: { value: 900, currency: 'EUR' } }), p, NOW);
    expect(decision.spend).toEqual({ annualised: 900, totalContractValue: 900, currency: 'EUR' });
  });
});

describe('existing agreement', () => {
  it('suggests adding seats under a sanctioned vendor’s enterprise agreement, with its renewal date', () => {
    const decision = evaluate({ vendor: { name: 'Box' }, product: 'Box', seats: 20 });
    const f = decision.findings.find((x) => x.code === 'EXISTING_AGREEMENT');
    expect(f).toMatchObject({ severity: 'info', dimension: 'cost' });
    expect(f?.message).toBe('Box already has an enterprise agreement (500 seats, 120 unused). The 120 unused seats already cover the 20 requested.');
    // 2027-03-31 is 124 days away: outside the 120-day notice period, so no "align with the renewal".
    expect(f?.suggestion).toBe(
      'Add seats under the existing Box enterprise agreement instead of signing a new contract; owner it@example.com; it renews on 2027-03-31.',
    );
    expect(decision.outcome).toBe('allow');
    expect(decision.summary).toBe('Allowed: Box is sanctioned for File sharing; add seats under the existing Box enterprise agreement');
  });

  it('says when the renewal falls within the notice period', () => {
    const p = preparedWith(vendorWith('box', { agreement: { type: 'enterprise', renewalDate: '2027-01-31' } }));
    const f = evaluatePurchaseRequest(purchase({ vendor: { name: 'Box' }, product: 'Box' }), p, NOW).findings.find((x) => x.code === 'EXISTING_AGREEMENT');
    expect(f?.suggestion).toContain('it renews on 2027-01-31 (in 65 days: align this purchase with the renewal)');
  });

  it('is not suggested for vendors without an enterprise agreement', () => {
    expect(codesOf(evaluate({ vendor: { name: 'Slack' } }).findings)).not.toContain('EXISTING_AGREEMENT');
    const p = preparedWith(vendorWith('box', { agreement: { type: 'team', seats: 10, seatsUsed: 2 } }));
    expect(codesOf(evaluatePurchaseRequest(purchase({ vendor: { name: 'Box' }, product: 'Box' }), p, NOW).findings)).not.toContain('EXISTING_AGREEMENT');
  });
});
