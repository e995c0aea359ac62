/**
 * Policy simulation: the stored requests decided again under a candidate
 * policy, with the very evaluation the Lambdas run (`preparePolicy` +
 * `evaluateEvent`), to list every decision that would change before the
 * policy goes live. It only reads: records arrive as pages from whatever
 * store holds them, nothing is written, the current policy is not touched.
 *
 * Time matters to some rules (lead time before signing, lapsed security
 * reviews), so each request is evaluated at the time it was first evaluated
 * (its stored `evaluatedAt`) unless `now` says otherwise.
 */
import type { Decision, Finding, Outcome } from '../../decision';
import { OUTCOMES } from '../../decision';
import { errorMessage } from '../../errors';
import { evaluateEvent } from '../../evaluate';
import type { GuardrailEvent } from '../../events';
import { INSTANT_FORMS, parseInstant } from '../../instants';
import type { Policy } from '../../policy';
import { preparePolicy } from '../../prepared-policy';

/** What the simulation reads of a stored record. */
export interface StoredDecision {
  recordId: string;
  receivedAt: string;
  event: GuardrailEvent;
  decision: Decision;
}

export interface FindingSummary {
  code: string;
  severity: Finding['severity'];
  message: string;
}

export interface DecisionSide {
  outcome: Outcome;
  severity: Decision['severity'];
  requiredApprover?: Decision['requiredApprover'];
}

export interface SimulatedChange {
  recordId: string;
  kind: GuardrailEvent['kind'];
  /** The vendor or app, as the catalogue or the request names it. */
  subject: string;
  department?: string;
  receivedAt: string;
  /** The policy version the stored decision was made under. */
  storedPolicyVersion: string;
  /** The instant the request was evaluated at in the simulation. */
  evaluatedAt: string;
  before: DecisionSide;
  after: DecisionSide;
  findingsAdded: FindingSummary[];
  findingsRemoved: FindingSummary[];
}

export interface OutcomeTransition {
  from: Outcome;
  to: Outcome;
  count: number;
}

export interface SimulationTotals {
  /** Records read from the store (before `since` and `limit`). */
  scanned: number;
  evaluated: number;
  unchanged: number;
  changed: number;
  /** Of the changed, those whose outcome changed (the rest changed findings, severity or approver only). */
  outcomeChanged: number;
  failed: number;
  /** Changed decisions by outcome before → after, most frequent first. */
  transitions: OutcomeTransition[];
  /** Outcomes of the evaluated records, stored and simulated. */
  outcomes: { before: Record<Outcome, number>; after: Record<Outcome, number> };
}

export interface PolicySimulation {
  policy: { version: string; vendors: number; categories: number };
  /** `original` (each request at its stored evaluation time) or the ISO instant every request was evaluated at. */
  evaluatedAt: 'original' | string;
  since?: string;
  limit?: number;
  totals: SimulationTotals;
  /** Newest first. */
  changes: SimulatedChange[];
  failures: Array<{ recordId: string; error: string }>;
}

export interface SimulationProgress {
  scanned: number;
  evaluated: number;
  changed: number;
}

export interface SimulationInput {
  candidate: Policy;
  /** Stored records, a page at a time (a Scan's pages, or one page of everything). */
  pages: AsyncIterable<readonly StoredDecision[]>;
  /** Only requests received at or after this instant. */
  since?: Date;
  /** Only the `limit` most recently received requests. */
  limit?: number;
  /** Evaluate every request as of this instant instead of its original evaluation time. */
  now?: Date;
  /** Called after each page. */
  onProgress?(progress: SimulationProgress): void;
}

export type SimulationOptions = Pick<SimulationInput, 'since' | 'limit' | 'now'>;

/**
 * `since`, `limit` and `now` as typed (CLI flags, query parameters): each
 * checked, every problem named. `now` may be the word `now` (the clock's time).
 */
export function parseSimulationOptions(
  raw: { since?: string; limit?: string; now?: string },
  clock: () => Date,
): { options: SimulationOptions; problems: string[] } {
  const options: SimulationOptions = {};
  const problems: string[] = [];
  if (raw.since !== undefined) {
    const since = parseInstant(raw.since);
    if (since) options.since = since;
    else problems.push(`since: "${raw.since}" is not ${INSTANT_FORMS}`);
  }
  if (raw.limit !== undefined) {
    const limit = Number(raw.limit.trim());
    if (/^\d+$/.test(raw.limit.trim()) && limit >= 1 && limit <= 10_000_000) options.limit = limit;
    else problems.push(`limit: "${raw.limit}" is not a whole number of requests from 1 to 10,000,000`);
  }
  if (raw.now !== undefined) {
    const now = raw.now.trim().toLowerCase() === 'now' ? clock() : parseInstant(raw.now);
    if (now) options.now = now;
    else problems.push(`now: "${raw.now}" is not "now" or ${INSTANT_FORMS}`);
  }
  return { options, problems };
}

export async function simulatePolicy(input: SimulationInput): Promise<PolicySimulation> {
  const prepared = preparePolicy(input.candidate);
  const since = input.since?.toISOString();
  const limit = input.limit;
  const changes: SimulatedChange[] = [];
  const failures: PolicySimulation['failures'] = [];
  const outcomes = { before: zeroOutcomes(), after: zeroOutcomes() };
  let scanned = 0;
  let evaluated = 0;
  // With a limit only the newest `limit` records are decided: keep a bounded buffer while reading.
  let newest: StoredDecision[] = [];

  const evaluate = (stored: StoredDecision) => {
    const at = input.now ?? originalTime(stored);
    let decision: Decision;
    let change: SimulatedChange | undefined;
    try {
      // A record stored by an older version may lack what the rules read today: reported, the rest go on.
      decision = evaluateEvent(stored.event, prepared, at);
      change = decisionChange(stored, decision, at);
    } catch (error) {
      failures.push({ recordId: stored.recordId, error: errorMessage(error) });
      return;
    }
    evaluated++;
    if (stored.decision.outcome in outcomes.before) outcomes.before[stored.decision.outcome]++;
    outcomes.after[decision.outcome]++;
    if (change) changes.push(change);
  };

  for await (const page of input.pages) {
    scanned += page.length;
    const wanted = since === undefined ? page : page.filter((r) => r.receivedAt >= since);
    if (limit === undefined) wanted.forEach(evaluate);
    else {
      newest.push(...wanted);
      if (newest.length > 2 * limit) newest = newestFirst(newest).slice(0, limit);
    }
    input.onProgress?.({ scanned, evaluated, changed: changes.length });
  }
  if (limit !== undefined) {
    newestFirst(newest).slice(0, limit).forEach(evaluate);
    input.onProgress?.({ scanned, evaluated, changed: changes.length });
  }

  const simulation: PolicySimulation = {
    policy: { version: input.candidate.version, vendors: input.candidate.vendors.length, categories: input.candidate.categories.length },
    evaluatedAt: input.now ? input.now.toISOString() : 'original',
    totals: totalsOf(scanned, evaluated, changes, failures.length, outcomes),
    changes: newestFirst(changes),
    failures,
  };
  if (since !== undefined) simulation.since = since;
  if (limit !== undefined) simulation.limit = limit;
  return simulation;
}

/** What differs between a stored decision and the simulated one; undefined when nothing a person acts on does. */
export function decisionChange(stored: StoredDecision, simulated: Decision, at: Date): SimulatedChange | undefined {
  const before = sideOf(stored.decision);
  const after = sideOf(simulated);
  const findingsAdded = findingsMissing(simulated.findings, stored.decision.findings);
  const findingsRemoved = findingsMissing(stored.decision.findings, simulated.findings);
  const sameSide = before.outcome === after.outcome && before.severity === after.severity && before.requiredApprover === after.requiredApprover;
  if (sameSide && findingsAdded.length === 0 && findingsRemoved.length === 0) return undefined;
  const { event } = stored;
  const change: SimulatedChange = {
    recordId: stored.recordId,
    kind: event.kind,
    subject:
      simulated.vendor?.name ??
      (event.kind === 'purchase-request'
        ? (event.detail.vendor.name ?? event.detail.vendor.domain ?? event.detail.product ?? 'vendor not stated')
        : event.detail.app.name),
    receivedAt: stored.receivedAt,
    storedPolicyVersion: stored.decision.policyVersion,
    evaluatedAt: at.toISOString(),
    before,
    after,
    findingsAdded,
    findingsRemoved,
  };
  const department = event.kind === 'purchase-request' ? event.detail.requester.department : event.detail.department;
  if (department !== undefined) change.department = department;
  return change;
}

function sideOf(decision: Decision): DecisionSide {
  const side: DecisionSide = { outcome: decision.outcome, severity: decision.severity };
  if (decision.requiredApprover !== undefined) side.requiredApprover = decision.requiredApprover;
  return side;
}

/** Findings of `from` that `other` does not have (same code, severity and message), counting repeats. */
function findingsMissing(from: readonly Finding[], other: readonly Finding[]): FindingSummary[] {
  const key = (f: Finding) => `${f.code}\u0000${f.severity}\u0000${f.message}`;
  const available = new Map<string, number>();
  for (const f of other) available.set(key(f), (available.get(key(f)) ?? 0) + 1);
  const missing: FindingSummary[] = [];
  for (const f of from) {
    const left = available.get(key(f)) ?? 0;
    if (left > 0) available.set(key(f), left - 1);
    else missing.push({ code: f.code, severity: f.severity, message: f.message });
  }
  return missing;
}

function originalTime(stored: StoredDecision): Date {
  for (const candidate of [stored.decision.evaluatedAt, stored.receivedAt]) {
    const time = new Date(candidate);
    if (!Number.isNaN(time.getTime())) return time;
  }
  return new Date(0);
}

function newestFirst<T extends { receivedAt: string; recordId: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.receivedAt === b.receivedAt ? (a.recordId < b.recordId ? -1 : 1) : a.receivedAt < b.receivedAt ? 1 : -1));
}

function zeroOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

function totalsOf(scanned: number, evaluated: number, changes: SimulatedChange[], failed: number, outcomes: SimulationTotals['outcomes']): SimulationTotals {
  const counts = new Map<string, OutcomeTransition>();
  for (const c of changes) {
    const key = `${c.before.outcome}>${c.after.outcome}`;
    const entry = counts.get(key) ?? { from: c.before.outcome, to: c.after.outcome, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  const rank = (o: Outcome) => OUTCOMES.indexOf(o);
  const transitions = [...counts.values()].sort((a, b) => b.count - a.count || rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
  const outcomeChanged = changes.filter((c) => c.before.outcome !== c.after.outcome).length;
  return { scanned, evaluated, unchanged: evaluated - changes.length, changed: changes.length, outcomeChanged, failed, transitions, outcomes };
}
