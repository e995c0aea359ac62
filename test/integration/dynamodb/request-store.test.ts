/**
 * The request store's conditional writes against dynalite: the first put wins
 * (and holds the lease), a lease is exclusive while it runs and can be taken
 * over after it, settling needs the lease, and a revision is replaced only
 * under the content revision, the approval revision and a free lease.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DICTIONARY_PACKED, contentOfItem } from '../../../functions/adapters/dynamodb/record-item';
import { dynamoItemBytes } from '../../../bench/support/item-size';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { requestKey } from '../../../functions/adapters/dynamodb/tables';
import type { RequestRecord } from '../../../functions/domain/records';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';
import { brotliPackedContent } from '../../support/record-content';
import { startTestDynamo } from '../../support/dynalite';
import type { TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;
let store: DynamoDbRequestStore;
let table: string;
const LEASE = 120_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  table = (await dynamo.freshTables()).requests;
  store = new DynamoDbRequestStore(dynamo.documents, table);
});

const review = () => ({ ...recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')), lease: NOW.toISOString() });
const iso = (d: Date) => d.toISOString();

/** The record's second revision: another product, its lease taken 10 ms later. */
function secondRevision(record: RequestRecord): RequestRecord {
  return {
    ...record,
    revision: 2,
    earlierContent: ['abc'],
    lease: iso(later(10)),
    detail: { ...record.detail, product: 'Dropbox Enterprise' },
  } as RequestRecord;
}
const stale = (at: Date) => iso(new Date(at.getTime() - LEASE));

/** The record's item as stored. */
async function storedItem(recordId: string): Promise<Record<string, unknown>> {
  const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(recordId) }));
  return Item!;
}

describe('DynamoDbRequestStore', () => {
  it('writes a record once; a second write answers the stored one untouched', async () => {
    const first = review();
    expect(await store.createIfAbsent(first)).toEqual({ created: true });
    const second = { ...review(), receivedAt: later(1000).toISOString() };
    expect(await store.createIfAbsent(second)).toEqual({ created: false, existing: first });
    expect(await store.get(first.recordId)).toEqual(first);
  });

  it('stores the record under REQUEST#<id> / RECORD with its outcome at the top level, the decision without what the record holds once', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(record.recordId) }));
    expect(Item).toMatchObject({
      pk: 'REQUEST#coupa:PR-2026-1042',
      sk: 'RECORD',
      outcome: 'review',
      policyVersion: record.policyVersion,
      revision: 1,
      lease: iso(NOW),
    });
    // The revision's content (what was sent and decided) is one compressed attribute, without what the record holds once.
    expect(Item?.content).toBeInstanceOf(Uint8Array);
    expect(Item).not.toHaveProperty('detail');
    expect(Item).not.toHaveProperty('decision');
    const content = contentOfItem(Item!)!;
    expect(content.detail).toEqual(record.detail);
    expect(content.decision).not.toHaveProperty('recordId');
    expect(content.decision).not.toHaveProperty('policyVersion');
    expect(dynamoItemBytes(Item!)).toBeLessThan(dynamoItemBytes({ ...Item, content: undefined, detail: record.detail, decision: content.decision }));
  });

  it('reads records written before the packed content, and a revise replaces their plain content', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(record.recordId) }));
    const content = contentOfItem(Item!)!;
    const { content: _packed, ...rest } = Item!;
    await dynamo.documents.send(new PutCommand({ TableName: table, Item: { ...rest, detail: content.detail, decision: content.decision } }));
    expect(await store.get(record.recordId)).toEqual(record);
    await store.settle(record.recordId, record.lease!, { appended: [], completedEffects: [] });
    const next = secondRevision(record);
    const now = later(10);
    expect(await store.revise(next, { revision: 1, approvalRevision: 0, staleBefore: stale(now) }, { appended: [], effects: [], now })).toBe(true);
    const revised = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(record.recordId) }));
    expect(revised.Item).not.toHaveProperty('detail');
    expect(revised.Item).not.toHaveProperty('decision');
    expect(await store.get(record.recordId)).toEqual(next);
  });

  it('packs content with the current dictionary, in fewer bytes than Brotli alone', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const item = await storedItem(record.recordId);
    const packed = item.content as Uint8Array;
    expect([packed[0], packed[1]]).toEqual([DICTIONARY_PACKED, 1]);
    expect(packed.length).toBeLessThan(brotliPackedContent(contentOfItem(item)).length * 0.75);
  });

  it('reads records whose content was packed with Brotli, before the dictionary', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const item = await storedItem(record.recordId);
    await dynamo.documents.send(new PutCommand({ TableName: table, Item: { ...item, content: brotliPackedContent(contentOfItem(item)) } }));
    expect(await store.get(record.recordId)).toEqual(record);
  });

  it('refuses content packed with a dictionary it does not have, naming its version', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const item = await storedItem(record.recordId);
    const packed = Uint8Array.from(item.content as Uint8Array);
    packed[1] = 9;
    await dynamo.documents.send(new PutCommand({ TableName: table, Item: { ...item, content: packed } }));
    await expect(store.get(record.recordId)).rejects.toThrow('dictionary version 9');
  });

  it('returns undefined for an unknown record', async () => {
    expect(await store.get('nope')).toBeUndefined();
  });

  it('lets nobody take a live lease, exactly one of many take an expired one, and only the holder settle', async () => {
    const record = review();
    await store.createIfAbsent(record);
    expect(await store.takeLease(record.recordId, 1, iso(later(1000)), stale(later(1000)))).toBe(false);
    const at = later(LEASE + 1);
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store.takeLease(record.recordId, 1, iso(new Date(at.getTime() + i)), stale(at))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const holder = (await store.get(record.recordId))!.lease!;
    expect(await store.settle(record.recordId, iso(NOW), { appended: [], completedEffects: [] })).toBe(false);
    const sent = { state: 'sent' as const, sentAt: holder, messageId: 'm-1 m-2' };
    expect(
      await store.settle(record.recordId, holder, {
        notification: sent,
        decisionEvent: { state: 'published', publishedAt: holder },
        appended: [],
        completedEffects: [],
      }),
    ).toBe(true);
    const settled = await store.get(record.recordId);
    expect(settled).toMatchObject({ notification: sent, decisionEvent: { state: 'published' } });
    expect(settled?.lease).toBeUndefined();
    // Free now: taken at once, without waiting for any lease to run out.
    expect(await store.takeLease(record.recordId, 1, iso(later(LEASE + 10)), stale(later(LEASE + 10)))).toBe(true);
    expect(await store.takeLease(record.recordId, 2, iso(later(2 * LEASE + 20)), stale(later(2 * LEASE + 20)))).toBe(false); // not its revision
  });

  it('appends history entries in order and never rewrites earlier ones', async () => {
    const record = review();
    record.history = [
      {
        recordId: record.recordId,
        at: iso(NOW),
        type: 'received',
        actor: { kind: 'system', id: 'guardrail' },
        details: { kind: 'purchase-request', source: 'coupa' },
      },
    ];
    await store.createIfAbsent(record);
    const notified = {
      recordId: record.recordId,
      at: iso(later(5)),
      type: 'notified' as const,
      actor: { kind: 'system' as const, id: 'guardrail' },
      details: { messageIds: ['m-1'] },
    };
    await store.settle(record.recordId, record.lease!, { appended: [notified], completedEffects: [] });
    expect((await store.get(record.recordId))?.history).toEqual([...record.history, notified]);
  });

  it('replaces a revision only while the content revision, the approval revision and a free lease are as expected', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const next = secondRevision(record);
    const now = later(10);
    const change = { appended: [], effects: [], now };
    // The first revision's lease is live: an amendment waits for it.
    expect(await store.revise(next, { revision: 1, approvalRevision: 0, staleBefore: stale(now) }, change)).toBe(false);
    await store.settle(record.recordId, record.lease!, { appended: [], completedEffects: [] });
    expect(await store.revise(next, { revision: 1, approvalRevision: 1, staleBefore: stale(now) }, change)).toBe(false); // an approver moved it
    expect(await store.revise(next, { revision: 2, approvalRevision: 0, staleBefore: stale(now) }, change)).toBe(false); // someone amended it
    expect(await store.revise(next, { revision: 1, approvalRevision: 0, staleBefore: stale(now) }, change)).toBe(true);
    expect(await store.get(record.recordId)).toEqual(next);
  });
});
