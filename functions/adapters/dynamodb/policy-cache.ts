/**
 * The current policy as the Lambdas read it per event: from memory while the
 * cache is fresh, then one read of the small pointer item, and a reload of
 * the catalogue only when the version changed. Concurrent callers share one
 * refresh; a pointer that cannot be read keeps the cached policy in use.
 */
import { errorMessage } from '../../domain/errors';
import type { PreparedPolicy } from '../../domain/prepared-policy';
import type { ServiceLogger } from '../../domain/ports/logger';
import { PolicyNotFoundError } from './policy-errors';

/** Where the cache reads from: the pointer's version, and one version prepared for lookups. */
export interface PolicyVersions {
  /** The current version, or undefined before the first import. */
  currentVersion(): Promise<string | undefined>;
  prepare(version: string): Promise<PreparedPolicy>;
}

export class PolicyCache {
  private cache?: { version: string; prepared: PreparedPolicy; checkedAt: number };
  private refreshing?: Promise<PreparedPolicy>;

  constructor(
    private readonly versions: PolicyVersions,
    private readonly options: { ttlMs: number; now: () => number; logger?: ServiceLogger },
  ) {}

  /** Fresh cache: no reads. Stale cache: the pointer, and a reload only when the version moved. */
  current(): Promise<PreparedPolicy> {
    if (this.cache && this.options.now() - this.cache.checkedAt < this.options.ttlMs) return Promise.resolve(this.cache.prepared);
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Forget the cached policy: the next `current()` reads the pointer. */
  invalidate(): void {
    this.cache = undefined;
  }

  private async refresh(): Promise<PreparedPolicy> {
    const stale = this.cache;
    let version: string | undefined;
    try {
      version = await this.versions.currentVersion();
    } catch (error) {
      if (!stale) throw error;
      // Keep deciding with the policy we have rather than failing every event; the next call tries again.
      this.options.logger?.warn('Could not read the policy pointer; using the cached policy', {
        version: stale.version,
        error: errorMessage(error),
      });
      return stale.prepared;
    }
    if (version === undefined) throw new PolicyNotFoundError();
    if (stale && stale.version === version) {
      stale.checkedAt = this.options.now();
      return stale.prepared;
    }
    const prepared = await this.versions.prepare(version);
    this.cache = { version, prepared, checkedAt: this.options.now() };
    if (stale) this.options.logger?.info('Policy version changed', { from: stale.version, to: version });
    return prepared;
  }
}
