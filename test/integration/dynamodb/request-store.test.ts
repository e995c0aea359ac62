/**
 * The request store's conditional writes against dynalite: first write wins,
 * claims are exclusive while their lease runs and can be taken over after it,
 * and a released claim can be taken again at once.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { requestKey } from '../../../functions/adapters/dynamodb/tables';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';
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

const review = () => recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));

describe('DynamoDbRequestStore', () => {
  it('writes a record once; a second write returns the stored one untouched', async () => {
    const first = review();
    expect(await store.createIfAbsent(first)).toEqual({ created: true, record: first });
    const second = { ...review(), receivedAt: later(1000).toISOString() };
    const again = await store.createIfAbsent(second);
    expect(again.created).toBe(false);
    expect(again.record).toEqual(first);
    expect(await store.get(first.recordId)).toEqual(first);
  });

  it('stores the record under REQUEST#<id> / RECORD with its outcome at the top level for filtering', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(record.recordId) }));
    expect(Item).toMatchObject({ pk: 'REQUEST#coupa:PR-2026-1042', sk: 'RECORD', outcome: 'review', policyVersion: record.policyVersion });
  });

  it('returns undefined for an unknown record', async () => {
    expect(await store.get('nope')).toBeUndefined();
  });

  it('lets exactly one of many concurrent claimers take the notification', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const wins = await Promise.all(Array.from({ length: 8 }, () => store.claimNotification(record.recordId, NOW, LEASE)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await store.get(record.recordId))?.notification).toEqual({ state: 'sending', claimedAt: NOW.toISOString() });
  });

  it('hands a claim over only after its lease, and never once the notification is sent', async () => {
    const record = review();
    await store.createIfAbsent(record);
    expect(await store.claimNotification(record.recordId, NOW, LEASE)).toBe(true);
    expect(await store.claimNotification(record.recordId, later(LEASE - 1), LEASE)).toBe(false);
    expect(await store.claimNotification(record.recordId, later(LEASE + 1), LEASE)).toBe(true);
    await store.markNotified(record.recordId, 'msg-1', later(LEASE + 2));
    expect((await store.get(record.recordId))?.notification).toEqual({
      state: 'sent',
      sentAt: later(LEASE + 2).toISOString(),
      messageId: 'msg-1',
    });
    expect(await store.claimNotification(record.recordId, later(10 * LEASE), LEASE)).toBe(false);
  });

  it('releases a claim only for the claimer that holds it', async () => {
    const record = review();
    await store.createIfAbsent(record);
    await store.claimNotification(record.recordId, NOW, LEASE);
    await store.releaseNotificationClaim(record.recordId, later(5)); // not ours: ignored
    expect((await store.get(record.recordId))?.notification.state).toBe('sending');
    await store.releaseNotificationClaim(record.recordId, NOW);
    expect((await store.get(record.recordId))?.notification).toEqual({ state: 'pending' });
    expect(await store.claimNotification(record.recordId, later(1), LEASE)).toBe(true);
  });

  it('never claims a notification that is not needed', async () => {
    const allow = recordFor(sampleEvent('purchase-request/slack-seats-sanctioned.json'));
    expect(allow.notification.state).toBe('not-needed');
    await store.createIfAbsent(allow);
    expect(await store.claimNotification(allow.recordId, NOW, LEASE)).toBe(false);
  });

  it('leases the decision event the same way, and clears the lease when it is published', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const wins = await Promise.all(Array.from({ length: 5 }, () => store.claimDecisionEvent(record.recordId, NOW, LEASE)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.claimDecisionEvent(record.recordId, later(LEASE + 1), LEASE)).toBe(true);
    await store.releaseDecisionEventClaim(record.recordId, later(LEASE + 1));
    expect(await store.claimDecisionEvent(record.recordId, later(LEASE + 2), LEASE)).toBe(true);
    await store.markDecisionPublished(record.recordId, later(LEASE + 3));
    const stored = await store.get(record.recordId);
    expect(stored?.decisionEvent).toEqual({ state: 'published', publishedAt: later(LEASE + 3).toISOString() });
    expect(stored).not.toHaveProperty('decisionEventClaimedAt');
    expect(await store.claimDecisionEvent(record.recordId, later(10 * LEASE), LEASE)).toBe(false);
  });

  it('refuses to mark a record that does not exist', async () => {
    await expect(store.markNotified('missing', 'm', NOW)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await store.claimNotification('missing', NOW, LEASE)).toBe(false);
  });
});
