import { evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { codesOf, NOW, preparedWith, purchase } from './fixtures';

const prepared = preparedWith();
const evaluate = (overrides: Parameters<typeof purchase>[0], p = prepared) => evaluatePurchaseRequest(purchase(overrides), p, NOW);
const findingOf = (d: { findings: { code: string }[] }, code: string) => d.findings.find((f) => f.code === code);

describe('contract term rules', () => {
  it('flags auto-renewal (low, cost) when the policy asks', () => {
    expect(findingOf(evaluate({ autoRenew: true }), 'AUTO_RENEWAL')).toMatchObject({ severity: 'low', dimension: 'cost' });
    expect(codesOf(evaluate({ autoRenew: false }).findings)).not.toContain('AUTO_RENEWAL');
    const relaxed = preparedWith((p) => {
      p.contracts.flagAutoRenew = false;
    });
    expect(codesOf(evaluate({ autoRenew: true }, relaxed).findings)).not.toContain('AUTO_RENEWAL');
  });

  it('flags a term longer than the maximum (medium)', () => {
    expect(findingOf(evaluate({ termMonths: 24 }), 'LONG_TERM')).toMatchObject({
      severity: 'medium',
      message: expect.stringContaining('24-month term exceeds the 12-month limit'),
    });
    expect(codesOf(evaluate({ termMonths: 12 }).findings)).not.toContain('LONG_TERM');
  });

  it('flags a signing date inside the lead time (low)', () => {
    expect(findingOf(evaluate({ expectedSigningDate: '2026-11-30' }), 'SIGNING_DATE_SOON')).toMatchObject({
      severity: 'low',
      message: expect.stringContaining('in 3 days; IT needs 5 days'),
    });
    expect(findingOf(evaluate({ expectedSigningDate: '2026-11-27' }), 'SIGNING_DATE_SOON')).toMatchObject({
      message: expect.stringContaining('today'),
    });
    expect(codesOf(evaluate({ expectedSigningDate: '2026-12-02' }).findings)).toEqual([]);
  });

  it('flags a signing date in the past (medium)', () => {
    const d = evaluate({ expectedSigningDate: '2026-11-26' });
    expect(findingOf(d, 'SIGNING_DATE_PASSED')).toMatchObject({ severity: 'medium' });
    expect(codesOf(d.findings)).not.toContain('SIGNING_DATE_SOON');
    expect(d.outcome).toBe('review');
  });
});
