/**
 * The deployment settings, read from CDK context (`cdk.json` defaults, or
 * `cdk deploy -c key=value`) and validated by a zod schema before anything
 * is built: a typo in an email address must stop the synth with the key
 * named, not deploy a subscription that never confirms. Values given on the
 * command line arrive as strings, so lists accept a JSON array or a
 * comma-separated string and numbers accept numeric strings.
 */
import type { Construct } from 'constructs';
import { z } from 'zod';
import { SourceOptionsSchema } from '../functions/adapters/ingest/source-options';
import { describeIssues } from '../functions/domain/problems';
import { OKTA_PARTNER_SOURCE_PREFIX } from '../functions/adapters/sources/okta';
import type { SourceOptions } from '../functions/adapters/sources';

/** Context keys the stack reads; the README lists them for operators. */
export const CONTEXT_KEYS = {
  region: 'guardrail:region',
  busName: 'guardrail:busName',
  approverEmails: 'guardrail:approverEmails',
  alarmEmail: 'guardrail:alarmEmail',
  policyCacheTtlSeconds: 'guardrail:policyCacheTtlSeconds',
  logLevel: 'guardrail:logLevel',
  oktaEventSourceName: 'guardrail:oktaEventSourceName',
  ingestRateLimit: 'guardrail:ingestRateLimit',
  ingestBurstLimit: 'guardrail:ingestBurstLimit',
  sourceOptions: 'guardrail:sourceOptions',
  approverIdpIssuer: 'guardrail:approverIdpIssuer',
  approverIdpAudience: 'guardrail:approverIdpAudience',
  approverEmailClaim: 'guardrail:approverEmailClaim',
  approverSubjectClaim: 'guardrail:approverSubjectClaim',
  approverScope: 'guardrail:approverScope',
  approvalsBaseUrl: 'guardrail:approvalsBaseUrl',
  approvalsRateLimit: 'guardrail:approvalsRateLimit',
  approvalsBurstLimit: 'guardrail:approvalsBurstLimit',
  requesterNotificationEmails: 'guardrail:requesterNotificationEmails',
  requesterTopicWatcherEmails: 'guardrail:requesterTopicWatcherEmails',
  outreachContacts: 'guardrail:outreachContacts',
  legacyApprovalsIndex: 'guardrail:legacyApprovalsIndex',
} as const;

/** The approvals API and the requester topic (see infra/constructs/approvals-api.ts). */
export interface ApprovalsDeploymentConfig {
  /**
   * The company identity provider approvers sign in with (an OIDC issuer and
   * the audience its tokens carry for this app). Without it the inbox and
   * request pages are not deployed; decision links work regardless.
   */
  identityProvider?: { issuer: string; audience: string[] };
  /**
   * The JWT claim holding the approver's email: `email` counts only with
   * `email_verified: true` beside it (Okta, Google); Entra ID has no
   * `email_verified`, so there name `upn` (or rely on the subject).
   */
  emailClaim: string;
  /** The JWT claim holding the approver's immutable id (`sub`; Entra ID `oid`; Okta access tokens `uid`). */
  subjectClaim: string;
  /** The OAuth scope every approver route requires of the token (the JWT authorizer checks `scope`/`scp`). */
  scope: string;
  /** Public URL of the approvals API when it sits behind a custom domain; the API's own URL otherwise. */
  baseUrl?: string;
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * Requesters subscribed by email to the requester topic, each filtered on
   * the `requester` attribute: a person receives the messages about their own
   * requests and nobody else's.
   */
  requesterNotificationEmails: string[];
  /**
   * Addresses that receive every requester message, unfiltered (a procurement
   * tool's inbound address, a procurement team's mailbox): they see every
   * requester's outcomes and approvers' comments.
   */
  requesterTopicWatcherEmails: string[];
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DeploymentConfig {
  /** Name of the custom EventBridge bus procurement tools and IdP forwarders publish to. */
  busName: string;
  /** IT approvers subscribed by email to decision notifications. */
  approverEmails: string[];
  /** Operator address for CloudWatch alarms; none when empty. */
  alarmEmail?: string;
  /** How long a warm Lambda keeps the policy before re-reading it. */
  policyCacheTtlSeconds: number;
  logLevel: LogLevel;
  /**
   * The Okta partner event source (`aws.partner/okta.com/<org>/<name>`) whose
   * event bus the Okta rule listens on; no Okta rule when absent (the partner
   * source must exist and be associated before the rule can be deployed).
   */
  oktaEventSourceName?: string;
  /** Throttling of the ingest API's default stage: steady requests per second and burst. */
  ingestThrottle: { rateLimit: number; burstLimit: number };
  /** Normaliser options per source, for both ingest functions (app names, a form's field mapping…). */
  sourceOptions: Partial<SourceOptions>;
  approvals: ApprovalsDeploymentConfig;
  /**
   * Department contacts subscribed by email to the outreach topic, each
   * filtered on the `department` attribute (the policy's department name):
   * the same pairs as the policy's `departments` section.
   */
  outreachContacts: { department: string; email: string }[];
  /**
   * Keep the approvals index of stacks created before 2026-12 (whole records
   * projected, `approvals-due`) beside its keys-only successor for one deploy:
   * CloudFormation cannot create one index and delete another in one update.
   */
  legacyApprovalsIndex: boolean;
}

export const DEFAULT_CONFIG: DeploymentConfig = {
  busName: 'procurement-guardrail',
  approverEmails: [],
  policyCacheTtlSeconds: 60,
  logLevel: 'INFO',
  ingestThrottle: { rateLimit: 50, burstLimit: 100 },
  sourceOptions: {},
  outreachContacts: [],
  legacyApprovalsIndex: false,
  approvals: {
    emailClaim: 'email',
    subjectClaim: 'sub',
    scope: 'guardrail.approve',
    throttle: { rateLimit: 20, burstLimit: 40 },
    requesterNotificationEmails: [],
    requesterTopicWatcherEmails: [],
  },
};

/** Thrown with every problem found, each naming its context key. */
export class DeploymentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`);
    this.name = 'DeploymentConfigError';
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// EventBridge: 1-256 characters of [/.\-_A-Za-z0-9]; `default` is the account's own bus.
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
// aws.partner/okta.com/<okta org subdomain>/<event source name>
const OKTA_EVENT_SOURCE = /^aws\.partner\/okta\.com\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]+$/;
const CLAIM = /^[A-Za-z0-9_:./-]{1,128}$/;
// RFC 6749 scope-token characters, without spaces (one scope); Entra's api://<app>/<name> form included.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

const got = (input: unknown) => `(got ${JSON.stringify(input)})`;
const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
/** Unset: absent, null or blank (cdk.json writes "" for "none"). */
const unset = (value: unknown) => value === undefined || value === null || trimmed(value) === '';

/** An optional setting: unset becomes undefined, anything else (trimmed) must pass `schema`. */
function optional<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .optional()
    .transform((value) => (unset(value) ? undefined : trimmed(value)))
    .pipe(schema.optional());
}

/** A number (or its string form from `-c`) within bounds, or `fallback` when unset. */
function bounded(fallback: number, { min, max, integer, unit = '' }: { min: number; max: number; integer: boolean; unit?: string }) {
  const error = (iss: { input?: unknown }) => `must be ${integer ? 'a whole number' : 'a number'}${unit} from ${min} to ${max} ${got(iss.input)}`;
  const number = z.number({ error }).min(min, { error }).max(max, { error });
  // A numeric string becomes its number; any other string stays itself, so the problem quotes it.
  const numeric = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  return optional(z.preprocess(numeric, integer ? number.int({ error }) : number)).transform((n) => n ?? fallback);
}

/** A list of strings: a JSON array, or JSON/comma-separated text; unset is empty. */
const list = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    if (unset(value)) return [];
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (!text.startsWith('[')) return text.split(',');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a JSON array` });
      return z.NEVER;
    }
  })
  .pipe(
    z.custom<string[]>((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), {
      error: 'must be a list of strings (a JSON array or comma-separated)',
    }),
  )
  .transform((items) => items.map((s) => s.trim()).filter((s) => s !== ''));

const email = z.string().regex(EMAIL, { error: (iss) => `${JSON.stringify(iss.input)} is not an email address` });
const emailList = list.pipe(z.array(email));

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** true/false, or their string forms from `-c`; unset is false. */
const flag = optional(
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: (iss) => `must be true or false ${got(iss.input)}` })),
).transform((v) => v ?? false);

/** The raw context values, keyed like {@link CONTEXT_KEYS}; each key's problems are named by its context key. */
const ContextSchema = z.object({
  busName: optional(
    z.string().refine((name) => BUS_NAME.test(name) && name !== 'default', {
      error: (iss) => `must be 1-256 letters, digits, ".", "-", "_" or "/" and not "default" ${got(iss.input)}`,
    }),
  ).transform((name) => name ?? DEFAULT_CONFIG.busName),
  approverEmails: emailList.superRefine((emails, ctx) => {
    const duplicates = emails.filter((e, i) => emails.findIndex((x) => x.toLowerCase() === e.toLowerCase()) !== i);
    if (duplicates.length > 0) ctx.addIssue({ code: 'custom', message: `${duplicates.join(', ')} listed more than once` });
  }),
  alarmEmail: optional(z.string().regex(EMAIL, { error: (iss) => `${JSON.stringify(iss.input)} is not an email address (leave it empty for no email)` })),
  policyCacheTtlSeconds: bounded(DEFAULT_CONFIG.policyCacheTtlSeconds, { min: 0, max: 3600, integer: true, unit: ' of seconds' }),
  logLevel: optional(
    z.string().transform((level, ctx) => {
      const upper = level.toUpperCase();
      if ((LOG_LEVELS as readonly string[]).includes(upper)) return upper as LogLevel;
      ctx.addIssue({ code: 'custom', message: `must be one of ${LOG_LEVELS.join(', ')} ${got(level)}` });
      return z.NEVER;
    }),
  ).transform((level) => level ?? DEFAULT_CONFIG.logLevel),
  oktaEventSourceName: optional(
    z.string().refine((name) => name.length <= 256 && OKTA_EVENT_SOURCE.test(name), {
      error: (iss) =>
        `must be the Okta partner event source name, ${OKTA_PARTNER_SOURCE_PREFIX}<okta-org>/<event-source-name> ${got(iss.input).slice(0, -1)}; leave it empty for no Okta rule)`,
    }),
  ),
  ingestRateLimit: bounded(DEFAULT_CONFIG.ingestThrottle.rateLimit, { min: 1, max: 10_000, integer: false }),
  ingestBurstLimit: bounded(DEFAULT_CONFIG.ingestThrottle.burstLimit, { min: 1, max: 5_000, integer: true }),
  sourceOptions: SourceOptionsSchema,
  approverIdpIssuer: optional(z.string()),
  approverIdpAudience: list,
  approverEmailClaim: optional(z.string().regex(CLAIM, { error: (iss) => `must be a JWT claim name such as email ${got(iss.input)}` })),
  approverSubjectClaim: optional(z.string().regex(CLAIM, { error: (iss) => `must be a JWT claim name such as sub or oid ${got(iss.input)}` })),
  approverScope: optional(z.string().regex(SCOPE, { error: (iss) => `must be one OAuth scope such as guardrail.approve ${got(iss.input)}` })),
  approvalsBaseUrl: optional(
    z.string().refine(isHttpsUrl, { error: (iss) => `must be an https URL such as https://approvals.example.com/ ${got(iss.input)}` }),
  ),
  approvalsRateLimit: bounded(DEFAULT_CONFIG.approvals.throttle.rateLimit, { min: 1, max: 10_000, integer: false }),
  approvalsBurstLimit: bounded(DEFAULT_CONFIG.approvals.throttle.burstLimit, { min: 1, max: 5_000, integer: true }),
  requesterNotificationEmails: emailList,
  requesterTopicWatcherEmails: emailList,
  outreachContacts: list.pipe(
    z.array(
      z.string().regex(/^[^=,]{1,100}=\s*[^\s@=]+@[^\s@]+\.[^\s@]+$/, {
        error: (iss) => `each entry is "<department as the policy names it>=<contact email>", such as "Marketing=marketing-ops@example.com" ${got(iss.input)}`,
      }),
    ),
  ),
  legacyApprovalsIndex: flag,
});

/**
 * The identity provider: issuer and audience go together, the issuer over
 * https, and the base URL names the sign-in proxy. A schema of its own, so
 * these are checked however the other keys fared (one synth names every problem).
 */
const IdentityProviderSchema = z
  .object({
    approverIdpIssuer: ContextSchema.shape.approverIdpIssuer,
    approverIdpAudience: ContextSchema.shape.approverIdpAudience,
    approvalsBaseUrl: z.unknown().optional(),
  })
  .superRefine(({ approverIdpIssuer: issuer, approverIdpAudience: audience, approvalsBaseUrl }, ctx) => {
    if (issuer === undefined && audience.length === 0) return;
    if (issuer === undefined || !isHttpsUrl(issuer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['approverIdpIssuer'],
        message: `must be the identity provider's https issuer URL (e.g. https://example.okta.com/oauth2/default) when ${CONTEXT_KEYS.approverIdpAudience} is set ${got(issuer)}`,
      });
    } else if (audience.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['approverIdpAudience'],
        message: `must name the audience (client id) of the approvers' tokens when ${CONTEXT_KEYS.approverIdpIssuer} is set`,
      });
    } else if (unset(approvalsBaseUrl)) {
      // Every approvals route then needs a bearer token, which a browser gets only through the sign-in proxy:
      // links pointing at the API itself would answer 401 to every approver.
      ctx.addIssue({
        code: 'custom',
        path: ['approvalsBaseUrl'],
        message: `must be the sign-in proxy's https URL when ${CONTEXT_KEYS.approverIdpIssuer} is set (decision links and the inbox go through it; see docs/approver-sign-in.md)`,
      });
    }
  });

/** Raw context values, keyed like the config (throttling as its two keys). */
export type RawDeploymentConfig = Partial<Record<keyof z.input<typeof ContextSchema>, unknown>>;

/** Reads and validates the settings from the construct tree's context. */
export function readDeploymentConfig(scope: Construct): DeploymentConfig {
  const raw: RawDeploymentConfig = {};
  for (const key of Object.keys(ContextSchema.shape) as Array<keyof RawDeploymentConfig>) raw[key] = scope.node.tryGetContext(CONTEXT_KEYS[key]);
  return parseDeploymentConfig(raw);
}

/** Validates raw context values; throws {@link DeploymentConfigError} naming every problem by its context key. */
export function parseDeploymentConfig(raw: RawDeploymentConfig): DeploymentConfig {
  const parsed = ContextSchema.safeParse(raw);
  const idp = IdentityProviderSchema.safeParse(raw);
  if (!parsed.success || !idp.success) {
    // One formatter for every schema problem; each issue rooted at the context key it is about.
    const issues = [...(parsed.error?.issues ?? []), ...(idp.error?.issues ?? [])];
    const lines = issues.flatMap(({ path: [key, ...rest], message }) =>
      describeIssues([{ path: rest, message }], CONTEXT_KEYS[key as keyof typeof CONTEXT_KEYS] ?? String(key)),
    );
    throw new DeploymentConfigError([...new Set(lines)]);
  }
  const c = parsed.data;
  const identityProvider =
    c.approverIdpIssuer && c.approverIdpAudience.length > 0 ? { issuer: c.approverIdpIssuer, audience: c.approverIdpAudience } : undefined;
  return {
    approvals: {
      ...(identityProvider ? { identityProvider } : {}),
      emailClaim: c.approverEmailClaim ?? DEFAULT_CONFIG.approvals.emailClaim,
      subjectClaim: c.approverSubjectClaim ?? DEFAULT_CONFIG.approvals.subjectClaim,
      scope: c.approverScope ?? DEFAULT_CONFIG.approvals.scope,
      ...(c.approvalsBaseUrl ? { baseUrl: c.approvalsBaseUrl.endsWith('/') ? c.approvalsBaseUrl : `${c.approvalsBaseUrl}/` } : {}),
      throttle: { rateLimit: c.approvalsRateLimit, burstLimit: c.approvalsBurstLimit },
      requesterNotificationEmails: c.requesterNotificationEmails,
      requesterTopicWatcherEmails: c.requesterTopicWatcherEmails,
    },
    busName: c.busName,
    approverEmails: c.approverEmails,
    alarmEmail: c.alarmEmail,
    policyCacheTtlSeconds: c.policyCacheTtlSeconds,
    logLevel: c.logLevel,
    ...(c.oktaEventSourceName ? { oktaEventSourceName: c.oktaEventSourceName } : {}),
    ingestThrottle: { rateLimit: c.ingestRateLimit, burstLimit: c.ingestBurstLimit },
    sourceOptions: c.sourceOptions,
    outreachContacts: c.outreachContacts.map((entry) => {
      const at = entry.indexOf('=');
      return { department: entry.slice(0, at).trim(), email: entry.slice(at + 1).trim() };
    }),
    legacyApprovalsIndex: c.legacyApprovalsIndex,
  };
}
