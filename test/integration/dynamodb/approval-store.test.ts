/**
 * The approval side of request records on dynalite: revision-checked writes
 * with their pending effects, and the sweep's due index (the inbox reads it too).
 */
import { DynamoDbApprovalStore } from '../../../functions/adapters/dynamodb/approval-store';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { requestsTableDefinition } from '../../../functions/adapters/dynamodb/tables';
import { auditEntry, SYSTEM_ACTOR, type ApprovalState } from '../../../functions/domain/approvals';
import type { ApprovalEffect } from '../../../functions/domain/ports/approval-store';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';

let dynamo: TestDynamo;
let requests: DynamoDbRequestStore;
let store: DynamoDbApprovalStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  const table = (await dynamo.freshTables()).requests;
  requests = new DynamoDbRequestStore(dynamo.documents, table);
  store = new DynamoDbApprovalStore(dynamo.documents, table);
});

const review = () => recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
const later = (ms: number) => new Date(NOW.getTime() + ms);
const bump = (state: ApprovalState, changes: Partial<ApprovalState> = {}): ApprovalState => ({ ...state, ...changes, revision: state.revision + 1 });
const effect = (id: string): ApprovalEffect => ({
  id,
  type: 'audit',
  entry: auditEntry('PR-2026-1042', 'reminded', SYSTEM_ACTOR, NOW, { tier: 'it-manager' }),
});

describe('approval state and pending effects', () => {
  it('writes only over the revision it read: of two concurrent writers one wins', async () => {
    const record = review();
    await requests.createIfAbsent(record);
    const a = bump(record.approval, { status: 'approved' });
    const b = bump(record.approval, { status: 'rejected' });
    const results = await Promise.all([store.save(record.recordId, 0, a, [], NOW), store.save(record.recordId, 0, b, [], NOW)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await requests.get(record.recordId))?.approval.revision).toBe(1);
    expect(await store.save(record.recordId, 0, bump(record.approval), [], NOW)).toBe(false);
    expect(await store.save('missing', 0, record.approval, [], NOW)).toBe(false);
  });

  it('keeps effects with the state, due at once, until each is completed; then reschedules by the state', async () => {
    const record = review();
    await requests.createIfAbsent(record);
    const next = bump(record.approval);
    expect(await store.save(record.recordId, 0, next, [effect('r1-audit'), effect('r1-other')], later(1000))).toBe(true);
    expect((await store.load(record.recordId))?.effects.map((e) => e.id).sort()).toEqual(['r1-audit', 'r1-other']);
    expect(await store.listDue(later(1000), 10)).toEqual([record.recordId]);
    await store.completeEffect(record.recordId, 'r1-audit');
    await store.completeEffect(record.recordId, 'r1-audit'); // twice is harmless
    await store.completeEffect(record.recordId, 'r1-other');
    expect((await store.load(record.recordId))?.effects).toEqual([]);
    await store.reschedule(record.recordId, 1, later(2000));
    expect(await store.listDue(later(2000), 10)).toEqual([]);
    expect(await store.listDue(new Date(next.escalation.nextDueAt!), 10)).toEqual([record.recordId]);
    // A reschedule on a stale revision changes nothing.
    await store.reschedule(record.recordId, 0, later(3000));
    expect(await store.listDue(new Date(next.escalation.nextDueAt!), 10)).toEqual([record.recordId]);
  });

  it('lists every open request however many there are (read by key 100 at a time)', async () => {
    const base = review();
    const ids = Array.from({ length: 230 }, (_, i) => `${base.recordId}-${String(i).padStart(3, '0')}`);
    for (const recordId of ids) await requests.createIfAbsent({ ...base, recordId });
    const open = await store.listOpen();
    expect(open).toHaveLength(230);
    expect(new Set(open.map((r) => r.recordId))).toEqual(new Set(ids));
  });

  it('drops a decided request from the index once nothing is pending, and lists due items soonest first', async () => {
    const first = review();
    const second = { ...recordFor(sampleEvent('purchase-request/monday-auto-renew-long-term.json')) };
    await requests.createIfAbsent(first);
    await requests.createIfAbsent(second);
    // The inbox lists whole records (read by key: the index holds keys only), soonest due first like the sweep.
    const open = await store.listOpen();
    expect(open.map((r) => r.recordId)).toEqual([second.recordId, first.recordId]);
    expect(open[1]).toEqual(await requests.get(first.recordId));
    expect(await store.listDue(new Date('2099-01-01T00:00:00Z'), 10)).toEqual([second.recordId, first.recordId]); // 2027-01-01 before 2027-01-05
    expect(await store.listDue(new Date('2099-01-01T00:00:00Z'), 1)).toEqual([second.recordId]);
    await store.save(first.recordId, 0, bump(first.approval, { status: 'approved' }), [], NOW);
    expect((await store.listOpen()).map((r) => r.recordId)).toEqual([second.recordId]);
    expect(await store.listDue(new Date('2099-01-01T00:00:00Z'), 10)).toEqual([second.recordId]);
  });

  it('reads back an app connection record with its own kind and detail', async () => {
    const record = recordFor(sampleEvent('app-connected/okta-app-created-unknown.json'));
    await requests.createIfAbsent(record);
    const loaded = await store.load(record.recordId);
    expect(loaded?.record).toEqual(record);
    expect(loaded?.record.kind === 'app-connected' && loaded.record.detail.source).toBe('okta');
  });
});

it('the requests table declares both sparse indexes (sweep and digest) with their key attributes', () => {
  const definition = requestsTableDefinition('t');
  expect(definition.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName), i.Projection?.ProjectionType])).toEqual([
    ['approvals-open', ['approvalQueue', 'approvalDueKey'], 'KEYS_ONLY'],
    ['digest-queue', ['digestQueue', 'digestDueKey'], 'KEYS_ONLY'],
  ]);
});
