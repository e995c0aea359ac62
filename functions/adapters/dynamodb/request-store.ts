/**
 * Request records in DynamoDB. Every write is a single-item conditional write
 * (no transactions: dynalite has none, and none is needed), which is what makes
 * at-least-once delivery safe: the first put wins, and each side effect is
 * claimed with a conditional update so only one delivery performs it.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GuardrailRequestStore, RequestRecord } from '../../domain/ports';
import { PARTITION_KEY, requestKey } from './tables';

/** Item attribute holding the decision-event claim time; kept off the record type (it is bookkeeping). */
const DECISION_CLAIM_ATTRIBUTE = 'decisionEventClaimedAt';

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export class DynamoDbRequestStore implements GuardrailRequestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createIfAbsent(record: RequestRecord): Promise<{ created: boolean; record: RequestRecord }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
        }),
      );
      return { created: true, record };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const existing = await this.get(record.recordId);
    if (!existing) {
      // Only possible if someone deleted the record between the two calls; a retry settles it.
      throw new Error(`record ${record.recordId} exists but could not be read back`);
    }
    return { created: false, record: existing };
  }

  async get(recordId: string): Promise<RequestRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: requestKey(recordId), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async claimNotification(recordId: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: 'SET #n = :sending',
      // ISO-8601 UTC strings compare in time order, so the lease check is a string comparison.
      ConditionExpression: 'attribute_exists(#pk) AND (#n.#s = :pending OR (#n.#s = :sendingState AND #n.#c < :staleBefore))',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#n': 'notification', '#s': 'state', '#c': 'claimedAt' },
      ExpressionAttributeValues: {
        ':sending': { state: 'sending', claimedAt: now.toISOString() },
        ':pending': 'pending',
        ':sendingState': 'sending',
        ':staleBefore': new Date(now.getTime() - leaseMs).toISOString(),
      },
    });
  }

  async releaseNotificationClaim(recordId: string, claimedAt: Date): Promise<void> {
    await this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: 'SET #n = :pending',
      ConditionExpression: '#n.#s = :sendingState AND #n.#c = :claimedAt',
      ExpressionAttributeNames: { '#n': 'notification', '#s': 'state', '#c': 'claimedAt' },
      ExpressionAttributeValues: {
        ':pending': { state: 'pending' },
        ':sendingState': 'sending',
        ':claimedAt': claimedAt.toISOString(),
      },
    });
  }

  async markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: requestKey(recordId),
        UpdateExpression: 'SET #n = :sent',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#n': 'notification' },
        ExpressionAttributeValues: { ':sent': { state: 'sent', sentAt: sentAt.toISOString(), messageId } },
      }),
    );
  }

  async claimDecisionEvent(recordId: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: 'SET #dc = :now',
      ConditionExpression: '#d.#s = :pending AND (attribute_not_exists(#dc) OR #dc < :staleBefore)',
      ExpressionAttributeNames: { '#d': 'decisionEvent', '#s': 'state', '#dc': DECISION_CLAIM_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':now': now.toISOString(),
        ':pending': 'pending',
        ':staleBefore': new Date(now.getTime() - leaseMs).toISOString(),
      },
    });
  }

  async releaseDecisionEventClaim(recordId: string, claimedAt: Date): Promise<void> {
    await this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: 'REMOVE #dc',
      ConditionExpression: '#dc = :claimedAt',
      ExpressionAttributeNames: { '#dc': DECISION_CLAIM_ATTRIBUTE },
      ExpressionAttributeValues: { ':claimedAt': claimedAt.toISOString() },
    });
  }

  async markDecisionPublished(recordId: string, publishedAt: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: requestKey(recordId),
        UpdateExpression: 'SET #d = :published REMOVE #dc',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#d': 'decisionEvent', '#dc': DECISION_CLAIM_ATTRIBUTE },
        ExpressionAttributeValues: { ':published': { state: 'published', publishedAt: publishedAt.toISOString() } },
      }),
    );
  }

  /** An update whose failed condition is an answer (false), not an error. */
  private async conditionalUpdate(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function toItem(record: RequestRecord): Record<string, unknown> {
  return {
    ...requestKey(record.recordId),
    entity: 'request',
    recordId: record.recordId,
    kind: record.kind,
    detail: record.detail,
    decision: record.decision,
    // Top-level copies for filters and a future index (outcome dashboards, approvals by state).
    outcome: record.decision.outcome,
    policyVersion: record.policyVersion,
    receivedAt: record.receivedAt,
    notification: record.notification,
    decisionEvent: record.decisionEvent,
  };
}

function toRecord(item: Record<string, unknown>): RequestRecord {
  return {
    recordId: item.recordId as string,
    kind: item.kind as RequestRecord['kind'],
    detail: item.detail as RequestRecord['detail'],
    decision: item.decision as RequestRecord['decision'],
    policyVersion: item.policyVersion as string,
    receivedAt: item.receivedAt as string,
    notification: item.notification as RequestRecord['notification'],
    decisionEvent: item.decisionEvent as RequestRecord['decisionEvent'],
  };
}
