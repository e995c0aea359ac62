/**
 * The pipeline benchmark's peer is a faithful textbook implementation, not a
 * strawman: Powertools idempotency on its own DynamoDB table, keyed by the
 * request id, so a repeated delivery returns the first response without a
 * second record, notification or decision event, and two ids never share a key.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '../../../functions/adapters/dynamodb/document-client';
import { DynamoDbPolicyStore } from '../../../functions/adapters/dynamodb/policy-store';
import { startLocalDynamoDb } from '../../../functions/local/dynalite';
import { createGuardrailTables } from '../../../bench/support/dynalite-process';
import { PEER_TABLES, createPeerContainer, createPeerTables, createPeerWorld } from '../../../bench/peer/powertools-idempotency/handler';
import { defaultPolicy, mixedEvents } from '../../reliability/support/scenarios';

test('repeats are answered from the idempotency record: one record, one set of notifications, one decision event per event', async () => {
  const local = await startLocalDynamoDb();
  const admin = createDynamoDbDocumentClient({ endpoint: local.endpoint, region: local.region });
  const policy = defaultPolicy();
  await createGuardrailTables(local.endpoint, { policy: 'policy', requests: 'requests' });
  await createPeerTables(local.endpoint);
  await new DynamoDbPolicyStore(admin, 'policy').importPolicy(policy);
  const world = createPeerWorld(local.endpoint, 'policy');
  const container = createPeerContainer(world);
  try {
    const events = mixedEvents(policy, 30, 21, 'PEERT');
    const first = [];
    for (const event of events) first.push(await container.invoke(event));
    const published = { sns: world.sns.stats.accepted.length, eventBridge: world.eventBridge.stats.accepted.length };
    // The same events again, as new EventBridge deliveries (new envelope ids): answered from the store.
    const again = [];
    for (const event of events) again.push(await container.invoke({ ...event, id: `${String(event.id)}-redelivered` }));
    expect(again).toEqual(first);
    expect({ sns: world.sns.stats.accepted.length, eventBridge: world.eventBridge.stats.accepted.length }).toEqual(published);
    expect(published.eventBridge).toBe(30);
    expect(published.sns).toBeGreaterThanOrEqual(first.filter((r) => r.outcome !== 'allow').length);
    const records = await admin.send(new ScanCommand({ TableName: PEER_TABLES.records, Select: 'COUNT' }));
    const keys = await admin.send(new ScanCommand({ TableName: PEER_TABLES.idempotency }));
    expect(records.Count).toBe(30);
    expect(keys.Items?.map((i) => i.status)).toEqual(Array(30).fill('COMPLETED'));
  } finally {
    container.destroy();
    admin.destroy();
    await local.close();
  }
}, 120_000);
