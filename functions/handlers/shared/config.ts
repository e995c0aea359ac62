/**
 * What the guardrail Lambdas read from their environment, checked in one
 * place. A missing variable is a deployment mistake: the error names every
 * one that is missing instead of failing later on an `undefined` table name.
 */
import { POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../adapters/dynamodb/tables';
import { policyCacheTtlFromEnv } from '../../adapters/dynamodb/policy-store';
import { IT_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../adapters/dead-letter/sqs-dead-letter-sink';

export interface GuardrailConfig {
  policyTableName: string;
  requestsTableName: string;
  itTopicArn: string;
  eventBusName: string;
  deadLetterQueueUrl: string;
  policyCacheTtlSeconds: number;
}

/** The variables the stack must set on both guardrail functions. */
export const REQUIRED_ENV = [
  POLICY_TABLE_ENV,
  REQUESTS_TABLE_ENV,
  IT_TOPIC_ARN_ENV,
  EVENT_BUS_NAME_ENV,
  DEAD_LETTER_QUEUE_URL_ENV,
] as const;

export class MissingConfigurationError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
        'the deployment (CDK stack) must set them on the function',
    );
    this.name = 'MissingConfigurationError';
  }
}

export function readGuardrailConfig(env: NodeJS.ProcessEnv = process.env): GuardrailConfig {
  const missing = REQUIRED_ENV.filter((name) => !env[name] || env[name]?.trim() === '');
  if (missing.length > 0) throw new MissingConfigurationError([...missing]);
  const value = (name: (typeof REQUIRED_ENV)[number]) => (env[name] as string).trim();
  return {
    policyTableName: value(POLICY_TABLE_ENV),
    requestsTableName: value(REQUESTS_TABLE_ENV),
    itTopicArn: value(IT_TOPIC_ARN_ENV),
    eventBusName: value(EVENT_BUS_NAME_ENV),
    deadLetterQueueUrl: value(DEAD_LETTER_QUEUE_URL_ENV),
    policyCacheTtlSeconds: policyCacheTtlFromEnv(env),
  };
}
