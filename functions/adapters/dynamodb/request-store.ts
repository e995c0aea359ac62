/**
 * Request records in DynamoDB. Every write is a single-item conditional write
 * (no transactions: dynalite has none, and none is needed), which is what makes
 * at-least-once delivery safe: the first put wins, and each side effect is
 * claimed with a conditional update so only one delivery performs it.
 *
 * The approvals side lives on the same item: the approval state (changed only
 * under a condition on its revision), the effects a change still has to
 * perform (`pendingEffects`, a map by effect id), and the keys of two sparse
 * indexes (what the escalation sweep must look at, and when; what waits for
 * the digest). Used decision links are items of their own (`TOKEN#<jti>`).
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ApprovalEffect, ApprovalStore, DecisionTokenUse, GuardrailRequestStore } from '../../domain/ports';
import { requestRecordOf, type RequestRecord } from '../../domain/records';
import type { PurchaseRequest } from '../../domain/events';
import { initialApprovalState, isUndecided, type ApprovalState } from '../../domain/approvals';
import {
  APPROVALS_DUE_INDEX,
  APPROVAL_DUE_ATTRIBUTE,
  APPROVAL_QUEUE_ATTRIBUTE,
  APPROVAL_QUEUE_OPEN,
  DIGEST_DUE_ATTRIBUTE,
  DIGEST_INDEX,
  DIGEST_QUEUE_ATTRIBUTE,
  DIGEST_QUEUE_HELD,
  PARTITION_KEY,
  TTL_ATTRIBUTE,
  requestKey,
  tokenUseKey,
} from './tables';
import { isConditionalCheckFailed, putIfAbsent, queryAllPages } from './operations';

/** Item attribute holding the decision-event claim time; kept off the record type (it is bookkeeping). */
const DECISION_CLAIM_ATTRIBUTE = 'decisionEventClaimedAt';

/** Item attribute holding effects still to perform, by effect id. */
const EFFECTS_ATTRIBUTE = 'pendingEffects';
/** Due key of an open approval with nothing scheduled: it stays in the index (the inbox) but is never due. */
const NEVER = '9999-12-31T23:59:59.999Z';

export class DynamoDbRequestStore implements GuardrailRequestStore, ApprovalStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createIfAbsent(record: RequestRecord): Promise<{ created: boolean; record: RequestRecord }> {
    if (await putIfAbsent(this.client, this.tableName, toItem(record))) return { created: true, record };
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
        // A digested request leaves the digest queue as it is marked sent.
        UpdateExpression: 'SET #n = :sent REMOVE #dq, #dd',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#n': 'notification', '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
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

  // -------------------------------------------------------------------------
  // Approvals
  // -------------------------------------------------------------------------

  async loadApproval(recordId: string): Promise<{ record: RequestRecord; effects: ApprovalEffect[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: requestKey(recordId), ConsistentRead: true }),
    );
    return Item ? { record: toRecord(Item), effects: effectsOf(Item) } : undefined;
  }

  async saveApproval(recordId: string, expectedRevision: number, state: ApprovalState, effects: ApprovalEffect[], now: Date): Promise<boolean> {
    const names: Record<string, string> = { '#pk': PARTITION_KEY, '#a': 'approval', '#rev': 'revision', '#q': APPROVAL_QUEUE_ATTRIBUTE, '#d': APPROVAL_DUE_ATTRIBUTE };
    const values: Record<string, unknown> = { ':state': state, ':expected': expectedRevision };
    const sets = ['#a = :state'];
    const removes: string[] = [];
    const queue = queueKeys(recordId, state, effects.length > 0, now);
    if (queue) {
      sets.push('#q = :queue', '#d = :due');
      values[':queue'] = queue.queue;
      values[':due'] = queue.due;
    } else {
      removes.push('#q', '#d');
    }
    if (effects.length > 0) names['#pe'] = EFFECTS_ATTRIBUTE;
    effects.forEach((effect, i) => {
      names[`#e${i}`] = effect.id;
      values[`:e${i}`] = effect;
      sets.push(`#pe.#e${i} = :e${i}`);
    });
    // A record stored before approvals existed has no approval attribute; its derived state has revision 0.
    const revisionCondition = expectedRevision === 0 ? '(attribute_not_exists(#a) OR #a.#rev = :expected)' : '#a.#rev = :expected';
    const input = {
      Key: requestKey(recordId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(#pk) AND ${revisionCondition}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    try {
      return await this.conditionalUpdate(input);
    } catch (error) {
      // Records stored before approvals existed have no effects map to add to: create it, then try again.
      if ((error as { name?: string }).name !== 'ValidationException' || effects.length === 0) throw error;
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: requestKey(recordId),
          UpdateExpression: 'SET #pe = if_not_exists(#pe, :empty)',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#pe': EFFECTS_ATTRIBUTE },
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      return this.conditionalUpdate(input);
    }
  }

  async completeEffect(recordId: string, effectId: string): Promise<void> {
    await this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: 'REMOVE #pe.#id',
      ConditionExpression: 'attribute_exists(#pe.#id)',
      ExpressionAttributeNames: { '#pe': EFFECTS_ATTRIBUTE, '#id': effectId },
    });
  }

  async reschedule(recordId: string, expectedRevision: number, now: Date): Promise<void> {
    const loaded = await this.loadApproval(recordId);
    if (!loaded || loaded.record.approval.revision !== expectedRevision) return;
    const queue = queueKeys(recordId, loaded.record.approval, loaded.effects.length > 0, now);
    const revisionCondition = expectedRevision === 0 ? '(attribute_not_exists(#a) OR #a.#rev = :expected)' : '#a.#rev = :expected';
    await this.conditionalUpdate({
      Key: requestKey(recordId),
      UpdateExpression: queue ? 'SET #q = :queue, #d = :due' : 'REMOVE #q, #d',
      ConditionExpression: `attribute_exists(#pk) AND ${revisionCondition}`,
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#a': 'approval', '#rev': 'revision', '#q': APPROVAL_QUEUE_ATTRIBUTE, '#d': APPROVAL_DUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':expected': expectedRevision, ...(queue ? { ':queue': queue.queue, ':due': queue.due } : {}) },
    });
  }

  async consumeToken(use: DecisionTokenUse): Promise<boolean> {
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

  async releaseToken(tokenId: string, usedAt: string): Promise<void> {
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

  async findTokenUse(tokenId: string): Promise<DecisionTokenUse | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tokenUseKey(tokenId), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      tokenId: Item.tokenId as string,
      recordId: Item.recordId as string,
      approverEmail: Item.approverEmail as string,
      action: Item.action as DecisionTokenUse['action'],
      usedAt: Item.usedAt as string,
      expiresAt: Item.linkExpiresAt as string,
    };
  }

  async listOpenApprovals(): Promise<RequestRecord[]> {
    const items = await this.queryAll({
      IndexName: APPROVALS_DUE_INDEX,
      KeyConditionExpression: '#q = :open',
      ExpressionAttributeNames: { '#q': APPROVAL_QUEUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':open': APPROVAL_QUEUE_OPEN },
    });
    return items.map(toRecord).filter((r) => isUndecided(r.approval));
  }

  async listDueApprovals(now: Date, limit: number): Promise<string[]> {
    const items = await this.queryAll(
      {
        IndexName: APPROVALS_DUE_INDEX,
        KeyConditionExpression: '#q = :open AND #d <= :now',
        ExpressionAttributeNames: { '#q': APPROVAL_QUEUE_ATTRIBUTE, '#d': APPROVAL_DUE_ATTRIBUTE },
        // Due keys are `<ISO time>#<id>`: everything due at or before `now`, whatever its id.
        ExpressionAttributeValues: { ':open': APPROVAL_QUEUE_OPEN, ':now': `${now.toISOString()}#\uffff` },
      },
      limit,
    );
    return items.map((i) => i.recordId as string);
  }

  async holdForDigest(recordId: string, heldAt: Date, digestAt: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: requestKey(recordId),
        UpdateExpression: 'SET #n = :held, #dq = :queue, #dd = :due',
        // Only the holder of the notification claim moves it into the digest.
        ConditionExpression: '#n.#s = :sending',
        ExpressionAttributeNames: { '#n': 'notification', '#s': 'state', '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':held': { state: 'held-for-digest', heldAt: heldAt.toISOString(), digestAt: digestAt.toISOString() },
          ':queue': DIGEST_QUEUE_HELD,
          ':due': `${digestAt.toISOString()}#${recordId}`,
          ':sending': 'sending',
        },
      }),
    );
  }

  async listHeldForDigest(now: Date): Promise<RequestRecord[]> {
    const keys = await this.queryAll({
      IndexName: DIGEST_INDEX,
      KeyConditionExpression: '#dq = :held AND #dd <= :now',
      ExpressionAttributeNames: { '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':held': DIGEST_QUEUE_HELD, ':now': `${now.toISOString()}#\uffff` },
    });
    const records: RequestRecord[] = [];
    for (const key of keys) {
      // The index holds keys only; read each record consistently (a digest run sees at most a few dozen).
      const { Item } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      );
      if (Item && (Item.notification as RequestRecord['notification'])?.state === 'held-for-digest') records.push(toRecord(Item));
    }
    return records;
  }

  /** Every page of a Query on this table (up to `limit` items). */
  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>, limit?: number): Promise<Record<string, unknown>[]> {
    return queryAllPages(this.client, { TableName: this.tableName, ...input }, limit);
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

/**
 * The sweep index keys for an approval: undecided approvals and records with
 * effects pending stay in the index; due now when effects are pending, else
 * when escalation looks next (never, for an open request with nothing scheduled).
 */
function queueKeys(recordId: string, approval: ApprovalState, effectsPending: boolean, now?: Date): { queue: string; due: string } | undefined {
  if (!effectsPending && !isUndecided(approval)) return undefined;
  const due = effectsPending && now ? now.toISOString() : (approval.escalation.nextDueAt ?? NEVER);
  return { queue: APPROVAL_QUEUE_OPEN, due: `${due}#${recordId}` };
}

function effectsOf(item: Record<string, unknown>): ApprovalEffect[] {
  const map = item[EFFECTS_ATTRIBUTE];
  return map && typeof map === 'object' ? Object.values(map as Record<string, ApprovalEffect>) : [];
}

function toItem(record: RequestRecord): Record<string, unknown> {
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

function toRecord(item: Record<string, unknown>): RequestRecord {
  // The item was written by toItem: the record's fields, plus keys and index attributes left out here.
  const stored = item as unknown as RequestRecord;
  return requestRecordOf(stored, {
    recordId: stored.recordId,
    decision: stored.decision,
    policyVersion: stored.policyVersion,
    receivedAt: stored.receivedAt,
    notification: stored.notification,
    decisionEvent: stored.decisionEvent,
    approval: (item.approval as ApprovalState | undefined) ?? approvalOfLegacyItem(item),
  });
}

/**
 * A record stored before approvals existed: the state it would have started
 * with (revision 0). Its first approval write stores it for real.
 */
function approvalOfLegacyItem(item: Record<string, unknown>): ApprovalState {
  const decision = item.decision as RequestRecord['decision'];
  const receivedAt = new Date(item.receivedAt as string);
  const expectedSigningDate = item.kind === 'purchase-request' ? (item.detail as PurchaseRequest).expectedSigningDate : undefined;
  return initialApprovalState(decision, receivedAt, { receivedAt, expectedSigningDate });
}
