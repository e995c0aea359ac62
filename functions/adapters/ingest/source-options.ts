/**
 * Normaliser options per source (Okta consent app names, a form's field
 * mapping…) as deployed: CDK context `guardrail:sourceOptions` is checked
 * here at synth time and reaches both ingest Lambdas as one JSON env var,
 * parsed here again at start-up. One parser, so the synth refuses exactly
 * what the Lambdas would.
 */
import { SOURCE_NAMES, isSourceName, type SourceOptions } from '../sources';

/** Env var with the JSON options (the CDK stack sets it when context gives any). */
export const SOURCE_OPTIONS_ENV = 'SOURCE_OPTIONS';
/** Lambda allows 4 KB of environment in all; leave room for the other variables. */
export const MAX_SOURCE_OPTIONS_BYTES = 3 * 1024;

export class SourceOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid source options:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SourceOptionsError';
  }
}

/**
 * Validates options given as an object (CDK context) or JSON text (env, or
 * `-c guardrail:sourceOptions='{...}'`). Each key must be a source name and
 * each value an object; what a value holds is for that source's normaliser,
 * which ignores fields it does not know. Throws naming every problem.
 */
export function parseSourceOptions(raw: unknown, origin = 'source options'): Partial<SourceOptions> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new SourceOptionsError([`${origin}: is not JSON`]);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SourceOptionsError([`${origin}: must be an object keyed by source name (${SOURCE_NAMES.join(', ')})`]);
  }
  const problems: string[] = [];
  for (const [key, options] of Object.entries(value as Record<string, unknown>)) {
    if (!isSourceName(key)) problems.push(`${origin}.${key}: is not a source name (${SOURCE_NAMES.join(', ')})`);
    else if (typeof options !== 'object' || options === null || Array.isArray(options)) problems.push(`${origin}.${key}: must be an object`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_SOURCE_OPTIONS_BYTES) {
    problems.push(`${origin}: is ${bytes} bytes as JSON; at most ${MAX_SOURCE_OPTIONS_BYTES} fit in a Lambda environment`);
  }
  if (problems.length > 0) throw new SourceOptionsError(problems);
  return value as Partial<SourceOptions>;
}
