/**
 * Shared vocabulary of the rules: how findings are made, ranked and worded.
 * Rules return `RuleFinding`s, which carry a short headline the summary line
 * can reuse; evaluation strips it before the decision leaves the domain.
 */
import type { Dimension, Finding } from '../decision';
import { APPROVER_TIERS, SEVERITIES, type ApproverTier, type Category, type Severity, type Vendor } from '../policy';
import { groupThousands } from '../number-format';

export interface RuleFinding extends Finding {
  /** A clause short enough for the one-line summary ("WeTransfer is prohibited — use Box instead"). */
  headline: string;
}

export function finding(code: string, dimension: Dimension, severity: Severity, message: string, headline: string, suggestion?: string): RuleFinding {
  return suggestion === undefined ? { code, dimension, severity, message, headline } : { code, dimension, severity, message, suggestion, headline };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((max, f) => (severityRank(f.severity) > severityRank(max) ? f.severity : max), 'info');
}

/** Most severe first, then by code, then by message: the same input always lists findings the same way. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareText(a.code, b.code) || compareText(a.message, b.message);
}

/** Code-unit order, independent of the runtime's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "USD 54,000" or "EUR 1,234.50": locale-independent so messages are stable. */
export function formatMoney(value: number, currency: string): string {
  const cents = Math.round(value * 100);
  const whole = groupThousands(Math.trunc(cents / 100).toString());
  const fraction = Math.abs(cents % 100);
  return `${currency} ${whole}${fraction === 0 ? '' : `.${fraction.toString().padStart(2, '0')}`}`;
}

/** "Box", "Box and Dropbox", "Box, Dropbox and Egnyte". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const APPROVER_LABELS: Record<ApproverTier, string> = {
  none: 'no one',
  'it-manager': 'IT manager',
  'it-director': 'IT director',
  cio: 'CIO',
};

export function approverLabel(tier: ApproverTier): string {
  return APPROVER_LABELS[tier];
}

/** Two-step approval: the tier below signs first. */
export function approverBelow(tier: ApproverTier): ApproverTier {
  return APPROVER_TIERS[Math.max(0, APPROVER_TIERS.indexOf(tier) - 1)];
}

/** Seats bought but not assigned under a vendor's agreement, when the catalogue knows both numbers. */
export function unusedSeats(vendor: Vendor): number | undefined {
  const seats = vendor.agreement?.seats;
  const used = vendor.agreement?.seatsUsed;
  return seats === undefined || used === undefined ? undefined : Math.max(0, seats - used);
}

/** "Box (120 seats unused)" — what an alternative offers right now. */
export function alternativeLabel(vendor: Vendor): string {
  const unused = unusedSeats(vendor);
  return unused === undefined || unused === 0 ? vendor.name : `${vendor.name} (${plural(unused, 'seat')} unused)`;
}

export function categoryLabel(category: Category | undefined): string {
  return category?.name ?? 'this category';
}

/** An instant as ISO text, formatted once per instant: the rules of a decision and the decision itself all ask for `now`. */
export function isoInstant(instant: Date): string {
  const time = instant.getTime();
  if (time !== lastInstant.time) lastInstant = { time, iso: instant.toISOString() };
  return lastInstant.iso;
}
let lastInstant = { time: NaN, iso: '' };

/** The UTC calendar date of an instant, as YYYY-MM-DD. */
export function utcDate(instant: Date): string {
  return isoInstant(instant).slice(0, 10);
}

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to) - dayStart(from)) / 86_400_000);
}

/** Midnight UTC of a YYYY-MM-DD date (NaN when it is not one), remembered: a few dates recur across decisions. */
function dayStart(date: string): number {
  let time = DAY_STARTS.get(date);
  if (time === undefined) {
    if (DAY_STARTS.size >= 4096) DAY_STARTS.clear();
    time = Date.parse(`${date}T00:00:00Z`);
    DAY_STARTS.set(date, time);
  }
  return time;
}
const DAY_STARTS = new Map<string, number>();

/** Quotes a name taken from input in messages, so a reader sees where it starts and ends. */
export function quoted(text: string): string {
  return `"${text}"`;
}
