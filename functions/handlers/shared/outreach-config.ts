/**
 * What the outreach Lambda reads from its environment: the tables (the inventory's when deployed), the
 * IT approvers' topic (the monthly report), the outreach topic (department
 * notes) and, when the console is deployed, its URL for the report's link.
 */
import * as z from '../../domain/zod-mini';
import { IT_TOPIC_ARN_ENV, OUTREACH_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { STORE_VARS, storeSettingsOf } from './store-vars';
import { optionalVar, readEnv, requiredVar } from './env';

/** Env var: the console's home page (the approvals app's base URL), when the inbox is deployed. */
export const CONSOLE_URL_ENV = 'CONSOLE_URL';

const OutreachEnv = z.pipe(
  z.object({
    ...STORE_VARS,
    [IT_TOPIC_ARN_ENV]: requiredVar,
    [OUTREACH_TOPIC_ARN_ENV]: requiredVar,
    [CONSOLE_URL_ENV]: optionalVar,
  }),
  z.transform((env) => ({
    ...storeSettingsOf(env),
    itTopicArn: env[IT_TOPIC_ARN_ENV],
    outreachTopicArn: env[OUTREACH_TOPIC_ARN_ENV],
    consoleUrl: env[CONSOLE_URL_ENV],
  })),
);

export type OutreachConfig = z.output<typeof OutreachEnv>;

export function readOutreachConfig(env: NodeJS.ProcessEnv = process.env): OutreachConfig {
  return readEnv(OutreachEnv, env);
}
