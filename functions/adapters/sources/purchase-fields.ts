/**
 * Reading purchase-request fields out of procurement tools and forms, the
 * same way for Coupa, ServiceNow and generic forms.
 *
 * A fact the source may not hold (billing period, data classification,
 * currency) is taken, in order, from: the source's own field; what the
 * payload states plainly in words ("Annual subscription", "12 months");
 * the connector's configured `defaults` (an explicit decision by whoever
 * deploys it). The record notes which (an intake note), and when none
 * applies the fact stays absent: policy then asks for it. Nothing is refused
 * for being absent. A value that is present but cannot be read (an amount of
 * "about 100") is a problem naming the source field; words the canonical
 * schema does not know for a classification or billing period are kept as
 * stated, for the policy's synonyms and a finding.
 */
import type { BillingPeriod, DataClassification, IntakeNote } from '../../domain/events';
import { billingInWords, readAmount, readCurrencyCode, readDate, readTermMonths, readWholeNumber, readYesNo } from '../../domain/values';
import { isRecord, quote } from './native-values';

/** Connector-level defaults for facts a source does not hold (see module doc). */
export interface PurchaseDefaults {
  billingPeriod?: BillingPeriod;
  dataClassification?: DataClassification;
  /** ISO 4217 code, for tools whose prices carry no currency (ServiceNow price fields). */
  currency?: string;
}

export const DESCRIBE = {
  decimal: 'an amount such as 1200, "1,200.50" or "$1,200"',
  integer: 'a whole number',
  term: 'a term in months such as 12 or "2 years"',
  yesNo: 'yes/no or true/false',
  currency: 'an ISO 4217 currency code such as USD',
  date: 'a date such as 2026-12-31',
} as const;

export const READERS = {
  decimal: { parse: readAmount, describe: DESCRIBE.decimal },
  integer: { parse: readWholeNumber, describe: DESCRIBE.integer },
  term: { parse: readTermMonths, describe: DESCRIBE.term },
  yesNo: { parse: readYesNo, describe: DESCRIBE.yesNo },
  currency: { parse: readCurrencyCode, describe: DESCRIBE.currency },
  date: { parse: (raw: unknown) => readDate(textOf(raw)), describe: DESCRIBE.date },
} as const;

/**
 * The text of a field value: a string, a number, or the displayable part of
 * a lookup/reference object (`{ name }` in Coupa, `{ display_value }` or
 * `{ value }` in ServiceNow). Blank text counts as absent.
 */
export function textOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'boolean') return String(raw);
  if (isRecord(raw)) {
    for (const key of ['display_value', 'name', 'value']) {
      const inner = raw[key];
      if (typeof inner === 'string' && inner.trim() !== '') return inner;
    }
  }
  return undefined;
}

/** An optional value: absent stays absent, present but unreadable is a problem naming `path`. */
export function optionalValue<T>(args: {
  raw: unknown;
  path: string;
  reader: { parse: (raw: unknown) => T | undefined; describe: string };
  problems: string[];
}): T | undefined {
  const { raw, path, reader, problems } = args;
  const text = typeof raw === 'number' || typeof raw === 'boolean' ? raw : textOf(raw);
  if (text === undefined) return undefined;
  const value = reader.parse(text);
  if (value === undefined) problems.push(`${path}: ${quote(text)} is not ${reader.describe}`);
  return value;
}

/**
 * A fact the source may not hold: its own value (as text, for the canonical
 * schema to read), else the configured default, noted; else absent.
 */
export function statedOrDefault(args: { raw: unknown; field: string; fallback: string | undefined; notes: IntakeNote[] }): string | undefined {
  const stated = textOf(args.raw);
  if (stated !== undefined) return stated;
  if (args.fallback === undefined) return undefined;
  args.notes.push({ field: args.field, kind: 'configured-default', stated: args.fallback });
  return args.fallback;
}

/** What the request's own lines say about billing and term, with where it was read. */
export interface BillingFromWords {
  billingPeriod?: BillingPeriod;
  termMonths?: number;
  phrase?: string;
  path?: string;
}

/** The first text (in order) that states a billing period or term plainly. */
export function billingFromTexts(texts: ReadonlyArray<{ text: string | undefined; path: string }>): BillingFromWords {
  const found: BillingFromWords = {};
  for (const { text, path } of texts) {
    if (!text) continue;
    const words = billingInWords(text);
    if (found.billingPeriod === undefined && words.billingPeriod !== undefined) {
      found.billingPeriod = words.billingPeriod;
      found.phrase = words.phrase;
      found.path = path;
    }
    if (found.termMonths === undefined && words.termMonths !== undefined) {
      found.termMonths = words.termMonths;
      found.phrase ??= words.phrase;
      found.path ??= path;
    }
  }
  return found;
}

/**
 * Billing period and term: the source's fields, else what its words say
 * (noted as inferred), else the configured billing-period default (noted).
 */
export function billingAndTerm(args: {
  billingRaw: unknown;
  termRaw: unknown;
  termPath: string;
  words: BillingFromWords;
  fallback: BillingPeriod | undefined;
  notes: IntakeNote[];
  problems: string[];
}): { billingPeriod?: string; termMonths?: number } {
  const { words, notes } = args;
  const inferred = (field: string) => notes.push({ field, kind: 'inferred', stated: words.phrase, detail: `from ${words.path}` });
  let billingPeriod = textOf(args.billingRaw);
  if (billingPeriod === undefined && words.billingPeriod !== undefined) {
    billingPeriod = words.billingPeriod;
    inferred('billingPeriod');
  }
  billingPeriod ??= statedOrDefault({ raw: undefined, field: 'billingPeriod', fallback: args.fallback, notes });
  let termMonths = optionalValue({ raw: args.termRaw, path: args.termPath, reader: READERS.term, problems: args.problems });
  if (termMonths === undefined && textOf(args.termRaw) === undefined && words.termMonths !== undefined) {
    termMonths = words.termMonths;
    inferred('termMonths');
  }
  return { billingPeriod, termMonths };
}
