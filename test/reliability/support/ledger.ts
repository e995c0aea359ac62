/**
 * The ledger of a run: for every event sent, what the system ended up with —
 * its record in DynamoDB (read back consistently), the SNS messages and
 * `Guardrail Decision` events the fake transports accepted for it, and any
 * dead letter. Every reliability figure (lost, decided once, duplicate
 * notifications) is counted from this, never from what the code under test
 * says about itself.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REQUEST_RECORD_SK } from '../../../functions/adapters/dynamodb/tables';
import { toRecord } from '../../../functions/adapters/dynamodb/record-item';
import { recordIdOf, type GuardrailEvent } from '../../../functions/domain/events';
import type { RequestRecord } from '../../../functions/domain/records';
import type { AcceptedCall } from '../../../bench/support/fake-aws';
import { bodyForProtocol } from '../../../functions/adapters/notifier/sns-notifier';
import { TOPIC_ARN, type GuardrailWorld } from '../../../bench/support/guardrail-harness';

/** The record id of a delivered event, as the service would key it (undefined when the detail is unreadable). */
export function recordIdOfDelivered(event: Record<string, unknown>): string | undefined {
  const kind = event['detail-type'] === 'App Connected' ? 'app-connected' : 'purchase-request';
  const detail = event.detail as Record<string, unknown> | undefined;
  if (!detail) return undefined;
  try {
    return recordIdOf({ kind, detail } as unknown as GuardrailEvent);
  } catch {
    return undefined;
  }
}

export async function storedRecords(client: DynamoDBDocumentClient, table: string): Promise<Map<string, RequestRecord & Record<string, unknown>>> {
  const records = new Map<string, RequestRecord & Record<string, unknown>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      if (item.sk !== REQUEST_RECORD_SK) continue;
      // Read the way the service reads it (the item stores findings compactly), raw attributes kept beside.
      const record = { ...item, ...toRecord(item) } as RequestRecord & Record<string, unknown>;
      if (records.has(record.recordId)) throw new Error(`two items claim record ${record.recordId}`);
      records.set(record.recordId, record);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}

/** The record id an SNS publish was about (from the machine-readable body every publish carries, as an SQS subscriber reads it). */
export function recordIdOfPublish(call: AcceptedCall): string {
  const body = bodyForProtocol(String(call.input.Message), 'sqs');
  const recordId = (JSON.parse(body) as { recordId?: string }).recordId;
  if (recordId === undefined) throw new Error(`an SNS publish without a machine-readable body: ${String(call.input.Subject)}`);
  return recordId;
}

/** Record ids of the `Guardrail Decision` events in an accepted PutEvents call. */
export function recordIdsOfDecisionEvents(call: AcceptedCall): string[] {
  const entries = (call.input.Entries ?? []) as { DetailType?: string; Detail?: string }[];
  return entries.filter((e) => e.DetailType === 'Guardrail Decision').map((e) => (JSON.parse(String(e.Detail)) as { recordId: string }).recordId);
}

export type EventFate = 'complete' | 'incomplete' | 'missing';

export interface Ledger {
  events: number;
  records: number;
  /** Records that belong to no event sent in this run (must be 0). */
  strayRecords: number;
  /** Per event: complete = recorded, notified if it had to be, decision published. */
  fates: Record<EventFate, number>;
  incompleteIds: string[];
  missingIds: string[];
  /** Publishes beyond the messages a record says it sent, and their causes. */
  duplicateNotifications: number;
  duplicateNotificationsByCause: Record<string, number>;
  /** Records that should have notified but show no accepted publish (must be 0 for complete records). */
  notificationsMissing: number;
  notifiedRecords: number;
  snsPublishes: number;
  decisionEvents: number;
  duplicateDecisionEvents: number;
}

export async function ledgerOf(
  world: GuardrailWorld,
  client: DynamoDBDocumentClient,
  events: readonly Record<string, unknown>[],
): Promise<Ledger & { byId: Map<string, RequestRecord & Record<string, unknown>> }> {
  const records = await storedRecords(client, world.tables.requests);
  const ids = new Set(events.map((e) => recordIdOfDelivered(e)).filter((id): id is string => id !== undefined));

  const publishes = new Map<string, AcceptedCall[]>();
  // IT's topic only: what requesters are told (an amendment's message) is not an IT notification.
  const toIt = world.sns.stats.accepted.filter((call) => call.input.TopicArn === TOPIC_ARN);
  for (const call of toIt) {
    const id = recordIdOfPublish(call);
    publishes.set(id, [...(publishes.get(id) ?? []), call]);
  }
  const decisionEvents = new Map<string, number>();
  for (const call of world.eventBridge.stats.accepted) {
    for (const id of recordIdsOfDecisionEvents(call)) decisionEvents.set(id, (decisionEvents.get(id) ?? 0) + 1);
  }

  const fates: Record<EventFate, number> = { complete: 0, incomplete: 0, missing: 0 };
  const incompleteIds: string[] = [];
  const missingIds: string[] = [];
  let duplicateNotifications = 0;
  let notificationsMissing = 0;
  let notifiedRecords = 0;
  const byCause: Record<string, number> = {};
  for (const id of ids) {
    const record = records.get(id);
    if (!record) {
      fates.missing++;
      missingIds.push(id);
      continue;
    }
    const state = record.notification.state;
    const notifiedDone = state === 'sent' || state === 'not-needed' || state === 'held-for-digest';
    const published = record.decisionEvent.state === 'published';
    if (notifiedDone && published) fates.complete++;
    else {
      fates.incomplete++;
      incompleteIds.push(id);
    }
    const sent = publishes.get(id) ?? [];
    // Every revision's notification is in the history; the current one also in the record's state.
    const recorded = [
      ...new Set([
        ...(record.notification.state === 'sent' ? record.notification.messageId.split(' ').filter(Boolean) : []),
        ...record.history.filter((e) => e.type === 'notified').flatMap((e) => (Array.isArray(e.details.messageIds) ? (e.details.messageIds as string[]) : [])),
      ]),
    ];
    if (record.notification.state === 'sent') {
      notifiedRecords++;
      if (!recorded.every((m) => sent.some((c) => c.id === m))) notificationsMissing++;
    }
    const extra = sent.filter((c) => !recorded.includes(c.id));
    if (extra.length > 0) {
      duplicateNotifications += extra.length;
      for (const call of extra) {
        // A publish SNS took whose answer was lost is retried by the SDK or by Lambda: the inevitable window.
        const cause = call.answerLost
          ? 'SNS took the publish but its answer was lost, so it was sent again'
          : 'an attempt published it, then a later step of that attempt failed, so the retry sent it again';
        byCause[cause] = (byCause[cause] ?? 0) + 1;
      }
    }
  }
  let duplicateDecisionEvents = 0;
  for (const [id, count] of decisionEvents) if (ids.has(id) && count > 1) duplicateDecisionEvents += count - 1;
  return {
    events: ids.size,
    records: [...records.keys()].filter((id) => ids.has(id)).length,
    strayRecords: [...records.keys()].filter((id) => !ids.has(id)).length,
    fates,
    incompleteIds,
    missingIds,
    duplicateNotifications,
    duplicateNotificationsByCause: byCause,
    notificationsMissing,
    notifiedRecords,
    snsPublishes: toIt.length,
    decisionEvents: [...decisionEvents.values()].reduce((s, n) => s + n, 0),
    duplicateDecisionEvents,
    byId: records,
  };
}
