/**
 * What the guardrail Lambdas read from their environment, as a zod schema: a
 * missing or invalid variable is a deployment mistake, and the one error
 * names every one of them instead of failing later on an `undefined` table.
 */
import * as z from '../../domain/zod-mini';
import { INVENTORY_TABLE_ENV, POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../adapters/dynamodb/tables';
import { DEFAULT_POLICY_CACHE_TTL_SECONDS, POLICY_CACHE_TTL_ENV } from '../../adapters/dynamodb/policy-store';
import { IT_TOPIC_ARN_ENV, REQUESTER_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { optionalVar, readEnv, requiredVar, secondsVar } from './env';

export { ConfigurationError, InvalidConfigurationError, MissingConfigurationError } from './env';

/** The policy cache TTL, shared by every function that reads the policy. */
export const policyCacheTtlVar = secondsVar(DEFAULT_POLICY_CACHE_TTL_SECONDS);

const GuardrailEnv = z.pipe(
  z.object({
    [POLICY_TABLE_ENV]: requiredVar,
    [REQUESTS_TABLE_ENV]: requiredVar,
    // The stack always sets it; without it (older wiring, tests) events are decided without the inventory.
    [INVENTORY_TABLE_ENV]: optionalVar,
    [IT_TOPIC_ARN_ENV]: requiredVar,
    [EVENT_BUS_NAME_ENV]: requiredVar,
    [DEAD_LETTER_QUEUE_URL_ENV]: requiredVar,
    [POLICY_CACHE_TTL_ENV]: policyCacheTtlVar,
    // Optional: with it, an amendment's message to the requester goes at once (else the escalation sweep sends it).
    [REQUESTER_TOPIC_ARN_ENV]: z.optional(z.string().check(z.minLength(1))),
  }),
  z.transform((env) => ({
    policyTableName: env[POLICY_TABLE_ENV],
    requestsTableName: env[REQUESTS_TABLE_ENV],
    ...(env[INVENTORY_TABLE_ENV] ? { inventoryTableName: env[INVENTORY_TABLE_ENV] } : {}),
    itTopicArn: env[IT_TOPIC_ARN_ENV],
    eventBusName: env[EVENT_BUS_NAME_ENV],
    deadLetterQueueUrl: env[DEAD_LETTER_QUEUE_URL_ENV],
    policyCacheTtlSeconds: env[POLICY_CACHE_TTL_ENV],
    requesterTopicArn: env[REQUESTER_TOPIC_ARN_ENV],
  })),
);

export type GuardrailConfig = z.output<typeof GuardrailEnv>;

/** The settings of both guardrail functions; throws naming every missing or invalid variable. */
export function readGuardrailConfig(env: NodeJS.ProcessEnv = process.env): GuardrailConfig {
  return readEnv(GuardrailEnv, env);
}
