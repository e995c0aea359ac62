/**
 * The inventory as people read it: entries with their exact user counts (the
 * console, the CLI, the outreach), and one app with the people using it.
 * Counting is 16 COUNT queries per app, made only when someone looks.
 */
import type { AppUser, InventoryEntry } from '../../inventory/app-inventory';
import type { AppInventoryStore, InventoryView } from '../../ports/app-inventory';

export type CountedEntry = InventoryEntry & { users: number };

/** How many apps are counted at once (each count is 16 queries). */
const COUNT_CONCURRENCY = 8;

export function inventoryView(store: AppInventoryStore): InventoryView {
  return {
    async list(filter = {}) {
      const wanted = filter.department?.trim().toLowerCase();
      const entries = (await store.list()).filter((e) => !wanted || e.departments.some((d) => d.toLowerCase() === wanted));
      const counted: CountedEntry[] = new Array(entries.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < entries.length; i = next++) counted[i] = { ...entries[i], users: await store.countUsers(entries[i].appKey) };
      };
      await Promise.all(Array.from({ length: Math.min(COUNT_CONCURRENCY, entries.length) }, worker));
      return counted.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.name.localeCompare(b.name));
    },
    async app(appKey, options = {}) {
      const entry = await store.get(appKey);
      if (!entry) return undefined;
      const [users, people] = await Promise.all([store.countUsers(appKey), store.listUsers(appKey, options.usersLimit ?? 200)]);
      return { ...entry, users, people: people as AppUser[] };
    },
  };
}
