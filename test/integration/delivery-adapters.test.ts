/**
 * The delivery adapters on their own: PutEvents batching and retries, SNS
 * message limits, and the local outbox and dead-letter files the local
 * runtime uses.
 */
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsCommandInput, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutEventsError, entrySize, putEvents } from '../../functions/adapters/eventbridge/event-bus';
import { CallbackDecisionPublisher } from '../../functions/adapters/eventbridge/decision-publisher';
import type { LocalBusEvent } from '../../functions/adapters/eventbridge/decision-publisher';
import { SnsNotifier, bodyForProtocol, snsPublishInput } from '../../functions/adapters/notifier/sns-notifier';
import { OutboxNotifier } from '../../functions/adapters/notifier/outbox-notifier';
import { FileDeadLetterSink } from '../../functions/adapters/dead-letter/file-dead-letter-sink';
import { decisionNotification, unaddressed } from '../../functions/domain/notifications';
import type { RequestRecord } from '../../functions/domain/records';

const renderNotification = (record: RequestRecord) => unaddressed(decisionNotification(record));
import type { Notification } from '../../functions/domain/ports/notifier';
import { type DecisionEvent, decisionEventOf } from '../../functions/domain/decision-event';
import { recordFor, sampleEvent } from '../support/fixtures';

const eventBridge = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);
afterAll(() => {
  eventBridge.restore();
  sns.restore();
});
beforeEach(() => {
  eventBridge.reset();
  sns.reset();
});

const client = new EventBridgeClient({ region: 'eu-west-1' });
const noSleep = { sleep: async () => undefined };
const entry = (i: number, detailBytes = 20): PutEventsRequestEntry => ({
  Source: 'procurement-guardrail',
  DetailType: 'Test',
  Detail: JSON.stringify({ i, pad: 'x'.repeat(detailBytes) }),
});
const sentBatches = () => eventBridge.commandCalls(PutEventsCommand).map((c) => (c.args[0].input as PutEventsCommandInput).Entries ?? []);

describe('putEvents', () => {
  it('sends at most 10 entries per call and returns the event ids in input order', async () => {
    let n = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map(() => ({ EventId: `id-${n++}` })),
    }));
    const { eventIds } = await putEvents(
      client,
      Array.from({ length: 23 }, (_, i) => entry(i)),
      noSleep,
    );
    expect(sentBatches().map((b) => b.length)).toEqual([10, 10, 3]);
    expect(eventIds).toEqual(Array.from({ length: 23 }, (_, i) => `id-${i}`));
  });

  it('splits batches that would pass the 256 KB request limit', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map(() => ({ EventId: 'x' })),
    }));
    const big = Array.from({ length: 5 }, (_, i) => entry(i, 100 * 1024));
    await putEvents(client, big, noSleep);
    for (const batch of sentBatches()) expect(batch.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
    expect(sentBatches().map((b) => b.length)).toEqual([2, 2, 1]);
  });

  it('retries only the entries that failed, then succeeds', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure' }, { EventId: 'c' }, { ErrorCode: 'ThrottlingException' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });
    const sleeps: number[] = [];
    const { eventIds } = await putEvents(client, [entry(0), entry(1), entry(2), entry(3)], {
      sleep: async (ms) => void sleeps.push(ms),
      baseDelayMs: 100,
    });
    expect(eventIds).toEqual(['a', 'b', 'c', 'd']);
    expect(sentBatches()[1].map((e) => JSON.parse(e.Detail as string).i)).toEqual([1, 3]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
  });

  it('gives up after the attempts allowed, naming the entries and error codes', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] });
    const error = await putEvents(client, [entry(0)], { ...noSleep, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PutEventsError);
    expect((error as PutEventsError).message).toBe('EventBridge rejected 1 event(s) after 3 attempt(s): #0 ThrottlingException (slow down)');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  it('does not retry an entry EventBridge can never accept', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'ok' }, { ErrorCode: 'MalformedDetail' }] });
    await expect(putEvents(client, [entry(0), entry(1)], noSleep)).rejects.toThrow(/#1 MalformedDetail/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('refuses an entry over 256 KB before calling AWS', async () => {
    await expect(putEvents(client, [entry(0, 300 * 1024)], noSleep)).rejects.toThrow(/EntryTooLarge/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});

describe('CallbackDecisionPublisher', () => {
  it('hands the decision to the local router wrapped as the bus delivers it', async () => {
    const delivered: LocalBusEvent<DecisionEvent>[] = [];
    const publisher = new CallbackDecisionPublisher(
      (e) => void delivered.push(e),
      () => new Date('2026-11-27T12:00:00Z'),
    );
    const decision = decisionEventOf(recordFor(sampleEvent('purchase-request/wetransfer-prohibited.json')));
    await publisher.publish(decision);
    expect(delivered).toEqual([{ source: 'procurement-guardrail', 'detail-type': 'Guardrail Decision', detail: decision, time: '2026-11-27T12:00:00.000Z' }]);
  });
});

describe('SnsNotifier', () => {
  const notification = () => renderNotification(recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')));

  it('returns the SNS message id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-42' });
    const notifier = new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:t');
    await expect(notifier.notify(notification())).resolves.toEqual({ messageId: 'm-42' });
  });

  it('fails loudly when SNS returns no message id (nothing to record as sent)', async () => {
    sns.on(PublishCommand).resolves({});
    const notifier = new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), 'arn:aws:sns:eu-west-1:1:t');
    await expect(notifier.notify(notification())).rejects.toThrow(/returned no MessageId/);
  });

  it('leaves out the attributes that have no value, and gives each protocol its body', () => {
    const n: Notification = { ...notification(), attributes: { type: 'decision', outcome: 'review', severity: 'low', kind: 'app-connected', department: '' } };
    const input = snsPublishInput('arn', n);
    expect(Object.keys(input.MessageAttributes)).toEqual(['type', 'outcome', 'severity', 'kind']);
    const bodies = JSON.parse(input.Message) as Record<string, string>;
    // One machine copy, under `default`: every machine protocol reads it there, as SNS picks bodies.
    expect(Object.keys(bodies)).toEqual(['default', 'email', 'https', 'sms']);
    expect(bodyForProtocol(input.Message, 'email')).toBe(n.text);
    expect(JSON.parse(bodyForProtocol(input.Message, 'https'))).toEqual(n.chat);
    for (const protocol of ['email-json', 'http', 'sqs', 'lambda', 'firehose'] as const) {
      expect(JSON.parse(bodyForProtocol(input.Message, protocol))).toEqual(n.data);
    }
    expect(bodyForProtocol(input.Message, 'sms')).toBe(n.subject);
  });

  it('sends the machines the text without links rather than exceed the 256 KB publish limit', () => {
    const big = notification();
    const data = { ...big.data, text: 'y'.repeat(1024), findings: Array.from({ length: 2_000 }, (_, i) => ({ code: `F${i}`, message: 'z'.repeat(120) })) };
    const n = { ...big, text: 'x'.repeat(60 * 1024), data } as Notification;
    expect(Buffer.byteLength(JSON.stringify(n.data))).toBeGreaterThan(256 * 1024);
    const input = snsPublishInput('arn', n);
    expect(Buffer.byteLength(input.Message)).toBeLessThanOrEqual(256 * 1024);
    expect(Object.keys(JSON.parse(input.Message))).toEqual(['default', 'email', 'https', 'sms']);
    expect(bodyForProtocol(input.Message, 'sqs')).toBe(n.data.text);
    expect(bodyForProtocol(input.Message, 'email')).toBe(n.text);
  });
});

describe('local files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guardrail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('OutboxNotifier appends each notification as a JSON line, prints it, and lists them back', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk) => (printed += String(chunk)));
    const file = join(dir, 'nested', 'outbox.jsonl');
    const outbox = new OutboxNotifier(file, out, () => new Date('2026-11-27T12:00:00Z'));
    expect(await outbox.list()).toEqual([]);
    const first = renderNotification(recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')));
    const second = renderNotification(recordFor(sampleEvent('purchase-request/wetransfer-prohibited.json')));
    const { messageId } = await outbox.notify(first);
    await outbox.notify(second);
    expect(messageId).toMatch(/^outbox-[0-9a-f-]{36}$/);
    const listed = await outbox.list();
    expect(listed.map((e) => e.subject)).toEqual([first.subject, second.subject]);
    expect(listed[0]).toMatchObject({ messageId, sentAt: '2026-11-27T12:00:00.000Z', attributes: first.attributes, chat: first.chat, data: first.data });
    expect(printed).toContain(`Subject: ${first.subject}`);
    expect(printed).toContain('type=decision outcome=review severity=high kind=purchase-request department=Marketing copy=first');
    expect(printed).toContain(first.text);
  });

  it('reads past a torn last line but reports corruption in the middle', async () => {
    const file = join(dir, 'outbox.jsonl');
    writeFileSync(file, `${JSON.stringify({ subject: 'a' })}\n{"subject": "b`);
    expect((await new OutboxNotifier(file, null).list()).map((e) => e.subject)).toEqual(['a']);
    appendFileSync(file, `\n${JSON.stringify({ subject: 'c' })}\n`);
    await expect(new OutboxNotifier(file, null).list()).rejects.toThrow(/outbox\.jsonl:2: not valid JSON/);
  });

  it('FileDeadLetterSink keeps each letter with its reason and problems', async () => {
    const sink = new FileDeadLetterSink(join(dir, 'dead-letters.jsonl'));
    const letter = {
      reason: 'invalid-detail',
      problems: ['detail.amount.currency: must be an ISO 4217 code such as USD'],
      kind: 'purchase-request' as const,
      receivedAt: '2026-11-27T12:00:00.000Z',
      event: { source: 'procurement-guardrail', detail: { amount: { currency: 'dollars' } } },
    };
    await sink.send(letter);
    await sink.send({ ...letter, reason: 'invalid-envelope' });
    expect(await sink.list()).toEqual([letter, { ...letter, reason: 'invalid-envelope' }]);
  });
});
