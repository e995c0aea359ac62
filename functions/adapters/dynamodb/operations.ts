/**
 * The DynamoDB calls every store makes the same way: recognising a failed
 * write condition, the "first write wins" put, the update whose condition
 * may fail, and reading every page of a Query. One copy, so the stores cannot disagree on what a lost race or a
 * truncated page means.
 */
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
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
