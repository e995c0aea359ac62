/**
 * Reading ordinary values the way people and tools write them: amounts with
 * separators and symbols ("14,400.00", "14.400,00", "$14,400"), currency codes
 * in any case, billing periods and terms in words, dates with or without a
 * time, yes/no. The canonical schemas use these, so a canonical event on the
 * bus and a native payload through a normaliser are read alike.
 *
 * Each reader returns undefined for what it cannot read with confidence: an
 * ambiguous "14.400" (14.4 or 14,400?) is not guessed.
 */
import type { BillingPeriod } from './events';
import { formatCount } from './number-format';

/** Space-like characters people paste inside numbers (no-break and thin spaces). */
const SPACES = /[\s\u00a0\u2009\u202f]+/g;
/** Symbols and codes that say the currency, not the value. */
const CURRENCY_MARKS = /^(?:[A-Za-z]{3}|[$€£¥₹₩₽₺₪]|[A-Z]{1,2}\$)|(?:[A-Za-z]{3}|[$€£¥₹₩₽₺₪])$/;

/**
 * A non-negative amount from a number or text. Accepts thousands separators
 * (`,` `.` space `'`) with the other mark as decimal point, and a currency
 * symbol or code before or after. Refuses what could be read two ways:
 * "14.400" and "14,400" differ by locale unless a decimal part or a second
 * group settles it — except the comma form, which is read as thousands
 * (the form procurement exports use).
 */
export function readAmount(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  let text = raw.replace(SPACES, ' ').trim();
  for (let i = 0; i < 2; i++) text = text.replace(CURRENCY_MARKS, '').trim();
  const compact = text.replace(/ (?=\d{3}\b)/g, '').replace(/'(?=\d{3}\b)/g, '');
  // "14.400" is 14.4 in one locale and 14,400 in another: not guessed.
  if (/^[1-9]\d{0,2}\.\d{3}$/.test(compact)) return undefined;
  if (/^\d+(\.\d+)?$/.test(compact)) return Number(compact);
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) return Number(compact.replace(/,/g, ''));
  // Dot thousands need a decimal comma or a second group to be unambiguous.
  if (/^\d{1,3}(\.\d{3})+,\d+$/.test(compact) || /^\d{1,3}(\.\d{3}){2,}$/.test(compact)) {
    return Number(compact.replace(/\./g, '').replace(',', '.'));
  }
  if (/^\d+,\d{1,2}$/.test(compact) || /^\d+,\d{4,}$/.test(compact)) return Number(compact.replace(',', '.'));
  return undefined;
}

/** A whole number from a number or text ("1,200", "25"); fractions are not whole. */
export function readWholeNumber(raw: unknown): number | undefined {
  const value = readAmount(raw);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

/** A contract term in months: 24, "24", "24 months", "2 years", "1 yr". */
export function readTermMonths(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = /^\s*(\d{1,4})\s*(months?|mos?\.?|m|years?|yrs?\.?|y)?\s*$/i.exec(raw);
  if (!match) return undefined;
  const count = Number(match[1]);
  return match[2] && /^y/i.test(match[2]) ? count * 12 : count;
}

/** "usd", " Eur " → "USD", "EUR"; anything but three letters is not a code. */
export function readCurrencyCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  return /^[A-Za-z]{3}$/.test(text) ? text.toUpperCase() : undefined;
}

const BILLING_PERIOD_WORDS: Record<string, BillingPeriod> = {
  'one-time': 'one-time',
  onetime: 'one-time',
  once: 'one-time',
  'one-off': 'one-time',
  'single payment': 'one-time',
  upfront: 'one-time',
  'up-front': 'one-time',
  perpetual: 'one-time',
  monthly: 'monthly',
  month: 'monthly',
  'per month': 'monthly',
  quarterly: 'quarterly',
  quarter: 'quarterly',
  'per quarter': 'quarterly',
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  year: 'annual',
  'per year': 'annual',
  'per annum': 'annual',
};

/** "Annually", "per month", "One_Time", "QUARTERLY" → the canonical billing period, else undefined. */
export function readBillingPeriod(raw: unknown): BillingPeriod | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
  // Own keys only: a word such as "constructor" must not reach Object.prototype.
  const word = (key: string) => (Object.hasOwn(BILLING_PERIOD_WORDS, key) ? BILLING_PERIOD_WORDS[key] : undefined);
  return word(text) ?? word(text.replace(/ /g, '-'));
}

/**
 * What a free-text line says plainly about billing and term: "Annual
 * subscription", "12 months", "monthly plan", "3-year term". Only explicit
 * phrases count; a line that says nothing gives nothing.
 */
export function billingInWords(text: string): { billingPeriod?: BillingPeriod; termMonths?: number; phrase?: string } {
  const lower = text.toLowerCase();
  const found: { billingPeriod?: BillingPeriod; termMonths?: number; phrase?: string } = {};
  const period = /\b(annual(?:ly)?|yearly|per (?:year|annum)|monthly|per month|quarterly|per quarter|one[- ]time|one[- ]off|perpetual)\b/.exec(lower);
  if (period) {
    found.billingPeriod = readBillingPeriod(period[1].replace(/ /g, period[1].startsWith('one') ? '-' : ' '));
    found.phrase = period[0];
  }
  const term = /\b(\d{1,3})[- ]?(months?|mos?|years?|yrs?)\b/.exec(lower);
  if (term) {
    const months = Number(term[1]) * (/^y/.test(term[2]) ? 12 : 1);
    if (months >= 1 && months <= 120) {
      found.termMonths = months;
      // "12 months" of one price with no other word is a yearly price.
      if (!found.billingPeriod && months === 12) found.billingPeriod = 'annual';
      found.phrase = found.phrase ? `${found.phrase}, ${term[0]}` : term[0];
    }
  }
  return found;
}

const YES = new Set(['yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off']);

/** true/false from booleans and "yes"/"no", "true"/"false", "y"/"n", 1/0. */
export function readYesNo(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw).trim().toLowerCase();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}

/** `2026-03-01`, with `T` or a space and a time, with or without an offset → `2026-03-01`. */
export function readDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ]\d{2}:\d{2})/.exec(raw.trim());
  return match && isCalendarDate(match[1]) ? match[1] : undefined;
}

/**
 * An instant as ISO 8601 with offset. A time without an offset is read as UTC
 * (how ServiceNow's Table API and most exports write it); a date alone is its
 * UTC midnight.
 */
export function readInstant(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (!match || !isCalendarDate(match[1])) return undefined;
  const [, date, time, offset] = match;
  if (time === undefined) return `${date}T00:00:00Z`;
  const seconds = time.length === 5 ? `${time}:00` : time;
  const zone = offset === undefined ? 'Z' : offset.toUpperCase() === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const iso = `${date}T${seconds}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function isCalendarDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** Control characters (tab, line feed and carriage return excepted): never shown, never stored. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text with control characters replaced by spaces and the ends trimmed. */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').trim();
}

/**
 * Text no longer than `max`, cut at a word boundary where one is near, with a
 * marker that says how long it was. Returns the text unchanged when it fits.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ` … [shortened from ${formatCount(text.length)} characters]`;
  const room = Math.max(1, max - marker.length);
  let cut = text.slice(0, room);
  const space = cut.lastIndexOf(' ');
  if (space > room * 0.8) cut = cut.slice(0, space);
  // Never leave half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}${marker}`.slice(0, max);
}

/**
 * A host name in canonical form, or undefined when the text is not one.
 * Accepts what people paste ("https://www.Dropbox.com/home", "dropbox.com.").
 */
export function readDomain(text: unknown): string | undefined {
  // Without a dot nothing below can yield a host name (most vendor names it is asked about have none).
  if (typeof text !== 'string' || text.length > 2048 || !text.includes('.')) return undefined;
  let host = text.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host
    .split(/[/?#]/)[0]
    .replace(/^[^@]*@/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '');
  return host.length <= 253 && /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(host) ? host : undefined;
}
