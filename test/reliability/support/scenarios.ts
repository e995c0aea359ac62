/**
 * The reliability scenarios, shared by the long suite (test/reliability) and
 * the quick checks inside `npm test` (test/unit/bench), which run the same
 * code on fewer events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoDbDocumentClient } from '../../../functions/adapters/dynamodb/document-client';
import { openPolicyStore } from '../../../functions/composition/root';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import { evaluateEvent } from '../../../functions/domain/evaluate';
import type { GuardrailEvent } from '../../../functions/domain/events';
import type { Policy } from '../../../functions/domain/policy';
import { preparePolicy } from '../../../functions/domain/prepared-policy';
import { startLocalDynamoDb } from '../../../functions/local/dynalite';
import { createGuardrailTables, startDynaliteProcess, type DynaliteProcess } from '../../../bench/support/dynalite-process';
import { randomFaults, type FaultKind, type FaultPlan } from '../../../bench/support/fake-aws';
import { createContainer, createWorld, type GuardrailContainer, type GuardrailWorld } from '../../../bench/support/guardrail-harness';
import { Prng } from '../../../bench/support/prng';
import { deliveredEvent, generateAppConnectedEvents, generatePurchaseRequests } from '../../../bench/support/requests';
import { AsyncLambda, ContainerPool } from './lambda-async';
import { ledgerOf, recordIdOfDelivered, type Ledger } from './ledger';
import { SimulatedClock, realSleep } from './sim-time';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
const TABLES = { policy: 'guardrail-policy', requests: 'guardrail-requests' };

export function defaultPolicy(): Policy {
  return loadPolicyFile(join(PROJECT_ROOT, 'policy', 'default.yaml'));
}

/** A mixed stream of delivered events (purchase requests and app connections), deterministic for a seed. */
export function mixedEvents(policy: Policy, count: number, seed: number, prefix: string): Record<string, unknown>[] {
  const apps = Math.round(count / 4);
  const purchases = generatePurchaseRequests(policy, count - apps, { seed, idPrefix: prefix });
  const connections = generateAppConnectedEvents(policy, apps, { seed: seed + 1, idPrefix: prefix });
  const events: Record<string, unknown>[] = [];
  for (let i = 0, p = 0, a = 0; i < count; i++) {
    if (i % 4 === 3 && a < connections.length) events.push(deliveredEvent('app-connected', connections[a++], `${prefix}-evt-${i}`));
    else if (p < purchases.length) events.push(deliveredEvent('purchase-request', purchases[p++], `${prefix}-evt-${i}`));
    else events.push(deliveredEvent('app-connected', connections[a++], `${prefix}-evt-${i}`));
  }
  return events;
}

/** dynalite with the guardrail's tables and the default policy imported. */
export interface Stage {
  endpoint: string;
  tables: typeof TABLES;
  policy: Policy;
  /** Stops dynalite (data kept when it runs on a folder). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (separate-process stages only). */
  restart?(): Promise<void>;
  close(): Promise<void>;
}

export async function openStage(options: { separateProcess: boolean; persistent?: boolean }): Promise<Stage> {
  const policy = defaultPolicy();
  const dataDir = options.persistent ? mkdtempSync(join(tmpdir(), 'guardrail-reliability-')) : undefined;
  let proc: DynaliteProcess | undefined;
  let inProcess: Awaited<ReturnType<typeof startLocalDynamoDb>> | undefined;
  if (options.separateProcess) proc = await startDynaliteProcess({ path: dataDir });
  else inProcess = await startLocalDynamoDb({ path: dataDir });
  const endpoint = proc?.endpoint ?? inProcess!.endpoint;
  await createGuardrailTables(endpoint, TABLES);
  const admin = createDynamoDbDocumentClient({ endpoint, region: 'us-east-1' });
  await openPolicyStore(admin, TABLES.policy).importPolicy(policy);
  admin.destroy();
  const port = proc?.port;
  const stage: Stage = {
    endpoint,
    tables: TABLES,
    policy,
    async stop() {
      if (proc) await proc.stop();
      else await inProcess?.close();
    },
    async close() {
      await stage.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (proc) {
    stage.restart = async () => {
      proc = await startDynaliteProcess({ port, path: dataDir });
    };
  }
  return stage;
}

/** The decision a record holds equals a fresh evaluation of its event at the time it was decided. */
export function decidedCorrectly(policy: Policy, ledger: Awaited<ReturnType<typeof ledgerOf>>, events: readonly Record<string, unknown>[]): number {
  const prepared = preparePolicy(policy);
  let wrong = 0;
  for (const event of events) {
    const id = recordIdOfDelivered(event);
    const record = id === undefined ? undefined : ledger.byId.get(id);
    if (!record) continue;
    const kind = event['detail-type'] === 'App Connected' ? 'app-connected' : 'purchase-request';
    const again = evaluateEvent({ kind, detail: record.detail } as GuardrailEvent, prepared, new Date(record.decision.evaluatedAt));
    const codes = (d: { findings: { code: string }[] }) =>
      d.findings
        .map((f) => f.code)
        .sort()
        .join(',');
    if (again.outcome !== record.decision.outcome || codes(again) !== codes(record.decision)) wrong++;
  }
  return wrong;
}

// ---------------------------------------------------------------------------
// 1. Duplicate delivery
// ---------------------------------------------------------------------------

export interface DuplicateDeliveryOptions {
  events: number;
  deliveriesPerEvent: number;
  /** Lambda execution environments; each copy of an event goes to a different one. */
  containers: number;
  /** Events in flight at once (each with all its copies). */
  concurrency: number;
  seed: number;
  separateProcess: boolean;
}

export interface DuplicateDeliveryFigures extends ExactlyOnceFigures {
  events: number;
  deliveries: number;
  deliveriesCollapsed: number;
  deliveriesRetried: number;
  deadLettered: number;
  wronglyDecided: number;
  seconds: number;
}

export async function duplicateDeliveryScenario(options: DuplicateDeliveryOptions): Promise<{ figures: DuplicateDeliveryFigures; ledger: Ledger }> {
  const stage = await openStage({ separateProcess: options.separateProcess });
  const clock = new SimulatedClock(20);
  const world = createWorld(stage.endpoint, stage.tables);
  const containers = Array.from({ length: options.containers }, () => containerFor(world, clock));
  try {
    const events = mixedEvents(stage.policy, options.events, options.seed, `DUP${options.seed}`);
    // Each copy of an event is its own Lambda invocation (with Lambda's retries if it fails).
    const lambdas = containers.map((c) => new AsyncLambda(new ContainerPool([c]), (container, event) => container.invoke(event), { clock }));
    const started = Date.now();
    let collapsed = 0;
    let next = 0;
    let rotation = 0;
    const worker = async () => {
      while (next < events.length) {
        const event = events[next++];
        const first = rotation++;
        const outcomes = await Promise.all(
          Array.from({ length: options.deliveriesPerEvent }, (_, copy) => lambdas[(first + copy) % lambdas.length].deliver({ ...event })),
        );
        for (const o of outcomes) {
          if (o.status === 'succeeded' && (o.result as { duplicate?: boolean }).duplicate) collapsed++;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (Date.now() - started) / 1000;
    const admin = createDynamoDbDocumentClient({ endpoint: stage.endpoint, region: 'us-east-1' });
    const ledger = await ledgerOf(world, admin, events);
    admin.destroy();
    const retried = lambdas.reduce((s, l) => s + l.stats.retries, 0);
    const deadLettered = lambdas.reduce((s, l) => s + l.stats.deadLettered, 0);
    return {
      ledger,
      figures: {
        events: events.length,
        deliveries: events.length * options.deliveriesPerEvent,
        ...exactlyOnceFigures(ledger),
        deliveriesCollapsed: collapsed,
        deliveriesRetried: retried,
        deadLettered,
        wronglyDecided: decidedCorrectly(stage.policy, ledger, events),
        seconds: Math.round(seconds * 10) / 10,
      },
    };
  } finally {
    for (const c of containers) c.destroy();
    await stage.close();
  }
}

/**
 * What a ledger says about exactly-once delivery: records, completeness,
 * notifications (`notificationsMissing`: records marked notified whose
 * messages SNS never accepted, must be 0) and decision events.
 */
type ExactlyOnceFigures = ReturnType<typeof exactlyOnceFigures>;
function exactlyOnceFigures(ledger: Ledger) {
  return {
    records: ledger.records,
    strayRecords: ledger.strayRecords,
    complete: ledger.fates.complete,
    lost: ledger.fates.missing + ledger.fates.incomplete,
    notifiedRecords: ledger.notifiedRecords,
    snsPublishes: ledger.snsPublishes,
    duplicateNotifications: ledger.duplicateNotifications,
    notificationsMissing: ledger.notificationsMissing,
    decisionEvents: ledger.decisionEvents,
    duplicateDecisionEvents: ledger.duplicateDecisionEvents,
  };
}

function containerFor(world: GuardrailWorld, clock: SimulatedClock, dynamoFaults?: FaultPlan): GuardrailContainer {
  return createContainer(world, {
    clock,
    logLevel: 'SILENT',
    dynamoFaults,
    service: { sleep: (ms) => clock.sleep(ms) },
  });
}

// ---------------------------------------------------------------------------
// 2. Faults while replaying events
// ---------------------------------------------------------------------------

export interface FaultScenarioOptions {
  events: number;
  containers: number;
  seed: number;
  /** Share of DynamoDB attempts that fail, and how. */
  dynamoFaultRate: number;
  snsFaultRate: number;
  eventBridgeFaultRate: number;
  faultMix: Partial<Record<FaultKind, number>>;
  /**
   * Stop dynalite once this share of events is done, for at least `downtimeMs`
   * of real time and until Lambda has given up on an event (its retries ran
   * out: the outage outlasted the retry span), then restart it.
   */
  outage?: { afterShare: number; downtimeMs: number };
  invokeThrottleShare: number;
  redeliveryShare: number;
  /** Simulated ms per real ms. */
  timeScale: number;
  /** Events arriving per real second (a steady stream); all at once when absent. */
  arrivalsPerSecond?: number;
}

export interface FaultScenarioFigures {
  events: number;
  injected: { dynamodb: Record<FaultKind, number>; sns: Record<FaultKind, number>; eventbridge: Record<FaultKind, number> };
  attempts: { dynamodb: number; sns: number; eventbridge: number };
  sdkCalls: { dynamodb: number };
  outage?: { realMs: number; simulatedSeconds: number; stoppedAfterEvents: number };
  lambda: { invocations: number; retries: number; throttledInvokes: number; redeliveries: number; deadLettered: number; errorsByName: Record<string, number> };
  /** Before the dead-letter queue is redriven. */
  beforeRedrive: { complete: number; deadLettered: number; deadLetteredWithRecord: number; lost: number; deadLetterReasons: Record<string, number> };
  /** After an operator redrives the dead-letter queue with the faults gone. */
  afterRedrive: { complete: number; lost: number; records: number; strayRecords: number };
  duplicateNotifications: number;
  duplicateNotificationsByCause: Record<string, number>;
  notificationsMissing: number;
  duplicateDecisionEvents: number;
  wronglyDecided: number;
  seconds: number;
}

/** The longest an outage waits for Lambda to give up on an event (real ms): a bound, not a target. */
const OUTAGE_LIMIT_MS = 60_000;

/** A switchable fault plan: faults on while the storm lasts, off for the redrive. */
function switchable(plan: FaultPlan): { plan: FaultPlan; off(): void } {
  let on = true;
  return { plan: (call) => (on ? plan(call) : undefined), off: () => (on = false) };
}

export async function faultScenario(options: FaultScenarioOptions): Promise<{ figures: FaultScenarioFigures; ledger: Ledger }> {
  const stage = await openStage({ separateProcess: true, persistent: true });
  const clock = new SimulatedClock(options.timeScale);
  const prng = new Prng(options.seed);
  const random = () => prng.next();
  const sns = switchable(randomFaults(random, options.snsFaultRate, options.faultMix));
  const eventBridge = switchable(randomFaults(random, options.eventBridgeFaultRate, options.faultMix));
  const world = createWorld(stage.endpoint, stage.tables, { sns: sns.plan, eventBridge: eventBridge.plan });
  const dynamo = Array.from({ length: options.containers }, () => switchable(randomFaults(random, options.dynamoFaultRate, options.faultMix)));
  const containers = dynamo.map((d) => containerFor(world, clock, d.plan));
  const started = Date.now();
  try {
    const events = mixedEvents(stage.policy, options.events, options.seed, `FLT${options.seed}`);
    const lambda = new AsyncLambda(new ContainerPool(containers), (c, e) => c.invoke(e), {
      clock,
      invokeThrottleShare: options.invokeThrottleShare,
      redeliveryShare: options.redeliveryShare,
      random,
    });

    let done = 0;
    let outage: FaultScenarioFigures['outage'];
    const outageDone = (async () => {
      if (!options.outage || !stage.restart) return;
      while (done < options.events * options.outage.afterShare) await realSleep(5);
      const stoppedAfterEvents = done;
      const t0 = Date.now();
      await stage.stop();
      await realSleep(options.outage.downtimeMs);
      // Lambda's retry delays are simulated but each attempt's SDK work takes real time, which a busy machine
      // stretches: waiting for the first dead letter keeps the outage longer than the retry span whatever the load.
      const deadline = Date.now() + OUTAGE_LIMIT_MS;
      while (lambda.stats.deadLettered === 0 && Date.now() < deadline) await realSleep(20);
      await stage.restart();
      const realMs = Date.now() - t0;
      outage = { realMs, simulatedSeconds: Math.round((realMs * options.timeScale) / 1000), stoppedAfterEvents };
    })();
    // Events arrive as a steady stream; EventBridge hands each over at once, the container pool bounds the concurrency.
    const arrivals = events.map(async (event, i) => {
      if (options.arrivalsPerSecond) await realSleep((i * 1000) / options.arrivalsPerSecond);
      await lambda.deliver(event);
      done++;
    });
    await Promise.all(arrivals);
    await outageDone;

    const admin = createDynamoDbDocumentClient({ endpoint: stage.endpoint, region: 'us-east-1' });
    const before = await ledgerOf(world, admin, events);
    const dlqIds = new Set(lambda.deadLetterQueue.map((d) => recordIdOfDelivered(d.event)));
    const deadLetterReasons: Record<string, number> = {};
    for (const d of lambda.deadLetterQueue) {
      const reason = `${d.errorName}: ${d.errorMessage.replace(/[A-Z]{3}\d+-[\w-]+|FLT\d+-\d+|[a-z-]+:FLT[\w-]+/g, '<id>').slice(0, 140)}`;
      deadLetterReasons[reason] = (deadLetterReasons[reason] ?? 0) + 1;
    }
    const unaccounted = [...before.missingIds, ...before.incompleteIds].filter((id) => !dlqIds.has(id));

    // The operator's redrive: faults gone, the dead-letter queue's events put back on the bus.
    for (const d of dynamo) d.off();
    sns.off();
    eventBridge.off();
    const redrive = new AsyncLambda(new ContainerPool(containers), (c, e) => c.invoke(e), { clock, random });
    await Promise.all(lambda.deadLetterQueue.map((d) => redrive.deliver(d.event)));
    const after = await ledgerOf(world, admin, events);
    admin.destroy();

    const sum = (pick: (c: GuardrailContainer) => Record<string, number> | undefined) =>
      containers.reduce((s, c) => s + Object.values(pick(c) ?? {}).reduce((a, b) => a + b, 0), 0);
    const dynamoInjected = { throttle: 0, 'server-error': 0, 'timeout-before': 0, 'timeout-after': 0 } as Record<FaultKind, number>;
    for (const c of containers) for (const [k, v] of Object.entries(c.dynamoFaults?.faults ?? {})) dynamoInjected[k as FaultKind] += v;
    return {
      ledger: after,
      figures: {
        events: events.length,
        injected: { dynamodb: dynamoInjected, sns: { ...world.sns.stats.faults }, eventbridge: { ...world.eventBridge.stats.faults } },
        attempts: {
          dynamodb: containers.reduce((s, c) => s + (c.dynamoFaults?.attempts ?? 0), 0),
          sns: world.sns.stats.attempts,
          eventbridge: world.eventBridge.stats.attempts,
        },
        sdkCalls: { dynamodb: sum((c) => c.dynamoCalls) },
        outage,
        lambda: {
          invocations: lambda.stats.invocations,
          retries: lambda.stats.retries,
          throttledInvokes: lambda.stats.throttledInvokes,
          redeliveries: lambda.stats.redeliveries,
          deadLettered: lambda.stats.deadLettered,
          errorsByName: lambda.stats.errorsByName,
        },
        beforeRedrive: {
          complete: before.fates.complete,
          deadLettered: dlqIds.size,
          deadLetteredWithRecord: [...dlqIds].filter((id) => id !== undefined && before.byId.has(id)).length,
          lost: unaccounted.length,
          deadLetterReasons,
        },
        afterRedrive: {
          complete: after.fates.complete,
          lost: after.fates.missing + after.fates.incomplete,
          records: after.records,
          strayRecords: after.strayRecords,
        },
        duplicateNotifications: after.duplicateNotifications,
        duplicateNotificationsByCause: after.duplicateNotificationsByCause,
        notificationsMissing: after.notificationsMissing,
        duplicateDecisionEvents: after.duplicateDecisionEvents,
        wronglyDecided: decidedCorrectly(stage.policy, after, events),
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
    };
  } finally {
    for (const c of containers) c.destroy();
    await stage.close();
  }
}

// ---------------------------------------------------------------------------
// 1b. Duplicate delivery of SQS batches (the deployed path)
// ---------------------------------------------------------------------------

export interface BatchDeliveryOptions {
  events: number;
  batchSize: number;
  /** Copies of each batch delivered at once, each to its own execution environment. */
  copies: number;
  /** Batches in flight at once (each with all its copies). */
  concurrency: number;
  seed: number;
  /** Receives before the queue parks a message in the dead-letter queue (as deployed: 5). */
  maxReceives: number;
  /** The queue's visibility timeout: how long a handed-back message waits before its next delivery (as deployed: 3 min). */
  visibilityMs: number;
  /** Calls that fail while the batches are delivered; off for the redrive of what was parked. */
  faults?: { dynamoFaultRate: number; snsFaultRate: number; eventBridgeFaultRate: number; faultMix: Partial<Record<FaultKind, number>> };
}

export interface BatchDeliveryFigures extends ExactlyOnceFigures {
  events: number;
  batches: number;
  deliveries: number;
  /** Messages a handler handed back to the queue (a copy found another holding the record's side effects). */
  messagesReturned: number;
  /** Messages that reached their last receive and would be parked. */
  deadLettered: number;
  /** Events neither complete nor parked before the redrive (must be 0). */
  lostBeforeRedrive: number;
  /** Messages parked again when the parked ones were redriven with the faults gone (must be 0). */
  parkedAfterRedrive: number;
  /** Faults injected: SNS, EventBridge and DynamoDB attempts that failed. */
  injected: { sns: number; eventbridge: number; dynamodb: number };
  duplicateNotificationsByCause: Record<string, number>;
  wronglyDecided: number;
  seconds: number;
}

/**
 * Each batch of one kind delivered `copies` times at once to different
 * containers, as a queue may when a receive is repeated; every copy's
 * handed-back messages are delivered again, alone, after the visibility
 * timeout, up to the last receive.
 */
export async function batchDeliveryScenario(options: BatchDeliveryOptions): Promise<{ figures: BatchDeliveryFigures; ledger: Ledger }> {
  const stage = await openStage({ separateProcess: true });
  const clock = new SimulatedClock(20);
  const prng = new Prng(options.seed);
  const random = () => prng.next();
  const faults = options.faults;
  const off: FaultPlan = () => undefined;
  const sns = switchable(faults ? randomFaults(random, faults.snsFaultRate, faults.faultMix) : off);
  const eventBridge = switchable(faults ? randomFaults(random, faults.eventBridgeFaultRate, faults.faultMix) : off);
  const world = createWorld(stage.endpoint, stage.tables, { sns: sns.plan, eventBridge: eventBridge.plan });
  const dynamo = Array.from({ length: options.copies }, () => switchable(faults ? randomFaults(random, faults.dynamoFaultRate, faults.faultMix) : off));
  const containers = dynamo.map((d) => containerFor(world, clock, faults ? d.plan : undefined));
  try {
    const events = mixedEvents(stage.policy, options.events, options.seed, `BATCH${options.seed}`);
    const batches: Record<string, unknown>[][] = [];
    for (const detailType of [...new Set(events.map((e) => e['detail-type']))]) {
      const ofKind = events.filter((e) => e['detail-type'] === detailType);
      for (let i = 0; i < ofKind.length; i += options.batchSize) batches.push(ofKind.slice(i, i + options.batchSize));
    }
    let returned = 0;
    const parked: Record<string, unknown>[] = [];
    const deliver = async (container: GuardrailContainer, batch: Record<string, unknown>[]) => {
      let pending = batch;
      for (let receive = 1; pending.length > 0; receive++) {
        let failed: number[];
        try {
          failed = await container.invokeBatch(pending.map((e) => ({ ...e })));
        } catch {
          // The whole invocation failed (its dead-letter sends, say): every message returns to the queue.
          failed = pending.map((_, i) => i);
        }
        returned += failed.length;
        pending = failed.map((i) => pending[i]);
        if (pending.length === 0) break;
        if (receive >= options.maxReceives) {
          parked.push(...pending);
          break;
        }
        await clock.sleep(options.visibilityMs);
      }
    };
    const started = Date.now();
    let next = 0;
    let rotation = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const first = rotation++;
        await Promise.all(Array.from({ length: options.copies }, (_, copy) => deliver(containers[(first + copy) % containers.length], batch)));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const admin = createDynamoDbDocumentClient({ endpoint: stage.endpoint, region: 'us-east-1' });
    const before = await ledgerOf(world, admin, events);
    const parkedIds = new Set(parked.map((e) => recordIdOfDelivered(e)));
    const lostBeforeRedrive = [...before.missingIds, ...before.incompleteIds].filter((id) => !parkedIds.has(id)).length;
    // The operator's redrive: faults gone, the parked messages back in the queue, taken in batches again.
    for (const d of dynamo) d.off();
    sns.off();
    eventBridge.off();
    const deadLettered = parked.length;
    const redriven = parked.splice(0);
    for (let i = 0; i < redriven.length; i += options.batchSize) {
      const group = redriven.slice(i, i + options.batchSize);
      for (const kind of [...new Set(group.map((e) => e['detail-type']))])
        await deliver(
          containers[0],
          group.filter((e) => e['detail-type'] === kind),
        );
    }
    const seconds = (Date.now() - started) / 1000;
    const ledger = await ledgerOf(world, admin, events);
    admin.destroy();
    const injected = (faultsOf: Record<string, number> | undefined) => Object.values(faultsOf ?? {}).reduce((a, b) => a + b, 0);
    return {
      ledger,
      figures: {
        events: events.length,
        batches: batches.length,
        deliveries: batches.length * options.copies,
        ...exactlyOnceFigures(ledger),
        messagesReturned: returned,
        deadLettered,
        lostBeforeRedrive,
        parkedAfterRedrive: parked.length,
        injected: {
          sns: injected(world.sns.stats.faults),
          eventbridge: injected(world.eventBridge.stats.faults),
          dynamodb: containers.reduce((sum, c) => sum + injected(c.dynamoFaults?.faults), 0),
        },
        duplicateNotificationsByCause: ledger.duplicateNotificationsByCause,
        wronglyDecided: decidedCorrectly(stage.policy, ledger, events),
        seconds: Math.round(seconds * 10) / 10,
      },
    };
  } finally {
    for (const c of containers) c.destroy();
    await stage.close();
  }
}
