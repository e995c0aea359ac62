/** The digest queue on dynalite: a record written held is listed from its digest time, and leaves when sent. */
import { DynamoDbDigestQueue } from '../../../functions/adapters/dynamodb/digest-queue';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';

let dynamo: TestDynamo;
let requests: DynamoDbRequestStore;
let queue: DynamoDbDigestQueue;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  const table = (await dynamo.freshTables()).requests;
  requests = new DynamoDbRequestStore(dynamo.documents, table);
  queue = new DynamoDbDigestQueue(dynamo.documents, table);
});

const later = (ms: number) => new Date(NOW.getTime() + ms);

it('lists a record written held until its digest time, and releases it when marked sent', async () => {
  const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
  record.notification = { state: 'held-for-digest', heldAt: NOW.toISOString(), digestAt: later(3_600_000).toISOString() };
  await requests.createIfAbsent(record);
  const other = recordFor(sampleEvent('purchase-request/monday-auto-renew-long-term.json'));
  await requests.createIfAbsent(other); // not held: never listed
  expect(await queue.listDue(later(3_599_999))).toEqual([]);
  const due = await queue.listDue(later(10 * 3_600_000));
  expect(due.map((r) => r.recordId)).toEqual([record.recordId]);
  expect(due[0].notification).toEqual({ state: 'held-for-digest', heldAt: NOW.toISOString(), digestAt: later(3_600_000).toISOString() });
  await queue.markSent(record.recordId, 'digest-1', later(3_600_000));
  expect(await queue.listDue(later(10 * 3_600_000))).toEqual([]);
  expect((await requests.get(record.recordId))?.notification).toEqual({ state: 'sent', sentAt: later(3_600_000).toISOString(), messageId: 'digest-1' });
});

it('refuses to mark a record that does not exist', async () => {
  await expect(queue.markSent('missing', 'digest-1', NOW)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
});
