/**
 * When the renewal guard chases a renewal: the owner is reminded
 * `remindDaysBefore` the notice deadline, reminded again
 * `remindAgainDaysBefore` it, and IT hears `escalateDaysBefore` it, unless
 * the owner has recorded a decision (renew, renegotiate, cancel). Steps go in
 * order, a day apart at least (a guard that first runs late does not send all
 * three at once), and stop at the renewal date. Each step is sent once: the
 * store's marker per renewal and step is written with a conditional put.
 */
import type { Policy } from '../policy';
import { addDays, type Renewal } from './calendar';

export const RENEWAL_STEPS = ['reminder', 'second-reminder', 'escalation'] as const;
export type RenewalStep = (typeof RENEWAL_STEPS)[number];

export const RENEWAL_ACTIONS = ['renew', 'renegotiate', 'cancel'] as const;
export type RenewalAction = (typeof RENEWAL_ACTIONS)[number];

export const RENEWAL_ACTION_LABELS: Record<RenewalAction, string> = {
  renew: 'Renew as it is',
  renegotiate: 'Renegotiate (seats, price or terms)',
  cancel: 'Cancel',
};

/** What the owner decided, and who recorded it when. */
export interface RenewalDecision {
  action: RenewalAction;
  by: string;
  at: string;
  /** How it was recorded: the owner's signed link, or IT on the command line. */
  via: 'link' | 'cli';
  note?: string;
}

/** What the store knows about one renewal (one agreement and renewal date). */
export interface RenewalHistory {
  steps: Partial<Record<RenewalStep, { sentAt: string }>>;
  decision?: RenewalDecision;
}

export type RenewalSchedule = Policy['contracts']['renewalReminders'];

const DAY = 86_400_000;
const startOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** When each step falls due (the start of that day, UTC). */
export function stepDueDates(renewal: Pick<Renewal, 'noticeDeadline'>, schedule: RenewalSchedule): Record<RenewalStep, string> {
  return {
    reminder: addDays(renewal.noticeDeadline, -schedule.remindDaysBefore),
    'second-reminder': addDays(renewal.noticeDeadline, -schedule.remindAgainDaysBefore),
    escalation: addDays(renewal.noticeDeadline, -schedule.escalateDaysBefore),
  };
}

/** The step to send now, if any. */
export function dueRenewalStep(
  renewal: Pick<Renewal, 'noticeDeadline' | 'renewalDate'>,
  history: RenewalHistory,
  schedule: RenewalSchedule,
  now: Date,
): RenewalStep | undefined {
  if (history.decision) return undefined;
  const t = now.getTime();
  if (t >= startOf(renewal.renewalDate)) return undefined;
  const due = stepDueDates(renewal, schedule);
  let previousSentAt: number | undefined;
  for (const step of RENEWAL_STEPS) {
    const sent = history.steps[step];
    if (sent) {
      previousSentAt = Date.parse(sent.sentAt);
      continue;
    }
    if (t < startOf(due[step])) return undefined;
    if (previousSentAt !== undefined && t < previousSentAt + DAY) return undefined;
    return step;
  }
  return undefined;
}

/** Where a renewal stands, for the calendar. */
export type RenewalStanding = 'decided' | 'notice-passed' | 'escalated' | 'reminded' | 'upcoming';

export function renewalStanding(renewal: Pick<Renewal, 'noticeDeadline'>, history: RenewalHistory, today: string): RenewalStanding {
  if (history.decision) return 'decided';
  if (today > renewal.noticeDeadline) return 'notice-passed';
  if (history.steps.escalation) return 'escalated';
  if (history.steps.reminder) return 'reminded';
  return 'upcoming';
}

export const STANDING_LABELS: Record<RenewalStanding, string> = {
  decided: 'decided',
  'notice-passed': 'notice deadline passed, undecided',
  escalated: 'escalated to IT',
  reminded: 'owner reminded',
  upcoming: 'not yet in its notice period',
};
