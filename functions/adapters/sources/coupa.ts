/**
 * Coupa requisition (REST API, hyphenated names) → canonical
 * `purchase-request` events.
 *
 * Accepts one requisition (`GET /api/requisitions/:id`, an integration
 * call-out) or an array of them (`GET /api/requisitions`), as JSON or as the
 * XML Coupa answers by default (coupa-xml.ts). Only submitted requisitions
 * are requests IT should see: `pending_approval`, `pending_buyer_action`,
 * `approved` and `ordered`; drafts, carts, withdrawn and abandoned ones are
 * ignored.
 *
 * Mapping: `requestId` the requisition `id` (stored as `coupa:<id>`); `submittedAt` `submitted-at`; requester
 * from `requested-by` (`email`, `fullname` or `firstname` + `lastname`, else
 * the `login` as id) and `department.name`; vendor = the line's
 * `supplier.name`; product = the line `description` (else its `item`'s
 * name); amount = `total` (else the sum of the lines) + `currency.code`;
 * `justification`; `expectedSigningDate` = the date part of `need-by-date`.
 *
 * Several suppliers on one requisition: the guardrail checks a vendor, so
 * one purchase request is produced per distinct supplier (in line order),
 * with ids `<id>-1`, `<id>-2`… and the sum of that supplier's
 * lines as amount. Lines without a supplier form their own request, which
 * names no vendor (policy asks for it).
 *
 * Coupa has no standard field for billing period or data classification.
 * They are read from custom fields (names configurable, defaults
 * `billing-period`, `data-classification`; looked up in `custom-fields` and
 * at the top level, lookup values by `name`), else from what the lines say
 * ("Annual subscription", "12 months"), else `options.defaults`; otherwise
 * they stay absent and policy says what that means (purchase-fields.ts).
 */
import * as z from '../../domain/zod-mini';
import type { IntakeNote, PurchaseRequest, PurchaseRequestInput } from '../../domain/events';
import { readAmount, readCurrencyCode, readInstant } from '../../domain/values';
import { canonicalPurchaseRequest, eachEntry, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { numberOrText, optionalText, parseNative, quote } from './native-values';
import { coupaXmlToJson } from './coupa-xml';
import { billingAndTerm, billingFromTexts, optionalValue, READERS, statedOrDefault, textOf, type PurchaseDefaults } from './purchase-fields';

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

const decimalField = z.nullish(numberOrText);
const named = z.nullish(z.object({ name: optionalText }));

const LineSchema = z.object({
  description: optionalText,
  quantity: decimalField,
  'unit-price': decimalField,
  price: decimalField,
  total: decimalField,
  supplier: named,
  item: z.nullish(z.object({ name: optionalText, description: optionalText })),
  currency: z.nullish(z.object({ code: optionalText })),
  'need-by-date': optionalText,
});
type Line = z.output<typeof LineSchema>;

const RequisitionSchema = z.object({
  id: z.pipe(z.pipe(numberOrText, z.transform(String)), z.string().check(z.regex(/^\d+$/, 'must be a Coupa numeric id'))),
  'submitted-at': optionalText,
  // Orders revisions that arrive out of order; an unreadable value only costs the ordering (the canonical schema notes it).
  'updated-at': optionalText,
  'need-by-date': optionalText,
  justification: optionalText,
  total: decimalField,
  currency: z.nullish(z.object({ code: optionalText })),
  department: named,
  'requested-by': z.nullish(z.object({ email: optionalText, fullname: optionalText, firstname: optionalText, lastname: optionalText, login: optionalText })),
  'requisition-lines': z.array(LineSchema).check(z.minLength(1, 'must hold at least one line')),
  'custom-fields': z.nullish(z.record(z.string(), z.unknown())),
});
type Requisition = z.output<typeof RequisitionSchema> & { raw: Record<string, unknown> };

const HeaderSchema = z.object({ status: z.string().check(z.minLength(1, 'is required')) });

/** Normalises one Coupa requisition or an array of them, as JSON or Coupa's XML. */
export function normalizeCoupa(payload: unknown, options?: CoupaOptions): NormalizeResult {
  let body = payload;
  if (typeof payload === 'string') {
    const xml = coupaXmlToJson(payload);
    if (!xml.ok) return malformed(xml.problems);
    body = xml.value;
  }
  return eachEntry(body, { arrayAt: '', empty: 'no requisitions in the payload' }, (value, base) => normalizeRequisition(value, base, options));
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
  const notes: IntakeNote[] = [];
  const fields = { ...DEFAULT_COUPA_CUSTOM_FIELDS, ...options?.customFields };
  const shared = sharedFields(requisition, base, fields, options?.defaults ?? {}, { problems, notes });
  const domain = textOf(customField(requisition, fields.vendorDomain));
  const groups = supplierGroups(requisition['requisition-lines'], base);
  const requests = groups.map((group, index) =>
    perSupplier(requisition, group, { ordinal: groups.length > 1 ? index + 1 : undefined, domain, base, notes }, problems),
  );
  if (problems.length > 0) return malformed(problems);

  const outcomes = requests.map((r) => canonicalPurchaseRequest({ ...shared, ...r } as PurchaseRequestInput));
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
  { problems, notes }: { problems: string[]; notes: IntakeNote[] },
): Partial<PurchaseRequestInput> {
  const by = requisition['requested-by'];
  const path = (name: string) => joinPath(base, 'custom-fields', name);
  const field = (name: string) => customField(requisition, name);
  const lines = requisition['requisition-lines'];
  const words = billingFromTexts(
    lines.flatMap((line, i) => [
      { text: line.description, path: joinPath(base, 'requisition-lines', i, 'description') },
      { text: line.item?.name, path: joinPath(base, 'requisition-lines', i, 'item', 'name') },
    ]),
  );
  const billing = billingAndTerm({
    billingRaw: field(fields.billingPeriod),
    termRaw: field(fields.termMonths),
    termPath: path(fields.termMonths),
    words,
    fallback: defaults.billingPeriod,
    notes,
    problems,
  });
  const fullName = by?.fullname ?? (by?.firstname && by?.lastname ? `${by.firstname} ${by.lastname}` : undefined);
  return {
    source: 'coupa',
    submittedAt: requisition['submitted-at'],
    revisedAt: readInstant(requisition['updated-at']),
    requester: { email: by?.email, name: fullName, department: requisition.department?.name, id: by?.email ? undefined : by?.login },
    ...billing,
    dataClassification: statedOrDefault({ raw: field(fields.dataClassification), field: 'dataClassification', fallback: defaults.dataClassification, notes }),
    seats: optionalValue({ raw: field(fields.seats), path: path(fields.seats), reader: READERS.integer, problems }),
    autoRenew: optionalValue({ raw: field(fields.autoRenew), path: path(fields.autoRenew), reader: READERS.yesNo, problems }),
    category: textOf(field(fields.category)),
    justification: requisition.justification,
    expectedSigningDate: requisition['need-by-date'] ?? lines.find((l) => l['need-by-date'])?.['need-by-date'],
    intakeNotes: notes,
  };
}

interface SupplierGroup {
  /** Undefined for the lines that name no supplier. */
  supplier: string | undefined;
  lines: Array<{ line: Line; path: string }>;
}

/** Lines grouped by supplier name (case-insensitive), in order of first appearance. */
function supplierGroups(lines: Line[], base: string): SupplierGroup[] {
  const groups = new Map<string, SupplierGroup>();
  lines.forEach((line, index) => {
    const supplier = line.supplier?.name?.trim() || undefined;
    const key = supplier?.toLowerCase() ?? '';
    const group = groups.get(key) ?? { supplier, lines: [] };
    group.lines.push({ line, path: joinPath(base, 'requisition-lines', index) });
    groups.set(key, group);
  });
  return [...groups.values()];
}

/** One purchase request per supplier; `ordinal` is set when the requisition has several. */
function perSupplier(
  requisition: Requisition,
  group: SupplierGroup,
  context: { ordinal: number | undefined; domain: string | undefined; base: string; notes: IntakeNote[] },
  problems: string[],
): Partial<PurchaseRequestInput> {
  const { ordinal, domain, base } = context;
  const product = group.lines.map(({ line }) => line.description ?? line.item?.name ?? line.item?.description).find((p) => p !== undefined);
  const notes = [...context.notes];
  const amount = ordinal === undefined ? headerAmount(requisition, group, base, problems, notes) : groupAmount(requisition, group, problems, notes);
  return {
    requestId: ordinal === undefined ? requisition.id : `${requisition.id}-${ordinal}`,
    vendor: { name: group.supplier, domain: group.supplier ? domain : undefined },
    product,
    amount,
    intakeNotes: notes,
  };
}

function headerAmount(requisition: Requisition, group: SupplierGroup, base: string, problems: string[], notes: IntakeNote[]) {
  const value = optionalValue({ raw: requisition.total, path: joinPath(base, 'total'), reader: READERS.decimal, problems });
  const currency = optionalValue({ raw: requisition.currency?.code, path: joinPath(base, 'currency', 'code'), reader: READERS.currency, problems });
  if (value === undefined) return groupAmount(requisition, group, problems, notes);
  return { value, currency: currency ?? groupAmount(requisition, group, [], [])?.currency };
}

/** Sum of one supplier's line totals (a line without a total: quantity × unit price). */
function groupAmount(requisition: Requisition, group: SupplierGroup, problems: string[], notes: IntakeNote[]): PurchaseRequest['amount'] {
  let sum = 0;
  let priced = 0;
  const currencies = new Set<string>();
  for (const { line, path } of group.lines) {
    const total =
      optionalValue({ raw: line.total, path: `${path}.total`, reader: READERS.decimal, problems }) ??
      times(readAmount(line.quantity), readAmount(line['unit-price'] ?? line.price));
    if (total !== undefined) {
      sum += total;
      priced++;
    }
    const currency = readCurrencyCode(textOf(line.currency?.code)) ?? readCurrencyCode(textOf(requisition.currency?.code));
    if (currency !== undefined) currencies.add(currency);
  }
  if (priced === 0) return undefined;
  if (currencies.size > 1) {
    notes.push({
      field: 'amount.currency',
      kind: 'unrecognised',
      stated: [...currencies].join(', '),
      detail: `the lines for ${group.supplier ?? 'no supplier'} mix currencies`,
    });
  }
  // Round to cents: summing decimals in floating point must not show 0.30000000000000004.
  return { value: Math.round(sum * 100) / 100, currency: currencies.size === 1 ? [...currencies][0] : undefined };
}

function times(quantity: number | undefined, unitPrice: number | undefined): number | undefined {
  return quantity !== undefined && unitPrice !== undefined ? quantity * unitPrice : undefined;
}
