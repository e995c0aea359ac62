import { dayMonthLabel, monthYearLabel } from '../../date-labels';
/**
 * The periods outreach reports on: the last complete ISO week (Monday 00:00
 * UTC to Monday) and the last complete calendar month before a given
 * instant. A run at any time inside the next period reports the same
 * period, so a late or repeated run finds the same marker and sends nothing twice.
 */
export const CADENCES = ['weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Period {
  cadence: Cadence;
  /** `2026-W49` or `2026-12`: the marker key and the message's reference. */
  key: string;
  /** Inclusive start, exclusive end. */
  start: Date;
  end: Date;
  /** "30 Nov – 6 Dec 2026", "December 2026". */
  label: string;
}

const DAY_MS = 86_400_000;

function utcMidnight(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** The ISO week that ended most recently before `at` (the week before the one `at` falls in). */
export function lastCompleteWeek(at: Date): Period {
  const today = utcMidnight(at);
  const sinceMonday = (today.getUTCDay() + 6) % 7;
  const end = new Date(today.getTime() - sinceMonday * DAY_MS);
  const start = new Date(end.getTime() - 7 * DAY_MS);
  return { cadence: 'weekly', key: isoWeekKey(start), start, end, label: `${dayLabel(start, false)} – ${dayLabel(new Date(end.getTime() - DAY_MS), true)}` };
}

/** The calendar month that ended most recently before `at`. */
export function lastCompleteMonth(at: Date): Period {
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
  const key = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  const label = monthYearLabel(start);
  return { cadence: 'monthly', key, start, end, label };
}

export function periodOf(cadence: Cadence, at: Date): Period {
  return cadence === 'weekly' ? lastCompleteWeek(at) : lastCompleteMonth(at);
}

/** Whether an ISO instant falls inside the period. */
export function within(period: Period, iso: string): boolean {
  const t = Date.parse(iso);
  return t >= period.start.getTime() && t < period.end.getTime();
}

/** `2026-W49`: ISO 8601 week-numbering year and week of a Monday. */
function isoWeekKey(monday: Date): string {
  const thursday = new Date(monday.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = new Date(firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * DAY_MS);
  const week = Math.floor((monday.getTime() - firstMonday.getTime()) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function dayLabel(d: Date, withYear: boolean): string {
  return dayMonthLabel(d, withYear);
}
