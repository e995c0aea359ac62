/**
 * Request records in DynamoDB as the guardrail writes them. Every write is a
 * single-item conditional write (no transactions: dynalite has none, and none
 * is needed), which is what makes at-least-once delivery safe: the first put
 * wins, and each side effect is claimed with a conditional update so only one
 * delivery performs it.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestRecord } from '../../domain/records';
import type { RequestStore } from '../../domain/ports/request-store';
import { PARTITION_KEY } from './tables';
import { putIfAbsent } from './operations';
import { DECISION_CLAIM_ATTRIBUTE, RecordItems, toItem, toRecord } from './record-item';

export class DynamoDbRequestStore implements RequestStore {
  private readonly items: RecordItems;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.items = new RecordItems(client, tableName);
  }

  async createIfAbsent(record: RequestRecord): Promise<{ created: boolean; record: RequestRecord }> {
    if (await putIfAbsent(this.items.client, this.items.tableName, toItem(record))) return { created: true, record };
    const existing = await this.get(record.recordId);
    if (!existing) {
      // Only possible if someone deleted the record between the two calls; a retry settles it.
      throw new Error(`record ${record.recordId} exists but could not be read back`);
    }
    return { created: false, record: existing };
  }

  async get(recordId: string): Promise<RequestRecord | undefined> {
    const item = await this.items.get(recordId);
    return item ? toRecord(item) : undefined;
  }

  claimNotification(recordId: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.items.updateIf(recordId, {
      UpdateExpression: 'SET #n = :sending',
      // ISO-8601 UTC strings compare in time order, so the lease check is a string comparison.
      ConditionExpression: 'attribute_exists(#pk) AND (#n.#s = :pending OR (#n.#s = :sendingState AND #n.#c < :staleBefore))',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#n': 'notification', '#s': 'state', '#c': 'claimedAt' },
      ExpressionAttributeValues: {
        ':sending': { state: 'sending', claimedAt: now.toISOString() },
        ':pending': 'pending',
        ':sendingState': 'sending',
        ':staleBefore': staleBefore(now, leaseMs),
      },
    });
  }

  async releaseNotificationClaim(recordId: string, claimedAt: Date): Promise<void> {
    await this.items.updateIf(recordId, {
      UpdateExpression: 'SET #n = :pending',
      ConditionExpression: '#n.#s = :sendingState AND #n.#c = :claimedAt',
      ExpressionAttributeNames: { '#n': 'notification', '#s': 'state', '#c': 'claimedAt' },
      ExpressionAttributeValues: { ':pending': { state: 'pending' }, ':sendingState': 'sending', ':claimedAt': claimedAt.toISOString() },
    });
  }

  markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void> {
    return this.items.markNotified(recordId, messageId, sentAt);
  }

  claimDecisionEvent(recordId: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.items.updateIf(recordId, {
      UpdateExpression: 'SET #dc = :now',
      ConditionExpression: '#d.#s = :pending AND (attribute_not_exists(#dc) OR #dc < :staleBefore)',
      ExpressionAttributeNames: { '#d': 'decisionEvent', '#s': 'state', '#dc': DECISION_CLAIM_ATTRIBUTE },
      ExpressionAttributeValues: { ':now': now.toISOString(), ':pending': 'pending', ':staleBefore': staleBefore(now, leaseMs) },
    });
  }

  async releaseDecisionEventClaim(recordId: string, claimedAt: Date): Promise<void> {
    await this.items.updateIf(recordId, {
      UpdateExpression: 'REMOVE #dc',
      ConditionExpression: '#dc = :claimedAt',
      ExpressionAttributeNames: { '#dc': DECISION_CLAIM_ATTRIBUTE },
      ExpressionAttributeValues: { ':claimedAt': claimedAt.toISOString() },
    });
  }

  markDecisionPublished(recordId: string, publishedAt: Date): Promise<void> {
    return this.items.update(recordId, {
      UpdateExpression: 'SET #d = :published REMOVE #dc',
      ExpressionAttributeNames: { '#d': 'decisionEvent', '#dc': DECISION_CLAIM_ATTRIBUTE },
      ExpressionAttributeValues: { ':published': { state: 'published', publishedAt: publishedAt.toISOString() } },
    });
  }
}

/** Claims taken before this instant are dead (their holder outlived the lease). */
function staleBefore(now: Date, leaseMs: number): string {
  return new Date(now.getTime() - leaseMs).toISOString();
}
