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
 * Any table's records look alike, so the record's table is checked first
 * (`sys_class_name`, else the number's prefix: RITM, INC, PRB…): only
 * `sc_req_item` is a request; an incident or problem is ignored, saying so.
 * A plain Table API read returns references as `{ link, value }` (a sys_id,
 * not a name): they are resolved through `options.users`, `departments` and
 * `catalogItems` where configured; otherwise the record says what is unknown
 * (an intake note) and policy asks for it. No `variables` is fine. Facts the
 * item leaves out follow purchase-fields.ts (words, configured default, or
 * absent). Rejected and closed-incomplete or skipped items are ignored.
 */
import * as z from '../../domain/zod-mini';
import type { IntakeNote, PurchaseRequestInput } from '../../domain/events';
import { readAmount, readDate } from '../../domain/values';
import { canonicalPurchaseRequest, eachOf, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { isRecord, parseNative, quote } from './native-values';
import { billingAndTerm, billingFromTexts, optionalValue, READERS, statedOrDefault, textOf, type PurchaseDefaults } from './purchase-fields';

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

/** A sys_user as configured for resolving `{ link, value }` references. */
export interface ServiceNowUser {
  email?: string;
  name?: string;
  department?: string;
}

export interface ServiceNowOptions {
  variables?: Partial<ServiceNowVariableNames>;
  defaults?: PurchaseDefaults;
  /** People by sys_user sys_id, for reads that return `requested_for` as a reference. */
  users?: Readonly<Record<string, ServiceNowUser>>;
  /** Department names by cmn_department sys_id. */
  departments?: Readonly<Record<string, string>>;
  /** Catalog items by sc_cat_item sys_id: the product they buy and from whom. */
  catalogItems?: Readonly<Record<string, { name?: string; vendor?: string; vendorDomain?: string }>>;
}

/** Default number prefixes of the tables a Table API read may return. */
const TABLE_BY_PREFIX: Record<string, string> = {
  RITM: 'sc_req_item',
  REQ: 'sc_request',
  SCTASK: 'sc_task',
  INC: 'incident',
  PRB: 'problem',
  CHG: 'change_request',
  TASK: 'task',
  KB: 'kb_knowledge',
};
const TABLE_LABELS: Record<string, string> = {
  sc_request: 'request (sc_request: it holds requested items; send the items)',
  sc_task: 'catalog task',
  incident: 'incident',
  problem: 'problem',
  change_request: 'change request',
};
const REQUEST_ITEM_TABLE = 'sc_req_item';

/** `sc_req_item.state` values that mean the item will not be delivered (4 closed incomplete, 7 closed skipped). */
const ABANDONED_STATES = new Set(['4', '7']);

const fieldValue = z.nullish(z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]));

const RequestItemSchema = z.object({
  number: z.pipe(
    z.unknown(),
    z.transform((raw, ctx) => {
      const number = referenceValue(raw)?.trim();
      if (number) return number;
      ctx.issues.push({ code: 'custom', message: raw == null || raw === '' ? 'is required' : 'must be the record number as text', input: raw });
      return z.NEVER;
    }),
  ),
  sys_class_name: fieldValue,
  approval: fieldValue,
  state: fieldValue,
  variables: z.nullish(z.record(z.string(), z.unknown())),
});

/** Normalises a Table API response or a bare `sc_req_item` record. */
export function normalizeServiceNow(payload: unknown, options?: ServiceNowOptions): NormalizeResult {
  const each = (value: unknown, item: string) => normalizeItem(value, item, options);
  if (isRecord(payload) && 'result' in payload) {
    const result = payload.result;
    return Array.isArray(result) ? eachOf(result, 'result', 'the response held no records', each) : each(result, 'result');
  }
  return Array.isArray(payload) ? eachOf(payload, '', 'no records in the payload', each) : each(payload, '');
}

/** The record's table: `sys_class_name`, else the table its number's prefix belongs to. */
function tableOf(sysClassName: unknown, number: string): string | undefined {
  const named = referenceValue(sysClassName)?.trim();
  if (named) return named;
  const prefix = /^([A-Z]+)\d/.exec(number.trim())?.[1];
  return prefix === undefined ? undefined : TABLE_BY_PREFIX[prefix];
}

/** A field of the record, read as text: strings as is, references by display value, else value. */
type Reader = (name: string) => unknown;

function normalizeItem(value: unknown, base: string, options?: ServiceNowOptions): ItemOutcome {
  const parsed = parseNative(RequestItemSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  const record = value as Record<string, unknown>;
  const { number } = parsed.value;
  const table = tableOf(parsed.value.sys_class_name, number);
  if (table !== undefined && table !== REQUEST_ITEM_TABLE) {
    return ignored(`${quote(number)} is a ServiceNow ${TABLE_LABELS[table] ?? `${quote(table)} record`}, not a requested item (sc_req_item)`);
  }

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
  const notes: IntakeNote[] = [];
  const ctx: ItemContext = { field, variable, names, base, options: options ?? {}, problems, notes };

  const catalogItem = resolved(field('cat_item'), options?.catalogItems);
  const price = priceOf(ctx);
  const texts = [field('short_description'), field('description')].map((raw, i) => ({
    text: textOf(raw),
    path: joinPath(base, i === 0 ? 'short_description' : 'description'),
  }));
  const billing = billingAndTerm({
    billingRaw: variable(names.billingPeriod) ?? price.billingPeriod,
    termRaw: variable(names.termMonths),
    termPath: variablePath(names.termMonths),
    words: billingFromTexts(texts),
    fallback: defaults.billingPeriod,
    notes,
    problems,
  });
  const detail: Partial<PurchaseRequestInput> = {
    requestId: number,
    source: 'servicenow',
    submittedAt: optionalValue({ raw: referenceValue(field('opened_at')), path: joinPath(base, 'opened_at'), reader: DATE_TIME, problems }),
    // Orders revisions of one RITM that arrive out of order; an unreadable value only costs the ordering.
    revisedAt: serviceNowDateTime(referenceValue(field('sys_updated_on'))),
    requester: requesterOf(ctx),
    vendor: {
      name: textOf(variable(names.vendor)) ?? catalogItem?.vendor,
      domain: textOf(variable(names.vendorDomain)) ?? catalogItem?.vendorDomain,
    },
    product: textOf(variable(names.product)) ?? textOf(field('short_description')) ?? displayOnly(field('cat_item')) ?? catalogItem?.name,
    category: textOf(variable(names.category)),
    amount: price.amount,
    ...billing,
    dataClassification: statedOrDefault({ raw: variable(names.dataClassification), field: 'dataClassification', fallback: defaults.dataClassification, notes }),
    seats: optionalValue({ raw: variable(names.seats), path: variablePath(names.seats), reader: READERS.integer, problems }),
    autoRenew: optionalValue({ raw: variable(names.autoRenew), path: variablePath(names.autoRenew), reader: READERS.yesNo, problems }),
    expectedSigningDate:
      optionalValue({ raw: variable(names.expectedSigningDate), path: variablePath(names.expectedSigningDate), reader: READERS.date, problems }) ??
      readDate(referenceValue(field('due_date'))),
    justification: textOf(variable(names.justification)),
    intakeNotes: notes,
  };
  if (problems.length > 0) return malformed(problems);
  return canonicalPurchaseRequest(detail as PurchaseRequestInput);
}

interface ItemContext {
  field: Reader;
  variable: Reader;
  names: ServiceNowVariableNames;
  base: string;
  options: ServiceNowOptions;
  problems: string[];
  notes: IntakeNote[];
}

const DATE_TIME = { parse: serviceNowDateTime, describe: 'a date-time (YYYY-MM-DD HH:mm:ss, UTC)' };

/** What a `{ link, value }` reference points to, from the configured lookup; undefined when not configured. */
function resolved<T>(raw: unknown, lookup: Readonly<Record<string, T>> | undefined): T | undefined {
  const id = isRecord(raw) ? referenceValue(raw) : undefined;
  return id === undefined || lookup === undefined || !Object.prototype.hasOwnProperty.call(lookup, id) ? undefined : lookup[id];
}

/**
 * The requester: dot-walked fields, display values, a configured user for a
 * bare reference, else the catalog variables. A reference nobody configured
 * keeps its sys_id as the requester's id and says so in a note.
 */
function requesterOf({ field, variable, names, options, notes }: ItemContext): PurchaseRequestInput['requester'] {
  const reference = field('requested_for') ?? field('opened_by');
  const user = resolved(reference, options.users);
  const email = textOf(field('requested_for.email')) ?? user?.email ?? textOf(variable(names.requesterEmail));
  const department =
    textOf(field('requested_for.department.name')) ??
    displayOnly(field('requested_for.department')) ??
    resolved(field('requested_for.department'), options.departments) ??
    user?.department ??
    textOf(variable(names.department));
  const name = textOf(field('requested_for.name')) ?? displayOnly(reference) ?? user?.name ?? textOf(variable(names.requesterName));
  const sysId = isRecord(reference) ? referenceValue(reference) : undefined;
  if (email === undefined && sysId !== undefined) {
    notes.push({
      field: 'requester',
      kind: 'unresolved',
      stated: sysId,
      detail: `requested_for is a sys_user reference; add it to the connector's users option, or ask the Table API for requested_for.email`,
    });
  }
  return { email, department, name, id: email === undefined ? sysId : undefined };
}

interface Price {
  amount?: PurchaseRequestInput['amount'];
  /** What the price fields say about billing (`one-time` for a plain price). */
  billingPeriod?: string;
}

/** Amount and how it is billed: variables first, then the item's recurring price, then its one-time price. */
function priceOf({ field, variable, names, base, options, problems, notes }: ItemContext): Price {
  const currencyRaw = variable(names.currency);
  const currency =
    optionalValue({ raw: currencyRaw, path: joinPath(base, 'variables', names.currency), reader: READERS.currency, problems }) ??
    statedOrDefault({ raw: undefined, field: 'amount.currency', fallback: textOf(currencyRaw) === undefined ? options.defaults?.currency : undefined, notes });
  const quantity = readAmount(referenceValue(field('quantity'))) ?? 1;

  const amountVariable = variable(names.amount);
  if (textOf(amountVariable) !== undefined) {
    const value = optionalValue({ raw: amountVariable, path: joinPath(base, 'variables', names.amount), reader: READERS.decimal, problems });
    return { amount: money(value, currency) };
  }
  const recurring = positive(readAmount(referenceValue(field('recurring_price'))));
  if (recurring !== undefined) return { amount: money(recurring * quantity, currency), billingPeriod: referenceValue(field('recurring_frequency')) };
  const oneTime = positive(readAmount(referenceValue(field('price'))));
  if (oneTime !== undefined) return { amount: money(oneTime * quantity, currency), billingPeriod: 'one-time' };
  // A price of 0 is ServiceNow's "not set": no amount, and policy asks for one.
  return {};
}

function money(value: number | undefined, currency: string | undefined): PurchaseRequestInput['amount'] {
  return value === undefined ? undefined : { value: Math.round(value * 100) / 100, currency };
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
