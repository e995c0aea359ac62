/**
 * The environment of every function that reads the policy and the request records: the tables (the inventory's
 * when the stack sets it) and the policy cache TTL, read the same way everywhere.
 */
import * as z from '../../domain/zod-mini';
import { INVENTORY_TABLE_ENV, POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../adapters/dynamodb/tables';
import { DEFAULT_POLICY_CACHE_TTL_SECONDS, POLICY_CACHE_TTL_ENV } from '../../adapters/dynamodb/policy-store';
import { optionalVar, requiredVar, secondsVar } from './env';

/** The policy cache TTL, shared by every function that reads the policy. */
export const policyCacheTtlVar = secondsVar(DEFAULT_POLICY_CACHE_TTL_SECONDS);

/** The variables of every function that reads the policy and the request records. */
export const STORE_VARS = {
  [POLICY_TABLE_ENV]: requiredVar,
  [REQUESTS_TABLE_ENV]: requiredVar,
  // The stack always sets it; without it (older wiring, tests) events are decided without the inventory.
  [INVENTORY_TABLE_ENV]: optionalVar,
  [POLICY_CACHE_TTL_ENV]: policyCacheTtlVar,
};

/** The store settings read through {@link STORE_VARS}. */
export function storeSettingsOf(env: z.output<z.ZodMiniObject<typeof STORE_VARS>>) {
  return {
    policyTableName: env[POLICY_TABLE_ENV],
    requestsTableName: env[REQUESTS_TABLE_ENV],
    ...(env[INVENTORY_TABLE_ENV] ? { inventoryTableName: env[INVENTORY_TABLE_ENV] } : {}),
    policyCacheTtlSeconds: env[POLICY_CACHE_TTL_ENV],
  };
}
