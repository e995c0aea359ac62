/**
 * Outreach markers and the record history on dynalite: a period's marker is
 * claimed once (a second claim, even a concurrent one, loses), a claim left
 * by a run that died is taken over after its lease but a sent one never is,
 * a released claim can be claimed again; and the history reads records by
 * arrival time, bounded, ignoring markers and other items of the table.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOutreachMarkers } from '../../../functions/adapters/dynamodb/outreach-markers';
import { DynamoDbRecordHistory } from '../../../functions/adapters/dynamodb/record-history';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { auditEntryKey } from '../../../functions/adapters/dynamodb/tables';
import { recordFor } from '../../support/fixtures';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { purchase } from '../../unit/domain/fixtures';

let dynamo: TestDynamo;
let table: string;
beforeAll(async () => {
  dynamo = await startTestDynamo();
  table = (await dynamo.freshTables()).requests;
});
afterAll(async () => {
  await dynamo.teardown();
});

describe('outreach markers', () => {
  const t0 = new Date('2026-12-08T08:00:00Z');
  const lease = 15 * 60_000;

  test('one claim wins, even among concurrent ones; a sent marker is never claimed again', async () => {
    const markers = new DynamoDbOutreachMarkers(dynamo.documents, table);
    const claims = await Promise.all([1, 2, 3].map(() => markers.claim('weekly/2026-W49/Marketing', t0, lease)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await markers.complete('weekly/2026-W49/Marketing', 'msg-1', t0);
    expect(await markers.claim('weekly/2026-W49/Marketing', new Date(t0.getTime() + 24 * 3_600_000), lease)).toBe(false);
    // Another department or period is its own marker.
    expect(await markers.claim('weekly/2026-W49/Sales', t0, lease)).toBe(true);
  });

  test('a claim whose run died is taken over after the lease; a released one at once', async () => {
    const markers = new DynamoDbOutreachMarkers(dynamo.documents, table);
    expect(await markers.claim('monthly/2026-11/IT', t0, lease)).toBe(true);
    expect(await markers.claim('monthly/2026-11/IT', new Date(t0.getTime() + lease - 1000), lease)).toBe(false);
    expect(await markers.claim('monthly/2026-11/IT', new Date(t0.getTime() + lease + 1000), lease)).toBe(true);
    await markers.release('monthly/2026-11/IT');
    expect(await markers.claim('monthly/2026-11/IT', t0, lease)).toBe(true);
  });
});

describe('record history', () => {
  test('records by arrival time, bounded, without markers or audit entries', async () => {
    const requests = new DynamoDbRequestStore(dynamo.documents, table);
    for (let i = 0; i < 5; i += 1) {
      const record = { ...recordFor({ kind: 'purchase-request', detail: purchase({ requestId: `PR-H${i}` }) }), receivedAt: `2026-12-0${i + 1}T00:00:00.000Z` };
      await requests.createIfAbsent(record);
      await dynamo.documents.send(new PutCommand({ TableName: table, Item: { ...auditEntryKey(record.recordId, `${record.receivedAt}#x`), entity: 'audit' } }));
    }
    const all = await new DynamoDbRecordHistory(dynamo.documents, table).receivedBetween({});
    expect(all.records).toHaveLength(5);
    expect(all.truncated).toBe(false);
    const range = await new DynamoDbRecordHistory(dynamo.documents, table).receivedBetween({
      since: new Date('2026-12-02T00:00:00Z'),
      until: new Date('2026-12-04T00:00:00Z'),
    });
    expect(range.records.map((r) => r.receivedAt).sort()).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
    const bounded = await new DynamoDbRecordHistory(dynamo.documents, table, 3).receivedBetween({});
    expect(bounded).toMatchObject({ truncated: true });
    expect(bounded.records).toHaveLength(3);
  });
});
