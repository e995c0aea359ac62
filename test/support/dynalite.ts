/**
 * A real DynamoDB API for integration tests: in-process dynalite (in memory,
 * tables ACTIVE at once) started with the local runtime's own starter, the
 * project's table definitions, and a DocumentClient built the way the Lambdas
 * build theirs. Each `freshTables()` call creates a new pair of uniquely named
 * tables, so tests in one file never see each other's items.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '../../functions/local/dynalite';
import { ensureTables } from '../../functions/local/dynalite';
import { createDynamoDbDocumentClient } from '../../functions/adapters/dynamodb/document-client';
import { inventoryTableDefinition, policyTableDefinition, requestsTableDefinition } from '../../functions/adapters/dynamodb/tables';

export interface TestTables {
  policy: string;
  requests: string;
  inventory: string;
}

export interface TestDynamo {
  endpoint: string;
  /** DocumentClient on dynalite, configured like the Lambdas' one. */
  documents: DynamoDBDocumentClient;
  /** Creates a new, empty pair of tables and returns their names. */
  freshTables(): Promise<TestTables>;
  /** A separate DocumentClient (for a second "container" or to count one component's calls). */
  newDocumentClient(): DynamoDBDocumentClient;
  teardown(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const local = await startLocalDynamoDb();
  const clients: DynamoDBDocumentClient[] = [];
  const newDocumentClient = () => {
    const client = createDynamoDbDocumentClient({ endpoint: local.endpoint, region: local.region });
    clients.push(client);
    return client;
  };
  const documents = newDocumentClient();
  return {
    endpoint: local.endpoint,
    documents,
    newDocumentClient,
    async freshTables() {
      const suffix = randomUUID().slice(0, 8);
      const tables = { policy: `policy-${suffix}`, requests: `requests-${suffix}`, inventory: `inventory-${suffix}` };
      await ensureTables(local.client, [
        policyTableDefinition(tables.policy),
        requestsTableDefinition(tables.requests),
        inventoryTableDefinition(tables.inventory),
      ]);
      return tables;
    },
    async teardown() {
      for (const client of clients) client.destroy();
      await local.close();
    },
  };
}

/**
 * Records the DynamoDB operations a client sends (e.g. `GetItemCommand`,
 * `QueryCommand`), so a test can prove a warm path reads nothing.
 */
export function recordDynamoDbCalls(client: DynamoDBDocumentClient): { calls: string[]; reset(): void } {
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: `recordCalls-${randomUUID()}` },
  );
  return {
    calls,
    reset() {
      calls.length = 0;
    },
  };
}
