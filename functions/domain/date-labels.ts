/**
 * Dates as people here read them ("5 Sept", "5 Sept 2026", "September 2026"; UTC), written without Intl: the first
 * Intl call of a process loads ICU's locale data (about 25 ms, paid by a cold Lambda). The words are en-GB's as ICU
 * writes them (a test compares every month with toLocaleDateString).
 */
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'] as const;
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** "5 Sept" (withYear false) or "5 Sept 2026". */
export function dayMonthLabel(d: Date, withYear = true): string {
  const label = `${d.getUTCDate()} ${SHORT_MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${label} ${d.getUTCFullYear()}` : label;
}

/** "September 2026". */
export function monthYearLabel(d: Date): string {
  return `${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "5 Sept 2026" for an ISO instant; the text as given when it is not one. */
export function isoDayLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dayMonthLabel(d);
}
