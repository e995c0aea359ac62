/**
 * Reading purchase-request fields out of procurement tools and forms: value
 * coercion ("1,200.50", "Yes", "Annually") and the rule for fields the
 * canonical schema requires but a tool may not hold.
 *
 * The rule (same for Coupa, ServiceNow and generic forms): a required field
 * the source does not hold — `billingPeriod`, `dataClassification`, a
 * currency — is never made up. It is read from the configured field; when
 * that is absent, the configured `defaults` entry applies (an explicit,
 * reviewable decision by whoever deploys the connector, e.g. "our Coupa
 * instance only buys annual subscriptions"); when neither exists the request
 * is `malformed`, naming the missing field, so it is dead-lettered and fixed
 * rather than judged on invented data. A value that is present but not
 * recognised is always malformed — a default never overrides what the
 * source said.
 */
import {
  BILLING_PERIODS,
  DATA_CLASSIFICATIONS,
  type BillingPeriod,
  type DataClassification,
} from '../../domain/events';
import { isRecord, quote } from './common';

/** Connector-level defaults for required fields a source does not hold (see module doc). */
export interface PurchaseDefaults {
  billingPeriod?: BillingPeriod;
  dataClassification?: DataClassification;
  /** ISO 4217 code, for tools whose prices carry no currency (ServiceNow price fields). */
  currency?: string;
}

const BILLING_PERIOD_WORDS: Record<string, BillingPeriod> = {
  'one-time': 'one-time',
  onetime: 'one-time',
  once: 'one-time',
  'one-off': 'one-time',
  'single payment': 'one-time',
  monthly: 'monthly',
  month: 'monthly',
  'per month': 'monthly',
  annual: 'annual',
  annually: 'annual',
  yearly: 'annual',
  year: 'annual',
  'per year': 'annual',
};

/** "Annually", "per month", "One_Time" → the canonical billing period, else undefined. */
export function parseBillingPeriod(raw: unknown): BillingPeriod | undefined {
  const text = textOf(raw)
    ?.trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
  if (text === undefined) return undefined;
  return BILLING_PERIOD_WORDS[text] ?? BILLING_PERIOD_WORDS[text.replace(/ /g, '-')];
}

/** "Confidential", "RESTRICTED" → the canonical classification, else undefined. */
export function parseDataClassification(raw: unknown): DataClassification | undefined {
  const text = textOf(raw)?.trim().toLowerCase();
  return (DATA_CLASSIFICATIONS as readonly string[]).includes(text ?? '') ? (text as DataClassification) : undefined;
}

/**
 * A number from a number or a string such as "1200", "1,200.50" or " 99.9 ".
 * Ambiguous text ("1.200,50", "$1200", "12e3") is not a number here: a
 * misread amount would mislead the spend check.
 */
export function parseDecimal(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  const text = textOf(raw)?.trim();
  if (text === undefined) return undefined;
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(text)) return undefined;
  return Number(text.replace(/,/g, ''));
}

/** An integer (seats, term months) from a number or text; fractions are not integers. */
export function parseInteger(raw: unknown): number | undefined {
  const value = parseDecimal(raw);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

const YES = new Set(['yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off']);

/** true/false from booleans and "yes"/"no", "true"/"false", "y"/"n", 1/0. */
export function parseYesNo(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const text = textOf(raw)?.trim().toLowerCase();
  if (text === undefined) return undefined;
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}

/**
 * The text of a field value: a string, a number, or the displayable part of
 * a lookup/reference object (`{ name }` in Coupa, `{ display_value }` or
 * `{ value }` in ServiceNow). Blank text counts as absent.
 */
export function textOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (isRecord(raw)) {
    for (const key of ['display_value', 'name', 'value']) {
      const inner = raw[key];
      if (typeof inner === 'string' && inner.trim() !== '') return inner;
    }
  }
  return undefined;
}

/**
 * Resolves a required value with the rule in the module doc: the source's
 * value (parsed), else the configured default, else a problem naming `path`
 * and the option that would supply it.
 */
export function requiredValue<T>(args: {
  raw: unknown;
  path: string;
  parse: (raw: unknown) => T | undefined;
  describe: string;
  fallback: T | undefined;
  defaultOption?: string;
  problems: string[];
}): T | undefined {
  const { raw, path, parse, describe, fallback, defaultOption, problems } = args;
  if (textOf(raw) === undefined && typeof raw !== 'boolean') {
    if (fallback !== undefined) return fallback;
    const hint = defaultOption ? ` and no default is configured (options.defaults.${defaultOption})` : '';
    problems.push(`${path}: missing${hint}`);
    return undefined;
  }
  const value = parse(raw);
  if (value === undefined) problems.push(`${path}: ${quote(textOf(raw) ?? raw)} is not ${describe}`);
  return value;
}

/** An optional value: absent stays absent, present but unreadable is a problem. */
export function optionalValue<T>(args: {
  raw: unknown;
  path: string;
  parse: (raw: unknown) => T | undefined;
  describe: string;
  problems: string[];
}): T | undefined {
  const { raw, path, parse, describe, problems } = args;
  if (textOf(raw) === undefined && typeof raw !== 'boolean') return undefined;
  const value = parse(raw);
  if (value === undefined) problems.push(`${path}: ${quote(textOf(raw) ?? raw)} is not ${describe}`);
  return value;
}

export const DESCRIBE = {
  billingPeriod: `a billing period (${BILLING_PERIODS.join(', ')}, or e.g. "annually", "per month")`,
  dataClassification: `a data classification (${DATA_CLASSIFICATIONS.join(', ')})`,
  decimal: 'a number such as 1200 or 1,200.50',
  integer: 'a whole number',
  yesNo: 'yes/no or true/false',
  currency: 'an ISO 4217 currency code such as USD',
  date: 'a date such as 2026-12-31',
} as const;

/** "usd" → "USD"; anything that is not three letters stays as is for the canonical schema to reject. */
export function parseCurrency(raw: unknown): string | undefined {
  const text = textOf(raw)?.trim();
  if (text === undefined) return undefined;
  return /^[A-Za-z]{3}$/.test(text) ? text.toUpperCase() : undefined;
}
