/**
 * `inventoryBurst`: a group push. An unknown app is created in Okta (its one
 * review opens), then assigned to 5,000 people at once, delivered through the
 * app-connected handler with the inventory on dynalite (separate process) at
 * a Lambda-like concurrency; then 1,000 of those events are delivered again.
 * Measured: events per second, the exact user count afterwards (must be
 * 5,000, and still 5,000 after the redeliveries), how many reviews and IT
 * messages the burst produced, and how evenly the usage items spread over
 * the shards (what keeps any one partition far below DynamoDB's ~1,000
 * writes a second).
 */
import { join } from 'node:path';
import { createDynamoDbDocumentClient } from '../functions/adapters/dynamodb/document-client';
import { loadPolicyFile } from '../functions/adapters/policy-file';
import { INVENTORY_SHARDS, inventoryKeys } from '../functions/adapters/dynamodb/tables';
import { openInventory, openPolicyStore } from '../functions/composition/root';
import type { AppConnected } from '../functions/domain/events';
import { appKeyOf } from '../functions/domain/inventory/app-inventory';
import { queryAllPages } from '../functions/adapters/dynamodb/operations';
import { createGuardrailTables, startDynaliteProcess } from './support/dynalite-process';
import { createContainer, createWorld } from './support/guardrail-harness';
import { deliveredEvent } from './support/requests';
import { nsToMillis, round, rounded, runBounded, summarise, type LatencySummary } from './support/stats';

const PROJECT_ROOT = join(__dirname, '..');

export interface InventoryBurstOptions {
  assignments: number;
  redeliveries: number;
  concurrency: number;
  /** Assignments delivered again without the inventory, for the baseline. */
  baselineEvents: number;
  log(line: string): void;
}

export const DEFAULT_INVENTORY_BURST_OPTIONS: Omit<InventoryBurstOptions, 'log'> = {
  assignments: 5_000,
  redeliveries: 1_000,
  concurrency: 16,
  baselineEvents: 1_000,
};

export interface InventoryBurstResult {
  assignments: number;
  concurrency: number;
  eventsPerSecond: number;
  latencyMillis: LatencySummary;
  /** Exact count (usage items) after the burst, and after the redeliveries. */
  usersAfterBurst: number;
  usersAfterRedelivery: number;
  redeliveries: number;
  redeliveryEventsPerSecond: number;
  /** Review records opened for the app, and IT messages sent, over the whole run. */
  reviewsOpened: number;
  itMessages: number;
  shards: number;
  /** Usage items in the fullest shard over the mean: 1 is a perfect spread. */
  busiestShardOverMean: number;
  /** The fullest shard's share of the burst's writes per second (what one partition took). */
  busiestPartitionWritesPerSecond: number;
  countMillis: number;
  /** The same assignments without the inventory (the guardrail alone), on fresh tables: what the inventory costs. */
  withoutInventory: { events: number; eventsPerSecond: number };
  /** Events per second with the inventory over without it. */
  inventoryOverPlain: number;
}

export async function benchmarkInventoryBurst(options: InventoryBurstOptions): Promise<InventoryBurstResult> {
  const policy = loadPolicyFile(join(PROJECT_ROOT, 'policy', 'default.yaml'));
  const server = await startDynaliteProcess();
  const admin = createDynamoDbDocumentClient({ endpoint: server.endpoint, region: 'us-east-1' });
  try {
    const tables = { policy: 'guardrail-policy', requests: 'guardrail-requests', inventory: 'guardrail-inventory' };
    await createGuardrailTables(server.endpoint, tables);
    await openPolicyStore(admin, tables.policy).importPolicy(policy);
    const world = createWorld(server.endpoint, tables);
    const container = createContainer(world, { logLevel: 'ERROR' });
    try {
      const app = { name: 'Burstboard Whiteboards', id: '0oaBURST' };
      const base: AppConnected = {
        source: 'okta',
        sourceEventId: 'burst-created',
        occurredAt: '2026-11-27T09:00:00Z',
        app,
        actor: { type: 'user', email: 'okta.admin@example.com' },
        connectionKind: 'sso-app-created',
      };
      await container.invoke(deliveredEvent('app-connected', base, 'burst-created'));
      const departments = ['Marketing', 'Sales', 'Engineering', 'Finance', 'Operations'];
      const events = Array.from({ length: options.assignments }, (_, i) =>
        deliveredEvent(
          'app-connected',
          {
            ...base,
            sourceEventId: `burst-${i}`,
            occurredAt: new Date(Date.parse('2026-11-27T09:01:00Z') + Math.floor((i * 60_000) / options.assignments)).toISOString(),
            subject: { email: `person.${i}@example.com`, displayName: `Person ${i}` },
            connectionKind: 'user-assigned' as const,
            department: departments[i % departments.length],
          },
          `burst-${i}`,
        ),
      );
      options.log(`inventoryBurst: ${options.assignments} assignments of one app, concurrency ${options.concurrency}`);
      const burst = await runBounded(events, options.concurrency, (event) => expectProcessed(container.invoke(event)));
      const store = openInventory(admin, tables.inventory).inventory;
      const appKey = appKeyOf(app.name);
      const countStarted = process.hrtime.bigint();
      const usersAfterBurst = await store.countUsers(appKey);
      const countMillis = round(nsToMillis(Number(process.hrtime.bigint() - countStarted)), 1);
      // Redelivery: the first 1,000 events again, at the same concurrency.
      const again = await runBounded(events.slice(0, options.redeliveries), options.concurrency, (event) => expectProcessed(container.invoke(event)));
      const usersAfterRedelivery = await store.countUsers(appKey);

      const perShard = await Promise.all(
        Array.from(
          { length: INVENTORY_SHARDS },
          async (_, shard) =>
            (
              await queryAllPages(admin, {
                TableName: tables.inventory,
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :u)',
                ExpressionAttributeValues: { ':pk': inventoryKeys.usagePartition(appKey, shard), ':u': inventoryKeys.userSkPrefix },
                ProjectionExpression: 'pk',
              })
            ).length,
        ),
      );
      const eventsPerSecond = round(options.assignments / (burst.wallNs / 1e9), 1);
      const plain = await burstWithoutInventory(
        server.endpoint,
        events.slice(0, options.baselineEvents).map((e) => ({ ...e })),
        options.concurrency,
      );
      const busiest = Math.max(...perShard);
      const entry = await store.get(appKey);
      const reviewIds = new Set(entry?.review ? [entry.review.recordId] : []);
      const result: InventoryBurstResult = {
        assignments: options.assignments,
        concurrency: options.concurrency,
        eventsPerSecond,
        latencyMillis: rounded(summarise(burst.latenciesNs.map(nsToMillis))),
        usersAfterBurst,
        usersAfterRedelivery,
        redeliveries: options.redeliveries,
        redeliveryEventsPerSecond: round(options.redeliveries / (again.wallNs / 1e9), 1),
        reviewsOpened: (await Promise.all([...reviewIds].map((id) => container.store.get(id)))).filter((r) => r && r.approval.status !== 'not-required').length,
        itMessages: world.sns.stats.accepted.length,
        shards: INVENTORY_SHARDS,
        busiestShardOverMean: round(busiest / (usersAfterBurst / INVENTORY_SHARDS), 2),
        busiestPartitionWritesPerSecond: round((eventsPerSecond * busiest) / usersAfterBurst, 1),
        countMillis,
        withoutInventory: { events: Math.min(options.baselineEvents, events.length), eventsPerSecond: plain },
        inventoryOverPlain: round(eventsPerSecond / plain, 3),
      };
      options.log(
        `  ${eventsPerSecond} events/s (p50 ${result.latencyMillis.p50} ms, p99 ${result.latencyMillis.p99} ms); users ${usersAfterBurst}, after ${options.redeliveries} redeliveries ${usersAfterRedelivery}; reviews ${result.reviewsOpened}, IT messages ${result.itMessages}; busiest shard ${result.busiestShardOverMean}× the mean; without the inventory ${plain} events/s`,
      );
      return result;
    } finally {
      container.destroy();
    }
  } finally {
    admin.destroy();
    await server.stop();
  }
}

/** The same events through the guardrail alone (no inventory table), on fresh tables of the same dynalite. */
async function burstWithoutInventory(endpoint: string, events: Record<string, unknown>[], concurrency: number): Promise<number> {
  const tables = { policy: 'plain-policy', requests: 'plain-requests' };
  await createGuardrailTables(endpoint, tables);
  const admin = createDynamoDbDocumentClient({ endpoint, region: 'us-east-1' });
  await openPolicyStore(admin, tables.policy).importPolicy(loadPolicyFile(join(PROJECT_ROOT, 'policy', 'default.yaml')));
  admin.destroy();
  const container = createContainer(createWorld(endpoint, tables), { logLevel: 'ERROR' });
  try {
    const run = await runBounded(events, concurrency, (event) => expectProcessed(container.invoke(event)));
    return round(events.length / (run.wallNs / 1e9), 1);
  } finally {
    container.destroy();
  }
}

async function expectProcessed(result: Promise<{ status: string }>): Promise<void> {
  const answer = await result;
  if (answer.status !== 'processed') throw new Error(`an assignment was not processed: ${JSON.stringify(answer)}`);
}
