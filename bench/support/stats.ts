/**
 * Timing and summary statistics for the benchmarks. Samples are taken with
 * `process.hrtime.bigint()` (nanoseconds, monotonic) and summarised with
 * nearest-rank percentiles, so a p99 is a latency that was really observed.
 */

/** Nanoseconds now, monotonic. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Nearest-rank percentile of an ascending array (p in 0–100). */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  if (p <= 0) return sortedAscending[0];
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, rank) - 1];
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

/** Summary of samples in whatever unit they were given (callers convert ns to µs or ms first). */
export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Rounds every number in a summary to `digits` decimals, for the report. */
export function rounded<T extends object>(summary: T, digits = 2): T {
  const factor = 10 ** digits;
  const out = {} as Record<string, unknown>;
  for (const [key, value] of Object.entries(summary)) {
    out[key] = typeof value === 'number' ? Math.round(value * factor) / factor : value;
  }
  return out as T;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A number to a few significant digits, for ratios and costs whose scale varies. */
export function significant(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export const nsToMicros = (ns: number | bigint): number => Number(ns) / 1_000;
export const nsToMillis = (ns: number | bigint): number => Number(ns) / 1_000_000;

/**
 * Runs `task` over `items` with at most `concurrency` in flight, in order of
 * the items, and returns each item's latency in nanoseconds plus the wall time.
 */
export async function runBounded<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<unknown>,
): Promise<{ latenciesNs: number[]; wallNs: number }> {
  const latenciesNs = new Array<number>(items.length);
  let next = 0;
  const started = nowNs();
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const t0 = nowNs();
      await task(items[index], index);
      latenciesNs[index] = Number(nowNs() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { latenciesNs, wallNs: Number(nowNs() - started) };
}
