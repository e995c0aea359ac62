/**
 * What matters now, for the console's home page: pending approvals by
 * deadline, this week's decisions by outcome, apps seen for the first time
 * this week, and spend requested by department over the last 30 days.
 * Pure: the caller brings the records the signed-in person may see.
 */
import { requestSummaryOf, type RequestSummary } from '../../approvals';
import type { EscalationConfig } from '../../approvals/escalation';
import { OUTCOMES, type Outcome } from '../../decision';
import type { RequestRecord } from '../../records';
import { departmentOfRecord } from './request-list';

const DAY_MS = 86_400_000;
export const WEEK_DAYS = 7;
export const SPEND_DAYS = 30;

export const DEADLINE_BUCKETS = ['overdue', 'today', 'this week', 'later', 'no deadline'] as const;
export type DeadlineBucket = (typeof DEADLINE_BUCKETS)[number];

export interface Overview {
  now: string;
  pending: { total: number; byDeadline: Record<DeadlineBucket, number>; soonest: RequestSummary[] };
  decisionsThisWeek: { evaluated: Record<Outcome, number>; approved: number; rejected: number };
  newApps: { name: string; firstSeen: string; department?: string; source: string; people: number; outcome: Outcome }[];
  spendByDepartment: { department: string; annualised: number; requests: number }[];
  spendCurrency?: string;
}

function bucketOf(deadline: string | undefined, now: Date): DeadlineBucket {
  if (!deadline) return 'no deadline';
  const hours = (Date.parse(deadline) - now.getTime()) / 3_600_000;
  if (hours < 0) return 'overdue';
  if (hours < 24) return 'today';
  if (hours < 24 * WEEK_DAYS) return 'this week';
  return 'later';
}

export function overviewOf(input: {
  open: readonly RequestRecord[];
  records: readonly RequestRecord[];
  now: Date;
  escalation?: EscalationConfig;
  soonest?: number;
}): Overview {
  const { now } = input;
  const weekAgo = now.getTime() - WEEK_DAYS * DAY_MS;
  const spendSince = now.getTime() - SPEND_DAYS * DAY_MS;
  const summaries = input.open.map((r) => requestSummaryOf(r, input.escalation));
  const byDeadline = Object.fromEntries(DEADLINE_BUCKETS.map((b) => [b, 0])) as Record<DeadlineBucket, number>;
  for (const s of summaries) byDeadline[bucketOf(s.deadline, now)] += 1;
  const soonest = [...summaries]
    .sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.recordId.localeCompare(b.recordId))
    .slice(0, input.soonest ?? 8);

  const evaluated = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  let approved = 0;
  let rejected = 0;
  const firstSeen = new Map<string, RequestRecord>();
  const people = new Map<string, Set<string>>();
  const spend = new Map<string, { department: string; annualised: number; requests: number }>();
  let spendCurrency: string | undefined;
  for (const r of [...input.records].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.recordId.localeCompare(b.recordId))) {
    const received = Date.parse(r.receivedAt);
    if (received > now.getTime()) continue;
    if (received >= weekAgo) evaluated[r.decision.outcome] += 1;
    const decidedAt = r.approval.decidedAt ? Date.parse(r.approval.decidedAt) : NaN;
    if (decidedAt >= weekAgo && decidedAt <= now.getTime()) {
      if (r.approval.status === 'approved') approved += 1;
      if (r.approval.status === 'rejected') rejected += 1;
    }
    if (r.kind === 'app-connected') {
      if (r.decision.findings.some((f) => f.code === 'MANAGED_APP')) continue;
      const name = r.decision.vendor && r.decision.vendor.confidence !== 'low' ? r.decision.vendor.name : r.detail.app.name;
      const key = name.toLowerCase();
      if (!firstSeen.has(key)) firstSeen.set(key, r);
      const person = r.detail.subject?.email ?? r.detail.actor.email;
      if (person) people.set(key, (people.get(key) ?? new Set()).add(person.toLowerCase()));
    } else if (received >= spendSince && r.decision.spend) {
      const department = departmentOfRecord(r)?.trim() || 'No department stated';
      const entry = spend.get(department.toLowerCase()) ?? { department, annualised: 0, requests: 0 };
      entry.annualised += r.decision.spend.annualised;
      entry.requests += 1;
      spend.set(department.toLowerCase(), entry);
      spendCurrency ??= r.decision.spend.currency;
    }
  }
  const newApps = [...firstSeen.entries()]
    .filter(([, r]) => Date.parse(r.receivedAt) >= weekAgo)
    .map(([key, r]) => {
      const d = (r as Extract<RequestRecord, { kind: 'app-connected' }>).detail;
      return {
        name: r.decision.vendor && r.decision.vendor.confidence !== 'low' ? r.decision.vendor.name : d.app.name,
        firstSeen: r.receivedAt,
        ...(d.department ? { department: d.department } : {}),
        source: d.source,
        people: people.get(key)?.size ?? 0,
        outcome: r.decision.outcome,
      };
    })
    .sort((a, b) => b.firstSeen.localeCompare(a.firstSeen) || a.name.localeCompare(b.name));
  return {
    now: now.toISOString(),
    pending: { total: summaries.length, byDeadline, soonest },
    decisionsThisWeek: { evaluated, approved, rejected },
    newApps,
    spendByDepartment: [...spend.values()].sort((a, b) => b.annualised - a.annualised || a.department.localeCompare(b.department)),
    ...(spendCurrency ? { spendCurrency } : {}),
  };
}
