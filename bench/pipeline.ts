/**
 * Benchmark 2: the pipeline on one machine. Events per second and p50/p99
 * latency through the real handler path (envelope and schema validation,
 * evaluation, the conditional write, the notification and the decision
 * event, each under its claim), against dynalite, beside the floor measured
 * in the same run: a plain PutItem of the very same record items to the same
 * dynalite at the same concurrency. pipeline/floor then says how close the
 * whole path comes to the cost of one write. The peer, measured the same way
 * in the same run, is the textbook alternative: Powertools idempotency around
 * a handler that evaluates, puts the record, notifies and publishes
 * (bench/peer/powertools-idempotency), on the same dynalite with its own
 * tables and its own fake SNS and EventBridge transports.
 *
 * dynalite runs in a separate process by default (on two cores, the fair
 * set-up: the DynamoDB API does not steal the handler's event loop, as in
 * AWS); the in-process variant is measured too for comparison.
 */
import { BatchGetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { APPROVALS_DUE_INDEX, AUDIT_SK_PREFIX, PARTITION_KEY, REQUESTS_TABLE_INDEXES, SORT_KEY, requestKey } from '../functions/adapters/dynamodb/tables';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { join } from 'node:path';
import { createDynamoDbDocumentClient } from '../functions/adapters/dynamodb/document-client';
import { openPolicyStore } from '../functions/composition/root';
import { loadPolicyFile } from '../functions/adapters/policy-file';
import { startLocalDynamoDb } from '../functions/local/dynalite';
import type { Policy } from '../functions/domain/policy';
import { DETAIL_TYPES, EVENT_BATCH_SIZE } from '../functions/domain/event-routes';
import { recordIdOf, type GuardrailEvent } from '../functions/domain/events';
import type { GuardrailHandlerResult } from '../functions/handlers/shared/guardrail-handler';
import { createPeerContainer, createPeerTables, createPeerWorld, type PeerContainer } from './peer/powertools-idempotency/handler';
import { createGuardrailTables, startDynaliteProcess } from './support/dynalite-process';
import { createContainer, createWorld, type GuardrailContainer, type GuardrailWorld } from './support/guardrail-harness';
import { dynamoItemBytes, indexWriteUnits, writeUnits, type IndexShape } from './support/item-size';
import { deliveredEvent, generateAppConnectedEvents, generatePurchaseRequests } from './support/requests';
import { addCpu, cpuMeter, nsToMillis, round, rounded, runBounded, significant, summarise, type CpuMillis, type LatencySummary } from './support/stats';

const PROJECT_ROOT = join(__dirname, '..');

export type DynaliteMode = 'separate-process' | 'in-process';

/** Pipeline and floor alternate in this many segments of each run. */
const PIPELINE_SEGMENTS = 4;

export interface PipelineOptions {
  modes: DynaliteMode[];
  /** Concurrency levels; each runs `eventsAt[concurrency]` events. */
  runs: { concurrency: number; events: number }[];
  warmupEvents: number;
  /** Share of app-connected events in the mix (the rest are purchase requests). */
  appConnectedShare: number;
  log: (line: string) => void;
}

export const DEFAULT_PIPELINE_OPTIONS: Omit<PipelineOptions, 'log'> = {
  modes: ['separate-process', 'in-process'],
  runs: [
    { concurrency: 1, events: 1_000 },
    { concurrency: 8, events: 2_000 },
  ],
  warmupEvents: 200,
  appConnectedShare: 0.25,
};

export interface RunFigures {
  concurrency: number;
  events: number;
  pipeline: { eventsPerSecond: number; latencyMillis: LatencySummary };
  floor: { putsPerSecond: number; latencyMillis: LatencySummary };
  /** The Powertools-idempotency peer on the same events: throughput, latency, DynamoDB calls per event. */
  peer: { eventsPerSecond: number; latencyMillis: LatencySummary; dynamoCallsPerEvent: Record<string, number> };
  /** Pipeline events/s over floor PutItem/s (1 would mean the whole path costs one write). */
  pipelineOverFloor: number;
  /** Pipeline events/s over the peer's events/s. */
  pipelineOverPeer: number;
  /** Floor p50 over pipeline p50 (the same comparison by latency). */
  latencyRatio: number;
  /**
   * The deployed path: the same mix (its own events, first deliveries too)
   * in SQS batches of `batchSize` to the batch handlers, one invocation in
   * flight per `batchSize` of concurrency, so as many events are in flight
   * as for the single-event pipeline, the floor and the peer.
   */
  batched?: {
    batchSize: number;
    invocationsInFlight: number;
    eventsPerSecond: number;
    /** Per invocation (a whole batch). */
    batchLatencyMillis: LatencySummary;
    /** Events an invocation held on average (a kind's last batch of a segment may be short). */
    eventsPerInvocation: number;
    /** What Lambda would bill per invocation: each batch's duration rounded up to 1 ms, averaged. */
    billedMillisPerInvocation: number;
    /** Logs and EMF metrics per event at INFO (the metrics are flushed once per invocation). */
    logBytesPerEvent: number;
    overFloor: number;
    overPeer: number;
  };
  /**
   * CPU per event (per PutItem for the floor), ms: `client` is this process
   * (handlers, SDK clients, in-process AWS transports, harness), `store` the
   * dynalite process (separate-process mode on Linux only). Each is single-
   * threaded, so a path cannot go faster than 1 ÷ its larger figure.
   */
  cpuMillisPerItem: Partial<Record<'pipeline' | 'floor' | 'peer' | 'batched', CpuMillis>>;
}

export interface CallProfile {
  /**
   * Per processed event, by outcome, measured call by call on the sequential
   * run: DynamoDB operations (PutItem = the record's conditional put, which
   * also leases its side effects; UpdateItem = the write that records them
   * done; GetItem = a duplicate's read where dynalite ignores ALL_OLD), SNS
   * publishes and PutEvents calls. What the cost model multiplies.
   */
  perEvent: Record<'allow' | 'notified', PerEventCalls>;
  /**
   * DynamoDB writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem) the
   * harness's client sent per first delivery, mean over the sequential run's
   * mix: what every event is billed at least once for.
   */
  dynamoWritesPerEvent: number;
  outcomes: Record<string, number>;
  /** Stored record items (the requests table), bytes as DynamoDB sizes them (final state, after every update). */
  recordItemBytes: { mean: number; p99: number; max: number };
  /** Mean write request units one write of a record consumes (1 per started KB, per item). */
  writeUnitsPerRecordWrite: number;
  /**
   * Write units a first delivery costs in the requests table's indexes, per
   * event: the index entries its put adds, and (where whole records are
   * projected) each later update's rewrite of them. As the tables are
   * declared, and as they would be with whole records in the approvals
   * index (the projection before 2026-12), for comparison.
   */
  indexWriteUnitsPerEvent: Record<'declared' | 'wholeRecordApprovalsIndex', Record<'allow' | 'notified', number>>;
  /** Audit-trail items (received, evaluated, notified) under the record's partition. */
  auditItemBytes: { mean: number; max: number };
  writeUnitsPerAuditWrite: number;
  /** Mean SNS billing chunks per publish (1 per started 64 KB). */
  snsChunksPerPublish: number;
  /** Mean EventBridge billing chunks per decision event (1 per started 64 KB). */
  eventBridgeChunksPerEvent: number;
  /** SNS publish request size (Message + attributes), bytes. */
  snsMessageBytes: { mean: number; max: number };
  decisionEventBytes: { mean: number; max: number };
  /** Logs + EMF metrics per event at the deployed INFO level. */
  logBytesPerEvent: number;
  /** Handler duration per event at concurrency 1 (separate-process dynalite), ms: the Lambda duration estimate. */
  handlerMillis: LatencySummary;
  /** What Lambda would bill per invocation: each duration rounded up to 1 ms, averaged. */
  billedMillisMean: number;
  /**
   * Where a handler's time goes, mean ms per event: inside each AWS call (SDK
   * serialisation, signing, transport, DynamoDB's work), and `handler code`
   * for the rest (validation, evaluation, rendering, logging, middleware).
   */
  timeBreakdownMillis: Record<string, number>;
  /**
   * The deployed path's per-invocation figures, from the batched run at the
   * highest concurrency (separate-process dynalite): events a batch held,
   * billed ms per invocation, logs per event. What the cost model divides by.
   */
  batched?: { eventsPerInvocation: number; billedMillisPerInvocation: number; logBytesPerEvent: number };
}

export interface PipelineResult {
  modes: { mode: DynaliteMode; runs: RunFigures[] }[];
  calls: CallProfile;
  /** Headline: separate-process dynalite at the highest concurrency. */
  headline: RunFigures & { mode: DynaliteMode };
}

export async function benchmarkPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const policy = loadPolicyFile(join(PROJECT_ROOT, 'policy', 'default.yaml'));
  const modes: PipelineResult['modes'] = [];
  let calls: CallProfile | undefined;
  for (const mode of options.modes) {
    options.log(`pipeline: dynalite ${mode}`);
    const server: { endpoint: string; pid?: number; stop(): Promise<void> } =
      mode === 'separate-process' ? await startDynaliteProcess() : await startInProcess();
    try {
      const tables = { policy: 'guardrail-policy', requests: 'guardrail-requests' };
      await createGuardrailTables(server.endpoint, tables);
      await createPeerTables(server.endpoint);
      const admin = createDynamoDbDocumentClient({ endpoint: server.endpoint, region: 'us-east-1' });
      await openPolicyStore(admin, tables.policy).importPolicy(policy);
      const runs: RunFigures[] = [];
      for (const run of options.runs) {
        // A fresh world (fake SNS/EventBridge counters) and container per run; the tables carry on.
        const world = createWorld(server.endpoint, tables);
        const container = createContainer(world, { logLevel: 'INFO' });
        const peer = createPeerContainer(createPeerWorld(server.endpoint, tables.policy));
        try {
          const prefix = `${mode === 'separate-process' ? 'SP' : 'IP'}-C${run.concurrency}`;
          await warmUp(container, policy, `${prefix}-WARM`, options);
          await warmUp(peer, policy, `${prefix}-WARM`, options);
          const figures = await measureRun(server.endpoint, server.pid, admin, tables.requests, world, container, peer, policy, prefix, run, options);
          runs.push(figures.run);
          if (mode === 'separate-process' && run.concurrency === 1) calls = figures.profile;
          options.log(
            `  c=${run.concurrency}: pipeline ${figures.run.pipeline.eventsPerSecond}/s p50 ${figures.run.pipeline.latencyMillis.p50} ms p99 ${figures.run.pipeline.latencyMillis.p99} ms; floor ${figures.run.floor.putsPerSecond}/s; peer ${figures.run.peer.eventsPerSecond}/s; pipeline/floor ${figures.run.pipelineOverFloor}; pipeline/peer ${figures.run.pipelineOverPeer}`,
          );
        } finally {
          container.destroy();
          peer.destroy();
        }
      }
      admin.destroy();
      modes.push({ mode, runs });
    } finally {
      await server.stop();
    }
  }
  if (!calls) calls = (await measureProfileFallback(options)) as CallProfile;
  const preferred = modes.find((m) => m.mode === 'separate-process') ?? modes[0];
  const top = [...preferred.runs].sort((a, b) => b.concurrency - a.concurrency)[0];
  if (top.batched) {
    const { eventsPerInvocation, billedMillisPerInvocation, logBytesPerEvent } = top.batched;
    calls = { ...calls, batched: { eventsPerInvocation, billedMillisPerInvocation, logBytesPerEvent } };
  }
  return { modes, calls, headline: { ...top, mode: preferred.mode } };
}

async function startInProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const local = await startLocalDynamoDb();
  return { endpoint: local.endpoint, stop: () => local.close() };
}

function eventsFor(policy: Policy, count: number, prefix: string, appShare: number): Record<string, unknown>[] {
  const apps = Math.round(count * appShare);
  const purchases = generatePurchaseRequests(policy, count - apps, { seed: 42, idPrefix: prefix });
  const connections = generateAppConnectedEvents(policy, apps, { seed: 43, idPrefix: prefix });
  const events: Record<string, unknown>[] = [];
  // Interleaved deterministically so every stretch of the run has the same mix.
  let p = 0;
  let a = 0;
  for (let i = 0; i < count; i++) {
    const takeApp = a < apps && (p >= purchases.length || (i * appShare) % 1 >= 1 - appShare);
    if (takeApp) events.push(deliveredEvent('app-connected', connections[a++], `${prefix}-evt-${i}`));
    else events.push(deliveredEvent('purchase-request', purchases[p++], `${prefix}-evt-${i}`));
  }
  return events;
}

async function warmUp(
  container: { invoke(event: Record<string, unknown>): Promise<unknown> },
  policy: Policy,
  prefix: string,
  options: PipelineOptions,
): Promise<void> {
  for (const event of eventsFor(policy, options.warmupEvents, prefix, options.appConnectedShare)) await container.invoke(event);
}

async function measureRun(
  endpoint: string,
  /** The dynalite process, when it is one of its own: its CPU is metered beside ours. */
  storePid: number | undefined,
  admin: DynamoDBDocumentClient,
  requestsTable: string,
  world: GuardrailWorld,
  container: GuardrailContainer,
  peer: PeerContainer,
  policy: Policy,
  prefix: string,
  run: { concurrency: number; events: number },
  options: PipelineOptions,
): Promise<{ run: RunFigures; profile: CallProfile }> {
  const events = eventsFor(policy, run.events, prefix, options.appConnectedShare);
  // Batches as large as the concurrency allows (at most ten, as deployed): as many events in flight as the others have.
  const batchSize = Math.min(EVENT_BATCH_SIZE, run.concurrency);
  const invocationsInFlight = Math.max(1, Math.floor(run.concurrency / batchSize));
  const batchedEvents = batchSize > 1 ? eventsFor(policy, run.events, `${prefix}-B`, options.appConnectedShare) : [];
  const batchedRun = { latenciesNs: [] as number[], wallNs: 0, logBytes: 0 };
  const millisBefore = { ...container.callMillis };
  const logBefore = container.logBytes();
  const snsBefore = world.sns.stats.accepted.length;
  const ebBefore = world.eventBridge.stats.accepted.length;
  const results: GuardrailHandlerResult[] = new Array(events.length);
  // Sequential runs also attribute every call to its event, so calls per event are measured by outcome, not assumed.
  const perEvent = run.concurrency === 1 ? new CallTally() : undefined;
  const floorClient = createDynamoDbDocumentClient({ endpoint, region: 'us-east-1' });
  const pipeline = { latenciesNs: [] as number[], wallNs: 0 };
  const floor = { latenciesNs: [] as number[], wallNs: 0 };
  const peerRun = { latenciesNs: [] as number[], wallNs: 0 };
  const peerCallsBefore = peer.dynamoCalls();
  const items: Record<string, unknown>[] = [];
  const cpu = { pipeline: { client: 0 }, floor: { client: 0 }, peer: { client: 0 }, batched: { client: 0 } } satisfies Record<string, CpuMillis>;
  let floorWarm = false;
  // Pipeline and floor alternate in segments, so both meet the same background load on a shared machine.
  for (let segment = 0; segment < PIPELINE_SEGMENTS; segment++) {
    const from = Math.floor((segment * events.length) / PIPELINE_SEGMENTS);
    const to = Math.floor(((segment + 1) * events.length) / PIPELINE_SEGMENTS);
    let meter = cpuMeter(storePid);
    const part = await runBounded(events.slice(from, to), run.concurrency, async (event, i) => {
      const before = perEvent?.snapshot(container, world);
      results[from + i] = await container.invoke(event);
      if (perEvent && before) perEvent.add(results[from + i], before, perEvent.snapshot(container, world));
    });
    addCpu(cpu.pipeline, meter());
    pipeline.latenciesNs.push(...part.latenciesNs);
    pipeline.wallNs += part.wallNs;
    const failed = results.slice(from, to).filter((r) => r.status !== 'processed');
    if (failed.length > 0) throw new Error(`pipeline benchmark: ${failed.length} events were not processed: ${JSON.stringify(failed[0])}`);

    // The floor: the very records just written, PutItem'd under new keys by a client like the Lambdas' one.
    const stored = await recordsOf(admin, requestsTable, processedIds(results.slice(from, to)));
    if (stored.length !== to - from) throw new Error(`expected ${to - from} stored records, found ${stored.length}`);
    items.push(...stored);
    const floorItems = stored.map((item) => ({ ...item, pk: `FLOOR#${item.pk as string}` }));
    if (!floorWarm) {
      // Same warm-up as the pipeline got, so both are measured on warm connections and a warm JIT.
      for (let i = 0; i < options.warmupEvents; i++) {
        const item = floorItems[i % floorItems.length];
        await floorClient.send(new PutCommand({ TableName: requestsTable, Item: { ...item, pk: `WARM#${i}#${item.pk as string}` } }));
      }
      floorWarm = true;
    }
    meter = cpuMeter(storePid);
    const floorPart = await runBounded(floorItems, run.concurrency, (Item) => floorClient.send(new PutCommand({ TableName: requestsTable, Item })));
    addCpu(cpu.floor, meter());
    floor.latenciesNs.push(...floorPart.latenciesNs);
    floor.wallNs += floorPart.wallNs;

    // The peer on the very same events (its own tables, so each is a first delivery for it too).
    meter = cpuMeter(storePid);
    const peerPart = await runBounded(events.slice(from, to), run.concurrency, (event) => peer.invoke(event));
    addCpu(cpu.peer, meter());
    peerRun.latenciesNs.push(...peerPart.latenciesNs);
    peerRun.wallNs += peerPart.wallNs;

    if (batchSize > 1) {
      const batches = batchesOf(batchedEvents.slice(from, to), batchSize);
      const logsBefore = container.logBytes();
      meter = cpuMeter(storePid);
      const batchPart = await runBounded(batches, invocationsInFlight, async (batch) => {
        const failed = await container.invokeBatch(batch);
        if (failed.length > 0) throw new Error(`pipeline benchmark: ${failed.length} events of a batch failed (position ${failed[0]})`);
      });
      addCpu(cpu.batched, meter());
      batchedRun.latenciesNs.push(...batchPart.latenciesNs);
      batchedRun.wallNs += batchPart.wallNs;
      batchedRun.logBytes += container.logBytes() - logsBefore;
    }
  }
  if (batchSize > 1) {
    const ids = batchedEvents.map((event) => recordIdOf({ kind: kindOf(event), detail: event.detail } as GuardrailEvent));
    const stored = await recordsOf(admin, requestsTable, ids);
    if (stored.length !== batchedEvents.length) throw new Error(`expected ${batchedEvents.length} records from the batches, found ${stored.length}`);
  }
  const peerCalls = peer.dynamoCalls();
  floorClient.destroy();
  const keys = new Set(results.map((r) => (r.status === 'processed' ? `REQUEST#${r.recordId}` : '')));

  const pipelineLatency = rounded(summarise(pipeline.latenciesNs.map(nsToMillis)), 3);
  const floorLatency = rounded(summarise(floor.latenciesNs.map(nsToMillis)), 3);
  const eventsPerSecond = round(events.length / (pipeline.wallNs / 1e9), 1);
  const putsPerSecond = round(floor.latenciesNs.length / (floor.wallNs / 1e9), 1);
  const peerEventsPerSecond = round(events.length / (peerRun.wallNs / 1e9), 1);

  const outcomes: Record<string, number> = {};
  for (const r of results) if (r.status === 'processed') outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const snsAccepted = world.sns.stats.accepted.slice(snsBefore);
  const ebAccepted = world.eventBridge.stats.accepted.slice(ebBefore);
  const itemSizes = items.map(dynamoItemBytes);
  const auditSizes = (await allItems(admin, requestsTable))
    .filter((item) => keys.has(item.pk as string) && String(item.sk).startsWith(AUDIT_SK_PREFIX))
    .map(dynamoItemBytes);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const snsSizes = snsAccepted.map((c) => Buffer.byteLength(text(c.input.Message)) + Buffer.byteLength(text(c.input.Subject)));
  const ebSizes = ebAccepted.map((c) => Buffer.byteLength(JSON.stringify(c.input.Entries ?? [])));

  const breakdown: Record<string, number> = {};
  let inCalls = 0;
  for (const [key, total] of Object.entries(container.callMillis)) {
    const spent = total - (millisBefore[key] ?? 0);
    if (spent <= 0) continue;
    breakdown[key] = round(spent / events.length, 3);
    inCalls += spent;
  }
  const pipelineMillisTotal = pipeline.latenciesNs.reduce((sum, ns) => sum + nsToMillis(ns), 0);
  breakdown['handler code'] = round((pipelineMillisTotal - inCalls) / events.length, 3);

  const profile: CallProfile = {
    perEvent: perEvent ? perEvent.averages() : { allow: emptyCalls(), notified: emptyCalls() },
    dynamoWritesPerEvent: perEvent ? perEvent.writesPerEvent() : Number.NaN,
    outcomes,
    recordItemBytes: { mean: Math.round(mean(itemSizes)), p99: summarise(itemSizes).p99, max: Math.max(...itemSizes) },
    writeUnitsPerRecordWrite: round(mean(itemSizes.map(writeUnits)), 3),
    indexWriteUnitsPerEvent: indexUnitsPerEvent(items, perEvent),
    auditItemBytes: { mean: Math.round(mean(auditSizes)), max: Math.max(0, ...auditSizes) },
    writeUnitsPerAuditWrite: round(mean(auditSizes.map(writeUnits)), 3),
    snsChunksPerPublish: round(mean(snsSizes.map((b) => Math.max(1, Math.ceil(b / 65536)))), 3),
    eventBridgeChunksPerEvent: round(mean(ebSizes.map((b) => Math.max(1, Math.ceil(b / 65536)))), 3),
    snsMessageBytes: { mean: Math.round(mean(snsSizes)), max: Math.max(0, ...snsSizes) },
    decisionEventBytes: { mean: Math.round(mean(ebSizes)), max: Math.max(0, ...ebSizes) },
    logBytesPerEvent: Math.round((container.logBytes() - logBefore) / events.length),
    handlerMillis: pipelineLatency,
    billedMillisMean: round(mean(pipeline.latenciesNs.map((ns) => Math.ceil(nsToMillis(ns)))), 3),
    timeBreakdownMillis: breakdown,
  };
  return {
    run: {
      concurrency: run.concurrency,
      events: events.length,
      pipeline: { eventsPerSecond, latencyMillis: pipelineLatency },
      floor: { putsPerSecond, latencyMillis: floorLatency },
      peer: {
        eventsPerSecond: peerEventsPerSecond,
        latencyMillis: rounded(summarise(peerRun.latenciesNs.map(nsToMillis)), 3),
        dynamoCallsPerEvent: Object.fromEntries(
          Object.entries(peerCalls)
            .map(([name, n]) => [name, round((n - (peerCallsBefore[name] ?? 0)) / events.length, 4)] as const)
            .filter(([, n]) => n > 0),
        ),
      },
      pipelineOverFloor: significant(eventsPerSecond / putsPerSecond),
      pipelineOverPeer: significant(eventsPerSecond / peerEventsPerSecond),
      latencyRatio: significant(floorLatency.p50 / pipelineLatency.p50),
      cpuMillisPerItem: {
        pipeline: perItem(cpu.pipeline, events.length),
        floor: perItem(cpu.floor, floor.latenciesNs.length),
        peer: perItem(cpu.peer, events.length),
        ...(batchSize > 1 ? { batched: perItem(cpu.batched, batchedEvents.length) } : {}),
      },
      ...(batchSize > 1
        ? {
            batched: {
              batchSize,
              invocationsInFlight,
              eventsPerSecond: round(batchedEvents.length / (batchedRun.wallNs / 1e9), 1),
              batchLatencyMillis: rounded(summarise(batchedRun.latenciesNs.map(nsToMillis)), 3),
              eventsPerInvocation: round(batchedEvents.length / batchedRun.latenciesNs.length, 3),
              billedMillisPerInvocation: round(mean(batchedRun.latenciesNs.map((ns) => Math.ceil(nsToMillis(ns)))), 3),
              logBytesPerEvent: Math.round(batchedRun.logBytes / batchedEvents.length),
              overFloor: significant(batchedEvents.length / (batchedRun.wallNs / 1e9) / putsPerSecond),
              overPeer: significant(batchedEvents.length / (batchedRun.wallNs / 1e9) / peerEventsPerSecond),
            },
          }
        : {}),
    },
    profile,
  };
}

/** What the stored records' writes cost in the indexes, per event (see CallProfile.indexWriteUnitsPerEvent). */
function indexUnitsPerEvent(items: Record<string, unknown>[], perEvent: CallTally | undefined): CallProfile['indexWriteUnitsPerEvent'] {
  // The settling update (and any other) after the put; none of them moves an index key.
  const calls = perEvent?.averages();
  const updates = calls ? (calls.allow.dynamo.UpdateItem ?? 0) * calls.allow.events + (calls.notified.dynamo.UpdateItem ?? 0) * calls.notified.events : 0;
  const events = calls ? calls.allow.events + calls.notified.events : 0;
  const updatesAfterPut = events > 0 ? updates / events : 1;
  const tableKeys = [PARTITION_KEY, SORT_KEY];
  const wholeRecords = REQUESTS_TABLE_INDEXES.map((i) => (i.indexName === APPROVALS_DUE_INDEX ? { ...i, projection: 'ALL' as const } : i));
  const allowed = items.filter((item) => item.outcome === 'allow');
  const notified = items.filter((item) => item.outcome !== 'allow');
  const units = (group: Record<string, unknown>[], indexes: readonly IndexShape[]) =>
    group.length === 0 ? 0 : round(mean(group.map((item) => indexWriteUnits(item, tableKeys, indexes, updatesAfterPut))), 3);
  const per = (indexes: readonly IndexShape[]) => ({ allow: units(allowed, indexes), notified: units(notified, indexes) });
  return { declared: per(REQUESTS_TABLE_INDEXES), wholeRecordApprovalsIndex: per(wholeRecords) };
}

export interface PerEventCalls {
  events: number;
  dynamo: Record<string, number>;
  /** Of the PutItems, the record's own conditional put (the rest append to the audit trail). */
  recordPuts: number;
  snsPublishes: number;
  putEvents: number;
}

const WRITE_OPERATIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];

function emptyCalls(): PerEventCalls {
  return { events: 0, dynamo: {}, recordPuts: 0, snsPublishes: 0, putEvents: 0 };
}

interface CallSnapshot {
  dynamo: Record<string, number>;
  sns: number;
  eventBridge: number;
}

/** Attributes calls to events on a sequential run and averages them per outcome. */
class CallTally {
  private readonly totals = { allow: emptyCalls(), notified: emptyCalls() };

  snapshot(container: GuardrailContainer, world: GuardrailWorld): CallSnapshot {
    return { dynamo: { ...container.dynamoCalls }, sns: world.sns.stats.accepted.length, eventBridge: world.eventBridge.stats.accepted.length };
  }

  add(result: GuardrailHandlerResult, before: CallSnapshot, after: CallSnapshot): void {
    if (result.status !== 'processed') return;
    const t = this.totals[result.notified ? 'notified' : 'allow'];
    t.events++;
    for (const [name, count] of Object.entries(after.dynamo)) t.dynamo[name] = (t.dynamo[name] ?? 0) + count - (before.dynamo[name] ?? 0);
    if (!result.duplicate) t.recordPuts++;
    t.snsPublishes += after.sns - before.sns;
    t.putEvents += after.eventBridge - before.eventBridge;
  }

  /** Writes per event over both kinds of event, counted from the calls sent (a failed conditional write is billed too). */
  writesPerEvent(): number {
    const all = [this.totals.allow, this.totals.notified];
    const writes = all.reduce((sum, t) => sum + WRITE_OPERATIONS.reduce((s, op) => s + (t.dynamo[op] ?? 0), 0), 0);
    return round(
      writes /
        Math.max(
          1,
          all.reduce((sum, t) => sum + t.events, 0),
        ),
      3,
    );
  }

  averages(): Record<'allow' | 'notified', PerEventCalls> {
    const avg = (t: PerEventCalls): PerEventCalls => {
      const n = Math.max(1, t.events);
      return {
        events: t.events,
        dynamo: Object.fromEntries(
          Object.entries(t.dynamo)
            .filter(([, c]) => c > 0)
            .map(([k, c]) => [k, round(c / n, 4)]),
        ),
        recordPuts: round(t.recordPuts / n, 4),
        snsPublishes: round(t.snsPublishes / n, 4),
        putEvents: round(t.putEvents / n, 4),
      };
    };
    return { allow: avg(this.totals.allow), notified: avg(this.totals.notified) };
  }
}

/** A segment-summed CPU reading per event (or per PutItem). */
function perItem(total: CpuMillis, items: number): CpuMillis {
  return { client: round(total.client / items, 3), ...(total.store !== undefined ? { store: round(total.store / items, 3) } : {}) };
}

/** Events split by kind (each kind has its own queue), in order, then into batches. */
function batchesOf(events: readonly Record<string, unknown>[], size: number): Record<string, unknown>[][] {
  const batches: Record<string, unknown>[][] = [];
  for (const kind of ['purchase-request', 'app-connected'] as const) {
    const ofKind = events.filter((event) => kindOf(event) === kind);
    for (let i = 0; i < ofKind.length; i += size) batches.push(ofKind.slice(i, i + size));
  }
  return batches;
}

function kindOf(event: Record<string, unknown>): 'purchase-request' | 'app-connected' {
  return event['detail-type'] === DETAIL_TYPES['app-connected'] ? 'app-connected' : 'purchase-request';
}

/** The record ids of the processed events among results. */
function processedIds(results: readonly GuardrailHandlerResult[]): string[] {
  return results.flatMap((r) => (r.status === 'processed' ? [r.recordId] : []));
}

/** The stored record items of these records, read by key (BatchGetItem, unprocessed keys retried). */
async function recordsOf(client: DynamoDBDocumentClient, table: string, recordIds: readonly string[]): Promise<Record<string, unknown>[]> {
  const keys: Record<string, unknown>[] = recordIds.map((recordId) => ({ ...requestKey(recordId) }));
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + 100);
    while (pending.length > 0) {
      const page = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(page.Responses?.[table] ?? []));
      pending = (page.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}

async function allItems(client: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

async function measureProfileFallback(options: PipelineOptions): Promise<CallProfile> {
  // Only reached when the separate-process concurrency-1 run was not part of the options: measure it alone.
  const result = await benchmarkPipeline({ ...options, modes: ['separate-process'], runs: [{ concurrency: 1, events: 300 }] });
  return result.calls;
}
