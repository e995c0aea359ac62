/**
 * The deployed form of the guardrail handlers: SQS batches of EventBridge
 * events, on a real DynamoDB API (dynalite) with SNS, EventBridge and the
 * dead-letter queue mocked. What must hold: each message is its own event
 * (a bad one is dead-lettered, a failed one alone goes back to the queue),
 * the batch's notifications and decisions share calls, and a record
 * delivered twice in one batch is still one record, one message, one event.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { REQUEST_RECORD_SK } from '../../functions/adapters/dynamodb/tables';
import { toRecord } from '../../functions/adapters/dynamodb/record-item';
import { openPolicyStore } from '../../functions/composition/root';
import { createPurchaseRequestBatchHandler } from '../../functions/handlers/purchase-request';
import { createAppConnectedBatchHandler } from '../../functions/handlers/app-connected';
import type { RequestRecord } from '../../functions/domain/records';
import { defaultPolicy, sampleEnvelope } from '../support/fixtures';
import { lambdaContext } from '../support/observability';
import { startTestDynamo } from '../support/dynalite';
import { guardrailContainer } from '../support/guardrail-container';
import { sqsRecord } from '../../bench/support/guardrail-harness';
import type { TestDynamo, TestTables } from '../support/dynalite';
import { bodyForProtocol } from '../../functions/adapters/notifier/sns-notifier';

const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

let dynamo: TestDynamo;
let tables: TestTables;
let counter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
  sns.restore();
  eventBridge.restore();
  sqs.restore();
});

/** The record a published message is about, from its machine-readable copy. */
const recordOf = (entry: { Message?: string }): string => (JSON.parse(bodyForProtocol(entry.Message ?? '{}', 'sqs')) as { recordId: string }).recordId;

/** SNS answers every batch entry, except those whose record id is in `failFor` (a failure on SNS's side). */
let failFor = new Set<string>();
beforeEach(async () => {
  tables = await dynamo.freshTables();
  await openPolicyStore(dynamo.documents, tables.policy).importPolicy(defaultPolicy());
  sns.reset();
  eventBridge.reset();
  sqs.reset();
  failFor = new Set();
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `sns-${++counter}` }));
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
    const entries = input.PublishBatchRequestEntries ?? [];
    const failing = (e: (typeof entries)[number]) => failFor.has(recordOf(e));
    return {
      Successful: entries.filter((e) => !failing(e)).map((e) => ({ Id: e.Id, MessageId: `sns-${++counter}` })),
      Failed: entries.filter(failing).map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' })),
    };
  });
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++counter}` })),
  }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
});

function container() {
  const { deps, errors, counts } = guardrailContainer(dynamo, tables, { snsMaxAttempts: 1 });
  return { errors, counts, purchase: createPurchaseRequestBatchHandler(deps), app: createAppConnectedBatchHandler(deps) };
}

/** An SQS record from the purchase-request queue, as the benchmark harness builds it. */
const message = (body: unknown, messageId = `m-${++counter}`): SQSRecord => sqsRecord(body, messageId, 'purchase-request');
const batchOf = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

async function storedRecords(): Promise<RequestRecord[]> {
  const { Items } = await dynamo.documents.send(new ScanCommand({ TableName: tables.requests, ConsistentRead: true }));
  return (Items ?? []).filter((item) => item.sk === REQUEST_RECORD_SK).map(toRecord);
}
const batchEntries = () => sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
const decisionEntries = () => eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
const deadLetters = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse((c.args[0].input as SendMessageCommandInput).MessageBody as string));

/** Purchase requests that all need IT's review, each under its own request id. */
function reviews(n: number): object[] {
  const base = sampleEnvelope('purchase-request/dropbox-marketing-confidential.json');
  return Array.from({ length: n }, (_, i) => ({ ...base, id: `evt-${i}`, detail: { ...base.detail, requestId: `PR-BATCH-${i}` } }));
}

describe('a batch of ten', () => {
  it('decides every event, its notifications in PublishBatch calls of at most 256 KiB and its decisions in one PutEvents', async () => {
    const c = container();
    const events = reviews(9);
    const allow = sampleEnvelope('purchase-request/slack-seats-sanctioned.json');
    const result = await c.purchase(batchOf(...[...events, allow].map((e) => message(e))), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    const records = await storedRecords();
    expect(records).toHaveLength(10);
    expect(records.every((r) => r.notification.state !== 'pending' && r.decisionEvent.state === 'published' && r.lease === undefined)).toBe(true);
    // The nine reviews' notifications (about 30 KB each) in as few calls as SNS's 256 KiB allows; no single publishes.
    const calls = sns.commandCalls(PublishBatchCommand).map((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
    const bytes = (entries: (typeof calls)[number]) => entries.reduce((sum, e) => sum + Buffer.byteLength(e.Message ?? ''), 0);
    expect(calls.every((entries) => entries.length <= 10 && bytes(entries) <= 256 * 1024)).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(bytes(calls.flat()) / (256 * 1024)) + 1);
    expect(calls.length).toBeLessThan(9);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(batchEntries()).toHaveLength(9);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(decisionEntries()).toHaveLength(10);
    // Each record keeps the id SNS gave its own message.
    const ids = records.filter((r) => r.notification.state === 'sent').map((r) => (r.notification as { messageId: string }).messageId);
    expect(new Set(ids).size).toBe(9);
    expect(c.counts()).toMatchObject({ EventsReceived: 10, DecisionsReview: 9, DecisionsAllow: 1, NotificationsSent: 9 });
  });

  it('returns only the event whose notification failed; its redelivery sends it once and publishes nothing again', async () => {
    const c = container();
    const events = reviews(4);
    const messages = events.map((e) => message(e));
    failFor = new Set(['coupa:PR-BATCH-2']);
    const first = await c.purchase(batchOf(...messages), lambdaContext());
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: messages[2].messageId }] });
    expect(decisionEntries()).toHaveLength(4);
    expect(c.errors.some((e) => e.message === 'Guardrail event failed; the queue delivers it again')).toBe(true);

    // SQS delivers the failed message again, alone, once SNS is back.
    failFor = new Set();
    sns.resetHistory();
    eventBridge.resetHistory();
    const again = await c.purchase(batchOf(messages[2]), lambdaContext());
    expect(again).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(decisionEntries()).toHaveLength(0);
    const records = await storedRecords();
    expect(records.every((r) => r.notification.state === 'sent')).toBe(true);
    expect(c.counts()).toMatchObject({ EventsRetried: 1 });
  });

  it('dead-letters a body that is not JSON and an invalid event with their reasons, and decides the rest', async () => {
    const c = container();
    const [good] = reviews(1);
    const invalid = { ...(good as Record<string, unknown>), detail: { ...(good as { detail: object }).detail, amount: 'lots' } };
    const result = await c.purchase(batchOf(message('{"source": "procurement-guar'), message(invalid), message(good)), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    const letters = deadLetters();
    expect(letters.map((l) => l.reason).sort()).toEqual(['invalid-detail', 'invalid-envelope']);
    expect(letters.find((l) => l.reason === 'invalid-envelope').problems[0]).toMatch(/^\(message body\): not JSON/);
    expect(letters.find((l) => l.reason === 'invalid-detail').problems.join(' ')).toMatch(/amount/);
    expect(await storedRecords()).toHaveLength(1);
  });

  it('returns a message to the queue when its dead letter cannot be sent', async () => {
    const c = container();
    sqs.on(SendMessageCommand).rejects(new Error('SQS unavailable'));
    const bad = message('not json');
    const result = await c.purchase(batchOf(bad, message(reviews(1)[0])), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    expect(await storedRecords()).toHaveLength(1);
  });
});

describe('the same record more than once in a batch', () => {
  it('is decided once: one record, one notification, one decision event, and no failure', async () => {
    const c = container();
    const [event] = reviews(1);
    const others = reviews(3).slice(1);
    const copies = [event, { ...event, id: 'another-envelope' }, event];
    const result = await c.purchase(batchOf(...[...copies, ...others].map((e) => message(e))), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await storedRecords()).toHaveLength(3);
    const notified = [...batchEntries(), ...sns.commandCalls(PublishCommand).map((call) => call.args[0].input)];
    expect(notified.map(recordOf).sort()).toEqual(['coupa:PR-BATCH-0', 'coupa:PR-BATCH-1', 'coupa:PR-BATCH-2']);
    expect(decisionEntries()).toHaveLength(3);
    expect(c.counts()).toMatchObject({ DuplicatesCollapsed: 2, DecisionsReview: 3 });
  });

  it('collapses triple concurrent delivery of the same batch to three containers', async () => {
    const containers = [container(), container(), container()];
    const events = reviews(5);
    const messages = events.map((e) => message(e));
    const results = await Promise.all(containers.map((c) => c.purchase(batchOf(...messages), lambdaContext())));
    // A delivery that found another holding a record's side effects may wait for it, or hand the message back.
    const failed = results.flatMap((r) => ('batchItemFailures' in r ? r.batchItemFailures.map((f) => f.itemIdentifier) : ['not a batch answer']));
    const records = await storedRecords();
    expect(records).toHaveLength(5);
    const notified = [...batchEntries(), ...sns.commandCalls(PublishCommand).map((call) => call.args[0].input)].map(recordOf);
    expect(notified.sort()).toEqual(records.map((r) => r.recordId).sort());
    expect(decisionEntries()).toHaveLength(5);
    expect(records.every((r) => r.notification.state === 'sent' && r.decisionEvent.state === 'published')).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(messages.length * 2);
  });
});

describe('invoked with an EventBridge event instead of a batch', () => {
  it('decides it like the single-event handler (an invocation accepted before the rule moved to the queue)', async () => {
    const c = container();
    const result = await c.purchase(reviews(1)[0], lambdaContext());
    expect(result).toMatchObject({ status: 'processed', outcome: 'review', notified: true, decisionPublished: true });
    expect(await storedRecords()).toHaveLength(1);
  });

  it('dead-letters something that is neither, with its reason', async () => {
    const c = container();
    const result = await c.purchase({ Records: [{ eventSource: 'aws:s3' }] }, lambdaContext());
    expect(result).toMatchObject({ status: 'dead-lettered', reason: 'invalid-envelope' });
    expect(deadLetters()).toHaveLength(1);
  });
});

describe('app connections', () => {
  it('takes app events in a batch too', async () => {
    const c = container();
    const paths = ['app-connected/okta-app-created-unknown.json', 'app-connected/entra-admin-consent.json', 'app-connected/google-oauth-risky-scopes.json'];
    const result = await c.app(batchOf(...paths.map((p) => message(sampleEnvelope(p)))), lambdaContext());
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await storedRecords()).toHaveLength(3);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});
