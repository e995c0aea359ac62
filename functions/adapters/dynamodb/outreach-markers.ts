/**
 * Outreach markers in the requests table (`OUTREACH#<cadence>/<period>/<audience>`):
 * one item per department and period, written by a conditional put, so two
 * runs of the same week (a retry, a manual `POST /admin/sweep`, an overlap
 * with the schedule) send one note. Single-item conditional writes only.
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutreachMarkers } from '../../domain/ports/outreach';
import { isConditionalCheckFailed } from './operations';
import { PARTITION_KEY } from './tables';

export const OUTREACH_PK_PREFIX = 'OUTREACH#';
const MARKER_SK = 'MARKER';

export class DynamoDbOutreachMarkers implements OutreachMarkers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(marker: string) {
    return { pk: `${OUTREACH_PK_PREFIX}${marker}`, sk: MARKER_SK };
  }

  async claim(marker: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(marker), entity: 'outreach-marker', marker, state: 'claimed', claimedAt: now.toISOString() },
          // New, or a claim whose run died before sending (never one that was sent).
          ConditionExpression: 'attribute_not_exists(#pk) OR (#s = :claimed AND #c < :stale)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#s': 'state', '#c': 'claimedAt' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':stale': new Date(now.getTime() - leaseMs).toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async complete(marker: string, messageId: string, now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(marker),
        UpdateExpression: 'SET #s = :sent, sentAt = :at, messageId = :id',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': now.toISOString(), ':id': messageId },
      }),
    );
  }

  async release(marker: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: this.key(marker),
          ConditionExpression: '#s = :claimed',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
