/**
 * The Lambdas' DynamoDB tables (policy, requests, inventory) on the local dynalite, created from the
 * adapters' own definitions: the runtime's edges (composition/local-edges.ts)
 * and the CLI (`policy import`, `policy show`) both open them here; the
 * stores over them come from the composition root.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
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
    await assertCurrentIndexes(dynamo, path);
    const documents = createDynamoDbDocumentClient({ endpoint: dynamo.endpoint, region: dynamo.region });
    return {
      dynamo,
      documents,
      policyTable: LOCAL_POLICY_TABLE,
      requestsTable: LOCAL_REQUESTS_TABLE,
      inventoryTable: LOCAL_INVENTORY_TABLE,
      createdTables,
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

/** The local data folder was created by an older version whose requests table lacks the approvals indexes. */
export class OutdatedLocalDataError extends Error {
  constructor(
    readonly path: string | undefined,
    readonly missing: string[],
  ) {
    super(
      `the local requests table in ${path ?? '(memory)'} was created before the approvals indexes (${missing.join(', ')}) existed, ` +
        'and the local DynamoDB cannot add indexes to an existing table. Delete the data folder to start afresh ' +
        '(the samples replay again), or keep it and use another one: GUARDRAIL_DATA_DIR=.local-data-2 npm start',
    );
    this.name = 'OutdatedLocalDataError';
  }
}

/** Fails clearly on a data folder whose requests table has no approvals indexes (instead of failing on the first inbox or sweep). */
async function assertCurrentIndexes(dynamo: LocalDynamoDb, path: string | undefined): Promise<void> {
  const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: LOCAL_REQUESTS_TABLE }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = (requestsTableDefinition().GlobalSecondaryIndexes ?? []).map((i) => i.IndexName!).filter((name) => !present.has(name));
  if (missing.length > 0) throw new OutdatedLocalDataError(path, missing);
}
