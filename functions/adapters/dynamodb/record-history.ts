/**
 * Stored records by arrival time, for the IT console's request list and the
 * weekly outreach: a Scan filtered by DynamoDB on `receivedAt`, stopped at a
 * bound of records so one page view or run costs at most that much. Never
 * used on the event path. With millions of records this wants an index by
 * month; at the volumes of a company's SaaS requests (thousands a year) a
 * bounded scan answers in one or two pages.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestRecord } from '../../domain/records';
import type { RecordHistory } from '../../domain/ports/outreach';
import { CONTENT_ATTRIBUTE, toRecord } from './record-item';
import { scanRecordItems } from './request-scan';

/** Default bound: enough for years of a mid-size company's requests and app connections. */
export const RECORD_HISTORY_LIMIT = 20_000;

export class DynamoDbRecordHistory implements RecordHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limit = RECORD_HISTORY_LIMIT,
  ) {}

  async receivedBetween(range: { since?: Date; until?: Date }): Promise<{ records: RequestRecord[]; truncated: boolean }> {
    const records: RequestRecord[] = [];
    for await (const items of scanRecordItems(this.client, this.tableName, range)) {
      for (const item of items) {
        if (typeof item.recordId !== 'string' || !(item[CONTENT_ATTRIBUTE] || item.decision) || !item.approval) continue;
        if (records.length >= this.limit) return { records, truncated: true };
        records.push(toRecord(item));
      }
    }
    return { records, truncated: false };
  }
}
