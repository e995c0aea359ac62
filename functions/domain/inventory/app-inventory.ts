/**
 * The app inventory: one entry per app the company uses, built from every
 * app-connected event (and linked to the purchase requests that buy it).
 * Pure: what an event says about an app (a sighting), which facts of the
 * entry it changes, and which of those changes are worth a look from IT
 * (one review per app, not per event).
 */
import type { Decision } from '../decision';
import type { AssignmentsComplete } from './seat-counts';
import type { AppConnected, ConnectionKind } from '../events';
import type { Severity, VendorStatus } from '../policy';
import { SEVERITIES } from '../policy';
import { normalisedNameKey } from '../vendor-catalogue';

/** How an app was connected; admin consent is its own fact (an organisation-wide grant). */
export const CONNECTION_FACTS = ['sso-app-created', 'user-assigned', 'oauth-consent', 'admin-consent'] as const;
export type ConnectionFact = (typeof CONNECTION_FACTS)[number];

export const CONNECTION_LABELS: Record<ConnectionFact, string> = {
  'sso-app-created': 'SSO app created',
  'user-assigned': 'user assigned',
  'oauth-consent': 'OAuth consent',
  'admin-consent': 'admin consent',
};

/** Catalogue status of an entry: the policy's vendor status, or `discovered` for an app the catalogue does not know. */
export type InventoryStatus = VendorStatus | 'discovered';

/** Why the app's review was opened or updated. */
export const REVIEW_CHANGE_KINDS = ['first-sighting', 'risky-scope', 'admin-consent', 'new-department', 'risk-raised', 'user-spike'] as const;
export type ReviewChangeKind = (typeof REVIEW_CHANGE_KINDS)[number];

export interface ReviewChange {
  kind: ReviewChangeKind;
  /** What changed, in words ("new department Finance", "scope Mail.ReadWrite"). */
  detail: string;
  at: string;
  /** The event that brought it. */
  eventId: string;
}

/** The one review an app has at a time: the request record IT decides on. */
export interface AppReview {
  recordId: string;
  openedAt: string;
  /** People using the app when the review was opened or last told about a spike. */
  people: number;
  /** Changes since the review was opened, newest last (bounded). */
  changes: ReviewChange[];
}

export interface InventoryEntry {
  appKey: string;
  /** The catalogue's name when matched, else the name the app was first seen under. */
  name: string;
  catalogue?: { vendorId: string; name: string; category: string };
  status: InventoryStatus;
  /** Who owns the app for IT: the catalogue agreement's owner. */
  owner?: string;
  firstSeen: string;
  lastSeen: string;
  departments: string[];
  sources: string[];
  connections: ConnectionFact[];
  /** Granted scopes the policy calls risky. */
  riskyScopes: string[];
  highestRisk: Severity;
  review?: AppReview;
  /** Purchase requests (record ids) that buy this app. */
  requests: string[];
  /** Set by an import of the app's complete assignment list: from then on its people are its seats used. */
  assignmentsComplete?: AssignmentsComplete;
}

/** A person using an app, as one usage item holds them. */
export interface AppUser {
  /** Lower-case email, or `<source>:<id>` when the source names no address. */
  personKey: string;
  email?: string;
  name?: string;
  department?: string;
  firstSeen: string;
  lastSeen: string;
  source: string;
  connection: ConnectionFact;
  /** The event that first showed this person using the app. */
  eventId: string;
}

/** What one app-connected event says about its app. */
export interface AppSighting {
  appKey: string;
  name: string;
  catalogue?: InventoryEntry['catalogue'];
  status: InventoryStatus;
  owner?: string;
  at: string;
  source: string;
  eventId: string;
  connections: ConnectionFact[];
  riskyScopes: string[];
  risk: Severity;
  /** Who uses the app because of this event (the assigned user, the consenting user), when the event names them. */
  user?: AppUser;
  department?: string;
}

/** Directory facts about a person (people-directory.ts). */
export interface PersonFacts {
  email: string;
  name?: string;
  department?: string;
}

const MAX_KEY = 200;

/**
 * The entry an app is kept under: its catalogue entry when matched with
 * confidence, else its loose name ("Drop Box Business" and "dropbox" meet).
 */
export function appKeyOf(name: string, match?: Decision['vendor']): string {
  if (match && (match.confidence === 'exact' || match.confidence === 'high')) return `vendor:${match.vendorId}`.slice(0, MAX_KEY);
  const loose = normalisedNameKey(name) || name.trim().toLowerCase();
  return `app:${loose}`.slice(0, MAX_KEY);
}

/** The person using the app: the assigned or consenting user; nobody for an admin creating an SSO app or consenting for everyone. */
function userOf(event: AppConnected): { email?: string; id?: string; displayName?: string } | undefined {
  if (event.subject && (event.subject.email || event.subject.id)) return event.subject;
  if (event.connectionKind === 'oauth-consent' && event.adminConsent !== true && event.actor.type === 'user') return event.actor;
  return undefined;
}

export function personKeyOf(source: string, person: { email?: string; id?: string }): string | undefined {
  if (person.email) return person.email.trim().toLowerCase();
  if (person.id) return `${source}:${person.id}`.slice(0, 300);
  return undefined;
}

/** What an event says about its app; `directory` resolves the person's aliases and department. */
export function sightingOf(input: { event: AppConnected; decision: Decision; eventId: string; riskyScopes: string[]; directory?: PersonFacts }): AppSighting {
  const { event, decision, eventId, directory } = input;
  const match = decision.vendor && (decision.vendor.confidence === 'exact' || decision.vendor.confidence === 'high') ? decision.vendor : undefined;
  const connections: ConnectionFact[] = [event.connectionKind as ConnectionKind];
  if (event.adminConsent === true) connections.push('admin-consent');
  const seen = userOf(event);
  const personKey = directory?.email ?? (seen ? personKeyOf(event.source, seen) : undefined);
  const department = directory?.department ?? event.department;
  const user: AppUser | undefined =
    seen && personKey
      ? strip({
          personKey,
          email: directory?.email ?? seen.email?.toLowerCase(),
          name: directory?.name ?? seen.displayName,
          department,
          firstSeen: event.occurredAt,
          lastSeen: event.occurredAt,
          source: event.source,
          connection: (event.adminConsent === true ? 'admin-consent' : event.connectionKind) as ConnectionFact,
          eventId,
        })
      : undefined;
  return strip({
    appKey: appKeyOf(event.app.name, decision.vendor),
    name: match?.name ?? event.app.name,
    catalogue: match ? { vendorId: match.vendorId, name: match.name, category: match.category } : undefined,
    status: match?.status ?? 'discovered',
    at: event.occurredAt,
    source: event.source,
    eventId,
    connections,
    riskyScopes: [...new Set(input.riskyScopes)],
    risk: decision.severity,
    user,
    department,
  });
}

/** A new entry from the first sighting of an app. */
export function entryOf(sighting: AppSighting, owner?: string): InventoryEntry {
  return strip({
    appKey: sighting.appKey,
    name: sighting.name,
    catalogue: sighting.catalogue,
    status: sighting.status,
    owner,
    firstSeen: sighting.at,
    lastSeen: sighting.at,
    departments: sighting.department ? [sighting.department] : [],
    sources: [sighting.source],
    connections: sighting.connections,
    riskyScopes: sighting.riskyScopes,
    highestRisk: sighting.risk,
    requests: [],
  });
}

/** The facts a sighting adds to an entry: only these are written, so a repeat writes nothing. */
export interface EntryFacts {
  departments: string[];
  sources: string[];
  connections: ConnectionFact[];
  riskyScopes: string[];
  /** A higher risk than the entry held. */
  risk?: Severity;
  /** A later sighting than the entry's last, coarse (see LAST_SEEN_STEP_MS) so a burst does not write it per event. */
  lastSeen?: string;
}

/** lastSeen moves at most once a minute per app: 5,000 assignments in a minute update it once or twice, not 5,000 times. */
export const LAST_SEEN_STEP_MS = 60_000;

export function newFactsOf(entry: InventoryEntry, sighting: AppSighting): EntryFacts {
  const fresh = <T extends string>(have: readonly T[], seen: readonly T[]) => seen.filter((v) => !have.includes(v));
  // "engineering" and "Engineering" are one department: the first spelling seen is kept.
  const known = new Set(entry.departments.map((d) => d.toLowerCase()));
  const later = Date.parse(sighting.at) - Date.parse(entry.lastSeen) >= LAST_SEEN_STEP_MS;
  return strip({
    departments: sighting.department && !known.has(sighting.department.toLowerCase()) ? [sighting.department] : [],
    sources: fresh(entry.sources, [sighting.source]),
    connections: fresh(entry.connections, sighting.connections),
    riskyScopes: fresh(entry.riskyScopes, sighting.riskyScopes),
    risk: severityRank(sighting.risk) > severityRank(entry.highestRisk) ? sighting.risk : undefined,
    lastSeen: later ? sighting.at : undefined,
  });
}

export function hasFacts(facts: EntryFacts): boolean {
  return (
    facts.departments.length + facts.sources.length + facts.connections.length + facts.riskyScopes.length > 0 ||
    facts.risk !== undefined ||
    facts.lastSeen !== undefined
  );
}

/**
 * The changes worth telling the app's reviewers: new risky scopes, an admin
 * consent, a department that did not use it yet, a higher risk. A new
 * person or source alone is not one (the count is, when it spikes).
 */
export function reviewChangesOf(entry: InventoryEntry, facts: EntryFacts, sighting: AppSighting): ReviewChange[] {
  const change = (kind: ReviewChangeKind, detail: string): ReviewChange => ({ kind, detail, at: sighting.at, eventId: sighting.eventId });
  return [
    ...facts.riskyScopes.map((s) => change('risky-scope', `risky scope ${s} granted`)),
    ...(facts.connections.includes('admin-consent') ? [change('admin-consent', 'an administrator consented for the whole organisation')] : []),
    // The first department is part of the first sighting, not a change.
    ...(entry.departments.length > 0 ? facts.departments.map((d) => change('new-department', `first use in ${d}`)) : []),
    ...(facts.risk ? [change('risk-raised', `risk raised from ${entry.highestRisk} to ${facts.risk}`)] : []),
  ];
}

/**
 * A spike in users: at least twice as many as the review last counted and
 * ten more. Checked only when a shard's tally reaches a power of two, so a
 * burst of 5,000 assignments checks a few dozen times, not 5,000.
 */
export function isSpike(reviewed: number, now: number): boolean {
  return now >= Math.max(reviewed * 2, reviewed + 10);
}

export function isTallyCheckpoint(tally: number): boolean {
  return tally >= 1 && (tally & (tally - 1)) === 0;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** At most this many changes are kept on a review (the newest); older ones stay in the events' own records. */
export const MAX_REVIEW_CHANGES = 50;

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
