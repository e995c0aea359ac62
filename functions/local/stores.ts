/**
 * The Lambdas' DynamoDB stores, opened on the local dynalite: the runtime and
 * the CLI (`policy import`, `policy show`) both open them here, with the
 * tables created from the adapters' own definitions.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '../adapters/clients';
import { DynamoDbPolicyStore, type PolicyStoreOptions } from '../adapters/dynamodb/policy-store';
import { DynamoDbRequestStore } from '../adapters/dynamodb/request-store';
import { policyTableDefinition, requestsTableDefinition } from '../adapters/dynamodb/tables';
import { ensureTables, startLocalDynamoDb, type LocalDynamoDb } from './dynalite';

/** Local table names: the adapters' defaults (the deployed names come from the stack). */
export const LOCAL_POLICY_TABLE = policyTableDefinition().TableName!;
export const LOCAL_REQUESTS_TABLE = requestsTableDefinition().TableName!;

export interface LocalStores {
  dynamo: LocalDynamoDb;
  documents: DynamoDBDocumentClient;
  policies: DynamoDbPolicyStore;
  requests: DynamoDbRequestStore;
  /** Tables created by this open (empty when they existed). */
  createdTables: string[];
  /** Whether any request has been recorded yet (the runtime replays samples on a store without any). */
  hasRequestRecords(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Starts dynalite on `path` (in memory without one), creates missing tables
 * and returns the stores. Throws DataDirLockedError when another process holds
 * the folder.
 */
export async function openLocalStores(path: string | undefined, policyOptions: PolicyStoreOptions = {}): Promise<LocalStores> {
  const dynamo = await startLocalDynamoDb({ path });
  try {
    const createdTables = await ensureTables(dynamo.client, [policyTableDefinition(), requestsTableDefinition()]);
    const documents = createDynamoDbDocumentClient({ endpoint: dynamo.endpoint, region: dynamo.region });
    return {
      dynamo,
      documents,
      policies: new DynamoDbPolicyStore(documents, LOCAL_POLICY_TABLE, policyOptions),
      requests: new DynamoDbRequestStore(documents, LOCAL_REQUESTS_TABLE),
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
