/**
 * Every stored request decision, read page by page with a Scan: what `policy
 * simulate` replays. A Scan reads the whole table, so this is an operator's
 * tool run now and then, never on the hot path (the event Lambdas only Get,
 * Put and Query; the IT console and the weekly outreach read it bounded). Only record items are returned (audit entries and used links share
 * the table), only the attributes the simulation reads are fetched, and an
 * optional `since` is applied by DynamoDB before the page comes back.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GuardrailEvent } from '../../domain/events';
import type { StoredDecision } from '../../domain/use-cases/policy/simulate';
import { CONTENT_ATTRIBUTE, contentOfItem, decisionOfItem } from './record-item';
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
  for await (const items of scanRecordItems(client, tableName, {
    ...options,
    projection: ['recordId', 'kind', CONTENT_ATTRIBUTE, 'detail', 'decision', 'policyVersion'],
  })) {
    yield items.flatMap((item) => storedDecisionOf(item) ?? []);
  }
}

export interface RecordItemScanOptions extends RequestScanOptions {
  /** Only records received before this instant. */
  until?: Date;
  /** Attributes to fetch besides the keys and `receivedAt` (default: the whole item). */
  projection?: readonly string[];
}

/**
 * Request record items page by page (audit entries, used links and markers
 * sharing the table are filtered out by DynamoDB), optionally only those
 * received in [since, until).
 */
export async function* scanRecordItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: RecordItemScanOptions = {},
): AsyncGenerator<Record<string, unknown>[]> {
  const names: Record<string, string> = { '#pk': PARTITION_KEY, '#sk': SORT_KEY };
  // DynamoDB refuses a name no expression uses: `#r` only when a bound or a projection reads it.
  if (options.since || options.until || options.projection) names['#r'] = 'receivedAt';
  const values: Record<string, unknown> = { ':record': REQUEST_RECORD_SK, ':prefix': REQUEST_PK_PREFIX };
  const filter = ['#sk = :record', 'begins_with(#pk, :prefix)'];
  if (options.since) {
    filter.push('#r >= :since');
    values[':since'] = options.since.toISOString();
  }
  if (options.until) {
    filter.push('#r < :until');
    values[':until'] = options.until.toISOString();
  }
  const projection = options.projection?.map((name, i) => {
    names[`#p${i}`] = name;
    return `#p${i}`;
  });
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: filter.join(' AND '),
        ...(projection ? { ProjectionExpression: ['#pk', '#sk', '#r', ...projection].join(', ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(options.pageSize ? { Limit: options.pageSize } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
}

/** A record item as the simulation reads it; undefined for an item that is not a whole record. */
export function storedDecisionOf(item: Record<string, unknown>): StoredDecision | undefined {
  const { recordId, kind, receivedAt } = item;
  if (typeof recordId !== 'string' || typeof receivedAt !== 'string') return undefined;
  if (kind !== 'purchase-request' && kind !== 'app-connected') return undefined;
  const content = contentOfItem(item);
  if (!content) return undefined;
  return { recordId, receivedAt, event: { kind, detail: content.detail } as GuardrailEvent, decision: decisionOfItem(item, content) };
}
