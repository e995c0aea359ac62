/**
 * The outreach run: for the week that ended last, a note to each
 * department's contact that started using or asked for something; for the
 * month that ended last, the shadow-IT report to IT. A marker per
 * department and period is claimed before sending, so a retried, repeated
 * or overlapping run never sends the same period twice; a failed send
 * gives its claim back for the next run.
 */
import { departmentOutreach, shadowItReport } from '../../notifications';
import type { Clock } from '../../ports/clock';
import type { ServiceLogger } from '../../ports/logger';
import type { Notifier } from '../../ports/notifier';
import type { DepartmentNotifier, OutreachMarkers, RecordHistory } from '../../ports/outreach';
import type { PolicySource } from '../../ports/policy-source';
import { errorMessage } from '../../errors';
import type { InventoryView } from '../../ports/app-inventory';
import { activityByDepartment, hasActivity, type DepartmentActivity, type InventoryUsage } from './activity';
import { periodOf, type Cadence, type Period } from './periods';

export interface OutreachDeps {
  policy: PolicySource;
  history: RecordHistory;
  markers: OutreachMarkers;
  departments: DepartmentNotifier;
  /** The IT approvers' topic (the monthly report goes to every approver). */
  notifier: Notifier;
  clock: Clock;
  logger?: ServiceLogger;
  /** The app inventory: apps each department started using, counted from its people (not only from records). */
  inventory?: InventoryView;
  /** The console's home page, linked from the report (a function when known only later: the local server's port). */
  consoleUrl?: string | (() => string);
}

export interface OutreachReport {
  at: string;
  weekly?: { period: string; sent: string[]; quiet: string[]; alreadySent: string[]; failed: string[] };
  monthly?: { period: string; sent: boolean; alreadySent: boolean; failed?: string };
  /** The record read stopped at its bound: older records were left out. */
  truncated: boolean;
}

/** A claim older than this is a run that died mid-send: the next run may take it over. */
const CLAIM_LEASE_MS = 15 * 60_000;

export async function runOutreach(
  deps: OutreachDeps,
  at: Date = deps.clock.now(),
  cadences: readonly Cadence[] = ['weekly', 'monthly'],
): Promise<OutreachReport> {
  const { policy, seatCounts } = await deps.policy.current();
  const periods = cadences.map((c) => periodOf(c, at));
  if (policy.departments.length === 0 && !cadences.includes('monthly')) return { at: at.toISOString(), truncated: false };
  // One read for both periods: everything before the later end (earlier records tell which apps are new).
  const until = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const { records, truncated } = await deps.history.receivedBetween({ until });
  const report: OutreachReport = { at: at.toISOString(), truncated };
  const usage = await inventoryUsage(deps, Math.min(...periods.map((p) => p.start.getTime())));
  for (const period of periods) {
    const activity = activityByDepartment(records, policy, period, { usage, ...(seatCounts ? { seatCounts } : {}) });
    if (period.cadence === 'weekly') report.weekly = await sendWeekly(deps, period, activity, policy, at);
    else report.monthly = await sendMonthly(deps, period, activity, at);
  }
  return report;
}

/** How many people of one app outreach reads (the newest first): enough to attribute a week's or a month's starters. */
const USERS_PER_APP = 2000;

/** Apps seen since `since`, with their people: one list and one read per such app (a weekly job, not the event path). */
async function inventoryUsage(deps: OutreachDeps, since: number): Promise<InventoryUsage[]> {
  if (!deps.inventory) return [];
  const active = (await deps.inventory.list()).filter((e) => Date.parse(e.lastSeen) >= since && e.status !== 'sanctioned');
  const usage: InventoryUsage[] = [];
  for (const entry of active) {
    const app = await deps.inventory.app(entry.appKey, { usersLimit: USERS_PER_APP });
    if (app) usage.push({ entry: app, people: app.people });
  }
  return usage;
}

async function sendWeekly(
  deps: OutreachDeps,
  period: Period,
  activity: Map<string, DepartmentActivity>,
  policy: Parameters<typeof departmentOutreach>[0]['policy'],
  at: Date,
): Promise<NonNullable<OutreachReport['weekly']>> {
  const result = { period: period.key, sent: [] as string[], quiet: [] as string[], alreadySent: [] as string[], failed: [] as string[] };
  for (const department of policy.departments) {
    const found = activity.get(department.name);
    // Nothing new, nothing sent: a note every week saying "nothing" teaches people to ignore it.
    if (!found || !hasActivity(found)) {
      result.quiet.push(department.name);
      continue;
    }
    const marker = `weekly/${period.key}/${department.name}`;
    const outcome = await once(deps, marker, at, () =>
      deps.departments.notifyDepartment(departmentOutreach({ activity: { ...found, department }, period, policy, now: at })),
    );
    (outcome === 'sent' ? result.sent : outcome === 'already' ? result.alreadySent : result.failed).push(department.name);
  }
  return result;
}

async function sendMonthly(
  deps: OutreachDeps,
  period: Period,
  activity: Map<string, DepartmentActivity>,
  at: Date,
): Promise<NonNullable<OutreachReport['monthly']>> {
  const consoleUrl = typeof deps.consoleUrl === 'function' ? deps.consoleUrl() : deps.consoleUrl;
  const message = shadowItReport({ activity: [...activity.values()], period, now: at, ...(consoleUrl ? { consoleUrl } : {}) });
  const outcome = await once(deps, `monthly/${period.key}/IT`, at, () => deps.notifier.notify(message));
  return { period: period.key, sent: outcome === 'sent', alreadySent: outcome === 'already', ...(outcome === 'failed' ? { failed: 'see the log' } : {}) };
}

async function once(deps: OutreachDeps, marker: string, at: Date, send: () => Promise<{ messageId: string }>): Promise<'sent' | 'already' | 'failed'> {
  if (!(await deps.markers.claim(marker, at, CLAIM_LEASE_MS))) return 'already';
  try {
    const { messageId } = await send();
    await deps.markers.complete(marker, messageId, at);
    return 'sent';
  } catch (error) {
    deps.logger?.error('Outreach message failed; the next run retries it', { marker, error: errorMessage(error) });
    await deps.markers.release(marker).catch(() => undefined);
    return 'failed';
  }
}
