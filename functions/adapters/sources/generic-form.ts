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
 * Values are read as people type them: amounts from "1,200.50" or "$1,200",
 * booleans from "yes"/"no", terms from "2 years", dates with or without a
 * time; billing periods and classifications in words go to the canonical
 * schema as written. A value that cannot be read is a problem naming the
 * source path, never silently dropped. Facts the form leaves out follow the
 * rule in purchase-fields.ts (inferred from the product line, else the
 * configured default, else absent for policy to ask about); only the id is
 * required.
 */
import type { IntakeNote } from '../../domain/events';
import { formNamespace } from '../../domain/request-identity';
import { canonicalPurchaseRequest, ignored, malformed, type NormalizeResult } from './batches';
import { isRecord, quote } from './native-values';
import { billingAndTerm, billingFromTexts, optionalValue, READERS, statedOrDefault, textOf, type PurchaseDefaults } from './purchase-fields';

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

/** How each mapped field is read; `text` fields pass through for the canonical schema to read. */
const FIELD_READERS: Partial<Record<FormField, { parse: (raw: unknown) => unknown; describe: string }>> = {
  'amount.value': READERS.decimal,
  'amount.currency': READERS.currency,
  termMonths: READERS.term,
  autoRenew: READERS.yesNo,
  seats: READERS.integer,
  expectedSigningDate: READERS.date,
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
  const notes: IntakeNote[] = [];
  const raw = (field: FormField) => readPath(payload, mapping[field]);
  const values: Partial<Record<FormField, unknown>> = {};
  for (const field of FORM_FIELDS) {
    const reader = FIELD_READERS[field];
    const sourcePath = mapping[field];
    const fieldProblems: string[] = [];
    values[field] = reader ? optionalValue({ raw: raw(field), path: sourcePath, reader, problems: fieldProblems }) : textOf(raw(field));
    // Name both sides of the mapping, so whoever fixes the form or the mapping sees which canonical field it feeds.
    problems.push(...fieldProblems.map((p) => (sourcePath === field ? p : `${p} (mapped to ${field})`)));
  }
  const requestId = values.requestId as string | undefined;
  if (requestId === undefined)
    problems.push(`${mapping.requestId}: missing; every submission needs its id${mapping.requestId === 'requestId' ? '' : ' (mapped to requestId)'}`);
  const billing = billingAndTerm({
    billingRaw: raw('billingPeriod'),
    termRaw: raw('termMonths'),
    termPath: mapping.termMonths,
    words: billingFromTexts([{ text: values.product as string | undefined, path: mapping.product }]),
    fallback: defaults.billingPeriod,
    notes,
    problems: [],
  });
  if (problems.length > 0) return malformed(problems);

  const text = (field: FormField) => values[field] as string | undefined;
  return canonicalPurchaseRequest({
    requestId: requestId as string, // present: its absence is a problem above
    source: formNamespace(options?.formName),
    submittedAt: text('submittedAt'),
    revisedAt: text('revisedAt'),
    requester: { email: text('requester.email'), name: text('requester.name'), department: text('requester.department') },
    vendor: { name: text('vendor.name'), domain: text('vendor.domain') },
    product: text('product'),
    category: text('category'),
    amount: {
      value: values['amount.value'] as number | undefined,
      currency:
        (values['amount.currency'] as string | undefined) ??
        (values['amount.value'] === undefined ? undefined : statedOrDefault({ raw: undefined, field: 'amount.currency', fallback: defaults.currency, notes })),
    },
    ...billing,
    autoRenew: values.autoRenew as boolean | undefined,
    seats: values.seats as number | undefined,
    dataClassification: statedOrDefault({ raw: raw('dataClassification'), field: 'dataClassification', fallback: defaults.dataClassification, notes }),
    expectedSigningDate: text('expectedSigningDate'),
    justification: text('justification'),
    intakeNotes: notes,
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
