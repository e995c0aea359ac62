/**
 * Benchmark 1: policy evaluation. Decisions per second and per-decision
 * p50/p99 on 10,000 mixed purchase requests, for policy/default.yaml and for
 * a generated large policy; the json-rules-engine peer on the very same
 * requests, its decisions checked equal to ours; and evaluation time at
 * 100 / 10,000 / 100,000 catalogue vendors, to show lookups do not grow with
 * the catalogue. A second peer, Cedar (the policy language of Amazon Verified
 * Permissions), decides the same requests from the same rules as policies
 * (bench/peer/cedar), its decisions checked equal to ours too.
 */
import { join } from 'node:path';
import { loadPolicyFile } from '../functions/adapters/policy-file';
import { evaluatePurchaseRequest } from '../functions/domain/evaluate';
import type { PurchaseRequest } from '../functions/domain/events';
import type { Policy } from '../functions/domain/policy';
import { preparePolicy, type PreparedPolicy } from '../functions/domain/prepared-policy';
import { CedarPeer, cedarVersion } from './peer/cedar/peer';
import type { PeerDecision } from './peer/decision';
import { JsonRulesEnginePeer } from './peer/json-rules-engine/rules';
import { LARGE_POLICY_SHAPE, generateLargePolicy } from './support/large-policy';
import { BENCH_NOW, generatePurchaseRequests } from './support/requests';
import { median, nowNs, nsToMicros, round, rounded, significant, summarise, type LatencySummary } from './support/stats';

export const PROJECT_ROOT = join(__dirname, '..');

export interface PolicyEvalOptions {
  requests: number;
  /** Passes over the requests for throughput; the median pass is reported. */
  passes: number;
  scaleSizes: number[];
  log: (line: string) => void;
}

export const DEFAULT_POLICY_EVAL_OPTIONS: Omit<PolicyEvalOptions, 'log'> = {
  requests: 10_000,
  passes: 3,
  scaleSizes: [100, 10_000, 100_000],
};

export interface EvaluatorFigures {
  decisionsPerSecond: number;
  /** Per decision, microseconds. */
  latencyMicros: LatencySummary;
}

export interface PolicyFigures {
  policy: string;
  version: string;
  vendors: number;
  categories: number;
  departmentOverrides: number;
  requests: number;
  outcomes: Record<string, number>;
  ours: EvaluatorFigures;
  peer: EvaluatorFigures & { engine: 'json-rules-engine'; version: string; rules: number };
  /** Every request compared on outcome, finding codes and required approver. */
  agreement: Agreement;
  speedupVsPeer: number;
  cedar: EvaluatorFigures & { engine: 'cedar'; version: string; policies: number };
  cedarAgreement: Agreement;
  speedupVsCedar: number;
}

export interface Agreement {
  compared: number;
  mismatches: number;
  firstMismatches: unknown[];
}

export interface ScaleFigures {
  vendors: number;
  sanctionedPerCategory: number;
  /** Building the catalogue and indexes once per policy version (what a cold policy cache pays). */
  prepareMillis: number;
  /** Per decision on 10,000 requests against this catalogue. */
  latencyMicros: LatencySummary;
  /** One catalogue lookup (name, alias, domain or normalised), nanoseconds, averaged over every request's lookups. */
  catalogueMatchNanos: number;
}

export interface PolicyEvalResult {
  policies: PolicyFigures[];
  scale: ScaleFigures[];
  /** The middle catalogue size with 30 sanctioned vendors per category instead of 3 (what does grow). */
  manyAlternatives: ScaleFigures;
  /** p50 per decision at the largest catalogue over the smallest: about 1 means flat. */
  scaleGrowth: number;
  /** The smaller of the two policies' speedups (conservative headline). */
  speedupVsPeer: number;
  /** The same over Cedar. */
  speedupVsCedar: number;
  /** The larger of the two policies' p99 per decision, µs (conservative headline). */
  p99Micros: number;
}

export async function benchmarkPolicyEvaluation(options: PolicyEvalOptions): Promise<PolicyEvalResult> {
  const base = loadPolicyFile(join(PROJECT_ROOT, 'policy', 'default.yaml'));
  const large = generateLargePolicy(base, LARGE_POLICY_SHAPE);
  const policies: PolicyFigures[] = [];
  for (const [label, policy] of [
    ['policy/default.yaml', base],
    [
      `generated (${LARGE_POLICY_SHAPE.vendors} vendors, ${LARGE_POLICY_SHAPE.categories} categories, ${LARGE_POLICY_SHAPE.departmentOverrides} department overrides)`,
      large,
    ],
  ] as const) {
    options.log(`policy evaluation: ${label}`);
    policies.push(await comparePolicy(label, policy, options));
  }

  const scale: ScaleFigures[] = [];
  for (const vendors of options.scaleSizes) {
    options.log(`policy evaluation: catalogue of ${vendors} vendors`);
    scale.push(measureScale(base, vendors, 3, options));
  }
  const smallest = scale[0];
  const largest = scale[scale.length - 1];
  // What does grow: findings list every sanctioned alternative of the category, so more of them mean longer messages.
  const middle = options.scaleSizes[Math.floor(options.scaleSizes.length / 2)];
  options.log(`policy evaluation: catalogue of ${middle} vendors, 30 sanctioned per category`);
  const alternatives = measureScale(base, middle, 30, options);
  return {
    policies,
    scale,
    manyAlternatives: alternatives,
    scaleGrowth: significant(largest.latencyMicros.p50 / smallest.latencyMicros.p50),
    speedupVsPeer: Math.min(...policies.map((p) => p.speedupVsPeer)),
    speedupVsCedar: Math.min(...policies.map((p) => p.speedupVsCedar)),
    p99Micros: Math.max(...policies.map((p) => p.ours.latencyMicros.p99)),
  };
}

async function comparePolicy(label: string, policy: Policy, options: PolicyEvalOptions): Promise<PolicyFigures> {
  const prepared = preparePolicy(policy);
  const requests = generatePurchaseRequests(policy, options.requests, { seed: 1127, idPrefix: 'EVAL' });
  const peer = new JsonRulesEnginePeer(prepared);
  const cedar = new CedarPeer(prepared);

  // Correctness first: a speed figure for a peer that decides differently would mean nothing.
  const agreement: Agreement = { compared: 0, mismatches: 0, firstMismatches: [] };
  const cedarAgreement: Agreement = { compared: 0, mismatches: 0, firstMismatches: [] };
  const outcomes: Record<string, number> = {};
  for (const request of requests) {
    const ours = evaluatePurchaseRequest(request, prepared, BENCH_NOW);
    const decided = { outcome: ours.outcome, codes: [...new Set(ours.findings.map((f) => f.code))].sort(), approver: ours.requiredApprover };
    outcomes[ours.outcome] = (outcomes[ours.outcome] ?? 0) + 1;
    compareDecision(agreement, request.requestId, decided, await peer.evaluate(request, BENCH_NOW));
    compareDecision(cedarAgreement, request.requestId, decided, cedar.evaluate(request, BENCH_NOW));
  }

  const ours = measureSync(requests, (r) => evaluatePurchaseRequest(r, prepared, BENCH_NOW), options.passes);
  // The agreement pass above already warmed the peer on every request; its passes are slow, so fewer of them.
  const theirs = await measureAsync(requests, (r) => peer.evaluate(r, BENCH_NOW), Math.min(options.passes, 1));
  // Cedar is synchronous: measured exactly as ours is, building its entities and context inside each call.
  const cedarFigures = measureSync(requests, (r) => cedar.evaluate(r, BENCH_NOW), options.passes);
  options.log(
    `  ours ${Math.round(ours.decisionsPerSecond)}/s p99 ${ours.latencyMicros.p99} µs; json-rules-engine ${Math.round(theirs.decisionsPerSecond)}/s p99 ${theirs.latencyMicros.p99} µs; cedar ${Math.round(cedarFigures.decisionsPerSecond)}/s p99 ${cedarFigures.latencyMicros.p99} µs; mismatches ${agreement.mismatches} / ${cedarAgreement.mismatches}`,
  );
  return {
    policy: label,
    version: policy.version,
    vendors: policy.vendors.length,
    categories: policy.categories.length,
    departmentOverrides: policy.spend.departmentOverrides.length,
    requests: requests.length,
    outcomes,
    ours,
    peer: { ...theirs, engine: 'json-rules-engine', version: jsonRulesEngineVersion(), rules: peer.ruleCount },
    agreement,
    speedupVsPeer: significant(ours.decisionsPerSecond / theirs.decisionsPerSecond),
    cedar: { ...cedarFigures, engine: 'cedar', version: cedarVersion(), policies: cedar.policyCount },
    cedarAgreement,
    speedupVsCedar: significant(ours.decisionsPerSecond / cedarFigures.decisionsPerSecond),
  };
}

function compareDecision(
  agreement: Agreement,
  requestId: string,
  ours: { outcome: string; codes: string[]; approver: string | undefined },
  theirs: PeerDecision,
): void {
  agreement.compared++;
  if (ours.outcome === theirs.outcome && ours.codes.join(',') === theirs.codes.join(',') && ours.approver === theirs.requiredApprover) return;
  agreement.mismatches++;
  if (agreement.firstMismatches.length < 5) agreement.firstMismatches.push({ requestId, ours, peer: theirs });
}

/**
 * Throughput: whole passes over the requests without per-call timers (the
 * median pass). Latency: a separate pass timing every call.
 */
function measureSync(requests: readonly PurchaseRequest[], decide: (r: PurchaseRequest) => unknown, passes: number): EvaluatorFigures {
  let sink = 0;
  for (let i = 0; i < Math.min(2_000, requests.length); i++) sink += decide(requests[i]) ? 1 : 0; // warm-up (JIT)
  const rates: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const t0 = nowNs();
    for (const request of requests) sink += decide(request) ? 1 : 0;
    rates.push(requests.length / (Number(nowNs() - t0) / 1e9));
  }
  const samples = new Array<number>(requests.length);
  requests.forEach((request, i) => {
    const t0 = nowNs();
    sink += decide(request) ? 1 : 0;
    samples[i] = nsToMicros(nowNs() - t0);
  });
  if (sink < 0) throw new Error('unreachable'); // keeps the results alive for the optimiser
  return { decisionsPerSecond: Math.round(median(rates)), latencyMicros: rounded(summarise(samples)) };
}

async function measureAsync(requests: readonly PurchaseRequest[], decide: (r: PurchaseRequest) => Promise<unknown>, passes: number): Promise<EvaluatorFigures> {
  for (let i = 0; i < Math.min(500, requests.length); i++) await decide(requests[i]);
  const rates: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const t0 = nowNs();
    for (const request of requests) await decide(request);
    rates.push(requests.length / (Number(nowNs() - t0) / 1e9));
  }
  const samples = new Array<number>(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const t0 = nowNs();
    await decide(requests[i]);
    samples[i] = nsToMicros(nowNs() - t0);
  }
  return { decisionsPerSecond: Math.round(median(rates)), latencyMicros: rounded(summarise(samples)) };
}

function measureScale(base: Policy, vendors: number, sanctionedPerCategory: number, options: PolicyEvalOptions): ScaleFigures {
  const policy = generateLargePolicy(base, { ...LARGE_POLICY_SHAPE, vendors, sanctionedPerCategory });
  const t0 = nowNs();
  const prepared: PreparedPolicy = preparePolicy(policy);
  const prepareMillis = round(Number(nowNs() - t0) / 1e6);
  if (prepared.catalogue.problems.length > 0) throw new Error(`generated catalogue has problems: ${prepared.catalogue.problems[0]}`);
  const requests = generatePurchaseRequests(policy, options.requests, { seed: 2027, idPrefix: 'SCALE' });
  const figures = measureSync(requests, (r) => evaluatePurchaseRequest(r, prepared, BENCH_NOW), 1);

  // The lookup alone: each request's product, then vendor name and domain, as evaluation does.
  let hits = 0;
  for (let i = 0; i < 2_000; i++) hits += prepared.catalogue.match(requests[i % requests.length].product ?? '') ? 1 : 0;
  const lookups = requests.length * 2;
  const t1 = nowNs();
  for (const request of requests) {
    hits += prepared.catalogue.match(request.product ?? '') ? 1 : 0;
    hits += prepared.catalogue.match(request.vendor.name ?? '', request.vendor.domain) ? 1 : 0;
  }
  const catalogueMatchNanos = round(Number(nowNs() - t1) / lookups, 0);
  if (hits < 0) throw new Error('unreachable');
  return { vendors, sanctionedPerCategory, prepareMillis, latencyMicros: figures.latencyMicros, catalogueMatchNanos };
}

function jsonRulesEngineVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('json-rules-engine/package.json') as { version: string }).version;
}
