/**
 * Every stored request decision, read page by page with a Scan: what `policy
 * simulate` replays. A Scan reads the whole table, so this is an operator's
 * tool run now and then, never on the hot path (the Lambdas only Get, Put and
 * Query). Only record items are returned (audit entries and used links share
 * the table), only the attributes the simulation reads are fetched, and an
 * optional `since` is applied by DynamoDB before the page comes back.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GuardrailEvent } from '../../domain/events';
import type { StoredDecision } from '../../domain/use-cases/policy/simulate';
import { decisionOfItem } from './record-item';
import { PARTITION_KEY, REQUEST_PK_PREFIX, REQUEST_RECORD_SK, SORT_KEY } from './tables';

export interface RequestScanOptions {
  /** Only records received at or after this instant. */
  since?: Date;
  /** Items DynamoDB examines per page (default: as many as fit in its 1 MB page). */
  pageSize?: number;
}

export async function* scanStoredDecisions(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: RequestScanOptions = {},
): AsyncGenerator<StoredDecision[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `#sk = :record AND begins_with(#pk, :prefix)${options.since ? ' AND #r >= :since' : ''}`,
        ProjectionExpression: '#pk, #sk, recordId, kind, detail, decision, policyVersion, #r',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#r': 'receivedAt' },
        ExpressionAttributeValues: {
          ':record': REQUEST_RECORD_SK,
          ':prefix': REQUEST_PK_PREFIX,
          ...(options.since ? { ':since': options.since.toISOString() } : {}),
        },
        ...(options.pageSize ? { Limit: options.pageSize } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield (page.Items ?? []).flatMap((item) => storedDecisionOf(item) ?? []);
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
}

/** A record item as the simulation reads it; undefined for an item that is not a whole record. */
export function storedDecisionOf(item: Record<string, unknown>): StoredDecision | undefined {
  const { recordId, kind, detail, decision, receivedAt } = item;
  if (typeof recordId !== 'string' || typeof receivedAt !== 'string' || !detail || !decision) return undefined;
  if (kind !== 'purchase-request' && kind !== 'app-connected') return undefined;
  return { recordId, receivedAt, event: { kind, detail } as GuardrailEvent, decision: decisionOfItem(item) };
}
