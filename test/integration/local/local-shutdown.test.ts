/**
 * Closing the local DynamoDB or the whole local runtime while work is in
 * flight. dynalite closes its LevelDB as soon as its HTTP server has closed,
 * even between the read and the write of an UpdateItem, and then throws
 * "Database is closed" out of a callback: an uncaught exception that killed a
 * whole `npm run test:reliability` run. Closing must wait for what was taken
 * (requests dynalite accepted, a sweep that is running) and only then close.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '../../../functions/adapters/dynamodb/document-client';
import { startLocalDynamoDb } from '../../../functions/local/dynalite';
import { startLocalRuntime } from '../../../functions/local/runtime';
import { defaultPolicy, mixedEvents } from '../../reliability/support/scenarios';

/** Fails the test on an exception nobody caught while `work` runs (jest would otherwise report it elsewhere, or die). */
async function withoutUncaught(work: () => Promise<void>): Promise<Error[]> {
  const uncaught: Error[] = [];
  const record = (error: Error) => uncaught.push(error);
  process.on('uncaughtException', record);
  try {
    await work();
    // Give a callback that would throw after close the chance to do so.
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    process.off('uncaughtException', record);
  }
  return uncaught;
}

test('the local DynamoDB answers every request it has taken before it closes its store', async () => {
  const uncaught = await withoutUncaught(async () => {
    for (let round = 0; round < 5; round++) {
      const local = await startLocalDynamoDb();
      await local.client.send(
        new CreateTableCommand({
          TableName: 'counters',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const documents = createDynamoDbDocumentClient({ endpoint: local.endpoint, region: local.region });
      let answered = 0;
      const updates = Array.from({ length: 60 }, (_, i) =>
        documents
          .send(
            new UpdateCommand({
              TableName: 'counters',
              Key: { pk: `item-${i % 7}` },
              UpdateExpression: 'ADD hits :one',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          )
          .then(() => answered++),
      );
      // Close once a few are answered: the rest are in flight (queued on dynalite's per-item locks).
      while (answered < 1 + round) await new Promise((resolve) => setImmediate(resolve));
      await local.close();
      const settled = await Promise.allSettled(updates);
      documents.destroy();
      // Every update dynalite had taken was answered before its store closed.
      expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
  expect(uncaught.map((e) => e.message)).toEqual([]);
});

// End to end (the timing varies, so this is the smoke test; the store test above is the exact one).
test('closing the local runtime while approvals sweeps run leaves no failed sweep and nothing uncaught', async () => {
  const policy = defaultPolicy();
  const uncaught = await withoutUncaught(async () => {
    for (let round = 0; round < 2; round++) {
      const out = {
        text: '',
        write(chunk: string) {
          this.text += chunk;
          return true;
        },
      };
      // A sweep every 30 ms: one is running (or about to) whenever close() is called.
      const runtime = await startLocalRuntime({ port: 0, host: '127.0.0.1', inMemory: true, replaySamples: false, out, sweepIntervalMs: 30 });
      const events = mixedEvents(policy, 30, 70 + round, `SHUT${round}`).map(({ source, 'detail-type': detailType, detail }) => ({
        source,
        'detail-type': detailType,
        detail,
      }));
      const answers = await Promise.all(
        events.map((event) => fetch(`${runtime.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) })),
      );
      expect(answers.filter((a) => a.status !== 202)).toEqual([]);
      // The first sweeps send the digest of the held low-risk reviews: writes are in flight when close() is called.
      await new Promise((resolve) => setTimeout(resolve, 40 + round * 17));
      await runtime.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(out.text).toContain('approvals sweep at');
      expect(out.text).not.toContain('approvals sweep failed');
    }
  });
  expect(uncaught.map((e) => e.message)).toEqual([]);
}, 120_000);
