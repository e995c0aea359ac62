/**
 * Timing and summary statistics for the benchmarks. Samples are taken with
 * `process.hrtime.bigint()` (nanoseconds, monotonic) and summarised with
 * nearest-rank percentiles, so a p99 is a latency that was really observed.
 */

import { readFileSync } from 'node:fs';

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

/** CPU spent by this process and, on Linux, by another one (the dynalite child), in milliseconds. */
export interface CpuMillis {
  /** This process: the handlers, the SDK clients, the in-process AWS transports and the harness. */
  client: number;
  /** The other process (dynalite); undefined where /proc cannot be read or there is none. */
  store?: number;
}

/**
 * Starts a CPU meter: the returned function gives the CPU spent since. The
 * other process is read from /proc/<pid>/stat (user + system clock ticks,
 * 100 a second on Linux), so its figure has a 10 ms grain: meter whole
 * segments of a run, not single calls.
 */
export function cpuMeter(otherPid?: number): () => CpuMillis {
  const start = process.cpuUsage();
  const otherStart = otherPid === undefined ? undefined : processCpuMillis(otherPid);
  return () => {
    const used = process.cpuUsage(start);
    const otherNow = otherPid === undefined ? undefined : processCpuMillis(otherPid);
    return {
      client: (used.user + used.system) / 1000,
      ...(otherStart !== undefined && otherNow !== undefined ? { store: otherNow - otherStart } : {}),
    };
  };
}

function processCpuMillis(pid: number): number | undefined {
  try {
    // Fields after the command name: state is the 1st, utime the 12th and stime the 13th (proc(5)).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Adds one meter reading to a running total. */
export function addCpu(total: CpuMillis, reading: CpuMillis): void {
  total.client += reading.client;
  if (reading.store !== undefined) total.store = (total.store ?? 0) + reading.store;
}
