/**
 * What the approvals Lambdas (decision API, escalation sweep, digest) read
 * from their environment, checked in one place like the guardrail handlers'
 * config: a missing variable names itself instead of failing later.
 *
 * The signing key is never in the environment: only where to read it (a
 * Secrets Manager secret, or an SSM SecureString parameter).
 */
import { POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../adapters/dynamodb/tables';
import { policyCacheTtlFromEnv } from '../../adapters/dynamodb/policy-store';
import { IT_TOPIC_ARN_ENV, REQUESTER_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import {
  APPROVALS_BASE_URL_ENV,
  APPROVALS_INBOX_ENABLED_ENV,
  DECISION_LINK_KEY_PARAMETER_ENV,
  DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV,
  DECISION_LINK_KEY_SECRET_ENV,
} from '../../adapters/security/decision-link-issuer';
import { decisionBaseUrl } from '../../adapters/security/decision-link-signer';
import { MissingConfigurationError } from './config';

/** Env var: the JWT claim holding the signed-in approver's email (`email` for Okta/Google, often `preferred_username` or `upn` for Entra ID). */
export const APPROVER_EMAIL_CLAIM_ENV = 'APPROVER_EMAIL_CLAIM';

export type SigningKeySource =
  | { kind: 'secrets-manager'; secretId: string }
  /** `versions`: the parameter versions the deployment accepts (the highest signs); absent, the latest alone. */
  | { kind: 'ssm'; parameterName: string; versions?: number[] };

export interface ApprovalsConfig {
  policyTableName: string;
  requestsTableName: string;
  itTopicArn: string;
  requesterTopicArn: string;
  eventBusName: string;
  signingKey: SigningKeySource;
  baseUrl: string;
  inboxEnabled: boolean;
  approverEmailClaim: string;
  policyCacheTtlSeconds: number;
}

export const APPROVALS_REQUIRED_ENV = [
  POLICY_TABLE_ENV,
  REQUESTS_TABLE_ENV,
  IT_TOPIC_ARN_ENV,
  REQUESTER_TOPIC_ARN_ENV,
  EVENT_BUS_NAME_ENV,
  APPROVALS_BASE_URL_ENV,
] as const;

/** Invalid (rather than missing) settings, each naming its variable. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

export function readApprovalsConfig(env: NodeJS.ProcessEnv = process.env): ApprovalsConfig {
  const value = (name: string) => env[name]?.trim() ?? '';
  const missing: string[] = APPROVALS_REQUIRED_ENV.filter((name) => value(name) === '');
  const secret = value(DECISION_LINK_KEY_SECRET_ENV);
  const parameter = value(DECISION_LINK_KEY_PARAMETER_ENV);
  if (!secret && !parameter) missing.push(`${DECISION_LINK_KEY_SECRET_ENV} (or ${DECISION_LINK_KEY_PARAMETER_ENV})`);
  if (missing.length > 0) throw new MissingConfigurationError(missing);
  const problems: string[] = [];
  if (secret && parameter) problems.push(`set only one of ${DECISION_LINK_KEY_SECRET_ENV} and ${DECISION_LINK_KEY_PARAMETER_ENV}`);
  try {
    decisionBaseUrl(value(APPROVALS_BASE_URL_ENV));
  } catch (error) {
    problems.push(`${APPROVALS_BASE_URL_ENV}: ${(error as Error).message}`);
  }
  const inbox = value(APPROVALS_INBOX_ENABLED_ENV).toLowerCase();
  if (inbox && inbox !== 'true' && inbox !== 'false') problems.push(`${APPROVALS_INBOX_ENABLED_ENV}: must be true or false`);
  const versions = parameterVersions(env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return {
    policyTableName: value(POLICY_TABLE_ENV),
    requestsTableName: value(REQUESTS_TABLE_ENV),
    itTopicArn: value(IT_TOPIC_ARN_ENV),
    requesterTopicArn: value(REQUESTER_TOPIC_ARN_ENV),
    eventBusName: value(EVENT_BUS_NAME_ENV),
    signingKey: secret ? { kind: 'secrets-manager', secretId: secret } : { kind: 'ssm', parameterName: parameter, ...(versions ? { versions } : {}) },
    baseUrl: value(APPROVALS_BASE_URL_ENV),
    inboxEnabled: inbox === 'true',
    approverEmailClaim: value(APPROVER_EMAIL_CLAIM_ENV) || 'email',
    policyCacheTtlSeconds: policyCacheTtlFromEnv(env),
  };
}

/**
 * The guardrail handlers' optional approvals settings: with a key source and
 * a base URL their notifications carry decision links; without, they work
 * as before (links need the approvals API deployed).
 */
export function readOptionalLinkConfig(env: NodeJS.ProcessEnv = process.env): { signingKey: SigningKeySource; baseUrl: string; inboxEnabled: boolean } | undefined {
  const secret = env[DECISION_LINK_KEY_SECRET_ENV]?.trim();
  const parameter = env[DECISION_LINK_KEY_PARAMETER_ENV]?.trim();
  const baseUrl = env[APPROVALS_BASE_URL_ENV]?.trim();
  if ((!secret && !parameter) || !baseUrl) return undefined;
  decisionBaseUrl(baseUrl);
  const problems: string[] = [];
  const versions = parameterVersions(env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return {
    signingKey: secret ? { kind: 'secrets-manager', secretId: secret } : { kind: 'ssm', parameterName: parameter!, ...(versions ? { versions } : {}) },
    baseUrl,
    inboxEnabled: env[APPROVALS_INBOX_ENABLED_ENV]?.trim().toLowerCase() === 'true',
  };
}

function parameterVersions(env: NodeJS.ProcessEnv, problems: string[]): number[] | undefined {
  const text = env[DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV]?.trim();
  if (!text) return undefined;
  const parts = text.split(',').map((v) => v.trim());
  if (!parts.every((v) => /^[1-9]\d{0,8}$/.test(v))) {
    problems.push(`${DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV}: must list parameter versions, such as 3,4`);
    return undefined;
  }
  return parts.map(Number);
}
