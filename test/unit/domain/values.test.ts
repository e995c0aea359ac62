/** Ordinary values as people and tools write them (functions/domain/values.ts). */
import { billingInWords, readAmount, readBillingPeriod, readCurrencyCode, readDate, readInstant, readTermMonths } from '../../../functions/domain/values';

describe('readAmount', () => {
  it.each([
    [14400, 14400],
    ['14400', 14400],
    ['14,400.00', 14400],
    ['14.400,00', 14400],
    ['$14,400', 14400],
    ['USD 14,400.50', 14400.5],
    ['14 400,00 €', 14400],
    ["14'400.00", 14400],
    ['1.234.567', 1234567],
    ['0.125', 0.125],
    ['99,5', 99.5],
  ])('%p → %p', (raw, value) => expect(readAmount(raw)).toBe(value));

  it.each(['14.400', '12e3', 'about 100', '1,2,3', '', '-'])('%p is not read (ambiguous or not an amount)', (raw) => {
    expect(readAmount(raw)).toBeUndefined();
  });
});

describe('other readers', () => {
  it('reads currency codes in any case', () =>
    expect([readCurrencyCode('usd'), readCurrencyCode(' Eur '), readCurrencyCode('$')]).toEqual(['USD', 'EUR', undefined]));
  it('reads billing periods in words', () => {
    expect(['Annually', 'per month', 'One_Time', 'QUARTERLY', 'per annum', 'weekly'].map(readBillingPeriod)).toEqual([
      'annual',
      'monthly',
      'one-time',
      'quarterly',
      'annual',
      undefined,
    ]);
  });
  it('never reads a billing period from Object.prototype (the fuzzer found "constructor")', () => {
    expect(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'].map(readBillingPeriod)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('reads terms', () =>
    expect([readTermMonths('24'), readTermMonths('2 years'), readTermMonths('18 months'), readTermMonths('soon')]).toEqual([24, 24, 18, undefined]));
  it('reads dates with or without a time', () => {
    expect([readDate('2026-03-01'), readDate('2026-03-01T10:00:00-08:00'), readDate('2026-03-01 10:00'), readDate('2026-02-30')]).toEqual([
      '2026-03-01',
      '2026-03-01',
      '2026-03-01',
      undefined,
    ]);
    expect([readInstant('2026-03-01'), readInstant('2026-03-01 10:22:11'), readInstant('2026-03-01T10:22+0100')]).toEqual([
      '2026-03-01T00:00:00Z',
      '2026-03-01T10:22:11Z',
      '2026-03-01T10:22:00+01:00',
    ]);
  });
  it('reads what a line says plainly about billing and term, and nothing else', () => {
    expect(billingInWords('Dropbox Business annual subscription, 25 seats')).toEqual({ billingPeriod: 'annual', phrase: 'annual' });
    expect(billingInWords('Miro licences – 12 months')).toEqual({ billingPeriod: 'annual', termMonths: 12, phrase: '12 months' });
    expect(billingInWords('Monthly plan, 24-month commitment')).toEqual({ billingPeriod: 'monthly', termMonths: 24, phrase: 'monthly, 24-month' });
    expect(billingInWords('Figma Organization seats')).toEqual({});
  });
});
