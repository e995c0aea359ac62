/**
 * The deployment settings, read from CDK context (`cdk.json` defaults, or
 * `cdk deploy -c key=value`) and validated before anything is built: a typo
 * in an email address must stop the synth with the key named, not deploy a
 * subscription that never confirms.
 */
import type { Construct } from 'constructs';
import { SourceOptionsError, parseSourceOptions } from '../functions/adapters/ingest/source-options';
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
  approvalsBaseUrl: 'guardrail:approvalsBaseUrl',
  approvalsRateLimit: 'guardrail:approvalsRateLimit',
  approvalsBurstLimit: 'guardrail:approvalsBurstLimit',
  requesterNotificationEmails: 'guardrail:requesterNotificationEmails',
} as const;

/** The approvals API and the requester topic (see infra/constructs/approvals-api.ts). */
export interface ApprovalsDeploymentConfig {
  /**
   * The company identity provider approvers sign in with (an OIDC issuer and
   * the audience its tokens carry for this app). Without it the inbox and
   * request pages are not deployed; decision links work regardless.
   */
  identityProvider?: { issuer: string; audience: string[] };
  /** The JWT claim holding the approver's email (`email`; Entra ID often `preferred_username` or `upn`). */
  emailClaim: string;
  /** Public URL of the approvals API when it sits behind a custom domain; the API's own URL otherwise. */
  baseUrl?: string;
  throttle: { rateLimit: number; burstLimit: number };
  /** Addresses subscribed to every requester message (a procurement team's mailbox, say). */
  requesterNotificationEmails: string[];
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
}

export const DEFAULT_CONFIG: DeploymentConfig = {
  busName: 'procurement-guardrail',
  approverEmails: [],
  policyCacheTtlSeconds: 60,
  logLevel: 'INFO',
  ingestThrottle: { rateLimit: 50, burstLimit: 100 },
  sourceOptions: {},
  approvals: { emailClaim: 'email', throttle: { rateLimit: 20, burstLimit: 40 }, requesterNotificationEmails: [] },
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

/** Reads and validates the settings from the construct tree's context. */
export function readDeploymentConfig(scope: Construct): DeploymentConfig {
  const get = (key: string): unknown => scope.node.tryGetContext(key);
  return parseDeploymentConfig({
    busName: get(CONTEXT_KEYS.busName),
    approverEmails: get(CONTEXT_KEYS.approverEmails),
    alarmEmail: get(CONTEXT_KEYS.alarmEmail),
    policyCacheTtlSeconds: get(CONTEXT_KEYS.policyCacheTtlSeconds),
    logLevel: get(CONTEXT_KEYS.logLevel),
    oktaEventSourceName: get(CONTEXT_KEYS.oktaEventSourceName),
    ingestRateLimit: get(CONTEXT_KEYS.ingestRateLimit),
    ingestBurstLimit: get(CONTEXT_KEYS.ingestBurstLimit),
    sourceOptions: get(CONTEXT_KEYS.sourceOptions),
    approverIdpIssuer: get(CONTEXT_KEYS.approverIdpIssuer),
    approverIdpAudience: get(CONTEXT_KEYS.approverIdpAudience),
    approverEmailClaim: get(CONTEXT_KEYS.approverEmailClaim),
    approvalsBaseUrl: get(CONTEXT_KEYS.approvalsBaseUrl),
    approvalsRateLimit: get(CONTEXT_KEYS.approvalsRateLimit),
    approvalsBurstLimit: get(CONTEXT_KEYS.approvalsBurstLimit),
    requesterNotificationEmails: get(CONTEXT_KEYS.requesterNotificationEmails),
  });
}

/** Raw context values, keyed like the config (throttling as its two keys). */
export type RawDeploymentConfig = Partial<
  Record<
    | Exclude<keyof DeploymentConfig, 'ingestThrottle' | 'approvals'>
    | 'ingestRateLimit'
    | 'ingestBurstLimit'
    | 'approverIdpIssuer'
    | 'approverIdpAudience'
    | 'approverEmailClaim'
    | 'approvalsBaseUrl'
    | 'approvalsRateLimit'
    | 'approvalsBurstLimit'
    | 'requesterNotificationEmails',
    unknown
  >
>;

/**
 * Validates raw context values. Values given on the command line arrive as
 * strings (`-c guardrail:approverEmails=a@x.com,b@x.com`), so lists accept a
 * JSON array or a comma-separated string and numbers accept numeric strings.
 */
export function parseDeploymentConfig(raw: RawDeploymentConfig): DeploymentConfig {
  const problems: string[] = [];

  let busName = DEFAULT_CONFIG.busName;
  if (raw.busName !== undefined) {
    if (typeof raw.busName !== 'string' || !BUS_NAME.test(raw.busName) || raw.busName === 'default') {
      problems.push(`${CONTEXT_KEYS.busName}: must be 1-256 letters, digits, ".", "-", "_" or "/" and not "default" (got ${JSON.stringify(raw.busName)})`);
    } else {
      busName = raw.busName;
    }
  }

  const approverEmails = parseList(raw.approverEmails, CONTEXT_KEYS.approverEmails, problems);
  approverEmails.forEach((email, i) => {
    if (!EMAIL.test(email)) problems.push(`${CONTEXT_KEYS.approverEmails}[${i}]: ${JSON.stringify(email)} is not an email address`);
  });
  const duplicates = approverEmails.filter((e, i) => approverEmails.findIndex((x) => x.toLowerCase() === e.toLowerCase()) !== i);
  if (duplicates.length > 0) problems.push(`${CONTEXT_KEYS.approverEmails}: ${duplicates.join(', ')} listed more than once`);

  let alarmEmail: string | undefined;
  if (raw.alarmEmail !== undefined && raw.alarmEmail !== null && raw.alarmEmail !== '') {
    if (typeof raw.alarmEmail !== 'string' || !EMAIL.test(raw.alarmEmail.trim())) {
      problems.push(`${CONTEXT_KEYS.alarmEmail}: ${JSON.stringify(raw.alarmEmail)} is not an email address (leave it empty for no email)`);
    } else {
      alarmEmail = raw.alarmEmail.trim();
    }
  }

  let policyCacheTtlSeconds = DEFAULT_CONFIG.policyCacheTtlSeconds;
  if (raw.policyCacheTtlSeconds !== undefined) {
    const n = typeof raw.policyCacheTtlSeconds === 'string' && raw.policyCacheTtlSeconds.trim() !== '' ? Number(raw.policyCacheTtlSeconds) : raw.policyCacheTtlSeconds;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 3600) {
      problems.push(`${CONTEXT_KEYS.policyCacheTtlSeconds}: must be a whole number of seconds from 0 to 3600 (got ${JSON.stringify(raw.policyCacheTtlSeconds)})`);
    } else {
      policyCacheTtlSeconds = n;
    }
  }

  let logLevel = DEFAULT_CONFIG.logLevel;
  if (raw.logLevel !== undefined) {
    const level = typeof raw.logLevel === 'string' ? raw.logLevel.toUpperCase() : raw.logLevel;
    if (!LOG_LEVELS.includes(level as LogLevel)) {
      problems.push(`${CONTEXT_KEYS.logLevel}: must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(raw.logLevel)})`);
    } else {
      logLevel = level as LogLevel;
    }
  }

  let oktaEventSourceName: string | undefined;
  if (raw.oktaEventSourceName !== undefined && raw.oktaEventSourceName !== null && raw.oktaEventSourceName !== '') {
    const name = typeof raw.oktaEventSourceName === 'string' ? raw.oktaEventSourceName.trim() : raw.oktaEventSourceName;
    if (typeof name !== 'string' || name.length > 256 || !OKTA_EVENT_SOURCE.test(name)) {
      problems.push(
        `${CONTEXT_KEYS.oktaEventSourceName}: must be the Okta partner event source name, ${OKTA_PARTNER_SOURCE_PREFIX}<okta-org>/<event-source-name> (got ${JSON.stringify(raw.oktaEventSourceName)}; leave it empty for no Okta rule)`,
      );
    } else {
      oktaEventSourceName = name;
    }
  }

  const rateLimit = parseNumber(raw.ingestRateLimit, CONTEXT_KEYS.ingestRateLimit, DEFAULT_CONFIG.ingestThrottle.rateLimit, { min: 1, max: 10_000, integer: false }, problems);
  const burstLimit = parseNumber(raw.ingestBurstLimit, CONTEXT_KEYS.ingestBurstLimit, DEFAULT_CONFIG.ingestThrottle.burstLimit, { min: 1, max: 5_000, integer: true }, problems);

  let sourceOptions: Partial<SourceOptions> = {};
  try {
    sourceOptions = parseSourceOptions(raw.sourceOptions, CONTEXT_KEYS.sourceOptions);
  } catch (error) {
    if (!(error instanceof SourceOptionsError)) throw error;
    problems.push(...error.problems);
  }

  const approvals = parseApprovals(raw, problems);

  if (problems.length > 0) throw new DeploymentConfigError(problems);
  return {
    approvals,
    busName,
    approverEmails,
    alarmEmail,
    policyCacheTtlSeconds,
    logLevel,
    ...(oktaEventSourceName ? { oktaEventSourceName } : {}),
    ingestThrottle: { rateLimit, burstLimit },
    sourceOptions,
  };
}

const CLAIM = /^[A-Za-z0-9_:.\/-]{1,128}$/;

function parseApprovals(raw: RawDeploymentConfig, problems: string[]): ApprovalsDeploymentConfig {
  const defaults = DEFAULT_CONFIG.approvals;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const set = (v: unknown) => v !== undefined && v !== null && text(v) !== '';

  let identityProvider: ApprovalsDeploymentConfig['identityProvider'];
  const issuer = text(raw.approverIdpIssuer);
  const audience = parseList(raw.approverIdpAudience, CONTEXT_KEYS.approverIdpAudience, problems);
  if (set(issuer) || audience.length > 0) {
    if (typeof issuer !== 'string' || !isHttpsUrl(issuer)) {
      problems.push(
        `${CONTEXT_KEYS.approverIdpIssuer}: must be the identity provider's https issuer URL (e.g. https://example.okta.com/oauth2/default) when ${CONTEXT_KEYS.approverIdpAudience} is set (got ${JSON.stringify(raw.approverIdpIssuer)})`,
      );
    } else if (audience.length === 0) {
      problems.push(`${CONTEXT_KEYS.approverIdpAudience}: must name the audience (client id) of the approvers' tokens when ${CONTEXT_KEYS.approverIdpIssuer} is set`);
    } else {
      identityProvider = { issuer, audience };
    }
  }

  let emailClaim = defaults.emailClaim;
  if (set(raw.approverEmailClaim)) {
    const claim = text(raw.approverEmailClaim);
    if (typeof claim !== 'string' || !CLAIM.test(claim)) problems.push(`${CONTEXT_KEYS.approverEmailClaim}: must be a JWT claim name such as email (got ${JSON.stringify(raw.approverEmailClaim)})`);
    else emailClaim = claim;
  }

  let baseUrl: string | undefined;
  if (set(raw.approvalsBaseUrl)) {
    const url = text(raw.approvalsBaseUrl);
    if (typeof url !== 'string' || !isHttpsUrl(url)) problems.push(`${CONTEXT_KEYS.approvalsBaseUrl}: must be an https URL such as https://approvals.example.com/ (got ${JSON.stringify(raw.approvalsBaseUrl)})`);
    else baseUrl = url.endsWith('/') ? url : `${url}/`;
  }

  const rateLimit = parseNumber(raw.approvalsRateLimit, CONTEXT_KEYS.approvalsRateLimit, defaults.throttle.rateLimit, { min: 1, max: 10_000, integer: false }, problems);
  const burstLimit = parseNumber(raw.approvalsBurstLimit, CONTEXT_KEYS.approvalsBurstLimit, defaults.throttle.burstLimit, { min: 1, max: 5_000, integer: true }, problems);

  const requesterNotificationEmails = parseList(raw.requesterNotificationEmails, CONTEXT_KEYS.requesterNotificationEmails, problems);
  requesterNotificationEmails.forEach((email, i) => {
    if (!EMAIL.test(email)) problems.push(`${CONTEXT_KEYS.requesterNotificationEmails}[${i}]: ${JSON.stringify(email)} is not an email address`);
  });

  return {
    ...(identityProvider ? { identityProvider } : {}),
    emailClaim,
    ...(baseUrl ? { baseUrl } : {}),
    throttle: { rateLimit, burstLimit },
    requesterNotificationEmails,
  };
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** A number from context (or its string form from `-c`), within bounds; the default when unset. */
function parseNumber(
  value: unknown,
  key: string,
  fallback: number,
  bounds: { min: number; max: number; integer: boolean },
  problems: string[],
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < bounds.min || n > bounds.max || (bounds.integer && !Number.isInteger(n))) {
    problems.push(`${key}: must be ${bounds.integer ? 'a whole number' : 'a number'} from ${bounds.min} to ${bounds.max} (got ${JSON.stringify(value)})`);
    return fallback;
  }
  return n;
}

function parseList(value: unknown, key: string, problems: string[]): string[] {
  if (value === undefined || value === null || value === '') return [];
  let list = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        list = JSON.parse(text);
      } catch {
        problems.push(`${key}: ${JSON.stringify(value)} is not a JSON array`);
        return [];
      }
    } else {
      list = text.split(',');
    }
  }
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
    problems.push(`${key}: must be a list of strings (a JSON array or comma-separated)`);
    return [];
  }
  return list.map((v) => v.trim()).filter((v) => v !== '');
}
