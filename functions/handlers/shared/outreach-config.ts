/**
 * What the outreach Lambda reads from its environment: the tables (the inventory's when deployed), the
 * IT approvers' topic (the monthly report), the outreach topic (department
 * notes) and, when the console is deployed, its URL for the report's link.
 */
import * as z from '../../domain/zod-mini';
import { INVENTORY_TABLE_ENV, POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../adapters/dynamodb/tables';
import { POLICY_CACHE_TTL_ENV } from '../../adapters/dynamodb/policy-store';
import { IT_TOPIC_ARN_ENV, OUTREACH_TOPIC_ARN_ENV } from '../../adapters/notifier/sns-notifier';
import { policyCacheTtlVar } from './config';
import { optionalVar, readEnv, requiredVar } from './env';

/** Env var: the console's home page (the approvals app's base URL), when the inbox is deployed. */
export const CONSOLE_URL_ENV = 'CONSOLE_URL';

const OutreachEnv = z.pipe(
  z.object({
    [POLICY_TABLE_ENV]: requiredVar,
    [REQUESTS_TABLE_ENV]: requiredVar,
    [INVENTORY_TABLE_ENV]: optionalVar,
    [IT_TOPIC_ARN_ENV]: requiredVar,
    [OUTREACH_TOPIC_ARN_ENV]: requiredVar,
    [CONSOLE_URL_ENV]: optionalVar,
    [POLICY_CACHE_TTL_ENV]: policyCacheTtlVar,
  }),
  z.transform((env) => ({
    policyTableName: env[POLICY_TABLE_ENV],
    requestsTableName: env[REQUESTS_TABLE_ENV],
    ...(env[INVENTORY_TABLE_ENV] ? { inventoryTableName: env[INVENTORY_TABLE_ENV] } : {}),
    itTopicArn: env[IT_TOPIC_ARN_ENV],
    outreachTopicArn: env[OUTREACH_TOPIC_ARN_ENV],
    consoleUrl: env[CONSOLE_URL_ENV],
    policyCacheTtlSeconds: env[POLICY_CACHE_TTL_ENV],
  })),
);

export type OutreachConfig = z.output<typeof OutreachEnv>;

export function readOutreachConfig(env: NodeJS.ProcessEnv = process.env): OutreachConfig {
  return readEnv(OutreachEnv, env);
}
