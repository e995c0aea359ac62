/**
 * ServiceNow catalog request item (`sc_req_item`) → canonical
 * `purchase-request` events.
 *
 * Accepts a record as the Table API returns it (`{ result: {...} }`,
 * `{ result: [...] }`) or bare (a Flow / business rule posting the record).
 * Field values are strings, or reference objects `{ link, value }` (with
 * `sysparm_display_value=all`: `{ display_value, value, link }`).
 *
 * A RITM itself holds little of a purchase: `number`, `cat_item`,
 * `requested_for`, `opened_by`, `short_description`, `quantity`, `price`,
 * `recurring_price` + `recurring_frequency`, `due_date`, `opened_at`. The
 * rest lives in catalog variables, read from a `variables` object or from
 * dot-walked keys (`variables.vendor`, what `sysparm_fields=variables.vendor`
 * returns). Requester details come from dot-walked fields
 * (`requested_for.email`, `requested_for.name`,
 * `requested_for.department.name`) or variables. Variable names are
 * configurable ({@link DEFAULT_SERVICENOW_VARIABLES}).
 *
 * Mapping: `requestId` = `number` (the RITM number requesters quote);
 * vendor = variable `vendor`; product = variable `product`, else
 * `short_description`, else the `cat_item` display value; amount = variable
 * `amount`, else `recurring_price` × `quantity` (billing period from
 * `recurring_frequency`: monthly or yearly), else `price` × `quantity` (a
 * one-time price). A price of 0 is ServiceNow's "not set" and is not an
 * amount. Currency = variable `currency`, else `options.defaults.currency`
 * (Table API price values carry no currency). `submittedAt` = `opened_at`,
 * `expectedSigningDate` = variable `expected_signing_date`, else the date of
 * `due_date`. Table API date-times are `YYYY-MM-DD HH:mm:ss` in UTC (raw
 * values, not display values).
 *
 * Missing required fields follow the rule in purchase-fields.ts: configured
 * default, else malformed naming the field. Rejected and closed-incomplete
 * or skipped items are ignored.
 */
import { z } from 'zod';
import type { PurchaseRequest } from '../../domain/events';
import {
  canonicalPurchaseRequest,
  combineOutcomes,
  ignored,
  malformed,
  type ItemOutcome,
  type NormalizeResult,
} from '../../domain/normalization';
import { joinPath } from '../../domain/problems';
import { datePart, entriesOf, isRecord, parseNative, quote } from './common';
import {
  DESCRIBE,
  optionalValue,
  parseBillingPeriod,
  parseCurrency,
  parseDataClassification,
  parseDecimal,
  parseInteger,
  parseYesNo,
  requiredValue,
  textOf,
  type PurchaseDefaults,
} from './purchase-fields';

/** Catalog variable names holding purchase details. */
export interface ServiceNowVariableNames {
  vendor: string;
  vendorDomain: string;
  product: string;
  amount: string;
  currency: string;
  billingPeriod: string;
  dataClassification: string;
  department: string;
  requesterEmail: string;
  requesterName: string;
  termMonths: string;
  seats: string;
  autoRenew: string;
  justification: string;
  expectedSigningDate: string;
  category: string;
}

export const DEFAULT_SERVICENOW_VARIABLES: ServiceNowVariableNames = {
  vendor: 'vendor',
  vendorDomain: 'vendor_domain',
  product: 'product',
  amount: 'amount',
  currency: 'currency',
  billingPeriod: 'billing_period',
  dataClassification: 'data_classification',
  department: 'department',
  requesterEmail: 'requester_email',
  requesterName: 'requester_name',
  termMonths: 'term_months',
  seats: 'seats',
  autoRenew: 'auto_renew',
  justification: 'business_justification',
  expectedSigningDate: 'expected_signing_date',
  category: 'category',
};

export interface ServiceNowOptions {
  variables?: Partial<ServiceNowVariableNames>;
  defaults?: PurchaseDefaults;
}

/** `sc_req_item.state` values that mean the item will not be delivered (4 closed incomplete, 7 closed skipped). */
const ABANDONED_STATES = new Set(['4', '7']);

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]).nullish();

const RequestItemSchema = z.object({
  number: z.string().trim().min(1, 'is required'),
  approval: fieldValue,
  state: fieldValue,
  variables: z.record(z.string(), z.unknown()).nullish(),
});

/** Normalises a Table API response or a bare `sc_req_item` record. */
export function normalizeServiceNow(payload: unknown, options?: ServiceNowOptions): NormalizeResult {
  if (isRecord(payload) && 'result' in payload) {
    const result = payload.result;
    if (Array.isArray(result)) {
      const entries = entriesOf(result, 'result').map(({ item, value }) => ({ item, outcome: normalizeItem(value, item, options) }));
      return combineOutcomes(entries, 'the response held no request items');
    }
    return normalizeItem(result, 'result', options);
  }
  return normalizeItem(payload, '', options);
}

/** A field of the record, read as text: strings as is, references by display value, else value. */
type Reader = (name: string) => unknown;

function normalizeItem(value: unknown, base: string, options?: ServiceNowOptions): ItemOutcome {
  const parsed = parseNative(RequestItemSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  const record = value as Record<string, unknown>;
  const { number } = parsed.value;

  const approval = textOf(parsed.value.approval)?.toLowerCase();
  if (approval === 'rejected') return ignored(`${number} was rejected`);
  const state = referenceValue(parsed.value.state);
  if (state !== undefined && ABANDONED_STATES.has(state)) return ignored(`${number} was closed without fulfilment (state ${state})`);

  const names = { ...DEFAULT_SERVICENOW_VARIABLES, ...options?.variables };
  const field: Reader = (name) => record[name];
  const variable: Reader = (name) => parsed.value.variables?.[name] ?? record[`variables.${name}`];
  const variablePath = (name: string) => joinPath(base, 'variables', name);
  const defaults = options?.defaults ?? {};
  const problems: string[] = [];

  const price = priceOf(field, variable, names, base, defaults, problems);
  const detail: Partial<PurchaseRequest> = {
    requestId: number,
    source: 'servicenow',
    submittedAt: optionalValue({
      raw: field('opened_at'),
      path: joinPath(base, 'opened_at'),
      parse: serviceNowDateTime,
      describe: 'a date-time (YYYY-MM-DD HH:mm:ss, UTC)',
      problems,
    }),
    // Orders revisions of one RITM that arrive out of order; an unreadable value only costs the ordering.
    revisedAt: serviceNowDateTime(field('sys_updated_on')),
    requester: requesterOf(field, variable, names, base, problems),
    vendor: {
      name: requiredValue({ raw: variable(names.vendor), path: variablePath(names.vendor), parse: textOf, describe: 'a vendor name', fallback: undefined, problems }) ?? '',
      domain: textOf(variable(names.vendorDomain)),
    },
    product: textOf(variable(names.product)) ?? textOf(field('short_description')) ?? displayOnly(field('cat_item')),
    category: textOf(variable(names.category)),
    amount: price.amount,
    billingPeriod: price.billingPeriod,
    dataClassification: requiredValue({
      raw: variable(names.dataClassification),
      path: variablePath(names.dataClassification),
      parse: parseDataClassification,
      describe: DESCRIBE.dataClassification,
      fallback: defaults.dataClassification,
      defaultOption: 'dataClassification',
      problems,
    }),
    termMonths: optionalValue({ raw: variable(names.termMonths), path: variablePath(names.termMonths), parse: parseInteger, describe: DESCRIBE.integer, problems }),
    seats: optionalValue({ raw: variable(names.seats), path: variablePath(names.seats), parse: parseInteger, describe: DESCRIBE.integer, problems }),
    autoRenew: optionalValue({ raw: variable(names.autoRenew), path: variablePath(names.autoRenew), parse: parseYesNo, describe: DESCRIBE.yesNo, problems }),
    expectedSigningDate:
      optionalValue({ raw: variable(names.expectedSigningDate), path: variablePath(names.expectedSigningDate), parse: datePartOf, describe: DESCRIBE.date, problems }) ??
      datePartOf(field('due_date')),
    justification: textOf(variable(names.justification)),
  };
  if (detail.product === undefined) problems.push(`${joinPath(base, 'short_description')}: missing, and no product variable or catalog item name`);
  if (problems.length > 0) return malformed(problems);
  return canonicalPurchaseRequest(detail as PurchaseRequest);
}

function requesterOf(
  field: Reader,
  variable: Reader,
  names: ServiceNowVariableNames,
  base: string,
  problems: string[],
): PurchaseRequest['requester'] {
  const email = textOf(field('requested_for.email')) ?? textOf(variable(names.requesterEmail));
  const department =
    textOf(field('requested_for.department.name')) ?? displayOnly(field('requested_for.department')) ?? textOf(variable(names.department));
  if (!email) problems.push(`${joinPath(base, 'requested_for.email')}: missing, and no ${names.requesterEmail} variable`);
  if (!department) problems.push(`${joinPath(base, 'requested_for.department.name')}: missing, and no ${names.department} variable`);
  return {
    email: email ?? '',
    department: department ?? '',
    name: textOf(field('requested_for.name')) ?? displayOnly(field('requested_for')) ?? textOf(variable(names.requesterName)),
  };
}

interface Price {
  amount?: PurchaseRequest['amount'];
  billingPeriod?: PurchaseRequest['billingPeriod'];
}

/** Amount and billing period: variables first, then the item's recurring price, then its one-time price. */
function priceOf(
  field: Reader,
  variable: Reader,
  names: ServiceNowVariableNames,
  base: string,
  defaults: PurchaseDefaults,
  problems: string[],
): Price {
  const currency = requiredValue({
    raw: variable(names.currency),
    path: joinPath(base, 'variables', names.currency),
    parse: parseCurrency,
    describe: DESCRIBE.currency,
    fallback: defaults.currency,
    defaultOption: 'currency',
    problems,
  });
  const billingVariable = variable(names.billingPeriod);
  const billingPath = joinPath(base, 'variables', names.billingPeriod);
  const quantity = parseDecimal(referenceValue(field('quantity'))) ?? 1;

  const amountVariable = variable(names.amount);
  if (textOf(amountVariable) !== undefined) {
    const value = optionalValue({ raw: amountVariable, path: joinPath(base, 'variables', names.amount), parse: parseDecimal, describe: DESCRIBE.decimal, problems });
    const billingPeriod = requiredValue({
      raw: billingVariable,
      path: billingPath,
      parse: parseBillingPeriod,
      describe: DESCRIBE.billingPeriod,
      fallback: defaults.billingPeriod,
      defaultOption: 'billingPeriod',
      problems,
    });
    return { amount: money(value, currency), billingPeriod };
  }

  const recurring = positive(parseDecimal(referenceValue(field('recurring_price'))));
  if (recurring !== undefined) {
    const frequency = referenceValue(field('recurring_frequency'));
    const billingPeriod = parseBillingPeriod(billingVariable) ?? parseBillingPeriod(frequency);
    if (!billingPeriod) {
      problems.push(`${joinPath(base, 'recurring_frequency')}: ${quote(frequency ?? '')} is not monthly or yearly, and no ${names.billingPeriod} variable`);
    }
    return { amount: money(recurring * quantity, currency), billingPeriod };
  }

  const oneTime = positive(parseDecimal(referenceValue(field('price'))));
  if (oneTime !== undefined) {
    const billingPeriod = parseBillingPeriod(billingVariable) ?? 'one-time';
    return { amount: money(oneTime * quantity, currency), billingPeriod };
  }

  problems.push(`${joinPath(base, 'variables', names.amount)}: missing, and the item has no price or recurring_price`);
  return {};
}

function money(value: number | undefined, currency: string | undefined): PurchaseRequest['amount'] | undefined {
  return value !== undefined && currency !== undefined ? { value: Math.round(value * 100) / 100, currency } : undefined;
}

const positive = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined);

/** The stored value of a field: a string, or the `value` of a reference / display-value object. */
function referenceValue(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (isRecord(raw) && typeof raw.value === 'string' && raw.value.trim() !== '') return raw.value;
  return undefined;
}

/**
 * A reference's human name: a plain string (display values requested) or
 * `display_value`. A `{ link, value }` reference only holds a sys_id, which
 * is not a name and is not used as one.
 */
function displayOnly(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw;
  if (isRecord(raw) && typeof raw.display_value === 'string' && raw.display_value.trim() !== '') return raw.display_value;
  return undefined;
}

/** `2026-01-15 10:22:11` (Table API, UTC) → `2026-01-15T10:22:11Z`; ISO date-times pass unchanged. */
export function serviceNowDateTime(raw: unknown): string | undefined {
  const text = referenceValue(raw)?.trim();
  if (text === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return `${text.replace(' ', 'T')}Z`;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : undefined;
}

function datePartOf(raw: unknown): string | undefined {
  return datePart(referenceValue(raw));
}
