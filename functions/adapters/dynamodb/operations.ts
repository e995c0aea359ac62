/**
 * The DynamoDB calls every store makes the same way: recognising a failed
 * write condition, the "first write wins" put, the update whose condition
 * may fail, and reading every page of a Query. One copy, so the stores cannot disagree on what a lost race or a
 * truncated page means.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { PARTITION_KEY } from './tables';

/** True for the error DynamoDB raises when a conditional write's condition did not hold (an answer, not a fault). */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * Puts `item` only if no item has its key yet: true when this call wrote it,
 * false when one was already there (a duplicate delivery or a retried step).
 * Any other failure is thrown.
 */
export async function putIfAbsent(client: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>): Promise<boolean> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** An update whose failed condition is an answer (false, nothing written), not an error. */
export async function updateIf(client: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<boolean> {
  try {
    await client.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Every page of a Query, up to `limit` items: a single Query answer stops at
 * 1 MB, so a reader that ignored `LastEvaluatedKey` would silently miss items.
 */
export async function queryAllPages(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(limit) ? { Limit: Math.max(1, limit - items.length) } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start && items.length < limit);
  return items;
}

/** What a batch call's leftovers are and what to do about them, for the error ("policy items", "run the import again"). */
interface Leftovers {
  items: string;
  remedy: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Unprocessed items or keys mean throttling: back off exponentially, with jitter so parallel chunks spread out. */
function backoffMillis(attempt: number): number {
  return Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Every item of `keys` that exists, read with BatchGetItem (100 keys a call),
 * unprocessed keys asked again with backoff until `maxAttempts`. Items come
 * back in no particular order.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Record<string, unknown>[],
  options: { consistentRead?: boolean; projection?: string; maxAttempts?: number; sleep?: (ms: number) => Promise<void>; describe?: Leftovers } = {},
): Promise<Record<string, unknown>[]> {
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 8;
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending = keys.slice(i, i + 100);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.consistentRead ? { ConsistentRead: true } : {}),
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
            },
          },
        }),
      );
      items.push(...((Responses?.[tableName] ?? []) as Record<string, unknown>[]));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        const { items: what, remedy } = options.describe ?? { items: 'items', remedy: 'ask again' };
        throw new Error(`DynamoDB left ${pending.length} ${what} unread after ${attempt} attempts; ${remedy}`);
      }
      await sleep(backoffMillis(attempt));
    }
  }
  return items;
}

const BATCH_SIZE = 25;

/**
 * BatchWriteItem over any number of Put or Delete requests: chunks of 25, a
 * few in flight, unprocessed items retried with backoff until `maxAttempts`.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: Record<string, unknown>[],
  options: {
    concurrency?: number;
    maxAttempts?: number;
    sleep?: (ms: number) => Promise<void>;
    describe?: Leftovers;
  } = {},
): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const maxAttempts = options.maxAttempts ?? 8;
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
  const writeChunk = async (chunk: Record<string, unknown>[]): Promise<void> => {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { UnprocessedItems } = await client.send(
        // The document client's request type is a union per operation; each entry here is one Put or Delete request.
        new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) {
        const { items, remedy } = options.describe ?? { items: 'items', remedy: 'write them again' };
        throw new Error(`DynamoDB left ${pending.length} ${items} unprocessed after ${attempt} attempts; ${remedy}`);
      }
      await sleep(backoffMillis(attempt));
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) await writeChunk(chunks[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 4), chunks.length) }, worker));
}
