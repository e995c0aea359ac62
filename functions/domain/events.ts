/**
 * Canonical events: the two shapes every source (procurement tools, forms,
 * identity providers) is turned into before policy sees it. Versioned with the
 * JSON Schemas generated into `events/schemas/` (`npm run schemas`).
 *
 * Fields a source does not really hold stay optional: a normaliser must leave
 * them absent rather than invent them, and policy may flag their absence.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = '1';

/** Ordered from least to most sensitive: policy compares by index. */
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

export const BILLING_PERIODS = ['one-time', 'monthly', 'annual'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export const CONNECTION_KINDS = ['sso-app-created', 'user-assigned', 'oauth-consent'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const APP_SOURCES = ['okta', 'entra-id', 'google-workspace', 'iam-identity-center', 'manual'] as const;
export type AppSource = (typeof APP_SOURCES)[number];

/** Names and ids travel into notifications and pages: bound them, strip control characters. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as dropbox.com');

const isoCurrency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

export const PurchaseRequestSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION).optional(),
    requestId: text(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"'),
    /** Which tool or form raised it (coupa, servicenow, form…). */
    source: text(64).optional(),
    submittedAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * When the source last changed the request (Coupa `updated-at`, ServiceNow
     * `sys_updated_on`): orders revisions that arrive out of order. Not part of
     * the content, so a touch that changes nothing else is no new revision.
     */
    revisedAt: z.iso.datetime({ offset: true }).optional(),
    requester: z.object({
      email: z.email('must be an email address').max(254),
      name: text(200).optional(),
      department: text(100),
    }),
    vendor: z.object({
      name: text(200),
      domain: hostname.optional(),
    }),
    product: text(200),
    /** Catalogue category id (e.g. `file-sharing`); inferred from the vendor when absent. */
    category: text(64).optional(),
    amount: z.object({
      // DynamoDB numbers stop at 1e-130: a vanishing amount would pass here and then fail to store.
      value: z
        .number()
        .finite()
        .nonnegative('must not be negative')
        .max(1e12, 'is implausibly large')
        .refine((v) => v === 0 || v >= 0.0001, 'must be 0 or at least 0.0001'),
      currency: isoCurrency,
    }),
    billingPeriod: z.enum(BILLING_PERIODS),
    termMonths: z.number().int().min(1).max(120).optional(),
    autoRenew: z.boolean().optional(),
    seats: z.number().int().positive().max(1_000_000).optional(),
    dataClassification: z.enum(DATA_CLASSIFICATIONS),
    expectedSigningDate: z.iso.date('must be a date such as 2026-12-31').optional(),
    justification: z.string().trim().max(4000).optional(),
  })
  .describe('A request to buy or subscribe to a SaaS product, raised before the contract is signed.');
export type PurchaseRequest = z.infer<typeof PurchaseRequestSchema>;

export const AppConnectedSchema = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION).optional(),
    source: z.enum(APP_SOURCES),
    /** The source's own event id (Okta `uuid`, Entra `id`, …): the deduplication key. */
    sourceEventId: text(256),
    occurredAt: z.iso.datetime({ offset: true }),
    app: z.object({
      name: text(200),
      id: text(256).optional(),
      domain: hostname.optional(),
    }),
    /**
     * Who did it. Some sources name a system actor (Okta's `system@okta.com`) or none
     * (Entra app-initiated changes): `type` records that instead of guessing a person.
     */
    actor: z.object({
      type: z.enum(['user', 'system', 'app', 'unknown']),
      email: z.email().max(254).optional(),
      id: text(256).optional(),
      displayName: text(200).optional(),
    }),
    /** The user an app was assigned to, when that is a different person from the actor. */
    subject: z
      .object({
        email: z.email().max(254).optional(),
        id: text(256).optional(),
        displayName: text(200).optional(),
      })
      .optional(),
    connectionKind: z.enum(CONNECTION_KINDS),
    adminConsent: z.boolean().optional(),
    // Bounded in total too: the record (with a finding per risky scope) must stay under DynamoDB's 400 KB item limit.
    scopes: z
      .array(text(512))
      .max(200, 'must list at most 200 scopes')
      .refine((scopes) => scopes.reduce((n, s) => n + s.length, 0) <= 16_000, 'must total at most 16,000 characters')
      .optional(),
    department: text(100).optional(),
  })
  .describe('An app was added to single sign-on, a user was assigned to one, or OAuth consent was granted.');
export type AppConnected = z.infer<typeof AppConnectedSchema>;

export type GuardrailEvent =
  | { kind: 'purchase-request'; detail: PurchaseRequest }
  | { kind: 'app-connected'; detail: AppConnected };
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
