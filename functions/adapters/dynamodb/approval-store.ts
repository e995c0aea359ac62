/**
 * The approval side of request records in DynamoDB: the approval state
 * (changed only under a condition on its revision), the effects a change
 * still has to perform (`pendingEffects`, a map by effect id), and the keys
 * of the sparse index the escalation sweep and the inbox read (what is open,
 * and when to look at it next).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isUndecided, type ApprovalState } from '../../domain/approvals';
import type { RequestRecord } from '../../domain/records';
import type { ApprovalEffect, ApprovalStore } from '../../domain/ports/approval-store';
import { batchGetAll } from './operations';
import { APPROVALS_DUE_INDEX, APPROVAL_DUE_ATTRIBUTE, APPROVAL_QUEUE_ATTRIBUTE, APPROVAL_QUEUE_OPEN, PARTITION_KEY, SORT_KEY, recordIdOfKey } from './tables';
import { EFFECTS_ATTRIBUTE, RecordItems, effectsOf, queueKeys, toRecord } from './record-item';

/** The names every revision-checked write uses. */
const REVISION_NAMES = { '#pk': PARTITION_KEY, '#a': 'approval', '#rev': 'revision', '#q': APPROVAL_QUEUE_ATTRIBUTE, '#d': APPROVAL_DUE_ATTRIBUTE };
const REVISION_CONDITION = 'attribute_exists(#pk) AND #a.#rev = :expected';

export class DynamoDbApprovalStore implements ApprovalStore {
  private readonly items: RecordItems;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.items = new RecordItems(client, tableName);
  }

  async load(recordId: string): Promise<{ record: RequestRecord; effects: ApprovalEffect[] } | undefined> {
    const item = await this.items.get(recordId);
    return item ? { record: toRecord(item), effects: effectsOf(item) } : undefined;
  }

  save(recordId: string, expectedRevision: number, state: ApprovalState, effects: ApprovalEffect[], now: Date): Promise<boolean> {
    const names: Record<string, string> = { ...REVISION_NAMES };
    const values: Record<string, unknown> = { ':state': state, ':expected': expectedRevision };
    const sets = ['#a = :state'];
    const queue = queueKeys(recordId, state, effects.length > 0, now);
    if (queue) {
      sets.push('#q = :queue', '#d = :due');
      values[':queue'] = queue.queue;
      values[':due'] = queue.due;
    }
    if (effects.length > 0) names['#pe'] = EFFECTS_ATTRIBUTE;
    effects.forEach((effect, i) => {
      names[`#e${i}`] = effect.id;
      values[`:e${i}`] = effect;
      sets.push(`#pe.#e${i} = :e${i}`);
    });
    return this.items.updateIf(recordId, {
      UpdateExpression: `SET ${sets.join(', ')}${queue ? '' : ' REMOVE #q, #d'}`,
      ConditionExpression: REVISION_CONDITION,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async completeEffect(recordId: string, effectId: string): Promise<void> {
    await this.items.updateIf(recordId, {
      UpdateExpression: 'REMOVE #pe.#id',
      ConditionExpression: 'attribute_exists(#pe.#id)',
      ExpressionAttributeNames: { '#pe': EFFECTS_ATTRIBUTE, '#id': effectId },
    });
  }

  async reschedule(recordId: string, expectedRevision: number, now: Date): Promise<void> {
    const loaded = await this.load(recordId);
    if (!loaded || loaded.record.approval.revision !== expectedRevision) return;
    const queue = queueKeys(recordId, loaded.record.approval, loaded.effects.length > 0, now);
    await this.items.updateIf(recordId, {
      UpdateExpression: queue ? 'SET #q = :queue, #d = :due' : 'REMOVE #q, #d',
      ConditionExpression: REVISION_CONDITION,
      ExpressionAttributeNames: REVISION_NAMES,
      ExpressionAttributeValues: { ':expected': expectedRevision, ...(queue ? { ':queue': queue.queue, ':due': queue.due } : {}) },
    });
  }

  async listOpen(): Promise<RequestRecord[]> {
    const keys = await this.items.query({
      IndexName: APPROVALS_DUE_INDEX,
      KeyConditionExpression: '#q = :open',
      ExpressionAttributeNames: { '#q': APPROVAL_QUEUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':open': APPROVAL_QUEUE_OPEN },
    });
    // The index holds keys only: the records themselves, read consistently, listed in the index's (due) order.
    const items = await batchGetAll(
      this.items.client,
      this.items.tableName,
      keys.map((k) => ({ [PARTITION_KEY]: k[PARTITION_KEY], [SORT_KEY]: k[SORT_KEY] })),
      { consistentRead: true, describe: { items: 'open requests', remedy: 'open the list again' } },
    );
    const byKey = new Map(items.map((item) => [item[PARTITION_KEY] as string, item]));
    return keys
      .map((k) => byKey.get(k[PARTITION_KEY] as string))
      .filter((item): item is Record<string, unknown> => item !== undefined)
      .map(toRecord)
      .filter((r) => isUndecided(r.approval));
  }

  async listDue(now: Date, limit: number): Promise<string[]> {
    const items = await this.items.query(
      {
        IndexName: APPROVALS_DUE_INDEX,
        KeyConditionExpression: '#q = :open AND #d <= :now',
        ExpressionAttributeNames: { '#q': APPROVAL_QUEUE_ATTRIBUTE, '#d': APPROVAL_DUE_ATTRIBUTE },
        // Due keys are `<ISO time>#<id>`: everything due at or before `now`, whatever its id.
        ExpressionAttributeValues: { ':open': APPROVAL_QUEUE_OPEN, ':now': `${now.toISOString()}#\uffff` },
      },
      limit,
    );
    return items.map((i) => recordIdOfKey(i[PARTITION_KEY] as string));
  }
}
