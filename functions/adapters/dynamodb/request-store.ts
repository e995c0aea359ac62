/**
 * Request records in DynamoDB as the guardrail writes them: every write is a
 * single-item conditional write (no transactions: dynalite has none, and none
 * is needed). The put that creates a record also leases its side effects; an
 * amendment's update replaces the revision under conditions on the content
 * revision, the approval revision and the lease; and one update on the lease
 * records what its holder did. That is two writes for a first delivery.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEntry } from '../../domain/approvals';
import type { ApprovalEffect } from '../../domain/ports/approval-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { DecisionEventState, NotificationState, RequestRecord } from '../../domain/records';
import { isConditionalCheckFailed } from './operations';
import { APPROVAL_DUE_ATTRIBUTE, APPROVAL_QUEUE_ATTRIBUTE, DIGEST_DUE_ATTRIBUTE, DIGEST_QUEUE_ATTRIBUTE, PARTITION_KEY } from './tables';
import {
  CONTENT_ATTRIBUTE,
  EFFECTS_ATTRIBUTE,
  HISTORY_ATTRIBUTE,
  LEGACY_CONTENT_ATTRIBUTES,
  LEASE_ATTRIBUTE,
  RecordItems,
  compactEntry,
  digestKeys,
  queueKeys,
  toItem,
  toRecord,
} from './record-item';

/** Records from before revisions carry no `revision`: they are revision 1. */
function revisionCondition(revision: number): string {
  return revision === 1 ? '(#rev = :rev OR attribute_not_exists(#rev))' : '#rev = :rev';
}

export class DynamoDbRequestStore implements RequestStore {
  private readonly items: RecordItems;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.items = new RecordItems(client, tableName);
  }

  async get(recordId: string): Promise<RequestRecord | undefined> {
    const item = await this.items.get(recordId);
    return item ? toRecord(item) : undefined;
  }

  async createIfAbsent(record: RequestRecord): Promise<{ created: true } | { created: false; existing: RequestRecord }> {
    try {
      await this.items.client.send(
        new PutCommand({
          TableName: this.items.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
          // DynamoDB hands the stored item back with the failure: no second call for a duplicate.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      // dynalite (tests, npm start) ignores ReturnValuesOnConditionCheckFailure: read it once instead.
      const existing = old ? toRecord(unmarshall(old)) : await this.get(record.recordId);
      // Only possible if someone deleted the record between the two calls; a retry settles it.
      if (!existing) throw new Error(`record ${record.recordId} exists but could not be read back`, { cause: error });
      return { created: false, existing };
    }
  }

  revise(
    next: RequestRecord,
    expected: { revision: number; approvalRevision: number; staleBefore: string },
    change: { appended: AuditEntry[]; effects: ApprovalEffect[]; now: Date },
  ): Promise<boolean> {
    const item = toItem(next);
    const names: Record<string, string> = {
      '#pk': PARTITION_KEY,
      '#rev': 'revision',
      '#a': 'approval',
      '#arev': 'revision',
      '#l': LEASE_ATTRIBUTE,
      '#h': HISTORY_ATTRIBUTE,
      '#dq': DIGEST_QUEUE_ATTRIBUTE,
      '#dd': DIGEST_DUE_ATTRIBUTE,
    };
    const values: Record<string, unknown> = {
      ':rev': expected.revision,
      ':arev': expected.approvalRevision,
      ':stale': expected.staleBefore,
      ':empty': [],
      ':appended': change.appended.map((entry) => compactEntry(entry, next)),
    };
    const sets = ['#h = list_append(if_not_exists(#h, :empty), :appended)'];
    const removes: string[] = [];
    const fields = ['revision', CONTENT_ATTRIBUTE, 'outcome', 'policyVersion', 'notification', 'decisionEvent', LEASE_ATTRIBUTE, 'approval'];
    fields.forEach((field, i) => {
      if (item[field] === undefined) return;
      names[`#f${i}`] = field;
      values[`:f${i}`] = item[field];
      sets.push(`#f${i} = :f${i}`);
    });
    const approvalChanged = next.approval.revision !== expected.approvalRevision;
    if (approvalChanged || change.effects.length > 0) {
      // Due now: the sweep looks once, performs whatever is pending (ours, or an earlier approval's) and reschedules.
      const queue = queueKeys(next.recordId, next.approval, true, change.now)!;
      Object.assign(names, { '#q': APPROVAL_QUEUE_ATTRIBUTE, '#qd': APPROVAL_DUE_ATTRIBUTE });
      Object.assign(values, { ':q': queue.queue, ':qd': queue.due });
      sets.push('#q = :q', '#qd = :qd');
    }
    if (change.effects.length > 0) names['#pe'] = EFFECTS_ATTRIBUTE;
    change.effects.forEach((effect, i) => {
      names[`#e${i}`] = effect.id;
      values[`:e${i}`] = effect;
      sets.push(`#pe.#e${i} = :e${i}`);
    });
    // A record from before the packed content leaves its plain copy behind with this revision.
    LEGACY_CONTENT_ATTRIBUTES.forEach((field, i) => {
      names[`#old${i}`] = field;
      removes.push(`#old${i}`);
    });
    const digest = digestKeys(next.recordId, next.notification);
    if (digest[DIGEST_QUEUE_ATTRIBUTE]) {
      Object.assign(values, { ':dq': digest[DIGEST_QUEUE_ATTRIBUTE], ':dd': digest[DIGEST_DUE_ATTRIBUTE] });
      sets.push('#dq = :dq', '#dd = :dd');
    } else removes.push('#dq', '#dd');
    return this.items.updateIf(next.recordId, {
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(#pk) AND ${revisionCondition(expected.revision)} AND #a.#arev = :arev AND (attribute_not_exists(#l) OR #l < :stale)`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  takeLease(recordId: string, revision: number, leasedAt: string, staleBefore: string): Promise<boolean> {
    return this.items.updateIf(recordId, {
      UpdateExpression: 'SET #l = :at',
      ConditionExpression: `attribute_exists(#pk) AND ${revisionCondition(revision)} AND (attribute_not_exists(#l) OR #l < :stale)`,
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#rev': 'revision', '#l': LEASE_ATTRIBUTE },
      ExpressionAttributeValues: { ':rev': revision, ':at': leasedAt, ':stale': staleBefore },
    });
  }

  settle(
    recordId: string,
    leasedAt: string,
    done: { notification?: NotificationState; decisionEvent?: DecisionEventState; appended: AuditEntry[]; completedEffects: string[] },
  ): Promise<boolean> {
    const names: Record<string, string> = { '#l': LEASE_ATTRIBUTE };
    const values: Record<string, unknown> = { ':at': leasedAt };
    const sets: string[] = [];
    const removes = ['#l'];
    if (done.notification) {
      Object.assign(names, { '#n': 'notification' });
      values[':n'] = done.notification;
      sets.push('#n = :n');
    }
    if (done.decisionEvent) {
      Object.assign(names, { '#de': 'decisionEvent' });
      values[':de'] = done.decisionEvent;
      sets.push('#de = :de');
    }
    if (done.appended.length > 0) {
      Object.assign(names, { '#h': HISTORY_ATTRIBUTE });
      Object.assign(values, { ':empty': [], ':appended': done.appended.map((entry) => compactEntry(entry)) });
      sets.push('#h = list_append(if_not_exists(#h, :empty), :appended)');
    }
    if (done.completedEffects.length > 0) names['#pe'] = EFFECTS_ATTRIBUTE;
    done.completedEffects.forEach((id, i) => {
      names[`#x${i}`] = id;
      removes.push(`#pe.#x${i}`);
    });
    return this.items.updateIf(recordId, {
      UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')}`,
      ConditionExpression: '#l = :at',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }
}
