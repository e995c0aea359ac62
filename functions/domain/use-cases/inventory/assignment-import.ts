/**
 * Importing an app's complete assignment list (an identity provider's
 * export): the list becomes the app's people, the entry is marked
 * `assignmentsComplete`, and from then on its people are its seats used.
 * Assignments that arrive as events afterwards add to it. As with the
 * directory import, any bad row stops the import unless the caller skips bad
 * rows: a half-read list would understate the seats used.
 */
import type { AppUser, InventoryEntry } from '../../inventory/app-inventory';
import { readAssignmentExport, type AssignmentReading, type AssignmentRowProblem, type AssignmentSource } from '../../inventory/assignments';
import type { AssignmentsComplete } from '../../inventory/seat-counts';
import type { Policy } from '../../policy';
import type { AppInventoryStore, PeopleDirectory } from '../../ports/app-inventory';
import { normalisedNameKey } from '../../vendor-catalogue';

/** The app an import is for: an inventory entry, or a catalogue vendor not yet seen. */
export interface AssignmentTarget {
  appKey: string;
  name: string;
  /** Every name the app goes by: rows naming other apps are left out. */
  names: string[];
  vendorId?: string;
  seed: InventoryEntry;
}

export interface AssignmentImportReport {
  app: string;
  appKey: string;
  people: number;
  added: number;
  removed: number;
  complete: AssignmentsComplete;
  otherApps: number;
  unassigned: number;
  repeated: number;
  skipped: AssignmentRowProblem[];
}

export class AssignmentRowsError extends Error {
  constructor(readonly problems: AssignmentRowProblem[]) {
    super(
      problems.length === 0
        ? 'the list names nobody; nothing was imported'
        : `${problems.length} bad ${problems.length === 1 ? 'row' : 'rows'}; nothing was imported`,
    );
    this.name = 'AssignmentRowsError';
  }
}

/**
 * Finds the app `wanted` names: an inventory entry by key, name or catalogue
 * id, else a catalogue vendor by id, name or alias. Undefined when neither knows it.
 */
export function resolveAssignmentTarget(
  wanted: string,
  entries: readonly InventoryEntry[],
  policy: Policy | undefined,
  at: string,
): AssignmentTarget | undefined {
  const key = normalisedNameKey(wanted);
  const lower = wanted.trim().toLowerCase();
  const vendor = policy?.vendors.find(
    (v) => v.id.toLowerCase() === lower || `vendor:${v.id}`.toLowerCase() === lower || [v.name, ...(v.aliases ?? [])].some((n) => normalisedNameKey(n) === key),
  );
  const entry =
    entries.find((e) => e.appKey.toLowerCase() === lower) ??
    entries.find((e) => (vendor && e.catalogue?.vendorId === vendor.id) || e.catalogue?.vendorId.toLowerCase() === lower) ??
    entries.find((e) => normalisedNameKey(e.name) === key);
  const vendorId = entry?.catalogue?.vendorId ?? vendor?.id;
  const names = [wanted, ...(entry ? [entry.name] : []), ...(vendor ? [vendor.name, ...(vendor.aliases ?? [])] : [])];
  if (entry) return { appKey: entry.appKey, name: entry.name, names, ...(vendorId ? { vendorId } : {}), seed: entry };
  if (!vendor) return undefined;
  const seed: InventoryEntry = {
    appKey: `vendor:${vendor.id}`,
    name: vendor.name,
    catalogue: { vendorId: vendor.id, name: vendor.name, category: vendor.category },
    status: vendor.status,
    ...(vendor.agreement?.owner ? { owner: vendor.agreement.owner } : {}),
    firstSeen: at,
    lastSeen: at,
    departments: [],
    sources: [],
    connections: [],
    riskyScopes: [],
    highestRisk: 'info',
    requests: [],
  };
  return { appKey: seed.appKey, name: vendor.name, names, vendorId: vendor.id, seed };
}

/** How many directory look-ups run at once (one get per person). */
const LOOKUPS = 16;

export async function importAssignments(
  deps: { inventory: AppInventoryStore; directory?: PeopleDirectory },
  input: { target: AssignmentTarget; reading: AssignmentReading; source: string; at: string; skipBadRows?: boolean },
): Promise<AssignmentImportReport> {
  const { target, reading, source, at } = input;
  if (reading.people.length === 0 || (reading.problems.length > 0 && !input.skipBadRows)) throw new AssignmentRowsError(reading.problems);
  const users = await usersOf(deps.directory, reading, source, at);
  const { entry } = await deps.inventory.createIfAbsent(target.seed);
  const departments = [...new Set(users.flatMap((u) => (u.department ? [u.department] : [])))].filter((d) => !entry.departments.includes(d));
  const sources = entry.sources.includes(source) ? [] : [source];
  const connections = entry.connections.includes('user-assigned') ? [] : (['user-assigned'] as const);
  if (departments.length + sources.length + connections.length > 0) {
    await deps.inventory.addFacts(target.appKey, { departments, sources, connections: [...connections], riskyScopes: [] });
  }
  const { added, removed } = await deps.inventory.replaceUsers(target.appKey, users);
  const complete: AssignmentsComplete = { at, source, count: users.length };
  await deps.inventory.markAssignmentsComplete(target.appKey, complete, target.vendorId);
  return {
    app: target.name,
    appKey: target.appKey,
    people: users.length,
    added,
    removed,
    complete,
    otherApps: reading.otherApps,
    unassigned: reading.unassigned,
    repeated: reading.repeated,
    skipped: reading.problems,
  };
}

async function usersOf(directory: PeopleDirectory | undefined, reading: AssignmentReading, source: string, at: string): Promise<AppUser[]> {
  const users: AppUser[] = new Array(reading.people.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < reading.people.length; i = next++) {
      const p = reading.people[i];
      const known = p.email && directory ? await directory.find(p.email) : undefined;
      const name = known?.name ?? p.name;
      users[i] = {
        personKey: known?.email ?? p.personKey,
        ...(p.email ? { email: known?.email ?? p.email } : {}),
        ...(name ? { name } : {}),
        ...(known?.department ? { department: known.department } : {}),
        firstSeen: at,
        lastSeen: at,
        source,
        connection: 'user-assigned',
        eventId: `assignment-import:${at}`,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUPS, reading.people.length) }, worker));
  // An alias and its person's own address on two rows are one person.
  return [...new Map(users.map((u) => [u.personKey, u])).values()];
}

/** "row 4: "bob" is not an email address" lines, as `directory import` prints them. */
export function assignmentProblemLines(problems: readonly AssignmentRowProblem[]): string[] {
  return problems.map((p) => (p.row === 0 ? p.problem : `row ${p.row}: ${p.problem}`));
}

export class UnknownAppError extends Error {
  constructor(app: string, known: readonly string[]) {
    super(
      `no app "${app}" in the inventory or the policy's catalogue${known.length ? ` (the inventory has ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''})` : ''}`,
    );
    this.name = 'UnknownAppError';
  }
}

/** The whole import as the CLI and the local runtime run it: find the app, read the export, replace its people. */
export async function importAssignmentFile(
  deps: { inventory: AppInventoryStore; directory?: PeopleDirectory; policy?: Policy },
  input: { app: string; content: string; format: 'csv' | 'json'; source: AssignmentSource; at: string; skipBadRows?: boolean },
): Promise<AssignmentImportReport> {
  const entries = await deps.inventory.list();
  const target = resolveAssignmentTarget(input.app, entries, deps.policy, input.at);
  if (!target)
    throw new UnknownAppError(
      input.app,
      entries.map((e) => e.name),
    );
  const reading = readAssignmentExport(input.content, input.format, target.names, input.source);
  return importAssignments(deps, { target, reading, source: input.source, at: input.at, ...(input.skipBadRows ? { skipBadRows: true } : {}) });
}
