/**
 * The digest queue in DynamoDB: a held request's record carries the keys of
 * a sparse index (`digest-queue`, by digest time), written with the record
 * when the guardrail decides to hold it (record-item digestKeys) and removed
 * as it is marked sent.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestRecord } from '../../domain/records';
import type { DigestQueue } from '../../domain/ports/digest-queue';
import { DIGEST_DUE_ATTRIBUTE, DIGEST_INDEX, DIGEST_QUEUE_ATTRIBUTE, DIGEST_QUEUE_HELD } from './tables';
import { RecordItems, toRecord } from './record-item';

export class DynamoDbDigestQueue implements DigestQueue {
  private readonly items: RecordItems;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.items = new RecordItems(client, tableName);
  }

  async listDue(now: Date): Promise<RequestRecord[]> {
    const keys = await this.items.query({
      IndexName: DIGEST_INDEX,
      KeyConditionExpression: '#dq = :held AND #dd <= :now',
      ExpressionAttributeNames: { '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':held': DIGEST_QUEUE_HELD, ':now': `${now.toISOString()}#\uffff` },
    });
    const records: RequestRecord[] = [];
    for (const key of keys) {
      // The index holds keys only; read each record consistently (a digest run sees at most a few dozen).
      const { Item } = await this.items.client.send(new GetCommand({ TableName: this.items.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }));
      if (Item && (Item.notification as RequestRecord['notification'])?.state === 'held-for-digest') records.push(toRecord(Item));
    }
    return records;
  }

  markSent(recordId: string, messageId: string, sentAt: Date): Promise<void> {
    return this.items.markNotified(recordId, messageId, sentAt);
  }
}
