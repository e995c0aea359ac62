/**
 * The renewal guard, run by the escalation sweep once a day: for each renewal
 * on the calendar, the step that is due (reminder to the owner, a second
 * reminder, escalation to IT), claimed with a conditional put before its
 * message goes out so it is never sent twice, and given back if sending
 * failed so the next pass tries again. A renewal that fails does not stop
 * the others.
 */
import { errorMessage } from '../../errors';
import { renewalMessage } from '../../notifications';
import type { ServiceLogger } from '../../ports/logger';
import type { Notifier } from '../../ports/notifier';
import type { PolicySource } from '../../ports/policy-source';
import type { RenewalLinkIssuer } from '../../ports/renewal-link-issuer';
import type { ApprovedContractSource, RenewalStore } from '../../ports/renewal-store';
import { renewalCalendar, type Renewal, type SeatsUsedSource } from '../../renewals/calendar';
import { dueRenewalStep, renewalStanding, type RenewalAction, type RenewalDecision, type RenewalHistory, type RenewalStanding } from '../../renewals/schedule';

export interface RenewalDeps {
  policy: PolicySource;
  renewals: RenewalStore;
  contracts: ApprovedContractSource;
  seatsUsed: SeatsUsedSource;
  notifier: Notifier;
  renewalLinks?: RenewalLinkIssuer;
  logger?: ServiceLogger;
}

export interface RenewalGuardReport {
  /** False when today's pass had already run (the sweep runs every 15 minutes). */
  ran: boolean;
  examined: number;
  reminded: number;
  escalated: number;
  failures: { key: string; error: string }[];
}

const DAY = 86_400_000;

/** The renewals from today on, each with its history and standing: the calendar page and the CLI. */
export async function renewalCalendarView(
  deps: Pick<RenewalDeps, 'policy' | 'renewals' | 'contracts' | 'seatsUsed'>,
  now: Date,
  withinDays?: number,
): Promise<{ renewal: Renewal; history: RenewalHistory; standing: RenewalStanding }[]> {
  const today = now.toISOString().slice(0, 10);
  const { policy } = await deps.policy.current();
  const calendar = await renewalCalendar({ policy, contracts: await deps.contracts.approvedContracts(), today, seatsUsed: deps.seatsUsed, withinDays });
  return Promise.all(
    calendar.map(async (renewal) => {
      const history = await deps.renewals.history(renewal.key, renewal.renewalDate);
      return { renewal, history, standing: renewalStanding(renewal, history, today) };
    }),
  );
}

export async function runRenewalGuard(deps: RenewalDeps, now: Date, options: { everyRun?: boolean } = {}): Promise<RenewalGuardReport> {
  const report: RenewalGuardReport = { ran: false, examined: 0, reminded: 0, escalated: 0, failures: [] };
  const day = now.toISOString().slice(0, 10);
  if (!options.everyRun && !(await deps.renewals.claimDailyPass(day, now))) return report;
  report.ran = true;
  try {
    const { policy } = await deps.policy.current();
    const schedule = policy.contracts.renewalReminders;
    const calendar = await renewalCalendar({ policy, contracts: await deps.contracts.approvedContracts(), today: day, seatsUsed: deps.seatsUsed });
    for (const renewal of calendar) {
      report.examined++;
      try {
        const history = await deps.renewals.history(renewal.key, renewal.renewalDate);
        const step = dueRenewalStep(renewal, history, schedule, now);
        if (!step) continue;
        if (!(await deps.renewals.claimStep(renewal.key, renewal.renewalDate, step, now))) continue;
        try {
          await deps.notifier.notify(await messageFor(deps, renewal, step, now));
        } catch (error) {
          await deps.renewals.releaseStep(renewal.key, renewal.renewalDate, step, now);
          throw error;
        }
        if (step === 'escalation') report.escalated++;
        else report.reminded++;
      } catch (error) {
        report.failures.push({ key: renewal.key, error: errorMessage(error) });
        deps.logger?.error('Renewal guard failed for a renewal; the next pass retries it', { key: renewal.key, error: errorMessage(error) });
      }
    }
  } catch (error) {
    // The whole pass failed (policy or contracts unreadable): give the day back so the next sweep runs it.
    if (!options.everyRun) await deps.renewals.releaseDailyPass(day);
    throw error;
  }
  // A renewal that failed is retried by the next sweep, not tomorrow: give the day back.
  if (report.failures.length > 0 && !options.everyRun) await deps.renewals.releaseDailyPass(day);
  if (report.reminded + report.escalated > 0) deps.logger?.info('Renewal guard finished', { ...report, failures: report.failures.length });
  return report;
}

async function messageFor(deps: RenewalDeps, renewal: Renewal, step: Parameters<typeof renewalMessage>[0]['step'], now: Date) {
  const links = deps.renewalLinks;
  const toOwner = step !== 'escalation' && renewal.owner && links;
  // The owner's links work until the renewal date (a decision after the notice deadline still helps
  // IT renegotiate), three weeks at most: the next reminder brings fresh ones.
  const until = Math.min(Date.parse(`${renewal.renewalDate}T00:00:00Z`), now.getTime() + 21 * DAY);
  const expiresAt = new Date(Math.max(until, now.getTime() + DAY));
  const ownerLinks = toOwner
    ? { links: await links.linksFor({ key: renewal.key, renewalDate: renewal.renewalDate, owner: renewal.owner!, expiresAt, now }), expiresAt }
    : undefined;
  const calendarUrl = links?.calendarUrl();
  return renewalMessage({ renewal, step, now, ...(ownerLinks ? { ownerLinks } : {}), ...(calendarUrl ? { calendarUrl } : {}) });
}

export type AckResult =
  | { status: 'recorded'; renewal: Renewal; decision: RenewalDecision }
  | { status: 'already-decided'; renewal: Renewal; decision: RenewalDecision }
  | { status: 'not-found' };

/**
 * Records a renewal decision IT was told of (the owner answered by phone or
 * mail): `guardrail renewals ack`. The renewal must be on the calendar; the
 * first decision stands, as with the owner's link.
 */
export async function acknowledgeRenewal(
  deps: Pick<RenewalDeps, 'policy' | 'renewals' | 'contracts' | 'seatsUsed'>,
  input: { key: string; renewalDate?: string; action: RenewalAction; by: string; note?: string },
  now: Date,
): Promise<AckResult> {
  const rows = await renewalCalendarView(deps, now);
  const row = rows.find((r) => r.renewal.key === input.key && (input.renewalDate === undefined || r.renewal.renewalDate === input.renewalDate));
  if (!row) return { status: 'not-found' };
  const { renewal } = row;
  const decision: RenewalDecision = { action: input.action, by: input.by, at: now.toISOString(), via: 'cli', ...(input.note ? { note: input.note } : {}) };
  if (await deps.renewals.recordDecision(renewal.key, renewal.renewalDate, decision)) return { status: 'recorded', renewal, decision };
  const history = await deps.renewals.history(renewal.key, renewal.renewalDate);
  return { status: 'already-decided', renewal, decision: history.decision ?? decision };
}
