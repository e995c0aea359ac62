/**
 * `npm run bench` (tsx bench/run.ts): runs the four benchmarks, writes
 * bench/results/latest.json and the figures section of docs/performance.md.
 *
 *   tsx bench/run.ts                 all benchmarks, full size (a few minutes)
 *   tsx bench/run.ts --only=policy   one or more of policy,pipeline,cold-start,cost,signing,inventory
 *                                    (the others are kept from latest.json)
 *   tsx bench/run.ts --quick         small sizes, written to bench/results/quick.json only
 *
 * These are measurements, not tests: nothing here fails because the machine
 * is slow. It exits non-zero only when a result is not a valid measurement
 * (the peer disagreed with our decisions, or an event was not processed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkColdStart, DEFAULT_COLD_START_OPTIONS, type ColdStartResult } from './cold-start';
import { costPerMillionEvents, type CostResult } from './cost';
import { benchmarkPipeline, DEFAULT_PIPELINE_OPTIONS, type PipelineResult } from './pipeline';
import { benchmarkPolicyEvaluation, DEFAULT_POLICY_EVAL_OPTIONS, type PolicyEvalResult } from './policy-eval';
import { benchmarkInventoryBurst, DEFAULT_INVENTORY_BURST_OPTIONS, type InventoryBurstResult } from './inventory-burst';
import { renderFigures, writeFiguresInto } from './report';
import { DEFAULT_SIGNING_MONTH_OPTIONS, simulateSigningMonth, type SigningMonthResult } from './signing-month';
import { machineInfo, type MachineInfo } from './support/machine';

const PROJECT_ROOT = join(__dirname, '..');
export const LATEST_RESULT = join(PROJECT_ROOT, 'bench', 'results', 'latest.json');
const QUICK_RESULT = join(PROJECT_ROOT, 'bench', 'results', 'quick.json');
const PERFORMANCE_DOC = join(PROJECT_ROOT, 'docs', 'performance.md');

const PARTS = ['policy', 'pipeline', 'cold-start', 'cost', 'signing', 'inventory'] as const;
type Part = (typeof PARTS)[number];

/** The comparable-over-time figures, at the top level of latest.json. */
export interface Headline {
  policyEvalSpeedupVsPeer: number;
  policyEvalSpeedupVsCedar: number;
  policyEvalP99Micros: number;
  pipelineOverFloor: number;
  dynamoWritesPerEvent: number;
  pipelineOverPeer: number;
  coldStartOverMinimal: number;
  largestBundleKiB: number;
  costPerMillionEventsUsd: number;
  costPerMillionEventsExChannelUsd: number;
  aheadOfSigningShare: number;
  inventoryBurstEventsPerSecond: number;
  inventoryBurstUsersCounted: number;
}

export interface BenchResult extends Headline {
  schemaVersion: 1;
  measuredAt: string;
  command: string;
  machine: MachineInfo;
  definitions: Record<keyof Headline, string>;
  details: {
    policyEvaluation?: PolicyEvalResult & { measuredAt: string };
    pipeline?: PipelineResult & { measuredAt: string };
    coldStart?: ColdStartResult & { measuredAt: string };
    cost?: CostResult & { measuredAt: string };
    signingMonth?: SigningMonthResult & { measuredAt: string };
    inventoryBurst?: InventoryBurstResult & { measuredAt: string };
  };
}

export const DEFINITIONS: Record<keyof Headline, string> = {
  policyEvalSpeedupVsPeer:
    "Our decisions per second over json-rules-engine's on the same 10,000 requests with the same rules (decisions checked equal); the lower of the default and the generated large policy.",
  policyEvalSpeedupVsCedar:
    "Our decisions per second over Cedar's (@cedar-policy/cedar-wasm, policies preparsed once; entities and context built inside each call) on the same 10,000 requests with the same rules as Cedar policies (decisions checked equal); the lower of the two policies.",
  policyEvalP99Micros: 'p99 time of one purchase-request decision, µs; the higher of the two policies.',
  pipelineOverFloor:
    'Pipeline events per second, as deployed (SQS batches to the batch handlers, as many events in flight as the floor has), over plain PutItem per second of the same kind of records to the same dynalite (separate process) at the same concurrency (8): the fraction of the one-write floor the whole path reaches.',
  dynamoWritesPerEvent:
    "DynamoDB writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem) sent per event on its first delivery, mean over the benchmark's mix, counted call by call from the SDK client the handlers use (sequential run, separate-process dynalite).",
  pipelineOverPeer:
    "Pipeline events per second, as deployed (SQS batches to the batch handlers, as many events in flight as the peer has), over the textbook peer's (Powertools idempotency with its DynamoDB persistence layer around a handler that evaluates, puts the record, publishes to SNS and puts the decision event), same events, same dynalite (separate process), same concurrency (8), alternating in the same run.",
  coldStartOverMinimal:
    "Module init of a Lambda bundle as CDK ships it (source maps on, as deployed) over a bundle holding only the same AWS SDK clients, medians over fresh processes; the highest of the stack's bundles.",
  largestBundleKiB: 'Size of the largest handler bundle (index.js, minified), KiB.',
  costPerMillionEventsUsd:
    "AWS cost of one million events (Lambda, DynamoDB on-demand, SNS publishes and the approver emails they deliver, EventBridge, SQS), us-east-1 list prices of 2026-11-27, measured durations and calls, for the benchmark's event mix.",
  costPerMillionEventsExChannelUsd:
    'The same without the delivery fee of the channel the customer picks for notifications (email, HTTPS, SMS; each priced per notification in the cost section), with the logs and EMF metrics the handlers write, Lambda’s own start and report records and the X-Ray traces sampled: Lambda, DynamoDB, SNS publishes, EventBridge, SQS, CloudWatch Logs, X-Ray — what the guardrail controls. Events arrive in SQS batches as deployed (the batch size, duration and logs measured in the batched run); the figure at one event an invocation is beside it in the cost section.',
  aheadOfSigningShare:
    'A simulated month (seeded requests, approvers answering late or never, the sweep every 15 minutes on a simulated clock, the default escalation schedule): the share of requests with a signing date at least 48 h after arrival that were decided, or escalated (at the CIO: reminded, nobody being above), at least 48 h before it.',
  inventoryBurstEventsPerSecond:
    'A group push: 5,000 Okta assignments of one app through the app-connected handler with the inventory, dynalite in a separate process, concurrency 16: events per second.',
  inventoryBurstUsersCounted:
    'People the inventory counts for that app afterwards (exactly 5,000 is correct), and still after 1,000 of the events are delivered again.',
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only='));
  const parts: Part[] = onlyArg ? (onlyArg.slice('--only='.length).split(',') as Part[]) : [...PARTS];
  for (const part of parts) if (!PARTS.includes(part)) throw new Error(`unknown part "${part}": use ${PARTS.join(', ')}`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const startedAt = Date.now();

  const previous: Partial<BenchResult> = !quick && existsSync(LATEST_RESULT) ? (JSON.parse(readFileSync(LATEST_RESULT, 'utf8')) as BenchResult) : {};
  const details: BenchResult['details'] = { ...(previous.details ?? {}) };
  const stamp = () => new Date().toISOString();
  const problems: string[] = [];

  if (parts.includes('policy')) {
    const result = await benchmarkPolicyEvaluation({
      ...DEFAULT_POLICY_EVAL_OPTIONS,
      ...(quick ? { requests: 1_000, passes: 1, scaleSizes: [100, 1_000] } : {}),
      log,
    });
    for (const p of result.policies) {
      if (p.agreement.mismatches > 0) problems.push(`json-rules-engine disagreed with our evaluator on ${p.agreement.mismatches} requests (${p.policy})`);
      if (p.cedarAgreement.mismatches > 0) problems.push(`Cedar disagreed with our evaluator on ${p.cedarAgreement.mismatches} requests (${p.policy})`);
    }
    details.policyEvaluation = { ...result, measuredAt: stamp() };
  }
  if (parts.includes('pipeline')) {
    const result = await benchmarkPipeline({
      ...DEFAULT_PIPELINE_OPTIONS,
      ...(quick
        ? {
            modes: ['separate-process'],
            runs: [
              { concurrency: 1, events: 100 },
              { concurrency: 8, events: 200 },
            ],
            warmupEvents: 50,
          }
        : {}),
      log,
    });
    details.pipeline = { ...result, measuredAt: stamp() };
  }
  if (parts.includes('cold-start')) {
    const result = await benchmarkColdStart({ ...DEFAULT_COLD_START_OPTIONS, ...(quick ? { runs: 3 } : {}), log });
    if (!result.flagsReproduceCdkBundle) {
      problems.push(
        `the cold-start esbuild flags do not reproduce every CDK bundle (${result.bundles
          .filter((b) => !b.entry)
          .map((b) => b.name)
          .join(', ')}): update cdkEsbuildArgs`,
      );
    }
    details.coldStart = { ...result, measuredAt: stamp() };
  }
  if (parts.includes('signing')) {
    const result = simulateSigningMonth(quick ? { ...DEFAULT_SIGNING_MONTH_OPTIONS, requests: 150 } : DEFAULT_SIGNING_MONTH_OPTIONS);
    if (result.current.expiredSilently > 0) problems.push(`${result.current.expiredSilently} simulated requests ended undecided without being reported`);
    log(`signing month: ${result.current.ahead}/${result.current.eligible} ahead of signing (previous schedule ${result.previous.ahead})`);
    details.signingMonth = { ...result, measuredAt: stamp() };
  }
  if (parts.includes('inventory')) {
    const result = await benchmarkInventoryBurst({
      ...DEFAULT_INVENTORY_BURST_OPTIONS,
      ...(quick ? { assignments: 500, redeliveries: 100, baselineEvents: 200 } : {}),
      log,
    });
    if (result.usersAfterBurst !== result.assignments || result.usersAfterRedelivery !== result.assignments) {
      problems.push(
        `inventoryBurst counted ${result.usersAfterBurst} people (${result.usersAfterRedelivery} after redelivery) for ${result.assignments} assignments`,
      );
    }
    details.inventoryBurst = { ...result, measuredAt: stamp() };
  }
  if (parts.includes('cost') || parts.includes('pipeline') || parts.includes('cold-start')) {
    if (details.pipeline && details.coldStart) {
      // The guardrail handler that takes the events (its init is what a cold start of the pipeline costs).
      const handler =
        details.coldStart.bundles.find((b) => b.entry === 'functions/handlers/purchase-request.ts') ??
        details.coldStart.bundles.reduce((a, b) => (a.initMillis.median >= b.initMillis.median ? a : b));
      const result = costPerMillionEvents({
        profile: details.pipeline.calls,
        memoryMb: details.coldStart.functionMemoryMb,
        initMillis: handler.initMillis.median,
      });
      details.cost = { ...result, measuredAt: stamp() };
    } else if (parts.includes('cost')) {
      problems.push('cost needs the pipeline and cold-start figures: run them first (or without --only)');
    }
  }

  const headline: Headline = {
    policyEvalSpeedupVsPeer: details.policyEvaluation?.speedupVsPeer ?? Number.NaN,
    policyEvalSpeedupVsCedar: details.policyEvaluation?.speedupVsCedar ?? Number.NaN,
    policyEvalP99Micros: details.policyEvaluation?.p99Micros ?? Number.NaN,
    pipelineOverFloor: details.pipeline?.headline.batched?.overFloor ?? details.pipeline?.headline.pipelineOverFloor ?? Number.NaN,
    dynamoWritesPerEvent: details.pipeline?.calls.dynamoWritesPerEvent ?? Number.NaN,
    pipelineOverPeer: details.pipeline?.headline.batched?.overPeer ?? details.pipeline?.headline.pipelineOverPeer ?? Number.NaN,
    coldStartOverMinimal: details.coldStart?.coldStartOverMinimal ?? Number.NaN,
    largestBundleKiB: details.coldStart?.largestBundleKiB ?? Number.NaN,
    costPerMillionEventsUsd: details.cost?.costPerMillionEventsUsd ?? Number.NaN,
    costPerMillionEventsExChannelUsd: details.cost?.costPerMillionEventsExChannelUsd ?? Number.NaN,
    aheadOfSigningShare: details.signingMonth?.aheadOfSigningShare ?? Number.NaN,
    inventoryBurstEventsPerSecond: details.inventoryBurst?.eventsPerSecond ?? Number.NaN,
    // Both counts must be exact: a difference after redelivery would show as the lower one.
    inventoryBurstUsersCounted: details.inventoryBurst
      ? Math.min(details.inventoryBurst.usersAfterBurst, details.inventoryBurst.usersAfterRedelivery)
      : Number.NaN,
  };
  const result: BenchResult = {
    schemaVersion: 1,
    measuredAt: stamp(),
    command: quick ? 'npx tsx bench/run.ts --quick' : 'npm run bench',
    ...headline,
    machine: machineInfo(),
    definitions: DEFINITIONS,
    details,
  };
  mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
  const target = quick ? QUICK_RESULT : LATEST_RESULT;
  writeFileSync(target, `${JSON.stringify(result, null, 2)}\n`);
  if (!quick) writeFiguresInto(PERFORMANCE_DOC, renderFigures(result));
  log('');
  for (const [key, value] of Object.entries(headline)) log(`${key.padEnd(34)} ${value}`);
  log(`written ${target}${quick ? '' : ' and docs/performance.md'} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`bench: ${p}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
