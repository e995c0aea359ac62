/**
 * Numbers and dates written without Intl must read exactly as Intl writes them (en-US numbers, en-GB dates): checked
 * value by value against Intl itself, over edge cases and seeded random values.
 */
import { dayMonthLabel, monthYearLabel } from '../../../functions/domain/date-labels';
import { formatCount, formatDecimal, groupThousands } from '../../../functions/domain/number-format';
import { Prng } from '../../../bench/support/prng';

const EDGES = [0, -0, 1, -1, 0.5, 1.5, 2.5, -0.5, -2.5, 0.004, -0.004, 0.005, 0.015, 1.005, 999.995, 9.995, 1234.5, 12000, 1e15, 2 ** 53 + 2, 1e20, 9.99e20];
const EDGE_TAIL = [123456789.125, 0.125, -0.125, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity, 1e21, -1e22];

function values(): number[] {
  const prng = new Prng(20261201);
  const out = [...EDGES, ...EDGE_TAIL];
  for (let i = 0; i < 20_000; i++) {
    const v = (prng.next() - 0.4) * 10 ** (Math.floor(prng.next() * 24) - 4);
    out.push(v, Math.round(v * 1000) / 1000, Math.round(v));
  }
  return out;
}

describe('numbers without Intl', () => {
  it.each([
    [0, 0],
    [0, 2],
    [2, 2],
    [1, 3],
  ])('formatDecimal(v, %i, %i) equals Intl.NumberFormat en-US for every value', (min, max) => {
    const intl = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
    const mismatches = values().filter((v) => formatDecimal(v, min, max) !== intl.format(v));
    expect(mismatches.slice(0, 5).map((v) => [v, formatDecimal(v, min, max), intl.format(v)])).toEqual([]);
  });

  it('rounds from the shortest decimal form, as Intl does, not from the binary value', () => {
    expect(formatDecimal(1.005, 2, 2)).toBe('1.01');
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(formatDecimal(999.995, 0, 2)).toBe('1,000');
    expect(formatDecimal(-0.004, 0, 2)).toBe('-0');
  });

  it('groups thousands of integer and decimal text, and writes counts', () => {
    expect(groupThousands('1234567')).toBe('1,234,567');
    expect(groupThousands('-1234567.891')).toBe('-1,234,567.891');
    expect(groupThousands('999')).toBe('999');
    expect(formatCount(1234567)).toBe((1234567).toLocaleString('en-US'));
  });
});

describe('date labels without Intl', () => {
  it('read as en-GB writes them, for every month', () => {
    for (let month = 0; month < 12; month++) {
      for (const day of [1, 9, 28]) {
        const d = new Date(Date.UTC(2026, month, day, 23, 30));
        expect(dayMonthLabel(d)).toBe(d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }));
        expect(dayMonthLabel(d, false)).toBe(d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }));
        expect(monthYearLabel(d)).toBe(d.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }));
      }
    }
  });
});
