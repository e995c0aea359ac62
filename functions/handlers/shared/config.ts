/**
 * What the guardrail Lambdas read from their environment, as a zod schema: a
 * missing or invalid variable is a deployment mistake, and the one error
 * names every one of them instead of failing later on an `undefined` table.
 */
import * as z from '../../domain/zod-mini';
import { IT_TOPIC_ARN_ENV, REQUESTER_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { readEnv, requiredVar } from './env';
import { STORE_VARS, storeSettingsOf } from './store-vars';

export { ConfigurationError, InvalidConfigurationError, MissingConfigurationError } from './env';

const GuardrailEnv = z.pipe(
  z.object({
    ...STORE_VARS,
    [IT_TOPIC_ARN_ENV]: requiredVar,
    [EVENT_BUS_NAME_ENV]: requiredVar,
    [DEAD_LETTER_QUEUE_URL_ENV]: requiredVar,
    // Optional: with it, an amendment's message to the requester goes at once (else the escalation sweep sends it).
    [REQUESTER_TOPIC_ARN_ENV]: z.optional(z.string().check(z.minLength(1))),
  }),
  z.transform((env) => ({
    ...storeSettingsOf(env),
    itTopicArn: env[IT_TOPIC_ARN_ENV],
    eventBusName: env[EVENT_BUS_NAME_ENV],
    deadLetterQueueUrl: env[DEAD_LETTER_QUEUE_URL_ENV],
    requesterTopicArn: env[REQUESTER_TOPIC_ARN_ENV],
  })),
);

export type GuardrailConfig = z.output<typeof GuardrailEnv>;

/** The settings of both guardrail functions; throws naming every missing or invalid variable. */
export function readGuardrailConfig(env: NodeJS.ProcessEnv = process.env): GuardrailConfig {
  return readEnv(GuardrailEnv, env);
}
