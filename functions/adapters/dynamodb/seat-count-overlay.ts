/**
 * The seat-count overlay: seats used of every catalogue app whose complete
 * assignment list was imported, loaded with the policy and refreshed on the
 * same cache lifetime. A refresh is one Query of the small `SEATS`
 * partition and one BatchGet of 16 tallies per such app (100 keys a call);
 * an event between refreshes reads nothing. A refresh that fails keeps the
 * last counts (or the policy's own numbers before the first load).
 */
import { errorMessage } from '../../domain/errors';
import { seatsUsedOf, withSeatCounts, type CompleteSeatCount } from '../../domain/inventory/seat-counts';
import type { PreparedPolicy } from '../../domain/prepared-policy';
import type { SeatsUsedSource } from '../../domain/renewals/calendar';
import type { ServiceLogger } from '../../domain/ports/logger';
import type { PolicySource } from '../../domain/ports/policy-source';

export class SeatCountOverlay {
  private cache?: { counts: readonly CompleteSeatCount[]; loadedAt: number };
  private loading?: Promise<readonly CompleteSeatCount[]>;
  private applied?: { prepared: PreparedPolicy; counts: readonly CompleteSeatCount[]; result: PreparedPolicy };

  constructor(
    private readonly store: { completeSeatCounts(): Promise<CompleteSeatCount[]> },
    private readonly options: { ttlMs: number; now: () => number; logger?: ServiceLogger },
  ) {}

  /** The counts, from memory while fresh. */
  counts(): Promise<readonly CompleteSeatCount[]> {
    if (this.cache && this.options.now() - this.cache.loadedAt < this.options.ttlMs) return Promise.resolve(this.cache.counts);
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Forget the counts: the next read loads them (after an import in the same process). */
  invalidate(): void {
    this.cache = undefined;
  }

  /** The policy with the counts laid over it; re-prepared only when the policy or the counts changed. */
  async apply(prepared: PreparedPolicy): Promise<PreparedPolicy> {
    const counts = await this.counts();
    const last = this.applied;
    if (last && last.prepared === prepared && last.counts === counts) return last.result;
    const result = withSeatCounts(prepared, counts);
    this.applied = { prepared, counts, result };
    return result;
  }

  private async load(): Promise<readonly CompleteSeatCount[]> {
    try {
      const fresh = await this.store.completeSeatCounts();
      // Unchanged counts keep their identity, so the overlaid policy is not prepared again.
      const same = this.cache && sameCounts(this.cache.counts, fresh);
      const counts = same && this.cache ? this.cache.counts : fresh;
      this.cache = { counts, loadedAt: this.options.now() };
      return counts;
    } catch (error) {
      this.options.logger?.warn('Could not read the seat counts; seats used stay as last known', { error: errorMessage(error) });
      // Try again after a lifetime, not on every event.
      this.cache = { counts: this.cache?.counts ?? [], loadedAt: this.options.now() };
      return this.cache.counts;
    }
  }
}

function sameCounts(a: readonly CompleteSeatCount[], b: readonly CompleteSeatCount[]): boolean {
  return a.length === b.length && a.every((c, i) => c.vendorId === b[i].vendorId && c.used === b[i].used && c.complete.at === b[i].complete.at);
}

/** The policy as every rule should see it: with the inventory's seat counts. */
export function seatAwarePolicy(policy: PolicySource, overlay: SeatCountOverlay): PolicySource {
  return { current: async () => overlay.apply(await policy.current()) };
}

/** Seats used for the renewal calendar: the inventory's count once complete, else the policy's. */
export function inventorySeatsUsed(overlay: SeatCountOverlay): SeatsUsedSource {
  return {
    async seatsUsed(vendor) {
      const counts = await overlay.counts();
      return seatsUsedOf(vendor, new Map(counts.map((c) => [c.vendorId, c])));
    },
  };
}
