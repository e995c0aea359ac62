/**
 * Where the project's files are, resolved from this file rather than the
 * working directory: `npx guardrail evaluate` run from a subfolder must still
 * find the default policy and the same local data as `npm start`.
 */
import { isAbsolute, join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** The policy a fresh local store is seeded with, and the CLI's default. */
export const DEFAULT_POLICY_FILE = join(PROJECT_ROOT, 'policy', 'default.yaml');

/** Canonical sample events, replayed on the first start. */
export const SAMPLE_EVENT_DIRS = [join(PROJECT_ROOT, 'events', 'purchase-request'), join(PROJECT_ROOT, 'events', 'app-connected')];

/**
 * The local data folder (dynalite's LevelDB, outbox, dead letters). Git-ignored;
 * `GUARDRAIL_DATA_DIR` moves it (relative paths are taken from the working directory).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.GUARDRAIL_DATA_DIR?.trim();
  if (override) return isAbsolute(override) ? override : resolve(process.cwd(), override);
  return join(PROJECT_ROOT, '.local-data');
}

/** The files inside a data folder; one definition so the runtime and the CLI agree. */
export function dataFiles(dataDir: string) {
  return {
    dynamodb: join(dataDir, 'dynamodb'),
    outbox: join(dataDir, 'outbox.jsonl'),
    deadLetters: join(dataDir, 'dead-letters.jsonl'),
    decisions: join(dataDir, 'decisions.jsonl'),
    /** Normaliser options per source (defaults, field mappings, app names), as `guardrail:sourceOptions` in a deployment. */
    sourceOptions: join(dataDir, 'source-options.json'),
    /** Written while a runtime runs, so the CLI can find its URL. */
    runtimeInfo: join(dataDir, 'runtime.json'),
  };
}
