/**
 * The Lambdas' DynamoDB tables (policy, requests, inventory) on the local dynalite, created from the
 * adapters' own definitions: the runtime's edges (composition/local-edges.ts)
 * and the CLI (`policy import`, `policy show`) both open them here; the
 * stores over them come from the composition root.
 */
import { dirname, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  ScanCommand as LowLevelScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '../adapters/dynamodb/document-client';
import { inventoryTableDefinition, policyTableDefinition, requestsTableDefinition } from '../adapters/dynamodb/tables';
import type { TableEdges } from '../composition/edges';
import { ensureTables, startLocalDynamoDb, type LocalDynamoDb } from './dynalite';

/** Local table names: the adapters' defaults (the deployed names come from the stack). */
export const LOCAL_POLICY_TABLE = policyTableDefinition().TableName!;
export const LOCAL_REQUESTS_TABLE = requestsTableDefinition().TableName!;
export const LOCAL_INVENTORY_TABLE = inventoryTableDefinition().TableName!;

export interface LocalTables extends TableEdges {
  dynamo: LocalDynamoDb;
  /** Tables created by this open (empty when they existed). */
  createdTables: string[];
  /** The requests table, when this open rebuilt it to add indexes an older version did not have. */
  rebuilt?: RebuiltTable;
  /** Whether any request has been recorded yet (the runtime replays samples on a store without any). */
  hasRequestRecords(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Starts dynalite on `path` (in memory without one) and creates missing
 * tables. Throws DataDirLockedError when another process holds the folder.
 */
export async function openLocalTables(path: string | undefined): Promise<LocalTables> {
  const dynamo = await startLocalDynamoDb({ path });
  try {
    const createdTables = await ensureTables(dynamo.client, [policyTableDefinition(), requestsTableDefinition(), inventoryTableDefinition()]);
    const rebuilt = await upgradeIndexes(dynamo, path);
    const documents = createDynamoDbDocumentClient({ endpoint: dynamo.endpoint, region: dynamo.region });
    return {
      dynamo,
      documents,
      policyTable: LOCAL_POLICY_TABLE,
      requestsTable: LOCAL_REQUESTS_TABLE,
      inventoryTable: LOCAL_INVENTORY_TABLE,
      createdTables,
      ...(rebuilt ? { rebuilt } : {}),
      async hasRequestRecords() {
        const page = await documents.send(new ScanCommand({ TableName: LOCAL_REQUESTS_TABLE, Limit: 1, Select: 'COUNT' }));
        return (page.Count ?? 0) > 0;
      },
      async close() {
        documents.destroy();
        await dynamo.close();
      },
    };
  } catch (error) {
    await dynamo.close();
    throw error;
  }
}

/**
 * A data folder from an older version whose requests table lacks an index the
 * code now reads (the approvals indexes came later; the approvals one was
 * rebuilt keys-only in 2026-12). dynalite cannot add an index to a table, so
 * the table is rebuilt with the current definition and every item copied
 * back. The items are first written beside the data folder, so an
 * interrupted rebuild loses nothing.
 */
export interface RebuiltTable {
  /** The indexes it lacked. */
  indexes: string[];
  items: number;
  /** Where the items were copied first (none in memory). */
  backup?: string;
}

async function upgradeIndexes(dynamo: LocalDynamoDb, path: string | undefined): Promise<RebuiltTable | undefined> {
  const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: LOCAL_REQUESTS_TABLE }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = (requestsTableDefinition().GlobalSecondaryIndexes ?? []).map((i) => i.IndexName!).filter((name) => !present.has(name));
  if (missing.length === 0) return undefined;
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.client.send(new LowLevelScanCommand({ TableName: LOCAL_REQUESTS_TABLE, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const backup = path === undefined ? undefined : join(dirname(path), `requests-before-${missing.join('-')}-${Date.now()}.json`);
  if (backup !== undefined) {
    // DynamoDB JSON, binary values as base64: what BatchWriteItem takes back.
    writeFileSync(
      backup,
      JSON.stringify(items, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
      {
        mode: 0o600,
      },
    );
  }
  await dynamo.client.send(new DeleteTableCommand({ TableName: LOCAL_REQUESTS_TABLE }));
  await untilDeleted(dynamo, LOCAL_REQUESTS_TABLE);
  await ensureTables(dynamo.client, [requestsTableDefinition()]);
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { UnprocessedItems } = await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { [LOCAL_REQUESTS_TABLE]: pending } }));
      pending = (UnprocessedItems?.[LOCAL_REQUESTS_TABLE] ?? []) as typeof pending;
      if (pending.length > 0 && attempt >= 10) {
        throw new Error(`rebuilding the local requests table left ${pending.length} items unwritten; every item is in ${backup ?? '(no copy: in memory)'}`);
      }
    }
  }
  return { indexes: missing, items: items.length, ...(backup ? { backup } : {}) };
}

async function untilDeleted(dynamo: LocalDynamoDb, tableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`the local table ${tableName} was not deleted within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
