/**
 * What each department started using or asked for in a period, read from
 * the stored records: app connections grouped per app (people, how they
 * connected, risky consents) and purchase requests, each with the
 * sanctioned tools of the same category that still have seats to spare.
 * Pure: the caller brings the records and the policy.
 */
import type { ApprovalStatus } from '../../approvals';
import { identityKey } from '../../approvals/identity';
import type { Outcome } from '../../decision';
import type { ConnectionKind } from '../../events';
import type { Department, Policy, Vendor } from '../../policy';
import type { RequestRecord } from '../../records';
import type { AppUser, InventoryEntry } from '../../inventory/app-inventory';
import { seatsUsedOf, type CompleteSeatCount } from '../../inventory/seat-counts';
import { within, type Period } from './periods';

/** An app's inventory entry with its people, for the departments that started using it (outreach reads the inventory). */
export interface InventoryUsage {
  entry: InventoryEntry;
  people: readonly AppUser[];
}

/** What outreach reads besides the records: the inventory, and seats used from complete assignment lists. */
export interface ActivitySources {
  usage?: readonly InventoryUsage[];
  seatCounts?: ReadonlyMap<string, CompleteSeatCount>;
}

/** A sanctioned tool that covers the same need. `spareSeats` is undefined when the agreement states no seat count. */
export interface SanctionedAlternative {
  vendorId: string;
  name: string;
  categoryName: string;
  spareSeats?: number;
  seats?: number;
  /** Where the seats used came from, when not the policy ("from the Okta assignment list imported 2026-11-20"). */
  seatsFrom?: string;
}

export interface AppUse {
  /** The catalogue name when the app matched one, else the name the identity provider gave. */
  name: string;
  vendorId?: string;
  status?: string;
  category?: string;
  /** Distinct people (identity keys) who connected it in the period. */
  people: string[];
  connections: ConnectionKind[];
  sources: string[];
  /** First record of this app for the department, across all history given. */
  firstSeen: string;
  /** True when the first record of the app (for this department) falls in the period. */
  isNew: boolean;
  adminConsent: boolean;
  riskyScopes: number;
  recordIds: string[];
  alternatives: SanctionedAlternative[];
}

export interface RequestAsk {
  recordId: string;
  vendor: string;
  product?: string;
  requester?: string;
  annualised?: { value: number; currency: string };
  outcome: Outcome;
  status: ApprovalStatus;
  vendorId?: string;
  vendorStatus?: string;
  category?: string;
  alternatives: SanctionedAlternative[];
  receivedAt: string;
}

export interface DepartmentActivity {
  /** The policy's department, or undefined for records naming none the policy lists. */
  department?: Department;
  /** The department as the records named it, when the policy does not list it. */
  stated?: string;
  apps: AppUse[];
  requests: RequestAsk[];
}

/** Reads a department as sources write it ("marketing", "Mktg") as the policy's entry. */
export function departmentMatcher(departments: readonly Department[]): (stated: string | undefined) => Department | undefined {
  const byName = new Map<string, Department>();
  for (const d of departments) for (const name of [d.name, ...d.aliases]) byName.set(normalise(name), d);
  return (stated) => (stated === undefined ? undefined : byName.get(normalise(stated)));
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Sanctioned vendors of a category, most spare seats first (unknown counts last), without `except`. */
export function sanctionedAlternatives(
  policy: Policy,
  category: string | undefined,
  except?: string,
  seatCounts?: ReadonlyMap<string, CompleteSeatCount>,
): SanctionedAlternative[] {
  if (!category) return [];
  const categoryName = policy.categories.find((c) => c.id === category)?.name ?? category;
  return policy.vendors
    .filter((v) => v.status === 'sanctioned' && v.category === category && v.id !== except)
    .map((v) => alternativeOf(v, categoryName, seatCounts))
    .filter((a) => a.spareSeats === undefined || a.spareSeats > 0)
    .sort((a, b) => (b.spareSeats ?? -1) - (a.spareSeats ?? -1) || a.name.localeCompare(b.name));
}

function alternativeOf(v: Vendor, categoryName: string, seatCounts: ReadonlyMap<string, CompleteSeatCount> | undefined): SanctionedAlternative {
  const seats = v.agreement?.seats;
  const counted = seatsUsedOf(v, seatCounts);
  const used = counted?.count;
  return {
    vendorId: v.id,
    name: v.name,
    categoryName,
    ...(seats !== undefined ? { seats } : {}),
    ...(seats !== undefined && used !== undefined ? { spareSeats: Math.max(0, seats - used) } : {}),
    ...(seats !== undefined && counted && seatCounts?.has(v.id) ? { seatsFrom: counted.from } : {}),
  };
}

const isManagedApp = (r: RequestRecord) => r.decision.findings.some((f) => f.code === 'MANAGED_APP');

/**
 * Every department's activity in the period, keyed by the policy's name (or
 * the stated name for unlisted departments; `''` for none). `records` may
 * reach back before the period: they tell which apps are new.
 */
export function activityByDepartment(
  records: readonly RequestRecord[],
  policy: Policy,
  period: Period,
  sources: ActivitySources = {},
): Map<string, DepartmentActivity> {
  const { seatCounts } = sources;
  const match = departmentMatcher(policy.departments);
  const out = new Map<string, DepartmentActivity>();
  for (const d of policy.departments) out.set(d.name, { department: d, apps: [], requests: [] });
  const firstSeen = new Map<string, string>();
  const sorted = [...records].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.recordId.localeCompare(b.recordId));
  for (const record of sorted) {
    if (Date.parse(record.receivedAt) >= period.end.getTime()) continue;
    const stated = record.kind === 'purchase-request' ? record.detail.requester.department : record.detail.department;
    const department = match(stated);
    const key = department?.name ?? stated?.trim() ?? '';
    if (record.kind === 'app-connected') {
      if (isManagedApp(record)) continue;
      const appKey = `${key}\u0000${appNameOf(record).toLowerCase()}`;
      if (!firstSeen.has(appKey)) firstSeen.set(appKey, record.receivedAt);
    }
    if (!within(period, record.receivedAt)) continue;
    let activity = out.get(key);
    if (!activity) {
      activity = { ...(department ? { department } : {}), ...(key ? { stated: key } : {}), apps: [], requests: [] };
      out.set(key, activity);
    }
    if (record.kind === 'purchase-request') activity.requests.push(askOf(record, policy, seatCounts));
    else addAppUse(activity, record, policy, firstSeen.get(`${key}\u0000${appNameOf(record).toLowerCase()}`) ?? record.receivedAt, period, seatCounts);
  }
  for (const usage of sources.usage ?? []) addInventoryUse(out, usage, policy, period, match, seatCounts);
  return out;
}

/**
 * The inventory's view of who started using an app: its people of each
 * department first seen in the period (one review per app means most
 * assignments make no record of their own, so records alone undercount).
 */
function addInventoryUse(
  out: Map<string, DepartmentActivity>,
  { entry, people }: InventoryUsage,
  policy: Policy,
  period: Period,
  match: (stated: string | undefined) => Department | undefined,
  seatCounts: ReadonlyMap<string, CompleteSeatCount> | undefined,
): void {
  if (entry.status === 'sanctioned' || Date.parse(entry.firstSeen) >= period.end.getTime()) return;
  const byDepartment = new Map<string, AppUser[]>();
  for (const person of people) {
    if (!within(period, person.firstSeen)) continue;
    const department = match(person.department);
    if (!department) continue;
    byDepartment.set(department.name, [...(byDepartment.get(department.name) ?? []), person]);
  }
  for (const [name, started] of byDepartment) {
    const activity = out.get(name);
    if (!activity) continue;
    let use = activity.apps.find((a) => a.name.toLowerCase() === entry.name.toLowerCase());
    if (!use) {
      const category = entry.catalogue?.category;
      use = {
        name: entry.name,
        ...(entry.catalogue ? { vendorId: entry.catalogue.vendorId, status: entry.status } : {}),
        ...(category ? { category } : {}),
        people: [],
        connections: entry.connections.filter((c): c is ConnectionKind => c !== 'admin-consent'),
        sources: [...entry.sources],
        firstSeen: entry.firstSeen,
        isNew: within(period, entry.firstSeen),
        adminConsent: entry.connections.includes('admin-consent'),
        riskyScopes: entry.riskyScopes.length,
        recordIds: entry.review ? [entry.review.recordId] : [],
        alternatives: sanctionedAlternatives(policy, category, entry.catalogue?.vendorId, seatCounts),
      };
      activity.apps.push(use);
    }
    for (const person of started)
      if (!use.people.includes(identityKey(person.email ?? person.personKey))) use.people.push(identityKey(person.email ?? person.personKey));
  }
}

function appNameOf(record: Extract<RequestRecord, { kind: 'app-connected' }>): string {
  return record.decision.vendor && record.decision.vendor.confidence !== 'low' ? record.decision.vendor.name : record.detail.app.name;
}

function categoryOf(record: RequestRecord): string | undefined {
  return record.decision.category ?? record.decision.vendor?.category;
}

function askOf(
  record: Extract<RequestRecord, { kind: 'purchase-request' }>,
  policy: Policy,
  seatCounts: ReadonlyMap<string, CompleteSeatCount> | undefined,
): RequestAsk {
  const d = record.detail;
  const vendor = record.decision.vendor;
  const category = categoryOf(record);
  return {
    recordId: record.recordId,
    vendor: vendor && vendor.confidence !== 'low' ? vendor.name : (d.vendor.name ?? d.vendor.domain ?? d.product ?? 'vendor not stated'),
    ...(d.product ? { product: d.product } : {}),
    ...(d.requester.name || d.requester.email ? { requester: d.requester.name ?? d.requester.email } : {}),
    ...(record.decision.spend ? { annualised: { value: record.decision.spend.annualised, currency: record.decision.spend.currency } } : {}),
    outcome: record.decision.outcome,
    status: record.approval.status,
    ...(vendor ? { vendorId: vendor.vendorId, vendorStatus: vendor.status } : {}),
    ...(category ? { category } : {}),
    alternatives: vendor?.status === 'sanctioned' ? [] : sanctionedAlternatives(policy, category, vendor?.vendorId, seatCounts),
    receivedAt: record.receivedAt,
  };
}

function addAppUse(
  activity: DepartmentActivity,
  record: Extract<RequestRecord, { kind: 'app-connected' }>,
  policy: Policy,
  firstSeen: string,
  period: Period,
  seatCounts: ReadonlyMap<string, CompleteSeatCount> | undefined,
): void {
  const name = appNameOf(record);
  let use = activity.apps.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (!use) {
    const vendor = record.decision.vendor;
    const category = categoryOf(record);
    use = {
      name,
      ...(vendor ? { vendorId: vendor.vendorId, status: vendor.status } : {}),
      ...(category ? { category } : {}),
      people: [],
      connections: [],
      sources: [],
      firstSeen,
      isNew: within(period, firstSeen),
      adminConsent: false,
      riskyScopes: 0,
      recordIds: [],
      alternatives: vendor?.status === 'sanctioned' ? [] : sanctionedAlternatives(policy, category, vendor?.vendorId, seatCounts),
    };
    activity.apps.push(use);
  }
  const d = record.detail;
  // The person the app was assigned to, else the user who connected it (an admin creating an app counts too).
  const person = d.subject?.email ?? (d.actor.type === 'user' ? d.actor.email : undefined);
  if (person && !use.people.includes(identityKey(person))) use.people.push(identityKey(person));
  if (!use.connections.includes(d.connectionKind)) use.connections.push(d.connectionKind);
  if (!use.sources.includes(d.source)) use.sources.push(d.source);
  use.adminConsent ||= d.adminConsent === true;
  use.riskyScopes += record.decision.findings.filter((f) => f.code === 'RISKY_OAUTH_SCOPE').length;
  use.recordIds.push(record.recordId);
}

/** Whether anything happened worth telling the department about. */
export function hasActivity(activity: DepartmentActivity | undefined): boolean {
  return activity !== undefined && (activity.apps.length > 0 || activity.requests.length > 0);
}
