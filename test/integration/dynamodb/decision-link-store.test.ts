/** Used decision links on dynalite: one use per link, a release gives it back, a TTL cleans up. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDecisionLinkStore } from '../../../functions/adapters/dynamodb/decision-link-store';
import { tokenUseKey } from '../../../functions/adapters/dynamodb/tables';
import type { DecisionLinkUse } from '../../../functions/domain/ports/decision-link-store';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW } from '../../support/fixtures';

let dynamo: TestDynamo;
let store: DynamoDbDecisionLinkStore;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  table = (await dynamo.freshTables()).requests;
  store = new DynamoDbDecisionLinkStore(dynamo.documents, table);
});

const use = (overrides: Partial<DecisionLinkUse> = {}): DecisionLinkUse => ({
  tokenId: 'jti-0123456789abcdef',
  recordId: 'PR-2026-1042',
  approverEmail: 'marcus.lee@example.com',
  action: 'approve',
  usedAt: NOW.toISOString(),
  expiresAt: '2026-12-11T12:00:00.000Z',
  ...overrides,
});

it('records a link once; the second use is refused; a released link can be used again', async () => {
  const results = await Promise.all([store.consume(use()), store.consume(use({ usedAt: new Date(NOW.getTime() + 1).toISOString() }))]);
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await store.find('jti-0123456789abcdef')).toMatchObject({ recordId: 'PR-2026-1042', action: 'approve' });
  const stored = await store.find('jti-0123456789abcdef');
  await store.release('jti-0123456789abcdef', 'not-the-same-use');
  expect(await store.find('jti-0123456789abcdef')).toBeDefined();
  await store.release('jti-0123456789abcdef', stored!.usedAt);
  expect(await store.find('jti-0123456789abcdef')).toBeUndefined();
  expect(await store.consume(use())).toBe(true);
});

it('stores the TTL a day after the link expires, in seconds', async () => {
  await store.consume(use());
  const { Item } = await dynamo.documents.send(new GetCommand({ TableName: table, Key: tokenUseKey('jti-0123456789abcdef') }));
  expect(Item?.expiresAt).toBe(Date.parse('2026-12-12T12:00:00.000Z') / 1000);
});
