/**
 * A simulated month of approvals against the escalation schedule: does IT
 * decide, or hand a request to the next tier, while there is still time
 * before the contract is signed?
 *
 * Method (docs/performance.md): seeded requests arrive over 30 days in working
 * hours, most with an expected signing date (some without); each person asked
 * answers after a log-normal delay or never; a reminder gives them a second,
 * shorter chance. The sweep runs every 15 minutes on a simulated clock and
 * applies the domain's own escalation planner (`initialApprovalState`,
 * `runEscalation`: exactly what the deployed sweep applies to each due
 * record), with in-memory state instead of DynamoDB so a month runs in a
 * second. The schedule is the policy default, and the old one is run on the
 * same requests for comparison.
 */
import {
  DEFAULT_ESCALATION_CONFIG,
  parseEscalationConfig,
  runEscalation,
  signingDeadline,
  type EscalationConfig,
} from '../functions/domain/approvals/escalation';
import { initialApprovalState } from '../functions/domain/approvals/approval-rules';
import type { ApprovalState } from '../functions/domain/approvals/types';
import type { Decision } from '../functions/domain/decision';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SWEEP_EVERY = 15 * 60_000;

export interface SigningMonthOptions {
  requests: number;
  seed: number;
  /** The first day of the simulated month (UTC). */
  start: string;
}

export const DEFAULT_SIGNING_MONTH_OPTIONS: SigningMonthOptions = { requests: 600, seed: 20261201, start: '2027-02-01' };

/** The schedule before this change: remind 72 h, escalate 24 h before signing. */
export const PREVIOUS_SCHEDULE: EscalationConfig = parseEscalationConfig({ reminderLeadHours: 72, escalationLeadHours: 24 });

export const LEAD_BUCKETS = [
  { label: 'after the signing date began', upTo: 0 },
  { label: 'under 24 h', upTo: 24 },
  { label: '24–48 h', upTo: 48 },
  { label: '48–72 h', upTo: 72 },
  { label: '72–120 h', upTo: 120 },
  { label: '5–7 days', upTo: 168 },
  { label: '7–14 days', upTo: 336 },
  { label: '14 days or more', upTo: Number.POSITIVE_INFINITY },
] as const;

export interface ScheduleOutcome {
  schedule: Pick<EscalationConfig, 'reminderLeadHours' | 'escalationLeadHours' | 'minimumGapHours'>;
  /** Requests with a signing date at least 48 h (and one sweep) after arrival: the figure's population. */
  eligible: number;
  /** Of those, decided, or escalated, at least 48 h before the signing date. */
  ahead: number;
  /** Of `ahead`: requests already at the CIO, undecided, whose reminder there came at least 48 h before. */
  topTierChased: number;
  aheadOfSigningShare: number;
  /** Lead time (hours before the signing date) of the first of: decision, escalation; per bucket. */
  leadTimes: { bucket: string; requests: number }[];
  /** Requests that arrived with under 48 h left: hours from arrival to the first escalation (max). */
  lateArrivals: { requests: number; decidedOrEscalated: number; maxHoursToEscalation: number };
  withoutDate: { requests: number; decided: number; escalated: number; expiredReported: number };
  decided: number;
  expiredReported: number;
  /** Undecided with their deadline passed and never reported: must be 0. */
  expiredSilently: number;
}

export interface SigningMonthResult {
  method: string;
  requests: number;
  seed: number;
  withSigningDate: number;
  current: ScheduleOutcome;
  previous: ScheduleOutcome;
  aheadOfSigningShare: number;
}

interface SimRequest {
  receivedAt: number;
  signingDate?: string;
  tier: 'it-manager' | 'it-director' | 'cio';
  /** Per person asked (by escalation level): how long they take to answer, or never. */
  answerHours: (number | undefined)[];
  /** After a reminder: how long they then take, or never. */
  afterReminderHours: (number | undefined)[];
}

export function simulateSigningMonth(options: SigningMonthOptions = DEFAULT_SIGNING_MONTH_OPTIONS): SigningMonthResult {
  const requests = generateRequests(options);
  const current = runSchedule(requests, DEFAULT_ESCALATION_CONFIG);
  const previous = runSchedule(requests, PREVIOUS_SCHEDULE);
  return {
    method:
      'Domain escalation planner (initialApprovalState + runEscalation, as the deployed sweep applies them) on a simulated clock with a sweep every 15 minutes; in-memory state, seeded requests and approver delays.',
    requests: requests.length,
    seed: options.seed,
    withSigningDate: requests.filter((r) => r.signingDate).length,
    current,
    previous,
    aheadOfSigningShare: current.aheadOfSigningShare,
  };
}

/** mulberry32: small, seeded, good enough for a workload generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generateRequests(options: SigningMonthOptions): SimRequest[] {
  const rnd = random(options.seed);
  const logNormalHours = (medianHours: number, sigma: number) => {
    const u = Math.max(rnd(), 1e-9);
    const v = rnd();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return medianHours * Math.exp(sigma * z);
  };
  const start = Date.parse(`${options.start}T00:00:00Z`);
  const out: SimRequest[] = [];
  while (out.length < options.requests) {
    // Working hours on weekdays, 08:00–18:00 UTC.
    const day = Math.floor(rnd() * 30);
    const dow = new Date(start + day * DAY).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const receivedAt = start + day * DAY + (8 + rnd() * 10) * HOUR;
    // Signing lead as requesters give it: 15% none, some the same week, most two to four weeks out.
    const p = rnd();
    const leadDays =
      p < 0.15
        ? undefined
        : p < 0.25
          ? 1 + Math.floor(rnd() * 3)
          : p < 0.5
            ? 3 + Math.floor(rnd() * 5)
            : p < 0.85
              ? 7 + Math.floor(rnd() * 21)
              : 28 + Math.floor(rnd() * 30);
    const signingDate = leadDays === undefined ? undefined : new Date(receivedAt + leadDays * DAY).toISOString().slice(0, 10);
    const t = rnd();
    const tier = t < 0.7 ? 'it-manager' : t < 0.9 ? 'it-director' : 'cio';
    // Each person asked: median a day (longer up the tiers), a fifth never answer without a nudge.
    const medians = [20, 30, 40, 40];
    const answerHours = medians.map((m) => (rnd() < 0.2 ? undefined : logNormalHours(m, 1.0)));
    const afterReminderHours = medians.map(() => (rnd() < 0.5 ? undefined : logNormalHours(6, 0.8)));
    out.push({ receivedAt, ...(signingDate ? { signingDate } : {}), tier, answerHours, afterReminderHours });
  }
  return out.sort((a, b) => a.receivedAt - b.receivedAt);
}

function decisionFor(r: SimRequest, i: number): Decision {
  return {
    kind: 'purchase-request',
    recordId: `SIM-${i}`,
    outcome: 'review',
    severity: 'medium',
    findings: [],
    summary: 'Simulated review',
    requiredApprover: r.tier,
    twoStepApproval: false,
    policyVersion: 'simulation',
    evaluatedAt: new Date(r.receivedAt).toISOString(),
  };
}

interface Track {
  state: ApprovalState;
  /** When each level's addressee was asked, reminded. */
  askedAt: number[];
  remindedAt: (number | undefined)[];
  decidedAt?: number;
  firstEscalationAt?: number;
  /** Reminded at the CIO, the top tier, where there is nobody left to escalate to. */
  topTierRemindedAt?: number;
  expiredAt?: number;
}

/** When the request is first answered, given who was asked and reminded when. */
function answerTime(r: SimRequest, t: Track): number | undefined {
  const times: number[] = [];
  t.askedAt.forEach((asked, level) => {
    const h = r.answerHours[level];
    if (h !== undefined) times.push(asked + h * HOUR);
    const reminded = t.remindedAt[level];
    const after = r.afterReminderHours[level];
    if (reminded !== undefined && after !== undefined) times.push(reminded + after * HOUR);
  });
  return times.length ? Math.min(...times) : undefined;
}

function runSchedule(requests: SimRequest[], config: EscalationConfig): ScheduleOutcome {
  const tracks: Track[] = requests.map((r, i) => {
    const state = initialApprovalState(decisionFor(r, i), new Date(r.receivedAt), {
      expectedSigningDate: r.signingDate,
      receivedAt: new Date(r.receivedAt),
      escalation: config,
    });
    return { state, askedAt: [r.receivedAt], remindedAt: [] };
  });
  const first = requests[0].receivedAt;
  const last = Math.max(
    ...requests.map((r) => (r.signingDate ? signingDeadline(r.signingDate).getTime() : r.receivedAt + config.noDateExpireAfterHours * HOUR)),
  );
  for (let now = Math.ceil(first / SWEEP_EVERY) * SWEEP_EVERY; now <= last + DAY; now += SWEEP_EVERY) {
    requests.forEach((r, i) => {
      const track = tracks[i];
      if (r.receivedAt > now || track.decidedAt !== undefined || track.expiredAt !== undefined) return;
      const answer = answerTime(r, track);
      if (answer !== undefined && answer <= now) {
        track.decidedAt = answer;
        return;
      }
      const due = track.state.escalation.nextDueAt;
      if (!due || Date.parse(due) > now) return;
      const out = runEscalation({
        state: track.state,
        recordId: `SIM-${i}`,
        expectedSigningDate: r.signingDate,
        receivedAt: new Date(r.receivedAt),
        config,
        now: new Date(now),
      });
      track.state = out.state;
      if (out.plan.action === 'remind') {
        track.remindedAt[track.state.escalation.level] = now;
        if (track.state.escalation.currentTier === 'cio') track.topTierRemindedAt ??= now;
      }
      if (out.plan.action === 'escalate') {
        track.askedAt[track.state.escalation.level] = now;
        track.firstEscalationAt ??= now;
      }
      if (out.plan.action === 'expire') track.expiredAt = now;
    });
  }
  return summarise(requests, tracks, config);
}

function summarise(requests: SimRequest[], tracks: Track[], config: EscalationConfig): ScheduleOutcome {
  let eligible = 0;
  let ahead = 0;
  const buckets = LEAD_BUCKETS.map((b) => ({ bucket: b.label, requests: 0 }));
  const late = { requests: 0, decidedOrEscalated: 0, maxHoursToEscalation: 0 };
  const withoutDate = { requests: 0, decided: 0, escalated: 0, expiredReported: 0 };
  let expiredSilently = 0;
  let topTierChased = 0;
  requests.forEach((r, i) => {
    const t = tracks[i];
    if (t.decidedAt === undefined && t.expiredAt === undefined) expiredSilently++;
    if (!r.signingDate) {
      withoutDate.requests++;
      if (t.decidedAt !== undefined) withoutDate.decided++;
      if (t.firstEscalationAt !== undefined) withoutDate.escalated++;
      if (t.expiredAt !== undefined) withoutDate.expiredReported++;
      return;
    }
    const deadline = signingDeadline(r.signingDate).getTime();
    // At the CIO nobody is above: its reminder is the last step up there is, so it counts as the escalation.
    const acted = Math.min(t.decidedAt ?? Infinity, t.firstEscalationAt ?? Infinity, t.topTierRemindedAt ?? Infinity);
    if (deadline - r.receivedAt < 48 * HOUR + SWEEP_EVERY) {
      late.requests++;
      if (Number.isFinite(acted)) late.decidedOrEscalated++;
      if (t.firstEscalationAt !== undefined)
        late.maxHoursToEscalation = Math.max(late.maxHoursToEscalation, round((t.firstEscalationAt - r.receivedAt) / HOUR, 2));
      return;
    }
    eligible++;
    const leadHours = Number.isFinite(acted) ? (deadline - acted) / HOUR : -1;
    if (leadHours >= 48) ahead++;
    if (leadHours >= 48 && t.decidedAt === undefined && t.firstEscalationAt === undefined) topTierChased++;
    const index = LEAD_BUCKETS.findIndex((b) => leadHours < b.upTo || (b.upTo === 0 && leadHours <= 0));
    buckets[index].requests++;
  });
  return {
    schedule: { reminderLeadHours: config.reminderLeadHours, escalationLeadHours: config.escalationLeadHours, minimumGapHours: config.minimumGapHours },
    eligible,
    ahead,
    topTierChased,
    aheadOfSigningShare: eligible === 0 ? Number.NaN : round(ahead / eligible, 4),
    leadTimes: buckets,
    lateArrivals: late,
    withoutDate,
    decided: tracks.filter((t) => t.decidedAt !== undefined).length,
    expiredReported: tracks.filter((t) => t.expiredAt !== undefined).length,
    expiredSilently,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
