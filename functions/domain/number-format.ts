/**
 * Numbers as en-US writes them ("12,000", "12,000.5", "12,000.50"), without Intl: the first Intl formatter a process
 * builds loads ICU's locale data (about 25 ms), which every Lambda paid at cold start because messages and pages built
 * their formatters at module load. The output equals Intl.NumberFormat('en-US') with the same fraction digits (a test
 * compares them); what this cannot write the same way (non-finite values, magnitudes of 1e21 and more) goes to Intl.
 */

/** "1234567" or "-1234567.5" → "1,234,567" / "-1,234,567.5": commas every three digits of the integer part. */
export function groupThousands(digits: string): string {
  const start = digits.startsWith('-') ? 1 : 0;
  const point = digits.indexOf('.');
  const end = point === -1 ? digits.length : point;
  if (end - start <= 3 || digits.includes('e')) return digits;
  let out = digits.slice(0, start);
  for (let i = start; i < end; i++) {
    if (i > start && (end - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out + digits.slice(end);
}

/** en-US with between `min` and `max` fraction digits (0 ≤ min ≤ max ≤ 20). */
export function formatDecimal(value: number, min: number, max: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21)
    return new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max }).format(value);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const { whole, fraction } = roundedDecimal(Math.abs(value), max);
  let kept = fraction.length;
  while (kept > min && fraction[kept - 1] === '0') kept--;
  return `${sign}${groupThousands(whole)}${kept > 0 ? `.${fraction.slice(0, kept)}` : ''}`;
}

/**
 * A non-negative value rounded half-up to `max` fraction digits, from its shortest decimal form (as Intl rounds: 1.005
 * is written "1.005", so it becomes 1.01, where toFixed, reading the binary value 1.00499…, gives 1.00).
 */
function roundedDecimal(value: number, max: number): { whole: string; fraction: string } {
  const [mantissa, exponent = '0'] = String(value).split('e');
  const [intPart, fracPart = ''] = mantissa.split('.');
  let digits = intPart + fracPart;
  let point = intPart.length + Number(exponent);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  const keep = point + max;
  if (digits.length <= keep) digits += '0'.repeat(keep - digits.length);
  else {
    const up = digits.charCodeAt(keep) >= 53; // '5'
    digits = digits.slice(0, keep);
    if (up) {
      const carried = carryOne(digits);
      if (carried.length > digits.length) point++;
      digits = carried;
    }
  }
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  return { whole, fraction: digits.slice(point) };
}

/** "0999" → "1000", "99" → "100": adds one in the last place of a digit string. */
function carryOne(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return `1${'0'.repeat(digits.length)}`;
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - 1 - i);
}

/** "12,000" (whole numbers, as counts are written). */
export function formatCount(value: number): string {
  return formatDecimal(value, 0, 0);
}
