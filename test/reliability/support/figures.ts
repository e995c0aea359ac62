/**
 * Each reliability suite records its figures in test/reliability/results/
 * <suite>.json; after a run, report.ts (jest globalTeardown) writes them into
 * docs/reliability.md. Only the long suite writes: the quick checks inside
 * `npm test` assert the same properties on smaller runs and leave the
 * committed figures alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from '../../../bench/support/machine';

export const RESULTS_DIR = join(__dirname, '..', 'results');

export interface SuiteFigures {
  suite: string;
  title: string;
  /** Headline lines for the table: label → value. */
  figures: Record<string, string | number | boolean>;
  /** Everything else worth keeping (inputs, breakdowns). */
  details?: Record<string, unknown>;
  /** What this run does not cover yet, said plainly. */
  notCovered?: string[];
}

export function recordFigures(figures: SuiteFigures): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const body = { ...figures, measuredAt: new Date().toISOString(), machine: machineInfo() };
  writeFileSync(join(RESULTS_DIR, `${figures.suite}.json`), `${JSON.stringify(body, null, 2)}\n`);
}
