/**
 * Canonical events: the two shapes every source (procurement tools, forms,
 * identity providers) is turned into before policy sees it. Versioned with the
 * JSON Schemas generated into `events/schemas/` (`npm run schemas`).
 *
 * Lenient on input, exact on output. A source may leave out what it does not
 * know (classification, billing period, term, seats, even the requester or
 * the vendor when it names the product): policy turns each gap into a
 * finding. Ordinary values are read as people write them (see values.ts);
 * over-long text is shortened with a marker and an intake note, never a
 * reason to refuse. Only what cannot be read at all is refused, naming the
 * field. Parsing an output again gives the same output.
 */
import * as z from './zod-mini';
import { INTAKE_NOTE_KINDS, IntakeNotes, withoutUndefined, type IntakeNote } from './intake-notes';
import {
  cleanText,
  readAmount,
  readBillingPeriod,
  readCurrencyCode,
  readDate,
  readInstant,
  readTermMonths,
  readWholeNumber,
  readYesNo,
  shorten,
} from './values';

export const SCHEMA_VERSION = '1';

export { INTAKE_NOTE_KINDS, notesFor, withoutUndefined, type IntakeNote, type IntakeNoteKind } from './intake-notes';

/** Ordered from least to most sensitive: policy compares by index. */
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export const BILLING_PERIODS = ['one-time', 'monthly', 'quarterly', 'annual'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export const CONNECTION_KINDS = ['sso-app-created', 'user-assigned', 'oauth-consent'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const APP_SOURCES = ['okta', 'entra-id', 'google-workspace', 'iam-identity-center', 'manual'] as const;
export type AppSource = (typeof APP_SOURCES)[number];

/** Limits that keep a record inside DynamoDB's item size and readable on a page. */
export const TEXT_LIMITS = {
  name: 200,
  department: 100,
  justification: 4000,
  scope: 512,
  scopes: 200,
  scopeCharacters: 16_000,
} as const;

const blank = (raw: unknown): boolean => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');

/** A value as quoted in a problem: short, structures only named. */
function quoteValue(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
  return String(raw);
}

/** Required text: control characters removed; shortened later (with a note) when over its limit. */
const requiredText = () => z.pipe(z.pipe(z.string(), z.transform(cleanText)), z.string().check(z.refine((s) => s.length > 0, 'must not be empty')));

/** Optional text: null or blank means not stated. */
const optionalText = () =>
  z.pipe(
    z.optional(z.union([z.string(), z.null()])),
    z.transform((s: string | null | undefined) => (s == null || cleanText(s) === '' ? undefined : cleanText(s))),
  );

/** An optional value read with `reader`; present but unreadable is a problem naming the field. */
function readValue<T>(reader: (raw: unknown) => T | undefined, describe: string) {
  return z.pipe(
    z.optional(z.union([z.string(), z.number(), z.boolean(), z.null()])),
    z.transform((raw: string | number | boolean | null | undefined, ctx): T | undefined => {
      if (blank(raw)) return undefined;
      const value = reader(raw);
      if (value === undefined) ctx.issues.push({ code: 'custom', message: `${quoteValue(raw)} is not ${describe}`, input: raw });
      return value;
    }),
  );
}

/** An identifier used as a key: bounded and strict, since a shortened id could collide. */
const identifier = (max: number, ...more: z.core.$ZodCheck<string>[]) =>
  z.string().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((s) => cleanText(s) === s, 'must not contain control characters'),
    ...more,
  );

/*
 * The schemas are built on first use, not at module load. Building both cost
 * the approvals API bundle 5-11 ms of its init (zod's code runs for the first
 * time), and most functions import this module without ever validating an
 * event (the approvals API, the digest, the sweep, outreach) or validate one
 * kind only (the purchase-request and app-connected functions).
 */

/** Parts both kinds of event use, built with the first of them. */
function buildSharedParts() {
  return {
    /** A domain as stated; read (URLs and trailing dots accepted) when the event is finished. */
    domain: optionalText(),
    instant: readValue(readInstant, 'a date-time such as 2026-03-01T09:30:00Z (or a date such as 2026-03-01)'),
    intakeNotes: z.optional(
      z.array(
        z.object({
          field: identifier(64),
          kind: z.enum(INTAKE_NOTE_KINDS),
          stated: optionalText(),
          detail: optionalText(),
        }),
      ),
    ),
    emailShape: z.email(),
  };
}
let sharedParts: ReturnType<typeof buildSharedParts> | undefined;
const shared = () => (sharedParts ??= buildSharedParts());

const isEmail = (text: string): boolean => shared().emailShape.safeParse(text).success;

function purchaseRequestInputSchema() {
  const { domain, instant, intakeNotes } = shared();
  return z.object({
    schemaVersion: z.optional(z.literal(SCHEMA_VERSION)),
    requestId: identifier(128, z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"')),
    /** Which tool or form raised it (coupa, servicenow, form…). */
    source: optionalText(),
    submittedAt: instant,
    /**
     * When the source last changed the request (Coupa `updated-at`, ServiceNow
     * `sys_updated_on`): orders revisions that arrive out of order. Not part of
     * the content, so a touch that changes nothing else is no new revision.
     */
    revisedAt: instant,
    requester: z.nullish(
      z.object({
        email: optionalText(),
        name: optionalText(),
        department: optionalText(),
        /** The source's own id for the person when it names no address (a ServiceNow sys_id). */
        id: optionalText(),
      }),
    ),
    vendor: z.nullish(z.object({ name: optionalText(), domain })),
    product: optionalText(),
    /** Catalogue category id (e.g. `file-sharing`); inferred from the vendor when absent. */
    category: optionalText(),
    amount: z.nullish(
      z.object({
        // DynamoDB numbers stop at 1e-130: a vanishing amount would pass here and then fail to store.
        value: z.pipe(
          readValue(readAmount, 'an amount such as 14400, "14,400.00" or "$14,400"'),
          z.optional(
            z.number().check(
              z.nonnegative('must not be negative'),
              z.lte(1e12, 'is implausibly large'),
              z.refine((v) => v === 0 || v >= 0.0001, 'must be 0 or at least 0.0001'),
            ),
          ),
        ),
        currency: readValue(readCurrencyCode, 'an ISO 4217 code such as USD'),
      }),
    ),
    /** `one-time`, `monthly`, `quarterly`, `annual`, or words that say one ("per month"). */
    billingPeriod: z.optional(z.union([z.string(), z.null()])),
    termMonths: z.pipe(readValue(readTermMonths, 'a term in months such as 12 or "2 years"'), z.optional(z.int().check(z.gte(1), z.lte(120)))),
    autoRenew: readValue(readYesNo, 'yes/no or true/false'),
    seats: z.pipe(readValue(readWholeNumber, 'a whole number'), z.optional(z.int().check(z.positive(), z.lte(1_000_000)))),
    /** `public`…`restricted` in any case; other words are kept as stated for the policy's synonyms. */
    dataClassification: z.optional(z.union([z.string(), z.null()])),
    expectedSigningDate: readValue(readDate, 'a date such as 2026-12-31'),
    justification: optionalText(),
    intakeNotes,
  });
}

/** A request to buy or subscribe to a SaaS product, as the guardrail keeps it. */
export interface PurchaseRequest {
  schemaVersion?: typeof SCHEMA_VERSION;
  requestId: string;
  source?: string;
  submittedAt?: string;
  revisedAt?: string;
  requester: { email?: string; name?: string; department?: string; id?: string };
  vendor: { name?: string; domain?: string };
  product?: string;
  category?: string;
  amount?: { value: number; currency?: string };
  billingPeriod?: BillingPeriod;
  termMonths?: number;
  autoRenew?: boolean;
  seats?: number;
  dataClassification?: DataClassification;
  expectedSigningDate?: string;
  justification?: string;
  intakeNotes?: IntakeNote[];
}

export const PurchaseRequestSchema = z.lazy(() =>
  z
    .pipe(
      purchaseRequestInputSchema(),
      z.transform((input: z.output<ReturnType<typeof purchaseRequestInputSchema>>, ctx): PurchaseRequest => {
        const notes = new IntakeNotes(input.intakeNotes);
        const requester: Partial<NonNullable<typeof input.requester>> = input.requester ?? {};
        const vendor: Partial<NonNullable<typeof input.vendor>> = input.vendor ?? {};
        const vendorDomain = notes.domain('vendor.domain', vendor.domain);
        if (!vendor.name && !vendorDomain && !input.product) {
          ctx.issues.push({
            code: 'custom',
            message: 'names neither a vendor (vendor.name, vendor.domain) nor a product: nothing to check',
            input,
            path: ['vendor'],
          });
        }
        let email = requester.email;
        if (email !== undefined && !isEmail(email)) {
          notes.add({ field: 'requester.email', kind: 'unrecognised', stated: email, detail: 'not an email address' });
          email = undefined;
        }
        const billingPeriod = readBillingPeriod(input.billingPeriod);
        if (!billingPeriod && !blank(input.billingPeriod)) notes.add({ field: 'billingPeriod', kind: 'unrecognised', stated: String(input.billingPeriod) });
        const classification = blank(input.dataClassification) ? undefined : String(input.dataClassification).trim().toLowerCase();
        const dataClassification = (DATA_CLASSIFICATIONS as readonly string[]).includes(classification ?? '')
          ? (classification as DataClassification)
          : undefined;
        if (!dataClassification && classification !== undefined) {
          notes.add({ field: 'dataClassification', kind: 'unrecognised', stated: String(input.dataClassification).trim() });
        }
        const amount = input.amount?.value === undefined ? undefined : { value: input.amount.value, currency: input.amount.currency };

        return withoutUndefined({
          schemaVersion: input.schemaVersion,
          requestId: input.requestId,
          source: input.source === undefined ? undefined : shorten(input.source, 64),
          submittedAt: input.submittedAt,
          revisedAt: input.revisedAt,
          requester: {
            email,
            name: notes.bounded('requester.name', requester.name, TEXT_LIMITS.name),
            department: notes.bounded('requester.department', requester.department, TEXT_LIMITS.department),
            id: requester.id === undefined ? undefined : shorten(requester.id, 256),
          },
          vendor: { name: notes.bounded('vendor.name', vendor.name, TEXT_LIMITS.name), domain: vendorDomain },
          product: notes.bounded('product', input.product, TEXT_LIMITS.name),
          category: input.category === undefined ? undefined : shorten(input.category, 64),
          amount,
          billingPeriod,
          termMonths: input.termMonths,
          autoRenew: input.autoRenew,
          seats: input.seats,
          dataClassification,
          expectedSigningDate: input.expectedSigningDate,
          justification: notes.bounded('justification', input.justification, TEXT_LIMITS.justification),
          intakeNotes: notes.list(),
        });
      }),
    )
    .check(z.describe('A request to buy or subscribe to a SaaS product, raised before the contract is signed.')),
);
/** What a producer may send (values as the source wrote them); {@link PurchaseRequest} is what is kept. */
export type PurchaseRequestInput = z.input<typeof PurchaseRequestSchema>;

function appConnectedInputSchema() {
  const { domain, instant, intakeNotes } = shared();
  const person = z.object({
    email: optionalText(),
    id: optionalText(),
    displayName: optionalText(),
  });
  return z.object({
    schemaVersion: z.optional(z.literal(SCHEMA_VERSION)),
    source: z.enum(APP_SOURCES),
    /** The source's own event id (Okta `uuid`, Entra `id`, …): the deduplication key. */
    sourceEventId: identifier(256),
    occurredAt: instant.check(z.refine((v) => v !== undefined, 'is required')),
    app: z.object({
      name: requiredText(),
      id: optionalText(),
      domain,
    }),
    /**
     * Who did it. Some sources name a system actor (Okta's `system@okta.com`) or none
     * (Entra app-initiated changes): `type` records that instead of guessing a person.
     */
    actor: z.extend(person, { type: z.enum(['user', 'system', 'app', 'unknown']) }),
    /** The user an app was assigned to, when that is a different person from the actor. */
    subject: z.optional(person),
    connectionKind: z.enum(CONNECTION_KINDS),
    adminConsent: readValue(readYesNo, 'yes/no or true/false'),
    /** Granted scopes (a list, or one space-separated text as OAuth writes them). */
    scopes: z.pipe(
      z.optional(z.union([z.array(z.unknown()), z.string(), z.null()])),
      z.transform((raw: unknown[] | string | null | undefined, ctx) => {
        if (!Array.isArray(raw)) return raw;
        raw.forEach((scope, i) => {
          if (typeof scope !== 'string') ctx.issues.push({ code: 'custom', message: 'must be a scope name (text)', input: scope, path: [i] });
        });
        return raw.filter((scope): scope is string => typeof scope === 'string');
      }),
    ),
    /** How many scopes the grant held, when more than could be kept. */
    scopeCount: z.optional(z.int().check(z.positive())),
    department: optionalText(),
    intakeNotes,
  });
}

/** An app added to single sign-on, a user assigned to one, or an OAuth consent, as the guardrail keeps it. */
export interface AppConnected {
  schemaVersion?: typeof SCHEMA_VERSION;
  source: AppSource;
  sourceEventId: string;
  occurredAt: string;
  app: { name: string; id?: string; domain?: string };
  actor: { type: 'user' | 'system' | 'app' | 'unknown'; email?: string; id?: string; displayName?: string };
  subject?: { email?: string; id?: string; displayName?: string };
  connectionKind: ConnectionKind;
  adminConsent?: boolean;
  scopes?: string[];
  scopeCount?: number;
  department?: string;
  intakeNotes?: IntakeNote[];
}

export const AppConnectedSchema = z.lazy(() =>
  z
    .pipe(
      appConnectedInputSchema(),
      z.transform((input: z.output<ReturnType<typeof appConnectedInputSchema>>): AppConnected => {
        const notes = new IntakeNotes(input.intakeNotes);
        const person = (p: { email?: string; id?: string; displayName?: string }, field: string) => ({
          email: p.email !== undefined && isEmail(p.email) ? p.email : undefined,
          id: p.id === undefined ? undefined : shorten(p.id, 256),
          displayName: notes.bounded(`${field}.displayName`, p.displayName, TEXT_LIMITS.name),
        });
        const scopes = boundedScopes(input.scopes, input.scopeCount, notes);
        return withoutUndefined({
          schemaVersion: input.schemaVersion,
          source: input.source,
          sourceEventId: input.sourceEventId,
          occurredAt: input.occurredAt as string,
          app: {
            name: notes.bounded('app.name', input.app.name, TEXT_LIMITS.name) as string,
            id: input.app.id === undefined ? undefined : shorten(input.app.id, 256),
            domain: notes.domain('app.domain', input.app.domain),
          },
          actor: { type: input.actor.type, ...person(input.actor, 'actor') },
          subject: input.subject === undefined ? undefined : person(input.subject, 'subject'),
          connectionKind: input.connectionKind,
          adminConsent: input.adminConsent,
          scopes: scopes.kept,
          scopeCount: scopes.count,
          department: notes.bounded('department', input.department, TEXT_LIMITS.department),
          intakeNotes: notes.list(),
        });
      }),
    )
    .check(z.describe('An app was added to single sign-on, a user was assigned to one, or OAuth consent was granted.')),
);
export type AppConnectedInput = z.input<typeof AppConnectedSchema>;

/**
 * Scopes deduplicated and bounded (count and total characters) so the record,
 * with a finding per risky scope, stays under DynamoDB's 400 KB. A longer
 * grant keeps its first scopes and records how many there were.
 */
function boundedScopes(raw: string | string[] | null | undefined, statedCount: number | undefined, notes: IntakeNotes): { kept?: string[]; count?: number } {
  if (raw == null) return {};
  const all = [...new Set((typeof raw === 'string' ? raw.split(/[\s,]+/) : raw).map(cleanText).filter((s) => s !== ''))];
  if (all.length === 0) return {};
  const kept: string[] = [];
  let characters = 0;
  for (const scope of all) {
    const bounded = shorten(scope, TEXT_LIMITS.scope);
    if (kept.length === TEXT_LIMITS.scopes || characters + bounded.length > TEXT_LIMITS.scopeCharacters) break;
    kept.push(bounded);
    characters += bounded.length;
  }
  const count = Math.max(all.length, statedCount ?? 0);
  if (count === kept.length) return { kept };
  if (all.length > kept.length) notes.add({ field: 'scopes', kind: 'shortened', detail: `${count} scopes granted; the first ${kept.length} are kept` });
  return { kept, count };
}

export type GuardrailEvent = { kind: 'purchase-request'; detail: PurchaseRequest } | { kind: 'app-connected'; detail: AppConnected };
export type EventKind = GuardrailEvent['kind'];

/**
 * The namespace of canonical purchase requests that name no `source`: put on
 * the bus directly by a trusted integration (an IAM principal allowed to
 * PutEvents on the guardrail bus, the CLI, the local runtime).
 */
export const BUS_NAMESPACE = 'bus';

/**
 * The id a request is stored and looked up under: `<source>:<the source's own
 * id>` (`coupa:4822`, `servicenow:RITM0010001`, `form:zip:77`,
 * `okta:<uuid>`). The source is the namespace, so no source can create or
 * touch another's ids. The ingest path stamps the authenticated source over
 * whatever a payload claims (adapters/sources `normalize`); an event put on
 * the bus directly is trusted with its own `source` (PutEvents on the bus is
 * the trust boundary), `bus` when it names none.
 */
export function recordIdOf(event: GuardrailEvent): string {
  return event.kind === 'purchase-request'
    ? `${event.detail.source ?? BUS_NAMESPACE}:${event.detail.requestId}`
    : `${event.detail.source}:${event.detail.sourceEventId}`;
}
