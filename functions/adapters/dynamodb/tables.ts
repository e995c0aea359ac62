/**
 * The two tables' shapes in one place: key attribute names, how keys are
 * built, and the CreateTable input for tests and the local runtime. The CDK
 * stack reads the same constants, so the deployed tables and the code that
 * queries them cannot disagree.
 *
 * Both tables are single-table style (`pk` + `sk`, strings) so related items
 * sit under one partition: a request's record and, later, its audit trail; a
 * policy version's meta item and its vendors.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Partition key attribute of both tables (type S). */
export const PARTITION_KEY = 'pk';
/** Sort key attribute of both tables (type S). */
export const SORT_KEY = 'sk';

/** Env vars that name the tables in the Lambdas (the CDK stack sets them). */
export const POLICY_TABLE_ENV = 'POLICY_TABLE_NAME';
export const REQUESTS_TABLE_ENV = 'REQUESTS_TABLE_NAME';

export interface TableKey {
  pk: string;
  sk: string;
}

// ---------------------------------------------------------------------------
// Requests table
// ---------------------------------------------------------------------------

export const REQUEST_PK_PREFIX = 'REQUEST#';
export const REQUEST_RECORD_SK = 'RECORD';
export const AUDIT_SK_PREFIX = 'AUDIT#';

/** The request record: one per canonical event id. */
export function requestKey(recordId: string): TableKey {
  return { pk: `${REQUEST_PK_PREFIX}${recordId}`, sk: REQUEST_RECORD_SK };
}

/**
 * An audit entry under the same partition as its record (`AUDIT#<ISO time>#<n>`),
 * so one Query returns a request with its history in time order. `n` is zero-padded
 * so entries written in the same millisecond still sort in write order.
 */
export function auditKey(recordId: string, at: Date, sequence: number): TableKey {
  return {
    pk: `${REQUEST_PK_PREFIX}${recordId}`,
    sk: `${AUDIT_SK_PREFIX}${at.toISOString()}#${String(sequence).padStart(6, '0')}`,
  };
}

// ---------------------------------------------------------------------------
// Policy table
// ---------------------------------------------------------------------------

/** The pointer item naming the version decisions use now. */
export const POLICY_POINTER_KEY: TableKey = { pk: 'POLICY', sk: 'CURRENT' };
/** Index items, one per imported version, under the pointer's partition (`listVersions` is one Query). */
export const POLICY_VERSION_SK_PREFIX = 'VERSION#';
export const POLICY_VERSION_PK_PREFIX = 'POLICY#';
export const POLICY_META_SK = 'META';
export const POLICY_VENDOR_SK_PREFIX = 'VENDOR#';
export const POLICY_CATEGORY_SK_PREFIX = 'CATEGORY#';

export const policyKeys = {
  pointer: (): TableKey => ({ ...POLICY_POINTER_KEY }),
  versionIndex: (version: string): TableKey => ({
    pk: POLICY_POINTER_KEY.pk,
    sk: `${POLICY_VERSION_SK_PREFIX}${version}`,
  }),
  versionPartition: (version: string): string => `${POLICY_VERSION_PK_PREFIX}${version}`,
  meta: (version: string): TableKey => ({ pk: `${POLICY_VERSION_PK_PREFIX}${version}`, sk: POLICY_META_SK }),
  vendor: (version: string, vendorId: string): TableKey => ({
    pk: `${POLICY_VERSION_PK_PREFIX}${version}`,
    sk: `${POLICY_VENDOR_SK_PREFIX}${vendorId}`,
  }),
  category: (version: string, categoryId: string): TableKey => ({
    pk: `${POLICY_VERSION_PK_PREFIX}${version}`,
    sk: `${POLICY_CATEGORY_SK_PREFIX}${categoryId}`,
  }),
};

// ---------------------------------------------------------------------------
// CreateTable inputs (tests and the local runtime; the CDK stack declares its own)
// ---------------------------------------------------------------------------

function keyedTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export function requestsTableDefinition(tableName = 'guardrail-requests'): CreateTableCommandInput {
  return keyedTable(tableName);
}

export function policyTableDefinition(tableName = 'guardrail-policy'): CreateTableCommandInput {
  return keyedTable(tableName);
}
