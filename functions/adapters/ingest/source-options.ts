/**
 * Normaliser options per source (Okta consent app names, a form's field
 * mapping…) as deployed: CDK context `guardrail:sourceOptions` is checked
 * here at synth time and reaches both ingest Lambdas as one JSON env var,
 * parsed here again at start-up. One parser, so the synth refuses exactly
 * what the Lambdas would.
 */
import * as z from '../../domain/zod-mini';
import { describeIssues } from '../../domain/problems';
import { FORM_NAME_PATTERN } from '../../domain/request-identity';
import { SOURCE_NAMES, isSourceName, type SourceOptions } from '../sources/source-names';

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
 * Options given as an object (CDK context) or JSON text (env, or
 * `-c guardrail:sourceOptions='{...}'`); empty means none. Each key must be a
 * source name and each value an object; what a value holds is for that
 * source's normaliser, which ignores fields it does not know.
 */
export const SourceOptionsSchema = z.pipe(
  z.pipe(
    z.pipe(
      z.optional(z.unknown()),
      z.transform((raw, ctx) => {
        if (raw === undefined || raw === null || raw === '') return {};
        if (typeof raw !== 'string') return raw;
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: 'is not JSON', input: raw });
          return z.NEVER;
        }
      }),
    ),
    z.record(z.string(), z.unknown(), { error: `must be an object keyed by source name (${SOURCE_NAMES.join(', ')})` }).check(
      z.superRefine((value, ctx) => {
        for (const [key, options] of Object.entries(value)) {
          if (!isSourceName(key)) ctx.addIssue({ code: 'custom', path: [key], message: `is not a source name (${SOURCE_NAMES.join(', ')})` });
          else if (typeof options !== 'object' || options === null || Array.isArray(options))
            ctx.addIssue({ code: 'custom', path: [key], message: 'must be an object' });
          else if (key === 'generic-form')
            genericFormProblems(options as Record<string, unknown>).forEach((p) =>
              ctx.addIssue({ code: 'custom', path: [key, ...p.path], message: p.message }),
            );
        }
        const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
        if (bytes > MAX_SOURCE_OPTIONS_BYTES) {
          ctx.addIssue({ code: 'custom', message: `is ${bytes} bytes as JSON; at most ${MAX_SOURCE_OPTIONS_BYTES} fit in a Lambda environment` });
        }
      }),
    ),
  ),
  z.transform((value: Record<string, unknown>) => value as Partial<SourceOptions>),
);

/** {@link SourceOptionsSchema} outside a larger schema; throws naming every problem under `origin`. */
export function parseSourceOptions(raw: unknown, origin = 'source options'): Partial<SourceOptions> {
  const parsed = SourceOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new SourceOptionsError(describeIssues(parsed.error.issues, origin));
  return parsed.data;
}

/**
 * The generic form's name is its namespace (`form:<formName>:<id>`): it must
 * not blur into another's. The options it replaced are refused rather than
 * silently ignored, so an upgrade cannot change a form's ids unnoticed.
 */
function genericFormProblems(options: Record<string, unknown>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const name = options.formName;
  if (name !== undefined && (typeof name !== 'string' || !FORM_NAME_PATTERN.test(name))) {
    problems.push({ path: ['formName'], message: 'must be lower-case letters, digits and hyphens (at most 32), without ":"' });
  }
  for (const old of ['source', 'requestIdPrefix']) {
    if (old in options)
      problems.push({ path: [old], message: 'is no longer read: name the form with formName (its requests are stored as form:<formName>:<id>)' });
  }
  return problems;
}
