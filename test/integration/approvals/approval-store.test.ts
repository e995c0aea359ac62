/**
 * The approval side of the request store on dynalite: revision-checked
 * writes with their pending effects, the sweep's due index, single-use link
 * records, the digest queue, the append-only audit log, and records stored
 * before approvals existed.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAuditLog } from '../../../functions/adapters/dynamodb/audit-log';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { requestKey, requestsTableDefinition, tokenUseKey } from '../../../functions/adapters/dynamodb/tables';
import { auditEntry, SYSTEM_ACTOR, type ApprovalState } from '../../../functions/domain/approvals';
import type { ApprovalEffect, DecisionTokenUse } from '../../../functions/domain/ports';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';

let dynamo: TestDynamo;
let store: DynamoDbRequestStore;
let audit: DynamoDbAuditLog;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  table = (await dynamo.freshTables()).requests;
  store = new DynamoDbRequestStore(dynamo.documents, table);
  audit = new DynamoDbAuditLog(dynamo.documents, table);
});

const review = () => recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
const later = (ms: number) => new Date(NOW.getTime() + ms);
const bump = (state: ApprovalState, changes: Partial<ApprovalState> = {}): ApprovalState => ({ ...state, ...changes, revision: state.revision + 1 });
const effect = (id: string): ApprovalEffect => ({ id, type: 'audit', entry: auditEntry('PR-2026-1042', 'reminded', SYSTEM_ACTOR, NOW, { tier: 'it-manager' }) });

describe('approval state and pending effects', () => {
  it('writes only over the revision it read: of two concurrent writers one wins', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const a = bump(record.approval, { status: 'approved' });
    const b = bump(record.approval, { status: 'rejected' });
    const results = await Promise.all([store.saveApproval(record.recordId, 0, a, [], NOW), store.saveApproval(record.recordId, 0, b, [], NOW)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get(record.recordId))?.approval.revision).toBe(1);
    expect(await store.saveApproval(record.recordId, 0, bump(record.approval), [], NOW)).toBe(false);
    expect(await store.saveApproval('missing', 0, record.approval, [], NOW)).toBe(false);
  });

  it('keeps effects with the state, due at once, until each is completed; then reschedules by the state', async () => {
    const record = review();
    await store.createIfAbsent(record);
    const next = bump(record.approval);
    expect(await store.saveApproval(record.recordId, 0, next, [effect('r1-audit'), effect('r1-other')], later(1000))).toBe(true);
    expect((await store.loadApproval(record.recordId))?.effects.map((e) => e.id).sort()).toEqual(['r1-audit', 'r1-other']);
    expect(await store.listDueApprovals(later(1000), 10)).toEqual([record.recordId]);
    await store.completeEffect(record.recordId, 'r1-audit');
    await store.completeEffect(record.recordId, 'r1-audit'); // twice is harmless
    await store.completeEffect(record.recordId, 'r1-other');
    expect((await store.loadApproval(record.recordId))?.effects).toEqual([]);
    await store.reschedule(record.recordId, 1, later(2000));
    expect(await store.listDueApprovals(later(2000), 10)).toEqual([]);
    expect(await store.listDueApprovals(new Date(next.escalation.nextDueAt!), 10)).toEqual([record.recordId]);
    // A reschedule on a stale revision changes nothing.
    await store.reschedule(record.recordId, 0, later(3000));
    expect(await store.listDueApprovals(new Date(next.escalation.nextDueAt!), 10)).toEqual([record.recordId]);
  });

  it('drops a decided request from the index once nothing is pending, and lists due items soonest first', async () => {
    const first = review();
    const second = { ...recordFor(sampleEvent('purchase-request/monday-auto-renew-long-term.json')) };
    await store.createIfAbsent(first);
    await store.createIfAbsent(second);
    expect((await store.listOpenApprovals()).map((r) => r.recordId).sort()).toEqual([first.recordId, second.recordId].sort());
    expect(await store.listDueApprovals(new Date('2099-01-01T00:00:00Z'), 10)).toEqual([second.recordId, first.recordId]); // 2027-01-01 before 2027-01-05
    expect(await store.listDueApprovals(new Date('2099-01-01T00:00:00Z'), 1)).toEqual([second.recordId]);
    await store.saveApproval(first.recordId, 0, bump(first.approval, { status: 'approved' }), [], NOW);
    expect((await store.listOpenApprovals()).map((r) => r.recordId)).toEqual([second.recordId]);
    expect(await store.listDueApprovals(new Date('2099-01-01T00:00:00Z'), 10)).toEqual([second.recordId]);
  });

  it('reads a record stored before approvals existed with the state it would have started with, and writes it on first change', async () => {
    const record = review();
    await store.createIfAbsent(record);
    // What an older version wrote: no approval, no effects map, no index keys.
    const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: requestKey(record.recordId) }));
    const { approval: _a, pendingEffects: _p, approvalQueue: _q, approvalDueKey: _d, ...legacy } = Item!;
    await dynamo.documents.send(new PutCommand({ TableName: table, Item: legacy }));
    const read = await store.get(record.recordId);
    expect(read?.approval).toMatchObject({ status: 'pending', revision: 0, requiredApprover: 'it-manager' });
    expect(await store.saveApproval(record.recordId, 0, bump(read!.approval), [effect('r1-audit')], NOW)).toBe(true);
    expect((await store.loadApproval(record.recordId))?.effects.map((e) => e.id)).toEqual(['r1-audit']);
    expect((await store.get(record.recordId))?.approval.revision).toBe(1);
  });
});

describe('decision link uses', () => {
  const use = (overrides: Partial<DecisionTokenUse> = {}): DecisionTokenUse => ({
    tokenId: 'jti-0123456789abcdef',
    recordId: 'PR-2026-1042',
    approverEmail: 'marcus.lee@example.com',
    action: 'approve',
    usedAt: NOW.toISOString(),
    expiresAt: '2026-12-11T12:00:00.000Z',
    ...overrides,
  });

  it('records a link once; the second use is refused; a released link can be used again', async () => {
    const results = await Promise.all([store.consumeToken(use()), store.consumeToken(use({ usedAt: later(1).toISOString() }))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.findTokenUse('jti-0123456789abcdef')).toMatchObject({ recordId: 'PR-2026-1042', action: 'approve' });
    const stored = await store.findTokenUse('jti-0123456789abcdef');
    await store.releaseToken('jti-0123456789abcdef', 'not-the-same-use');
    expect(await store.findTokenUse('jti-0123456789abcdef')).toBeDefined();
    await store.releaseToken('jti-0123456789abcdef', stored!.usedAt);
    expect(await store.findTokenUse('jti-0123456789abcdef')).toBeUndefined();
    expect(await store.consumeToken(use())).toBe(true);
  });

  it('stores the TTL a day after the link expires, in seconds', async () => {
    await store.consumeToken(use());
    const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: tokenUseKey('jti-0123456789abcdef') }));
    expect(Item?.expiresAt).toBe(Date.parse('2026-12-12T12:00:00.000Z') / 1000);
  });
});

describe('digest queue', () => {
  it('holds a claimed notification until its digest time, and releases it when marked sent', async () => {
    const record = review();
    await store.createIfAbsent(record);
    await expect(store.holdForDigest(record.recordId, NOW, later(3_600_000))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await store.claimNotification(record.recordId, NOW, 60_000)).toBe(true);
    await store.holdForDigest(record.recordId, NOW, later(3_600_000));
    expect(await store.listHeldForDigest(later(3_599_999))).toEqual([]);
    expect((await store.listHeldForDigest(later(3_600_000))).map((r) => r.recordId)).toEqual([record.recordId]);
    await store.markNotified(record.recordId, 'digest-1', later(3_600_000));
    expect(await store.listHeldForDigest(later(10 * 3_600_000))).toEqual([]);
  });
});

describe('audit log', () => {
  it('appends each entry once and lists them in time and lifecycle order', async () => {
    const at = new Date('2026-11-27T12:00:00Z');
    const evaluated = auditEntry('PR-1', 'evaluated', { kind: 'policy', id: 'policy' }, at, { outcome: 'review' });
    const received = auditEntry('PR-1', 'received', SYSTEM_ACTOR, at, { source: 'coupa' });
    const notified = auditEntry('PR-1', 'notified', SYSTEM_ACTOR, later(1000), {});
    expect(await audit.append(notified)).toBe(true);
    expect(await audit.append(evaluated)).toBe(true);
    expect(await audit.append(received)).toBe(true);
    expect(await audit.append(received)).toBe(false);
    expect((await audit.list('PR-1')).map((e) => e.type)).toEqual(['received', 'evaluated', 'notified']);
    expect(await audit.list('PR-2')).toEqual([]);
  });
});

describe('table definition', () => {
  it('declares both sparse indexes with their key attributes', () => {
    const definition = requestsTableDefinition('t');
    expect(definition.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName), i.Projection?.ProjectionType])).toEqual([
      ['approvals-due', ['approvalQueue', 'approvalDueKey'], 'ALL'],
      ['digest-queue', ['digestQueue', 'digestDueKey'], 'KEYS_ONLY'],
    ]);
  });
});
