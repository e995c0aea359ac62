/**
 * What the approvals Lambdas (decision API, escalation sweep, digest) read
 * from their environment, as a zod schema like the guardrail handlers'
 * config: every missing or invalid variable is named in one error.
 *
 * The signing key is never in the environment: only where to read it (a
 * Secrets Manager secret, or an SSM SecureString parameter).
 */
import * as z from '../../domain/zod-mini';
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
import { STORE_VARS, storeSettingsOf } from './store-vars';
import { NOT_SET, optionalVar, readEnv, requiredVar } from './env';

/** Env var: the JWT claim holding the signed-in approver's email (`email` for Okta/Google, often `preferred_username` or `upn` for Entra ID). */
export const APPROVER_EMAIL_CLAIM_ENV = 'APPROVER_EMAIL_CLAIM';
/** Env var: the JWT claim holding the approver's immutable subject (`sub`; `oid` for Entra ID; `uid` for Okta access tokens). */
export const APPROVER_SUBJECT_CLAIM_ENV = 'APPROVER_SUBJECT_CLAIM';

export type SigningKeySource =
  | { kind: 'secrets-manager'; secretId: string }
  /** `versions`: the parameter versions the deployment accepts (the highest signs); absent, the latest alone. */
  | { kind: 'ssm'; parameterName: string; versions?: number[] };

/** The decision links' base URL: https (http only on localhost), checked as the signer will use it. */
const baseUrlVar = requiredVar.check(
  z.superRefine((value: string, ctx) => {
    try {
      decisionBaseUrl(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
);

const inboxVar = z.pipe(
  optionalVar,
  z.pipe(
    z.optional(z.pipe(z.string().check(z.toLowerCase()), z.enum(['true', 'false'], { error: 'must be true or false' }))),
    z.transform((value: 'true' | 'false' | undefined) => value === 'true'),
  ),
);

const versionsVar = z.pipe(
  optionalVar,
  z.optional(
    z.pipe(
      z.string().check(z.regex(/^\s*[1-9]\d{0,8}\s*(,\s*[1-9]\d{0,8}\s*)*$/, { error: 'must list parameter versions, such as 3,4' })),
      z.transform((text: string) => text.split(',').map(Number)),
    ),
  ),
);

/** Where the decision-link keys are: a Secrets Manager secret or an SSM parameter (with its accepted versions). */
const KEY_SOURCE_VARS = {
  [DECISION_LINK_KEY_SECRET_ENV]: optionalVar,
  [DECISION_LINK_KEY_PARAMETER_ENV]: optionalVar,
  [DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV]: versionsVar,
};
type KeySourceVars = z.output<z.ZodMiniObject<typeof KEY_SOURCE_VARS>>;

/** Exactly one key source. Runs even when other variables failed, so one error names everything. */
function checkKeySource(env: Partial<Record<string, unknown>>, ctx: z.core.$RefinementCtx): void {
  const secret = env[DECISION_LINK_KEY_SECRET_ENV];
  const parameter = env[DECISION_LINK_KEY_PARAMETER_ENV];
  if (!secret && !parameter) {
    ctx.addIssue({
      code: 'custom',
      path: [DECISION_LINK_KEY_SECRET_ENV],
      message: `${NOT_SET} (nor ${DECISION_LINK_KEY_PARAMETER_ENV}): one of them names the decision-link key`,
      params: { missing: `${DECISION_LINK_KEY_SECRET_ENV} (or ${DECISION_LINK_KEY_PARAMETER_ENV})` },
    });
  } else if (secret && parameter) {
    ctx.addIssue({
      code: 'custom',
      path: [DECISION_LINK_KEY_PARAMETER_ENV],
      message: `set only one of ${DECISION_LINK_KEY_SECRET_ENV} and ${DECISION_LINK_KEY_PARAMETER_ENV}`,
    });
  }
}

function signingKeyOf(env: KeySourceVars): SigningKeySource {
  const secret = env[DECISION_LINK_KEY_SECRET_ENV];
  if (secret) return { kind: 'secrets-manager', secretId: secret };
  const versions = env[DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV];
  return { kind: 'ssm', parameterName: env[DECISION_LINK_KEY_PARAMETER_ENV] as string, ...(versions ? { versions } : {}) };
}

const ApprovalsEnv = z.pipe(
  z
    .object({
      ...STORE_VARS,
      [IT_TOPIC_ARN_ENV]: requiredVar,
      [REQUESTER_TOPIC_ARN_ENV]: requiredVar,
      [EVENT_BUS_NAME_ENV]: requiredVar,
      [APPROVALS_BASE_URL_ENV]: baseUrlVar,
      ...KEY_SOURCE_VARS,
      [APPROVALS_INBOX_ENABLED_ENV]: inboxVar,
      [APPROVER_EMAIL_CLAIM_ENV]: optionalVar,
      [APPROVER_SUBJECT_CLAIM_ENV]: optionalVar,
    })
    .check(z.superRefine(checkKeySource, { when: () => true })),
  z.transform((env) => ({
    ...storeSettingsOf(env),
    itTopicArn: env[IT_TOPIC_ARN_ENV],
    requesterTopicArn: env[REQUESTER_TOPIC_ARN_ENV],
    eventBusName: env[EVENT_BUS_NAME_ENV],
    signingKey: signingKeyOf(env),
    baseUrl: env[APPROVALS_BASE_URL_ENV],
    inboxEnabled: env[APPROVALS_INBOX_ENABLED_ENV],
    approverEmailClaim: env[APPROVER_EMAIL_CLAIM_ENV] ?? 'email',
    approverSubjectClaim: env[APPROVER_SUBJECT_CLAIM_ENV] ?? 'sub',
  })),
);

export type ApprovalsConfig = z.output<typeof ApprovalsEnv>;

/** The approvals functions' settings; throws naming every missing or invalid variable. */
export function readApprovalsConfig(env: NodeJS.ProcessEnv = process.env): ApprovalsConfig {
  return readEnv(ApprovalsEnv, env);
}

/** The link settings on their own, for the guardrail functions (which may run without them). */
const OptionalLinksEnv = z.pipe(
  z
    .object({ [APPROVALS_BASE_URL_ENV]: baseUrlVar, ...KEY_SOURCE_VARS, [APPROVALS_INBOX_ENABLED_ENV]: inboxVar })
    .check(z.superRefine(checkKeySource, { when: () => true })),
  z.transform((env) => ({ signingKey: signingKeyOf(env), baseUrl: env[APPROVALS_BASE_URL_ENV], inboxEnabled: env[APPROVALS_INBOX_ENABLED_ENV] })),
);

export type LinkConfig = z.output<typeof OptionalLinksEnv>;

/**
 * The guardrail handlers' optional approvals settings: with a key source and
 * a base URL their notifications carry decision links; without, they work
 * as before (links need the approvals API deployed). Set but invalid throws.
 */
export function readOptionalLinkConfig(env: NodeJS.ProcessEnv = process.env): LinkConfig | undefined {
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';
  if ((!set(DECISION_LINK_KEY_SECRET_ENV) && !set(DECISION_LINK_KEY_PARAMETER_ENV)) || !set(APPROVALS_BASE_URL_ENV)) return undefined;
  return readEnv(OptionalLinksEnv, env);
}
