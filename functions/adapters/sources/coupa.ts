/**
 * Coupa requisition (REST API, hyphenated names) → canonical
 * `purchase-request` events.
 *
 * Accepts one requisition (`GET /api/requisitions/:id`, an integration
 * call-out) or an array of them (`GET /api/requisitions`). Only submitted
 * requisitions are requests IT should see: `pending_approval`,
 * `pending_buyer_action`, `approved` and `ordered`; drafts, carts, withdrawn
 * and abandoned ones are ignored.
 *
 * Mapping: `requestId` the requisition `id` (stored as `coupa:<id>`);
 * `submittedAt` `submitted-at`; requester from `requested-by` (`email`,
 * `fullname` or `firstname` + `lastname`) and `department.name`; vendor =
 * the line's `supplier.name`; product = the line `description`; amount =
 * `total` + `currency.code`; `justification`; `expectedSigningDate` = the
 * date part of `need-by-date`.
 *
 * Several suppliers on one requisition: the guardrail checks a vendor, so
 * one purchase request is produced per distinct supplier (in line order),
 * with ids `<id>-1`, `<id>-2`… and the sum of that supplier's
 * line totals as amount. A single-supplier requisition keeps `<id>`
 * and the header total. A line without a supplier makes the requisition
 * malformed: its spend could not be checked against any vendor.
 *
 * Coupa has no billing period or data classification. They are read from
 * custom fields (names configurable, defaults `billing-period`,
 * `data-classification`; looked up in `custom-fields` and at the top level,
 * lookup values by `name`); when absent, `options.defaults` applies, and
 * without a default the requisition is malformed naming the field — see
 * purchase-fields.ts for the rule. Optional custom fields (`contract-term-months`,
 * `seats`, `auto-renew`, `vendor-domain`, `saas-category`) stay absent when absent.
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
import { datePart, entriesOf, isoDateTime, numberOrText, optionalText, parseNative, quote } from './common';
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

/** Names of the Coupa custom fields that hold what the canonical request needs. */
export interface CoupaCustomFieldNames {
  billingPeriod: string;
  dataClassification: string;
  termMonths: string;
  seats: string;
  autoRenew: string;
  vendorDomain: string;
  category: string;
}

export const DEFAULT_COUPA_CUSTOM_FIELDS: CoupaCustomFieldNames = {
  billingPeriod: 'billing-period',
  dataClassification: 'data-classification',
  termMonths: 'contract-term-months',
  seats: 'seats',
  autoRenew: 'auto-renew',
  vendorDomain: 'vendor-domain',
  category: 'saas-category',
};

export interface CoupaOptions {
  customFields?: Partial<CoupaCustomFieldNames>;
  defaults?: PurchaseDefaults;
}

/** Requisition statuses that mean "submitted for approval or beyond". */
export const COUPA_SUBMITTED_STATUSES = ['pending_approval', 'pending_buyer_action', 'approved', 'ordered'] as const;

const decimalField = numberOrText.nullish();

const LineSchema = z.object({
  description: optionalText,
  quantity: decimalField,
  'unit-price': decimalField,
  price: decimalField,
  total: decimalField,
  supplier: z.object({ name: optionalText }).nullish(),
  currency: z.object({ code: optionalText }).nullish(),
  'need-by-date': optionalText,
});
type Line = z.output<typeof LineSchema>;

const RequisitionSchema = z.object({
  id: numberOrText.transform(String).pipe(z.string().regex(/^\d+$/, 'must be a Coupa numeric id')),
  'submitted-at': isoDateTime.nullish(),
  // Orders revisions that arrive out of order; an unreadable value only costs the ordering.
  'updated-at': isoDateTime.nullish().catch(undefined).transform((v) => v ?? undefined),
  'need-by-date': optionalText,
  justification: z.string().nullish(),
  total: decimalField,
  currency: z.object({ code: optionalText }).nullish(),
  department: z.object({ name: z.string() }),
  'requested-by': z.object({
    email: z.string(),
    fullname: optionalText,
    firstname: optionalText,
    lastname: optionalText,
  }),
  'requisition-lines': z.array(LineSchema).min(1, 'must hold at least one line'),
  'custom-fields': z.record(z.string(), z.unknown()).nullish(),
});
type Requisition = z.output<typeof RequisitionSchema> & { raw: Record<string, unknown> };

const HeaderSchema = z.object({ status: z.string().min(1, 'is required') });

/** Normalises one Coupa requisition or an array of them. */
export function normalizeCoupa(payload: unknown, options?: CoupaOptions): NormalizeResult {
  if (Array.isArray(payload)) {
    const entries = entriesOf(payload, '').map(({ item, value }) => ({ item, outcome: normalizeRequisition(value, item, options) }));
    return combineOutcomes(entries, 'no requisitions in the payload');
  }
  return normalizeRequisition(payload, '', options);
}

function normalizeRequisition(value: unknown, base: string, options?: CoupaOptions): ItemOutcome {
  const header = parseNative(HeaderSchema, value, base);
  if (!header.ok) return malformed(header.problems);
  const { status } = header.value;
  if (!(COUPA_SUBMITTED_STATUSES as readonly string[]).includes(status)) {
    return ignored(`Coupa requisition in status ${quote(status)} has not been submitted`);
  }
  const parsed = parseNative(RequisitionSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  const requisition: Requisition = { ...parsed.value, raw: value as Record<string, unknown> };

  const problems: string[] = [];
  const fields = { ...DEFAULT_COUPA_CUSTOM_FIELDS, ...options?.customFields };
  const shared = sharedFields(requisition, base, fields, options?.defaults ?? {}, problems);
  const domain = textOf(customField(requisition, fields.vendorDomain));
  const groups = supplierGroups(requisition['requisition-lines'], base, problems);
  const requests = groups.map((group, index) =>
    perSupplier(requisition, group, { ordinal: groups.length > 1 ? index + 1 : undefined, domain, base }, problems),
  );
  if (problems.length > 0) return malformed(problems);

  const outcomes = requests.map((r) => canonicalPurchaseRequest({ ...shared, ...r } as PurchaseRequest));
  const bad = outcomes.flatMap((o) => (o.status === 'malformed' ? o.problems : []));
  if (bad.length > 0) return malformed([...new Set(bad)]);
  return { status: 'ok', events: outcomes.flatMap((o) => (o.status === 'ok' ? o.events : [])) };
}

function customField(requisition: Requisition, name: string): unknown {
  return requisition['custom-fields']?.[name] ?? requisition.raw[name];
}

/** Fields every purchase request from this requisition shares. */
function sharedFields(
  requisition: Requisition,
  base: string,
  fields: CoupaCustomFieldNames,
  defaults: PurchaseDefaults,
  problems: string[],
): Partial<PurchaseRequest> {
  const requestedBy = requisition['requested-by'];
  const field = (name: string) => ({ raw: customField(requisition, name), path: joinPath(base, 'custom-fields', name), problems });
  const fullName =
    requestedBy.fullname ?? (requestedBy.firstname && requestedBy.lastname ? `${requestedBy.firstname} ${requestedBy.lastname}` : undefined);
  return {
    source: 'coupa',
    submittedAt: requisition['submitted-at'] ?? undefined,
    revisedAt: requisition['updated-at'],
    requester: { email: requestedBy.email, name: fullName, department: requisition.department.name },
    billingPeriod: requiredValue({
      ...field(fields.billingPeriod),
      parse: parseBillingPeriod,
      describe: DESCRIBE.billingPeriod,
      fallback: defaults.billingPeriod,
      defaultOption: 'billingPeriod',
    }),
    dataClassification: requiredValue({
      ...field(fields.dataClassification),
      parse: parseDataClassification,
      describe: DESCRIBE.dataClassification,
      fallback: defaults.dataClassification,
      defaultOption: 'dataClassification',
    }),
    termMonths: optionalValue({ ...field(fields.termMonths), parse: parseInteger, describe: DESCRIBE.integer }),
    seats: optionalValue({ ...field(fields.seats), parse: parseInteger, describe: DESCRIBE.integer }),
    autoRenew: optionalValue({ ...field(fields.autoRenew), parse: parseYesNo, describe: DESCRIBE.yesNo }),
    category: textOf(customField(requisition, fields.category)),
    justification: requisition.justification ?? undefined,
    expectedSigningDate:
      datePart(requisition['need-by-date']) ?? datePart(requisition['requisition-lines'].find((l) => l['need-by-date'])?.['need-by-date']),
  };
}

interface SupplierGroup {
  supplier: string;
  lines: Array<{ line: Line; path: string }>;
}

/** Lines grouped by supplier name (case-insensitive), in order of first appearance. */
function supplierGroups(lines: Line[], base: string, problems: string[]): SupplierGroup[] {
  const groups = new Map<string, SupplierGroup>();
  lines.forEach((line, index) => {
    const path = joinPath(base, 'requisition-lines', index);
    const supplier = line.supplier?.name?.trim();
    if (!supplier) {
      problems.push(`${path}.supplier.name: missing; every line needs a supplier so its spend can be checked`);
      return;
    }
    const key = supplier.toLowerCase();
    const group = groups.get(key) ?? { supplier, lines: [] };
    group.lines.push({ line, path });
    groups.set(key, group);
  });
  return [...groups.values()];
}

/** One purchase request per supplier; `ordinal` is set when the requisition has several. */
function perSupplier(
  requisition: Requisition,
  group: SupplierGroup,
  { ordinal, domain, base }: { ordinal: number | undefined; domain: string | undefined; base: string },
  problems: string[],
): Partial<PurchaseRequest> {
  const product = group.lines.find(({ line }) => line.description)?.line.description;
  if (!product) problems.push(`${group.lines[0].path}.description: missing; it names the product being bought`);
  return {
    requestId: ordinal === undefined ? requisition.id : `${requisition.id}-${ordinal}`,
    vendor: { name: group.supplier, ...(domain ? { domain } : {}) },
    product,
    amount: ordinal === undefined ? headerAmount(requisition, base, problems) : groupAmount(requisition, group, problems),
  };
}

function headerAmount(requisition: Requisition, base: string, problems: string[]): PurchaseRequest['amount'] | undefined {
  const value = requiredValue({
    raw: requisition.total,
    path: joinPath(base, 'total'),
    parse: parseDecimal,
    describe: DESCRIBE.decimal,
    fallback: undefined,
    problems,
  });
  const currency = requiredValue({
    raw: requisition.currency?.code,
    path: joinPath(base, 'currency', 'code'),
    parse: parseCurrency,
    describe: DESCRIBE.currency,
    fallback: undefined,
    problems,
  });
  return value !== undefined && currency !== undefined ? { value, currency } : undefined;
}

/** Sum of one supplier's line totals (a line without a total: quantity × unit price). */
function groupAmount(requisition: Requisition, group: SupplierGroup, problems: string[]): PurchaseRequest['amount'] | undefined {
  let sum = 0;
  const currencies = new Set<string>();
  for (const { line, path } of group.lines) {
    const total = parseDecimal(line.total) ?? times(parseDecimal(line.quantity), parseDecimal(line['unit-price'] ?? line.price));
    if (total === undefined) problems.push(`${path}.total: missing or not ${DESCRIBE.decimal}`);
    else sum += total;
    const currency = parseCurrency(line.currency?.code) ?? parseCurrency(requisition.currency?.code);
    if (currency === undefined) problems.push(`${path}.currency.code: missing or not ${DESCRIBE.currency}`);
    else currencies.add(currency);
  }
  if (currencies.size > 1) {
    problems.push(`${group.lines[0].path}: lines for ${quote(group.supplier)} mix currencies (${[...currencies].join(', ')})`);
  }
  const [currency] = currencies;
  // Round to cents: summing decimals in floating point must not show 0.30000000000000004.
  return currency ? { value: Math.round(sum * 100) / 100, currency } : undefined;
}

function times(quantity: number | undefined, unitPrice: number | undefined): number | undefined {
  return quantity !== undefined && unitPrice !== undefined ? quantity * unitPrice : undefined;
}
