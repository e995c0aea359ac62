/**
 * The two tables' shapes in one place: key attribute names, how keys are
 * built, and the CreateTable input for tests and the local runtime. The CDK
 * stack reads the same constants, so the deployed tables and the code that
 * queries them cannot disagree.
 *
 * Both tables are single-table style (`pk` + `sk`, strings) so related items
 * sit under one partition: a request's record and its audit trail; a policy
 * version's meta item and its vendors. The requests table also keeps used
 * decision links (`TOKEN#<jti>`, with a TTL) and has two sparse indexes for
 * the approvals side (what is due, what waits for the digest).
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Partition key attribute of both tables (type S). */
export const PARTITION_KEY = 'pk';
/** Sort key attribute of both tables (type S). */
export const SORT_KEY = 'sk';

/** Env vars that name the tables in the Lambdas (the CDK stack sets them). */
export const POLICY_TABLE_ENV = 'POLICY_TABLE_NAME';
export const REQUESTS_TABLE_ENV = 'REQUESTS_TABLE_NAME';
export const INVENTORY_TABLE_ENV = 'INVENTORY_TABLE_NAME';

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
export const TOKEN_PK_PREFIX = 'TOKEN#';
export const TOKEN_USE_SK = 'USED';

/** The request record: one per canonical event id. */
export function requestKey(recordId: string): TableKey {
  return { pk: `${REQUEST_PK_PREFIX}${recordId}`, sk: REQUEST_RECORD_SK };
}

/** The record id of a request item's partition key (what a keys-only index hands back). */
export function recordIdOfKey(pk: string): string {
  if (!pk.startsWith(REQUEST_PK_PREFIX)) throw new Error(`not a request record key: ${pk.slice(0, 80)}`);
  return pk.slice(REQUEST_PK_PREFIX.length);
}

/**
 * An audit entry under the same partition as its record (`AUDIT#<entry id>`,
 * the id starting with the entry's ISO time), so one Query returns a
 * request's history in time order. The id is deterministic (auditEntryId):
 * a conditional put on it appends a retried entry once.
 */
export function auditEntryKey(recordId: string, entryId: string): TableKey {
  return { pk: `${REQUEST_PK_PREFIX}${recordId}`, sk: `${AUDIT_SK_PREFIX}${entryId}` };
}

/** A used decision link (its `jti`): a conditional put makes the second use fail. */
export function tokenUseKey(tokenId: string): TableKey {
  return { pk: `${TOKEN_PK_PREFIX}${tokenId}`, sk: TOKEN_USE_SK };
}

/**
 * DynamoDB TTL attribute (seconds since the epoch). Only used-link items carry
 * it: once a link has expired it cannot verify anyway, so its record can go.
 * Request records and audit entries never expire.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Sparse index of requests the approvals side still has to look at: every
 * undecided approval (the inbox) and every record with side effects pending,
 * sorted by when the escalation sweep should look next (`<ISO time>#<id>`).
 * An item leaves the index when its approval is final and nothing is pending.
 * One fixed partition value: a company has hundreds of open requests, not
 * millions, and one Query then returns them in due order.
 *
 * Keys only: with whole records projected, every write to an open record
 * (its put, the settling update, each approval step) also rewrote its copy
 * in the index and was billed twice; now only a write that adds, moves or
 * removes the keys touches the index (one unit), and the inbox reads the
 * records it lists by key.
 */
export const APPROVALS_DUE_INDEX = 'approvals-open';
export const APPROVAL_QUEUE_ATTRIBUTE = 'approvalQueue';
export const APPROVAL_DUE_ATTRIBUTE = 'approvalDueKey';
export const APPROVAL_QUEUE_OPEN = 'OPEN';

/** Sparse index of low-risk reviews held for the daily digest, by digest time. */
export const DIGEST_INDEX = 'digest-queue';
export const DIGEST_QUEUE_ATTRIBUTE = 'digestQueue';
export const DIGEST_DUE_ATTRIBUTE = 'digestDueKey';
export const DIGEST_QUEUE_HELD = 'HELD';

/** The requests table's global secondary indexes, for CreateTable and the CDK stack alike. */
export const REQUESTS_TABLE_INDEXES = [
  { indexName: APPROVALS_DUE_INDEX, partitionKey: APPROVAL_QUEUE_ATTRIBUTE, sortKey: APPROVAL_DUE_ATTRIBUTE, projection: 'KEYS_ONLY' },
  { indexName: DIGEST_INDEX, partitionKey: DIGEST_QUEUE_ATTRIBUTE, sortKey: DIGEST_DUE_ATTRIBUTE, projection: 'KEYS_ONLY' },
] as const;

/**
 * The approvals index as stacks created before 2026-12 have it (whole records
 * projected). CloudFormation adds or deletes one index per update, so such a
 * stack keeps it for one deploy while `approvals-open` is built
 * (`guardrail:legacyApprovalsIndex`); nothing reads it.
 */
export const LEGACY_APPROVALS_INDEX = {
  indexName: 'approvals-due',
  partitionKey: APPROVAL_QUEUE_ATTRIBUTE,
  sortKey: APPROVAL_DUE_ATTRIBUTE,
  projection: 'ALL',
} as const;

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
// Inventory table (apps in use, who uses them, the people directory)
// ---------------------------------------------------------------------------

/**
 * Usage items are spread over this many partitions per app (by a hash of the
 * person), so a group push assigning one app to thousands of people in a
 * minute writes to 16 partitions, not one hot key.
 */
export const INVENTORY_SHARDS = 16;

export const inventoryKeys = {
  /** Every app's entry under one partition: the list is one Query; an entry is written only when its facts change. */
  entry: (appKey: string): TableKey => ({ pk: 'INVENTORY', sk: `APP#${appKey}` }),
  entryPartition: (): string => 'INVENTORY',
  entrySkPrefix: 'APP#',
  usagePartition: (appKey: string, shard: number): string => `USAGE#${appKey}#S${String(shard).padStart(2, '0')}`,
  user: (appKey: string, shard: number, personKey: string): TableKey => ({ pk: inventoryKeys.usagePartition(appKey, shard), sk: `USER#${personKey}` }),
  userSkPrefix: 'USER#',
  /** Per shard: how many people it counted (a hint for spike checks; the usage items are the count). */
  tally: (appKey: string, shard: number): TableKey => ({ pk: inventoryKeys.usagePartition(appKey, shard), sk: 'TALLY' }),
  /** Apps whose assignment list is complete, one small item each: the seat-count overlay is one Query of this partition. */
  seatCount: (appKey: string): TableKey => ({ pk: 'SEATS', sk: `APP#${appKey}` }),
  seatCountPartition: (): string => 'SEATS',
  person: (email: string): TableKey => ({ pk: `PERSON#${email}`, sk: 'PROFILE' }),
  alias: (alias: string): TableKey => ({ pk: `PERSON#${alias}`, sk: 'ALIAS' }),
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
  const table = keyedTable(tableName);
  return {
    ...table,
    AttributeDefinitions: [
      ...(table.AttributeDefinitions ?? []),
      ...REQUESTS_TABLE_INDEXES.flatMap((i) => [
        { AttributeName: i.partitionKey, AttributeType: 'S' as const },
        { AttributeName: i.sortKey, AttributeType: 'S' as const },
      ]),
    ],
    GlobalSecondaryIndexes: REQUESTS_TABLE_INDEXES.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: i.projection },
    })),
  };
}

export function policyTableDefinition(tableName = 'guardrail-policy'): CreateTableCommandInput {
  return keyedTable(tableName);
}

export function inventoryTableDefinition(tableName = 'guardrail-inventory'): CreateTableCommandInput {
  return keyedTable(tableName);
}
