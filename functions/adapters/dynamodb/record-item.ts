/**
 * A request record as a DynamoDB item, shared by the stores that read and
 * write it (request-store, approval-store, digest-queue): the mapping both
 * ways, the bookkeeping attributes kept off the record type (claims, pending
 * effects, the keys of the two sparse indexes), and the reads and writes
 * every one of them makes on the item.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { isUndecided, type ApprovalState } from '../../domain/approvals';
import { requestRecordOf, type RequestRecord } from '../../domain/records';
import type { ApprovalEffect } from '../../domain/ports/approval-store';
import {
  APPROVAL_DUE_ATTRIBUTE,
  APPROVAL_QUEUE_ATTRIBUTE,
  APPROVAL_QUEUE_OPEN,
  DIGEST_DUE_ATTRIBUTE,
  DIGEST_QUEUE_ATTRIBUTE,
  PARTITION_KEY,
  requestKey,
} from './tables';
import { queryAllPages, updateIf } from './operations';

/** Item attribute holding the decision-event claim time. */
export const DECISION_CLAIM_ATTRIBUTE = 'decisionEventClaimedAt';
/** Item attribute holding effects still to perform, by effect id. */
export const EFFECTS_ATTRIBUTE = 'pendingEffects';
/** Due key of an open approval with nothing scheduled: it stays in the index (the inbox) but is never due. */
const NEVER = '9999-12-31T23:59:59.999Z';

type Item = Record<string, unknown>;

/**
 * The sweep index keys for an approval: undecided approvals and records with
 * effects pending stay in the index; due now when effects are pending, else
 * when escalation looks next (never, for an open request with nothing scheduled).
 */
export function queueKeys(recordId: string, approval: ApprovalState, effectsPending: boolean, now?: Date): { queue: string; due: string } | undefined {
  if (!effectsPending && !isUndecided(approval)) return undefined;
  const due = effectsPending && now ? now.toISOString() : (approval.escalation.nextDueAt ?? NEVER);
  return { queue: APPROVAL_QUEUE_OPEN, due: `${due}#${recordId}` };
}

export function effectsOf(item: Item): ApprovalEffect[] {
  const map = item[EFFECTS_ATTRIBUTE];
  return map && typeof map === 'object' ? Object.values(map as Record<string, ApprovalEffect>) : [];
}

export function toItem(record: RequestRecord): Item {
  const queue = queueKeys(record.recordId, record.approval, false);
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
    approval: record.approval,
    [EFFECTS_ATTRIBUTE]: {},
    ...(queue ? { [APPROVAL_QUEUE_ATTRIBUTE]: queue.queue, [APPROVAL_DUE_ATTRIBUTE]: queue.due } : {}),
  };
}

export function toRecord(item: Item): RequestRecord {
  // Written by toItem: the record's fields, plus keys and bookkeeping attributes left out here.
  const stored = item as unknown as RequestRecord;
  return requestRecordOf(stored, {
    recordId: stored.recordId,
    decision: stored.decision,
    policyVersion: stored.policyVersion,
    receivedAt: stored.receivedAt,
    notification: stored.notification,
    decisionEvent: stored.decisionEvent,
    approval: stored.approval,
  });
}

/** The record items of one requests table, for the stores that share them. */
export class RecordItems {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The item of a record, read consistently. */
  async get(recordId: string): Promise<Item | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: requestKey(recordId), ConsistentRead: true }));
    return Item;
  }

  /** Updates a record's item if `condition` holds: false when it did not (nothing written). */
  updateIf(recordId: string, input: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    return updateIf(this.client, { TableName: this.tableName, Key: requestKey(recordId), ...input });
  }

  /**
   * Updates a record's item; a failed condition throws. Without a condition of
   * its own the record must exist (an update would otherwise create a stub item).
   */
  async update(recordId: string, input: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<void> {
    const exists = input.ConditionExpression
      ? {}
      : { ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#pk': PARTITION_KEY } };
    await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: requestKey(recordId), ...input, ...exists }));
  }

  /** Marks the notification sent; a request held for the digest leaves the digest queue with it. */
  markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void> {
    return this.update(recordId, {
      UpdateExpression: 'SET #n = :sent REMOVE #dq, #dd',
      ExpressionAttributeNames: { '#n': 'notification', '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':sent': { state: 'sent', sentAt: sentAt.toISOString(), messageId } },
    });
  }

  /** Every page of a Query on the table (up to `limit` items). */
  query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>, limit?: number): Promise<Item[]> {
    return queryAllPages(this.client, { TableName: this.tableName, ...input }, limit);
  }
}
