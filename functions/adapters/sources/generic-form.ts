/**
 * Any JSON form or intake tool (Zip-like tools without a public webhook
 * schema, internal forms) → canonical `purchase-request`, through a field
 * mapping instead of code.
 *
 * `options.mapping` maps canonical paths to dotted source paths, e.g.
 * `{ "vendor.name": "answers.vendor", "amount.value": "answers.cost" }`
 * (array steps as `items.0.name` or `items[0].name`). Entries override
 * {@link DEFAULT_FORM_MAPPING}, which fits an obvious flat form
 * (`vendor`, `amount`, `currency`, `billing_period`, …).
 *
 * Values are coerced to what the canonical field needs: numbers from
 * "1,200.50", booleans from "yes"/"no", billing periods from "Annually",
 * classifications case-insensitively, dates from date-times. A value that
 * cannot be read is a problem naming the source path — never silently
 * dropped. Required fields missing from the form follow the rule in
 * purchase-fields.ts (configured default, else malformed).
 */
import type { PurchaseRequest } from '../../domain/events';
import { canonicalPurchaseRequest, ignored, malformed, type NormalizeResult } from '../../domain/normalization';
import { formNamespace } from '../../domain/request-identity';
import { datePart, isRecord, quote } from './common';
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

/** The canonical fields a form can fill. */
export const FORM_FIELDS = [
  'requestId',
  'submittedAt',
  'revisedAt',
  'requester.email',
  'requester.name',
  'requester.department',
  'vendor.name',
  'vendor.domain',
  'product',
  'category',
  'amount.value',
  'amount.currency',
  'billingPeriod',
  'termMonths',
  'autoRenew',
  'seats',
  'dataClassification',
  'expectedSigningDate',
  'justification',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The mapping for a flat form whose field names say what they are. */
export const DEFAULT_FORM_MAPPING: Readonly<Record<FormField, string>> = {
  requestId: 'request_id',
  submittedAt: 'submitted_at',
  revisedAt: 'updated_at',
  'requester.email': 'requester_email',
  'requester.name': 'requester_name',
  'requester.department': 'department',
  'vendor.name': 'vendor',
  'vendor.domain': 'vendor_domain',
  product: 'product',
  category: 'category',
  'amount.value': 'amount',
  'amount.currency': 'currency',
  billingPeriod: 'billing_period',
  termMonths: 'term_months',
  autoRenew: 'auto_renew',
  seats: 'seats',
  dataClassification: 'data_classification',
  expectedSigningDate: 'expected_signing_date',
  justification: 'justification',
};

export interface GenericFormOptions {
  /** Canonical path → dotted source path; overrides {@link DEFAULT_FORM_MAPPING} per field. */
  mapping?: Partial<Record<FormField, string>>;
  /**
   * The form's name: its requests are stored as `form:<formName>:<the form's id>`
   * (default `generic`), so a form can never write a procurement tool's ids,
   * nor one form another's. Lower-case letters, digits and hyphens.
   */
  formName?: string;
  defaults?: PurchaseDefaults;
  /**
   * Only submissions whose field at `path` is one of `oneOf` (case-insensitive)
   * are purchase requests, e.g. `{ path: 'event', oneOf: ['request.submitted'] }`
   * for a tool that also posts drafts and comments. Others are ignored.
   */
  acceptWhen?: { path: string; oneOf: readonly string[] };
}

type Kind = 'text' | 'decimal' | 'integer' | 'boolean' | 'currency' | 'billingPeriod' | 'dataClassification' | 'date';

const FIELD_KINDS: Record<FormField, { kind: Kind; required: boolean }> = {
  requestId: { kind: 'text', required: true },
  submittedAt: { kind: 'text', required: false },
  revisedAt: { kind: 'text', required: false },
  'requester.email': { kind: 'text', required: true },
  'requester.name': { kind: 'text', required: false },
  'requester.department': { kind: 'text', required: true },
  'vendor.name': { kind: 'text', required: true },
  'vendor.domain': { kind: 'text', required: false },
  product: { kind: 'text', required: true },
  category: { kind: 'text', required: false },
  'amount.value': { kind: 'decimal', required: true },
  'amount.currency': { kind: 'currency', required: true },
  billingPeriod: { kind: 'billingPeriod', required: true },
  termMonths: { kind: 'integer', required: false },
  autoRenew: { kind: 'boolean', required: false },
  seats: { kind: 'integer', required: false },
  dataClassification: { kind: 'dataClassification', required: true },
  expectedSigningDate: { kind: 'date', required: false },
  justification: { kind: 'text', required: false },
};

const PARSERS: Record<Kind, { parse: (raw: unknown) => unknown; describe: string }> = {
  text: { parse: textOf, describe: 'text' },
  decimal: { parse: parseDecimal, describe: DESCRIBE.decimal },
  integer: { parse: parseInteger, describe: DESCRIBE.integer },
  boolean: { parse: parseYesNo, describe: DESCRIBE.yesNo },
  currency: { parse: parseCurrency, describe: DESCRIBE.currency },
  billingPeriod: { parse: parseBillingPeriod, describe: DESCRIBE.billingPeriod },
  dataClassification: { parse: parseDataClassification, describe: DESCRIBE.dataClassification },
  date: { parse: (raw) => datePart(textOf(raw)), describe: DESCRIBE.date },
};

/** Which default (if any) may stand in for a missing required field. */
const DEFAULT_FOR: Partial<Record<FormField, keyof PurchaseDefaults>> = {
  'amount.currency': 'currency',
  billingPeriod: 'billingPeriod',
  dataClassification: 'dataClassification',
};

/** Normalises one form submission through the configured field mapping. */
export function normalizeGenericForm(payload: unknown, options?: GenericFormOptions): NormalizeResult {
  if (!isRecord(payload)) return malformed(['(payload): must be a JSON object (one form submission)']);
  const gate = options?.acceptWhen;
  if (gate) {
    const value = textOf(readPath(payload, gate.path));
    const accepted = gate.oneOf.some((v) => v.toLowerCase() === value?.trim().toLowerCase());
    if (!accepted) return ignored(`${gate.path} is ${value === undefined ? 'absent' : quote(value)}, not one of ${gate.oneOf.join(', ')}`);
  }
  const mapping = { ...DEFAULT_FORM_MAPPING, ...options?.mapping };
  const defaults = options?.defaults ?? {};
  const problems: string[] = [];
  const values: Partial<Record<FormField, unknown>> = {};

  for (const field of FORM_FIELDS) {
    const sourcePath = mapping[field];
    const { kind, required } = FIELD_KINDS[field];
    const { parse, describe } = PARSERS[kind];
    const raw = readPath(payload, sourcePath);
    const defaultKey = DEFAULT_FOR[field];
    const fieldProblems: string[] = [];
    values[field] = required
      ? requiredValue({ raw, path: sourcePath, parse, describe, fallback: defaultKey ? defaults[defaultKey] : undefined, defaultOption: defaultKey, problems: fieldProblems })
      : optionalValue({ raw, path: sourcePath, parse, describe, problems: fieldProblems });
    // Name both sides of the mapping, so whoever fixes the form or the mapping sees which canonical field it feeds.
    problems.push(...fieldProblems.map((p) => (sourcePath === field ? p : `${p} (mapped to ${field})`)));
  }
  if (problems.length > 0) return malformed(problems);

  const requestId = values.requestId as string;
  return canonicalPurchaseRequest({
    requestId,
    source: formNamespace(options?.formName),
    submittedAt: values.submittedAt as string | undefined,
    revisedAt: values.revisedAt as string | undefined,
    requester: {
      email: values['requester.email'] as string,
      name: values['requester.name'] as string | undefined,
      department: values['requester.department'] as string,
    },
    vendor: { name: values['vendor.name'] as string, domain: values['vendor.domain'] as string | undefined },
    product: values.product as string,
    category: values.category as string | undefined,
    amount: { value: values['amount.value'] as number, currency: values['amount.currency'] as string },
    billingPeriod: values.billingPeriod as PurchaseRequest['billingPeriod'],
    termMonths: values.termMonths as number | undefined,
    autoRenew: values.autoRenew as boolean | undefined,
    seats: values.seats as number | undefined,
    dataClassification: values.dataClassification as PurchaseRequest['dataClassification'],
    expectedSigningDate: values.expectedSigningDate as string | undefined,
    justification: values.justification as string | undefined,
  });
}

/** Reads `answers.vendor`, `items.0.name` or `items[0].name`; undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  const steps = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  let current: unknown = root;
  for (const step of steps) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    else if (isRecord(current) && Object.prototype.hasOwnProperty.call(current, step)) current = current[step];
    else return undefined;
  }
  return current;
}
