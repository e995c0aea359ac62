/**
 * The two Lambda handlers end to end: real DynamoDB API (dynalite) for the
 * policy and the records, SNS / EventBridge / SQS replaced by
 * aws-sdk-client-mock so every call can be counted and inspected.
 *
 * What must hold under at-least-once delivery: one record, at most one
 * notification and one decision event per request, however often and however
 * concurrently it arrives, and a bad event ends in the dead-letter queue with
 * the field it got wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { REQUEST_RECORD_SK } from '../../functions/adapters/dynamodb/tables';
import { toRecord } from '../../functions/adapters/dynamodb/record-item';
import { openPolicyStore, type Stores } from '../../functions/composition/root';
import { createPurchaseRequestHandler } from '../../functions/handlers/purchase-request';
import { createAppConnectedHandler } from '../../functions/handlers/app-connected';
import type { GuardrailLambdaHandler } from '../../functions/handlers/shared/guardrail-handler';
import { processGuardrailEvent } from '../../functions/domain/use-cases/guardrail/process';
import type { DecisionEvent } from '../../functions/domain/decision-event';
import { recordIdOf } from '../../functions/domain/events';
import type { RequestRecord } from '../../functions/domain/records';
import { ROOT, TestClock, defaultPolicy, sampleEnvelope, sampleEvent } from '../support/fixtures';
import { lambdaContext } from '../support/observability';
import { startTestDynamo } from '../support/dynalite';
import { BUS_NAME, DLQ_URL, TOPIC_ARN, guardrailContainer } from '../support/guardrail-container';
import type { TestDynamo, TestTables } from '../support/dynalite';
import { bodyForProtocol } from '../../functions/adapters/notifier/sns-notifier';

const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

let dynamo: TestDynamo;
let tables: TestTables;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
  sns.restore();
  eventBridge.restore();
  sqs.restore();
});

let messageCounter = 0;
beforeEach(async () => {
  tables = await dynamo.freshTables();
  await openPolicyStore(dynamo.documents, tables.policy).importPolicy(defaultPolicy());
  sns.reset();
  eventBridge.reset();
  sqs.reset();
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `sns-${++messageCounter}` }));
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++messageCounter}` })),
  }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
});

/**
 * One "container": its own clients, policy cache and logger, like a Lambda
 * execution environment, composed by the root from AWS edges on mocked
 * clients (no decision links: the stack without the approvals API).
 */
function container(clock = new TestClock(), requestsTable = tables.requests) {
  const { deps, errors, counts } = guardrailContainer(dynamo, tables, { clock, requestsTable });
  return { deps, errors, counts, clock, purchase: createPurchaseRequestHandler(deps), app: createAppConnectedHandler(deps) };
}

type Container = ReturnType<typeof container>;
const handlerFor = (c: Container, path: string): GuardrailLambdaHandler => (path.startsWith('purchase-request/') ? c.purchase : c.app);
const invoke = (c: Container, event: unknown, path = 'purchase-request/') => handlerFor(c, path)(event, lambdaContext());

/** The request records (not their audit entries). */
async function storedRecords(): Promise<RequestRecord[]> {
  const { Items } = await dynamo.documents.send(new ScanCommand({ TableName: tables.requests, ConsistentRead: true }));
  return (Items ?? []).filter((item) => item.sk === REQUEST_RECORD_SK).map(toRecord);
}
const publishes = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput);
const successfulPublishes = async () =>
  (await Promise.allSettled(sns.commandCalls(PublishCommand).map((c) => c.returnValue as Promise<unknown>))).filter((r) => r.status === 'fulfilled').length;
const decisionEvents = (): DecisionEvent[] =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((c) => (c.args[0].input as PutEventsCommandInput).Entries ?? [])
    .map((e) => JSON.parse(e.Detail as string) as DecisionEvent);
const deadLetters = () =>
  sqs.commandCalls(SendMessageCommand).map((c) => {
    const input = c.args[0].input as SendMessageCommandInput;
    return { input, body: JSON.parse(input.MessageBody as string) };
  });

const expected: Record<string, { outcome: string; requiredApprover?: string }> = JSON.parse(
  readFileSync(join(ROOT, 'events', 'expected-outcomes.json'), 'utf8'),
);
const samples = Object.keys(expected);

describe('every sample event', () => {
  it.each(samples)('%s: one record with the decision, IT notified only for review/block, one decision event', async (path) => {
    const c = container();
    const envelope = sampleEnvelope(path);
    const result = await invoke(c, envelope, path);
    const want = expected[path].outcome;

    expect(result).toMatchObject({ status: 'processed', outcome: want, duplicate: false, decisionPublished: true });
    const records = await storedRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: path.split('/')[0],
      policyVersion: defaultPolicy().version,
      decision: { outcome: want },
      decisionEvent: { state: 'published' },
      notification: { state: want === 'allow' ? 'not-needed' : 'sent' },
    });
    expect(records[0].detail).toEqual(envelope.detail);

    expect(publishes()).toHaveLength(want === 'allow' ? 0 : 1);
    expect(decisionEvents()).toHaveLength(1);
    expect(decisionEvents()[0]).toMatchObject({ recordId: records[0].recordId, outcome: want, decidedBy: 'policy' });
    expect(c.counts()).toMatchObject({ EventsReceived: 1, [`Decisions${want[0].toUpperCase()}${want.slice(1)}`]: 1 });
  });
});

describe('what reaches SNS and EventBridge', () => {
  it('publishes one message per protocol with the attributes subscriptions filter on', async () => {
    const c = container();
    await invoke(c, sampleEnvelope('purchase-request/dropbox-marketing-confidential.json'));
    const [input] = publishes();
    expect(input).toMatchObject({
      TopicArn: TOPIC_ARN,
      Subject: '[REVIEW] Dropbox for Marketing — 4,320 USD/yr',
      MessageStructure: 'json',
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'decision' },
        outcome: { DataType: 'String', StringValue: 'review' },
        severity: { DataType: 'String', StringValue: 'high' },
        kind: { DataType: 'String', StringValue: 'purchase-request' },
        department: { DataType: 'String', StringValue: 'Marketing' },
        copy: { DataType: 'String', StringValue: 'first' },
      },
    });
    const bodies = JSON.parse(input.Message as string);
    expect(bodies.email).toContain('Guardrail decision: REVIEW');
    // Without a link issuer (this wiring) the email carries no links either: it is the text the machine copy holds.
    expect(bodies.email).toBe(JSON.parse(bodies.default).text);
    expect(JSON.parse(bodies.https)).toMatchObject({ version: '1.0', source: 'custom', metadata: { threadId: 'coupa:PR-2026-1042' } });
    expect(JSON.parse(bodyForProtocol(input.Message as string, 'sqs'))).toMatchObject({
      schema: 'procurement-guardrail/notification/v1',
      type: 'decision',
      recordId: 'coupa:PR-2026-1042',
      outcome: 'review',
    });
    for (const value of Object.values(bodies)) expect(typeof value).toBe('string');
  });

  it('puts a Guardrail Decision on the named bus, echoing the source ids', async () => {
    const c = container();
    await invoke(c, sampleEnvelope('purchase-request/dropbox-marketing-confidential.json'));
    const [entry] = (eventBridge.commandCalls(PutEventsCommand)[0].args[0].input as PutEventsCommandInput).Entries ?? [];
    expect(entry).toMatchObject({ EventBusName: BUS_NAME, Source: 'procurement-guardrail', DetailType: 'Guardrail Decision' });
    expect(JSON.parse(entry.Detail as string)).toMatchObject({
      recordId: 'coupa:PR-2026-1042',
      kind: 'purchase-request',
      outcome: 'review',
      requiredApprover: 'it-manager',
      policyVersion: defaultPolicy().version,
      sourceRef: { source: 'coupa', id: 'PR-2026-1042' },
    });
  });

  it('keys app events by source and source event id', async () => {
    const c = container();
    const path = 'app-connected/okta-app-created-unknown.json';
    const envelope = sampleEnvelope(path);
    const result = await invoke(c, envelope, path);
    const detail = envelope.detail as { source: string; sourceEventId: string };
    expect(result).toMatchObject({ recordId: `${detail.source}:${detail.sourceEventId}` });
    expect(decisionEvents()[0].sourceRef).toEqual({ source: detail.source, id: detail.sourceEventId });
  });
});

describe('duplicate deliveries', () => {
  const path = 'purchase-request/dropbox-marketing-confidential.json';

  it('collapses a sequential redelivery: one record, one notification, one decision event', async () => {
    const c = container();
    const first = await invoke(c, sampleEnvelope(path));
    c.clock.advance(60_000);
    const second = await invoke(c, { ...sampleEnvelope(path), id: 'another-envelope-id' });
    expect(first).toMatchObject({ duplicate: false, notified: true, decisionPublished: true });
    expect(second).toMatchObject({ duplicate: true, notified: false, decisionPublished: false, outcome: 'review' });
    expect(await storedRecords()).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    expect(decisionEvents()).toHaveLength(1);
    expect(c.counts()).toMatchObject({ EventsReceived: 2, DecisionsReview: 1, DuplicatesCollapsed: 1, NotificationsSent: 1 });
  });

  it('collapses concurrent deliveries to one container', async () => {
    const c = container();
    const results = await Promise.all(Array.from({ length: 6 }, () => invoke(c, sampleEnvelope(path))));
    expect(results.filter((r) => r.status === 'processed' && !r.duplicate)).toHaveLength(1);
    expect(await storedRecords()).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    expect(decisionEvents()).toHaveLength(1);
  });

  it('collapses concurrent deliveries to separate containers (allow and review alike)', async () => {
    const containers = [container(), container(), container()];
    const allow = 'purchase-request/slack-seats-sanctioned.json';
    await Promise.all([...containers.map((c) => invoke(c, sampleEnvelope(path))), ...containers.map((c) => invoke(c, sampleEnvelope(allow)))]);
    expect(await storedRecords()).toHaveLength(2);
    expect(publishes()).toHaveLength(1);
    expect(
      decisionEvents()
        .map((e) => e.recordId)
        .sort(),
    ).toEqual(['coupa:PR-2026-1042', recordIdOf(sampleEvent(allow))].sort());
  });

  it('keeps the first decision when the redelivery arrives after a policy change', async () => {
    const c = container();
    await invoke(c, sampleEnvelope(path));
    const stricter = defaultPolicy();
    stricter.version = '2026-11-28.1';
    stricter.vendors.find((v) => v.id === 'dropbox')!.status = 'prohibited';
    await openPolicyStore(dynamo.documents, tables.policy).importPolicy(stricter);
    c.clock.advance(3_600_000);
    const again = await invoke(container(c.clock), sampleEnvelope(path));
    expect(again).toMatchObject({ duplicate: true, outcome: 'review', policyVersion: defaultPolicy().version });
  });
});

describe('crashes and retries', () => {
  const path = 'purchase-request/dropbox-marketing-confidential.json';

  it('after SNS fails once, the retry notifies exactly once and does not repeat the decision event', async () => {
    sns.reset();
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }))
      .callsFake(() => ({ MessageId: `sns-${++messageCounter}` }));
    const c = container();

    await expect(invoke(c, sampleEnvelope(path))).rejects.toThrow(/notification failed \(Rate exceeded\)/);
    let [record] = await storedRecords();
    expect(record.notification).toEqual({ state: 'pending' });
    expect(record.lease).toBeUndefined(); // the lease was handed back with what was done
    expect(record.decisionEvent.state).toBe('published'); // the decision did not wait for the notifier
    expect(decisionEvents()).toHaveLength(1);

    c.clock.advance(60_000); // Lambda's first async retry
    const retry = await invoke(c, sampleEnvelope(path));
    expect(retry).toMatchObject({ duplicate: true, notified: true, decisionPublished: false });
    [record] = await storedRecords();
    expect(record.notification).toMatchObject({ state: 'sent' });
    expect(await successfulPublishes()).toBe(1);
    expect(decisionEvents()).toHaveLength(1);

    await invoke(c, sampleEnvelope(path));
    expect(await successfulPublishes()).toBe(1);
    // The decision is counted once, by the delivery that recorded it.
    expect(c.counts()).toMatchObject({ EventsReceived: 3, DecisionsReview: 1, DuplicatesCollapsed: 2, NotificationsSent: 1 });
  });

  it('after EventBridge fails, the retry publishes the decision once and does not notify again', async () => {
    eventBridge.reset();
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(new Error('socket hang up'))
      .callsFake((input: PutEventsCommandInput) => ({
        FailedEntryCount: 0,
        Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++messageCounter}` })),
      }));
    const c = container();
    await expect(invoke(c, sampleEnvelope(path))).rejects.toThrow(/decision-event failed/);
    expect(publishes()).toHaveLength(1);
    const retry = await invoke(c, sampleEnvelope(path));
    expect(retry).toMatchObject({ duplicate: true, notified: false, decisionPublished: true });
    expect(publishes()).toHaveLength(1);
    expect((await storedRecords())[0].decisionEvent.state).toBe('published');
  });

  it('retries entries EventBridge rejects inside a successful call', async () => {
    eventBridge.reset();
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-ok' }] });
    const c = container();
    await expect(invoke(c, sampleEnvelope(path))).resolves.toMatchObject({ decisionPublished: true });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('after a hard crash mid-send, a retry within the lease does not double-send and one after it takes over', async () => {
    const clock = new TestClock();
    const c = container(clock);
    const requests = c.deps.service.requests as Stores['requests'];
    // The process dies after claiming: nothing runs its error handling, so the claim stays.
    const crashing = {
      ...c.deps.service,
      requests: Object.assign(Object.create(requests), { settle: () => Promise.reject(new Error('process gone')) }),
      notifier: { notify: () => Promise.reject(new Error('killed')) },
      decisions: { publish: () => Promise.reject(new Error('process gone')) },
    };
    await expect(processGuardrailEvent(crashing, sampleEvent(path))).rejects.toThrow();
    expect((await storedRecords())[0]).toMatchObject({ notification: { state: 'pending' }, lease: clock.now().toISOString() });

    // Lambda's first retry, inside the lease: it must neither send a second copy nor succeed empty-handed
    // (success would end the retries and lose the notification).
    clock.advance(60_000);
    c.deps.service.inFlightWaitMs = 100;
    await expect(invoke(c, sampleEnvelope(path))).rejects.toThrow(/another delivery of coupa:PR-2026-1042 is performing its side effects/);
    expect(publishes()).toHaveLength(0);

    // The second retry comes after the lease: it takes over and sends.
    clock.advance(120_000);
    await expect(invoke(c, sampleEnvelope(path))).resolves.toMatchObject({ notified: true });
    expect(publishes()).toHaveLength(1);
    expect(decisionEvents()).toHaveLength(1);
  });

  it('when the claim holder fails, a concurrent duplicate waiting for it takes over and sends once', async () => {
    sns.reset();
    sns
      .on(PublishCommand)
      .rejectsOnce(new Error('connection reset'))
      .callsFake(() => ({ MessageId: `sns-${++messageCounter}` }));
    const c = container();
    const results = await Promise.allSettled([invoke(c, sampleEnvelope(path)), invoke(c, sampleEnvelope(path))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'fulfilled')).toMatchObject({ value: { notified: true } });
    expect(await successfulPublishes()).toBe(1);
    expect((await storedRecords())[0].notification.state).toBe('sent');
    expect(decisionEvents()).toHaveLength(1);
  });

  it('throws when DynamoDB is unreachable so Lambda retries, without notifying', async () => {
    const c = container(undefined, 'no-such-table');
    await expect(invoke(c, sampleEnvelope(path))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(publishes()).toHaveLength(0);
    expect(deadLetters()).toHaveLength(0);
    expect(c.errors.some((e) => /Lambda will retry/.test(e.message))).toBe(true);
  });
});

describe('bad input', () => {
  it('sends a malformed detail to the dead-letter queue naming the field, writes nothing, and succeeds', async () => {
    const c = container();
    const envelope = sampleEnvelope('purchase-request/dropbox-marketing-confidential.json');
    (envelope.detail.amount as { currency: string }).currency = 'dollars';
    (envelope.detail as { seats: unknown }).seats = 'lots';

    const result = await invoke(c, envelope);
    expect(result).toEqual({
      status: 'dead-lettered',
      reason: 'invalid-detail',
      problems: expect.arrayContaining(['detail.amount.currency: "dollars" is not an ISO 4217 code such as USD', 'detail.seats: "lots" is not a whole number']),
    });
    const [letter] = deadLetters();
    expect(letter.input).toMatchObject({
      QueueUrl: DLQ_URL,
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'invalid-detail' }, kind: { StringValue: 'purchase-request' } },
    });
    expect(letter.body).toMatchObject({ reason: 'invalid-detail', kind: 'purchase-request', event: envelope });
    expect(letter.body.problems).toContain('detail.amount.currency: "dollars" is not an ISO 4217 code such as USD');
    expect(await storedRecords()).toHaveLength(0);
    expect(publishes()).toHaveLength(0);
    expect(decisionEvents()).toHaveLength(0);
    expect(c.counts()).toMatchObject({ EventsReceived: 1, DeadLettered: 1 });
    const logged = c.errors.find((e) => /Malformed purchase-request event/.test(e.message));
    expect(JSON.stringify(logged?.extra)).toContain('detail.amount.currency');
  });

  it('names nested array fields in app events', async () => {
    const c = container();
    const path = 'app-connected/entra-admin-consent.json';
    const envelope = sampleEnvelope(path);
    (envelope.detail as { scopes: unknown[] }).scopes[2] = 42;
    const result = await invoke(c, envelope, path);
    expect(result).toMatchObject({ status: 'dead-lettered', problems: [expect.stringMatching(/^detail\.scopes\[2\]: /)] });
  });

  it('dead-letters an event routed to the wrong function', async () => {
    const c = container();
    const result = await invoke(c, sampleEnvelope('app-connected/okta-app-created-unknown.json'));
    expect(result).toMatchObject({ status: 'dead-lettered', reason: 'unexpected-event-type' });
    expect(deadLetters()[0].body.problems[0]).toMatch(/expected "procurement-guardrail" \/ "Purchase Request Submitted", got .*"App Connected"/);
  });

  it('dead-letters something that is not an EventBridge event at all', async () => {
    const c = container();
    const result = await invoke(c, { hello: 'world' });
    expect(result).toMatchObject({ status: 'dead-lettered', reason: 'invalid-envelope' });
    expect(deadLetters()[0].body.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^source: is required/), expect.stringMatching(/^detail-type: is required/)]),
    );
    expect(await storedRecords()).toHaveLength(0);
  });

  it('keeps characters SQS would refuse deliverable', async () => {
    const c = container();
    const envelope = sampleEnvelope('purchase-request/dropbox-marketing-confidential.json');
    envelope.detail.product = 'Bad\uffffName';
    (envelope.detail.amount as { value: unknown }).value = 'lots';
    await invoke(c, envelope);
    const body = deadLetters()[0].input.MessageBody as string;
    expect(body).not.toMatch(/\uffff/);
    expect(JSON.parse(body).event.detail.product).toBe('Bad\uffffName');
  });

  it('throws when the dead-letter queue is unreachable, so the event is not lost', async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    const c = container();
    await expect(invoke(c, { hello: 'world' })).rejects.toThrow('queue unavailable');
  });
});
