/**
 * The arithmetic behind the published figures: nearest-rank percentiles,
 * DynamoDB item sizes and capacity units, and the cost model (checked by
 * hand on a small profile), and the report naming every headline figure.
 */
import { costPerMillionEvents, PLATFORM_LOG_BYTES_PER_INVOCATION, PRICES } from '../../../bench/cost';
import type { CallProfile } from '../../../bench/pipeline';
import { renderFigures } from '../../../bench/report';
import { DEFINITIONS, type BenchResult } from '../../../bench/run';
import { dynamoItemBytes, indexWriteUnits, strongReadUnits, writeUnits } from '../../../bench/support/item-size';
import { cpuMeter, percentile, summarise } from '../../../bench/support/stats';

describe('percentiles', () => {
  it('are nearest-rank: always a value that was observed', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(summarise([3, 1, 2])).toMatchObject({ count: 3, p50: 2, min: 1, max: 3, mean: 2 });
  });
});

describe('CPU meters', () => {
  /** Spins until this process has used `ms` of CPU (not wall time: a loaded machine only makes it take longer). */
  const busy = (ms: number) => {
    const start = process.cpuUsage();
    let spin = 0;
    for (;;) {
      const used = process.cpuUsage(start);
      if ((used.user + used.system) / 1000 >= ms) return spin;
      spin++;
    }
  };

  it('count this process’s CPU, and another process’s from /proc (read here on this very process)', () => {
    const read = cpuMeter(process.pid);
    busy(300);
    const used = read();
    expect(used.client).toBeGreaterThanOrEqual(300);
    if (process.platform !== 'linux') return;
    // /proc counts in 10 ms ticks: the two readings of the same work agree to within a few ticks.
    expect(used.store).toBeDefined();
    expect(Math.abs((used.store ?? 0) - used.client)).toBeLessThanOrEqual(60);
  });

  it('leave the other figure out when there is no such process', () => {
    expect(cpuMeter(2 ** 30)()).not.toHaveProperty('store');
    expect(cpuMeter()()).not.toHaveProperty('store');
  });
});

describe('DynamoDB item sizes', () => {
  it('count names, UTF-8 strings, numbers by significant digits and container overhead', () => {
    expect(dynamoItemBytes({ pk: 'abc' })).toBe(2 + 3);
    expect(dynamoItemBytes({ n: 12345 })).toBe(1 + 3 + 1);
    expect(dynamoItemBytes({ flag: true, none: null })).toBe(4 + 1 + 4 + 1);
    expect(dynamoItemBytes({ m: { a: 'xy' } })).toBe(1 + 3 + 1 + 1 + 2);
    expect(dynamoItemBytes({ l: ['é'] })).toBe(1 + 3 + 1 + 2);
    expect([writeUnits(1), writeUnits(1024), writeUnits(1025), strongReadUnits(4096), strongReadUnits(4097)]).toEqual([1, 1, 2, 1, 2]);
  });
});

describe('index writes', () => {
  const keysOnly = { partitionKey: 'q', sortKey: 'd', projection: 'KEYS_ONLY' as const };
  const whole = { ...keysOnly, projection: 'ALL' as const };
  const open = { pk: 'REQUEST#x', sk: 'RECORD', q: 'OPEN', d: '2027-01-01T00:00:00.000Z#x', content: 'c'.repeat(1300) };

  it('a keys-only entry costs one unit when the put adds it, nothing when an update leaves its keys alone', () => {
    expect(indexWriteUnits(open, ['pk', 'sk'], [keysOnly], 1)).toBe(1);
    expect(indexWriteUnits(open, ['pk', 'sk'], [keysOnly], 3)).toBe(1);
  });

  it('a whole-record entry costs what the record does (plus 100 bytes) at the put and again at every update', () => {
    // 1,300 bytes of content + keys + 100 bytes of entry overhead: 2 units, twice (the put, one update).
    expect(indexWriteUnits(open, ['pk', 'sk'], [whole], 1)).toBe(4);
  });

  it('an item without the index keys is not in the index and costs nothing there', () => {
    const { q: _q, d: _d, ...decided } = open;
    expect(indexWriteUnits(decided, ['pk', 'sk'], [keysOnly, whole], 1)).toBe(0);
  });
});

describe('cost of one million events', () => {
  const profile: CallProfile = {
    perEvent: {
      allow: { events: 1, dynamo: { PutItem: 2, UpdateItem: 2 }, recordPuts: 1, snsPublishes: 0, putEvents: 1 },
      notified: { events: 1, dynamo: { PutItem: 3, UpdateItem: 4 }, recordPuts: 1, snsPublishes: 1, putEvents: 1 },
    },
    dynamoWritesPerEvent: 5.5,
    outcomes: { allow: 50, review: 40, block: 10 },
    recordItemBytes: { mean: 2000, p99: 3000, max: 3500 },
    writeUnitsPerRecordWrite: 2,
    indexWriteUnitsPerEvent: { declared: { allow: 0, notified: 1 }, wholeRecordApprovalsIndex: { allow: 0, notified: 4 } },
    auditItemBytes: { mean: 300, max: 400 },
    writeUnitsPerAuditWrite: 1,
    snsChunksPerPublish: 1,
    eventBridgeChunksPerEvent: 1,
    snsMessageBytes: { mean: 20_000, max: 30_000 },
    decisionEventBytes: { mean: 1500, max: 3000 },
    logBytesPerEvent: 2000,
    handlerMillis: { count: 1, mean: 10, p50: 10, p90: 10, p99: 10, min: 10, max: 10 },
    billedMillisMean: 10,
    timeBreakdownMillis: {},
  };

  it('adds Lambda, DynamoDB, SNS and EventBridge at the stated prices', () => {
    const cost = costPerMillionEvents({ profile, memoryMb: 512, initMillis: 200 });
    expect(cost.notifiedShare).toBe(0.5);
    const lambda = 0.2 + 1e6 * 0.01 * 0.5 * PRICES.lambdaArmGbSecond.usd + 1e4 * 0.2 * 0.5 * PRICES.lambdaArmGbSecond.usd;
    // Half allowed (3 record writes × 2 WRU + 1 audit), half notified (5 record writes × 2 WRU + 2 audit, and 1 index entry).
    const dynamo = (0.5e6 * (3 * 2 + 1) + 0.5e6 * (5 * 2 + 2 + 1)) * (0.625 / 1e6);
    const sns = 0.5e6 * (0.5 / 1e6) + 0.5e6 * (20 / 1e6);
    const eventBridge = 2e6 * (1 / 1e6);
    // Without batch figures, one event an invocation: the rule's SendMessage, one receive and one delete per event.
    const sqs = 3e6 * (0.4 / 1e6);
    expect(cost.byService.SQS).toBeCloseTo(sqs, 4);
    expect(cost.byService.Lambda).toBeCloseTo(lambda, 3);
    expect(cost.byService.DynamoDB).toBeCloseTo(dynamo, 3);
    expect(cost.byService.SNS).toBeCloseTo(sns, 3);
    expect(cost.byService.EventBridge).toBeCloseTo(eventBridge, 3);
    expect(cost.costPerMillionEventsUsd).toBeCloseTo(lambda + dynamo + sns + eventBridge + sqs, 1);
    expect(cost.costPerMillionEventsWithLogsUsd).toBeGreaterThan(cost.costPerMillionEventsUsd);
    // Ex-channel: everything but the email delivery fee, observability included: the handlers' logs, Lambda's own
    // start and report records (about 600 bytes an invocation), and X-Ray at 5% sampled.
    expect(PLATFORM_LOG_BYTES_PER_INVOCATION).toBeGreaterThan(500);
    expect(PLATFORM_LOG_BYTES_PER_INVOCATION).toBeLessThan(700);
    const logs = ((1e6 * (2000 + PLATFORM_LOG_BYTES_PER_INVOCATION)) / 1024 ** 3) * PRICES.cloudWatchLogsIngestion.usd;
    const xRay = 0.05e6 * (5 / 1e6);
    expect(cost.byService['X-Ray']).toBeCloseTo(xRay, 4);
    expect(cost.byService['CloudWatch Logs']).toBeCloseTo(logs, 4);
    expect(cost.costPerMillionEventsExChannelUsd).toBeCloseTo(lambda + dynamo + 0.5e6 * (0.5 / 1e6) + eventBridge + sqs + logs + xRay, 1);
    expect(cost.costPerMillionEventsExChannelAtOneEventPerInvocationUsd).toBe(cost.costPerMillionEventsExChannelUsd);
    expect(cost.notificationsPerMillionEvents).toBe(0.5e6);
    expect(Object.fromEntries(cost.channels.map((c) => [c.channel, c.usdPerNotification]))).toEqual({ email: 0.00002, HTTPS: 0.0000006, 'SMS (US)': 0.00581 });
    expect(cost.channels.find((c) => c.channel === 'email')?.usdPerMillionEvents).toBeCloseTo(10, 3);
    expect(cost.perMillionByOutcome.notifiedUsd).toBeGreaterThan(cost.perMillionByOutcome.allowUsd);
    expect(cost.sensitivity.map((s) => s.costPerMillionEventsUsd)).toEqual([...cost.sensitivity.map((s) => s.costPerMillionEventsUsd)].sort((a, b) => a - b));
  });

  it('shares what every invocation costs among the events of a batch, as measured', () => {
    const batched = { ...profile, batched: { eventsPerInvocation: 10, billedMillisPerInvocation: 40, logBytesPerEvent: 900 } };
    const cost = costPerMillionEvents({ profile: batched, memoryMb: 512, initMillis: 200 });
    const gbSecond = PRICES.lambdaArmGbSecond.usd;
    const lambda = 1e5 * (0.2 / 1e6) + 1e5 * 0.04 * 0.5 * gbSecond + 1e5 * 0.01 * 0.2 * 0.5 * gbSecond;
    expect(cost.byService.Lambda).toBeCloseTo(lambda, 4);
    // One SendMessage per event; a receive and a delete per batch.
    expect(cost.byService.SQS).toBeCloseTo((1e6 + 2e5) * (0.4 / 1e6), 4);
    const logs = ((1e6 * 900 + 1e5 * PLATFORM_LOG_BYTES_PER_INVOCATION) / 1024 ** 3) * PRICES.cloudWatchLogsIngestion.usd;
    expect(cost.byService['CloudWatch Logs']).toBeCloseTo(logs, 4);
    expect(cost.byService['X-Ray']).toBeCloseTo(1e5 * 0.05 * (5 / 1e6), 5);
    expect(cost.invocation).toEqual({ eventsPerInvocation: 10, billedMillis: 40, logBytesPerEvent: 900 });
    // Low traffic (one event an invocation, its own measured duration and logs) costs more per event.
    expect(cost.costPerMillionEventsExChannelAtOneEventPerInvocationUsd).toBeGreaterThan(cost.costPerMillionEventsExChannelUsd);
  });

  it('the report names every headline figure with its meaning', () => {
    const result = {
      schemaVersion: 1,
      measuredAt: '2026-11-27T00:00:00Z',
      command: 'npm run bench',
      policyEvalSpeedupVsPeer: 10,
      policyEvalSpeedupVsCedar: 3,
      policyEvalP99Micros: 50,
      pipelineOverFloor: 0.1,
      pipelineOverPeer: 1.2,
      coldStartOverMinimal: 1.5,
      largestBundleKiB: 1300,
      costPerMillionEventsUsd: 30,
      costPerMillionEventsExChannelUsd: 12,
      machine: { cpuModel: 'cpu', cpuCount: 2, memoryGiB: 4, freeMemoryGiB: 2, os: 'linux', arch: 'x64', node: 'v20', loadAverage1m: 0.5 },
      definitions: DEFINITIONS,
      details: {},
    } as BenchResult;
    const text = renderFigures(result);
    for (const key of Object.keys(DEFINITIONS)) expect(text).toContain(`\`${key}\``);
    expect(text).toContain('cpu, 2 cores');
  });
});
