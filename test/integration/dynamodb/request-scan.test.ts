/**
 * The Scan `policy simulate` reads a requests table with: every record, page
 * by page, and nothing else that shares the table (audit entries, used
 * decision links); `since` applied by DynamoDB.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { scanStoredDecisions } from '../../../functions/adapters/dynamodb/request-scan';
import { auditEntryKey, tokenUseKey } from '../../../functions/adapters/dynamodb/tables';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, recordFor, sampleEvent } from '../../support/fixtures';

let dynamo: TestDynamo;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  table = (await dynamo.freshTables()).requests;
  const store = new DynamoDbRequestStore(dynamo.documents, table);
  for (let i = 0; i < 23; i++) {
    const event = sampleEvent('purchase-request/dropbox-marketing-confidential.json');
    if (event.kind === 'purchase-request') event.detail.requestId = `PR-SCAN-${String(i).padStart(2, '0')}`;
    const record = recordFor(event);
    record.receivedAt = new Date(NOW.getTime() - i * 24 * 3600 * 1000).toISOString();
    await store.createIfAbsent(record);
    await dynamo.documents.send(
      new PutCommand({ TableName: table, Item: { ...auditEntryKey(record.recordId, `${record.receivedAt}#received`), entity: 'audit' } }),
    );
  }
  await store.createIfAbsent(recordFor(sampleEvent('app-connected/okta-app-created-unknown.json')));
  await dynamo.documents.send(new PutCommand({ TableName: table, Item: { ...tokenUseKey('jti-1'), expiresAt: 1 } }));
});

afterAll(async () => {
  await dynamo.teardown();
});

async function readAll(options: Parameters<typeof scanStoredDecisions>[2]) {
  const pages = [];
  for await (const page of scanStoredDecisions(dynamo.documents, table, options)) pages.push(page);
  return pages;
}

describe('scanStoredDecisions', () => {
  it('returns every record, page by page, and none of the other items in the table', async () => {
    const pages = await readAll({ pageSize: 7 });
    expect(pages.length).toBeGreaterThan(3);
    const records = pages.flat();
    expect(records).toHaveLength(24);
    expect(new Set(records.map((r) => r.recordId)).size).toBe(24);
    const okta = records.find((r) => r.event.kind === 'app-connected')!;
    expect(okta.decision.recordId).toBe(okta.recordId);
    const dropbox = records.find((r) => r.recordId === 'coupa:PR-SCAN-00')!;
    expect(dropbox).toMatchObject({
      receivedAt: NOW.toISOString(),
      event: { kind: 'purchase-request', detail: { requestId: 'PR-SCAN-00' } },
      decision: { outcome: 'review' },
    });
  });

  it('applies since in the Scan itself', async () => {
    const since = new Date(NOW.getTime() - 4.5 * 24 * 3600 * 1000);
    const records = (await readAll({ since })).flat();
    // The Okta record was received at NOW too.
    expect(records).toHaveLength(6);
    const purchases = records.filter((r) => r.event.kind === 'purchase-request').map((r) => (r.event.detail as { requestId: string }).requestId);
    expect(purchases.sort()).toEqual(['PR-SCAN-00', 'PR-SCAN-01', 'PR-SCAN-02', 'PR-SCAN-03', 'PR-SCAN-04']);
  });
});
