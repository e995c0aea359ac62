/**
 * The renewal calendar: every commitment that recurs, with its renewal date
 * and notice deadline. Two sources: agreements in the policy's catalogue, and
 * contracts approved through the guardrail (signing date + term; auto-renewal
 * from the purchase request). Pure: the caller passes today and the contracts.
 */
import { seatsUsedOf, type SeatsUsed } from '../inventory/seat-counts';
import type { Policy, Vendor } from '../policy';

const DAY = 86_400_000;

export interface Money {
  amount: number;
  currency: string;
}

/** One renewal ahead (or just passed the notice deadline, but not the renewal date). */
export interface Renewal {
  /** Stable id of the commitment: `vendor:<id>` for a catalogue agreement, `request:<recordId>` for an approved contract. */
  key: string;
  source: 'catalogue' | 'contract';
  name: string;
  vendorId?: string;
  category?: string;
  owner?: string;
  renewalDate: string;
  /** The last day to cancel or renegotiate before the agreement renews on its terms. */
  noticeDeadline: string;
  noticeDays: number;
  autoRenews?: boolean;
  termMonths?: number;
  seats?: number;
  seatsUsed?: number;
  /** Where `seatsUsed` came from ("from the policy", "from the Okta assignment list imported 2026-11-20"). */
  seatsUsedFrom?: string;
  /** Last year's (the current term's) price. */
  annualPrice?: Money;
  /** Sanctioned vendors in the same category, by name (the alternatives to weigh). */
  alternatives: string[];
  /** For contracts: the request it was approved as. */
  recordId?: string;
}

/** A contract approved through the guardrail, as the renewal guard needs it. */
export interface ApprovedContract {
  recordId: string;
  title: string;
  vendorName?: string;
  category?: string;
  /** The requester: they own the renewal unless told otherwise. */
  owner?: string;
  signingDate: string;
  termMonths: number;
  autoRenews?: boolean;
  seats?: number;
  annualPrice?: Money;
}

/** The seats an agreement really uses, and where the number came from (the inventory once it holds the app's complete assignment list, else the policy). */
export interface SeatsUsedSource {
  seatsUsed(vendor: Vendor): Promise<SeatsUsed | undefined>;
}

/** The policy-backed source: what the catalogue says the agreement uses. */
export const policySeatsUsed: SeatsUsedSource = { seatsUsed: async (vendor) => seatsUsedOf(vendor, undefined) };

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/**
 * The renewal date on or after `today`: a date that has passed rolls forward
 * by the term when the agreement renews by itself; otherwise it has ended
 * (undefined).
 */
export function nextRenewalDate(date: string, today: string, termMonths: number | undefined, autoRenews: boolean | undefined): string | undefined {
  if (date >= today) return date;
  if (!autoRenews) return undefined;
  const term = termMonths ?? 12;
  let next = date;
  for (let i = 0; next < today && i < 1200; i++) next = addMonths(date, term * (i + 1));
  return next >= today ? next : undefined;
}

function sanctionedAlternatives(policy: Policy, category: string | undefined, exceptId?: string): string[] {
  if (!category) return [];
  return policy.vendors.filter((v) => v.category === category && v.status === 'sanctioned' && v.id !== exceptId).map((v) => v.name);
}

/**
 * Every renewal from today on, soonest first. `within` limits it to renewal
 * dates up to that many days ahead.
 */
export async function renewalCalendar(input: {
  policy: Policy;
  contracts: readonly ApprovedContract[];
  today: string;
  seatsUsed?: SeatsUsedSource;
  withinDays?: number;
}): Promise<Renewal[]> {
  const { policy, today } = input;
  const seats = input.seatsUsed ?? policySeatsUsed;
  const defaultNotice = policy.contracts.renewalNoticeDays;
  const out: Renewal[] = [];
  for (const vendor of policy.vendors) {
    const a = vendor.agreement;
    if (!a?.renewalDate) continue;
    const renewalDate = nextRenewalDate(a.renewalDate, today, a.termMonths, a.autoRenews);
    if (!renewalDate) continue;
    const noticeDays = a.noticeDays ?? defaultNotice;
    out.push({
      key: `vendor:${vendor.id}`,
      source: 'catalogue',
      name: vendor.name,
      vendorId: vendor.id,
      category: vendor.category,
      ...(a.owner ? { owner: a.owner } : {}),
      renewalDate,
      noticeDeadline: addDays(renewalDate, -noticeDays),
      noticeDays,
      ...(a.autoRenews !== undefined ? { autoRenews: a.autoRenews } : {}),
      ...(a.termMonths ? { termMonths: a.termMonths } : {}),
      ...(a.seats !== undefined ? { seats: a.seats } : {}),
      ...optionalSeats(await seats.seatsUsed(vendor)),
      ...(a.annualPrice ? { annualPrice: a.annualPrice } : {}),
      alternatives: sanctionedAlternatives(policy, vendor.category, vendor.id),
    });
  }
  for (const c of input.contracts) {
    const renewalDate = nextRenewalDate(addMonths(c.signingDate, c.termMonths), today, c.termMonths, c.autoRenews);
    if (!renewalDate) continue;
    out.push({
      key: `request:${c.recordId}`,
      source: 'contract',
      name: c.vendorName ? `${c.title} (${c.vendorName})` : c.title,
      ...(c.category ? { category: c.category } : {}),
      ...(c.owner ? { owner: c.owner } : {}),
      renewalDate,
      noticeDeadline: addDays(renewalDate, -defaultNotice),
      noticeDays: defaultNotice,
      ...(c.autoRenews !== undefined ? { autoRenews: c.autoRenews } : {}),
      termMonths: c.termMonths,
      ...(c.seats !== undefined ? { seats: c.seats } : {}),
      ...(c.annualPrice ? { annualPrice: c.annualPrice } : {}),
      alternatives: sanctionedAlternatives(policy, c.category),
      recordId: c.recordId,
    });
  }
  const within = input.withinDays;
  return out
    .filter((r) => within === undefined || daysBetween(today, r.renewalDate) <= within)
    .sort((a, b) => a.renewalDate.localeCompare(b.renewalDate) || a.key.localeCompare(b.key));
}

const optionalSeats = (used: SeatsUsed | undefined) => (used === undefined ? {} : { seatsUsed: used.count, seatsUsedFrom: used.from });

/** Seats bought but not used, when both are known. */
export function unusedSeats(r: Pick<Renewal, 'seats' | 'seatsUsed'>): number | undefined {
  return r.seats !== undefined && r.seatsUsed !== undefined ? Math.max(0, r.seats - r.seatsUsed) : undefined;
}
