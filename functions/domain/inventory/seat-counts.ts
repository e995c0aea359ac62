/**
 * Seats used from the app inventory: an app whose complete assignment list
 * was imported counts its people; the count is laid over the policy's
 * `seatsUsed` for that app's catalogue agreement. Until then the policy's
 * number stands. Pure (the Lambda path reads it: no classic zod here).
 */
import type { Policy, Vendor } from '../policy';
import { preparePolicy, type PreparedPolicy } from '../prepared-policy';

/** How the guardrail knows an app's assignments are complete. */
export interface AssignmentsComplete {
  /** When the list was imported (ISO). */
  at: string;
  /** Where it came from: an identity provider's source id (`okta`, `entra-id`, ...) or `file`. */
  source: string;
  /** People on the list when it was imported. */
  count: number;
}

/** One catalogue agreement's seats used, from an app whose assignment list is complete. */
export interface CompleteSeatCount {
  vendorId: string;
  appKey: string;
  /** People assigned now: the imported list and everyone assigned since. */
  used: number;
  complete: AssignmentsComplete;
}

/** Seats used and where the number came from, as every page and message shows them. */
export interface SeatsUsed {
  count: number;
  /** "from the policy", "from the Okta assignment list imported 2026-11-20". */
  from: string;
}

const SOURCE_LABELS: Record<string, string> = {
  okta: 'Okta',
  'entra-id': 'Entra ID',
  'google-workspace': 'Google Workspace',
  'iam-identity-center': 'IAM Identity Center',
  file: 'imported',
};

/** "from the Okta assignment list imported 2026-11-20" — said wherever a seat count is shown. */
export function seatsBasisText(complete: AssignmentsComplete | undefined, used?: number): string {
  if (!complete) return 'from the policy';
  const since = used !== undefined && used > complete.count ? ` (+${used - complete.count} assigned since)` : '';
  return `from the ${SOURCE_LABELS[complete.source] ?? complete.source} assignment list imported ${complete.at.slice(0, 10)}${since}`;
}

/** A vendor's seats used: the inventory's complete count when there is one, else the policy's. */
export function seatsUsedOf(vendor: Vendor, counts: ReadonlyMap<string, CompleteSeatCount> | undefined): SeatsUsed | undefined {
  const counted = counts?.get(vendor.id);
  if (counted) return { count: counted.used, from: seatsBasisText(counted.complete, counted.used) };
  const used = vendor.agreement?.seatsUsed;
  return used === undefined ? undefined : { count: used, from: seatsBasisText(undefined) };
}

/**
 * The policy with the inventory's complete counts laid over its agreements'
 * `seatsUsed` (every rule reads the agreement), and the counts kept beside it
 * so messages can say where a number came from. The same policy when no
 * count applies (no copy, no re-indexing).
 */
export function withSeatCounts(prepared: PreparedPolicy, counts: readonly CompleteSeatCount[]): PreparedPolicy {
  const byVendor = new Map(counts.map((c) => [c.vendorId, c]));
  const applies = prepared.policy.vendors.some((v) => v.agreement && byVendor.has(v.id));
  if (!applies) return prepared;
  const policy: Policy = {
    ...prepared.policy,
    vendors: prepared.policy.vendors.map((v) => {
      const counted = byVendor.get(v.id);
      return counted && v.agreement ? { ...v, agreement: { ...v.agreement, seatsUsed: counted.used } } : v;
    }),
  };
  return { ...preparePolicy(policy), seatCounts: byVendor };
}
