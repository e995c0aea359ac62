/**
 * Used decision links in DynamoDB: one item per link id (`TOKEN#<jti>`),
 * written with a conditional put so of two uses exactly one passes, and
 * expired by TTL a day after the link itself expires.
 */
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecisionLinkStore, DecisionLinkUse } from '../../domain/ports/decision-link-store';
import { TTL_ATTRIBUTE, tokenUseKey } from './tables';
import { isConditionalCheckFailed, putIfAbsent } from './operations';

export class DynamoDbDecisionLinkStore implements DecisionLinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  consume(use: DecisionLinkUse): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      ...tokenUseKey(use.tokenId),
      entity: 'decision-link-use',
      tokenId: use.tokenId,
      recordId: use.recordId,
      approverEmail: use.approverEmail,
      action: use.action,
      usedAt: use.usedAt,
      linkExpiresAt: use.expiresAt,
      // TTL: a day after the link expired (it could not verify any more), the item may go.
      [TTL_ATTRIBUTE]: Math.ceil(Date.parse(use.expiresAt) / 1000) + 86_400,
    });
  }

  async release(tokenId: string, usedAt: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: tokenUseKey(tokenId),
          ConditionExpression: 'usedAt = :usedAt',
          ExpressionAttributeValues: { ':usedAt': usedAt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async find(tokenId: string): Promise<DecisionLinkUse | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tokenUseKey(tokenId), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      tokenId: Item.tokenId as string,
      recordId: Item.recordId as string,
      approverEmail: Item.approverEmail as string,
      action: Item.action as DecisionLinkUse['action'],
      usedAt: Item.usedAt as string,
      expiresAt: Item.linkExpiresAt as string,
    };
  }
}
