/**
 * Reading a source's native payload: validation with loose schemas whose problems name the field,
 * and the optional text, email, number and date shapes sources send where a field usually sits.
 */
import * as z from '../../domain/zod-mini';
import { describeIssues } from '../../domain/problems';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates a native payload (or a part of it) with a loose zod schema:
 * only the fields a normaliser reads are declared, extras pass. Problems name
 * the field path from the payload root (`basePath` is where `value` sits).
 */
export function parseNative<S extends z.ZodMiniType>(schema: S, value: unknown, basePath = ''): Parsed<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: describeIssues(parsed.error.issues, basePath, '(payload)', value) };
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string that may be null or blank in the source: blank means absent. */
export const optionalText = z.pipe(
  z.nullish(z.string()),
  z.transform((s: string | null | undefined) => (s == null || s.trim() === '' ? undefined : s)),
);

/** Trimmed non-blank string, or undefined. */
export function present(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  return value.trim() === '' ? undefined : value;
}

/** The first argument that is a non-blank string. */
export function firstPresent(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

const emailShape = z.email();

/**
 * The value when it is an email address, else undefined. Sources put
 * logins, UPNs, hex ids or session names where an email often sits; only a
 * real address becomes `email` (never a guess).
 */
export function emailIfValid(value: string | null | undefined): string | undefined {
  const candidate = present(value)?.trim();
  if (candidate === undefined || candidate.length > 254) return undefined;
  return emailShape.safeParse(candidate).success ? candidate : undefined;
}

/**
 * A number or its text (`"14400.00"`, `4821`): procurement APIs send
 * decimals and ids either way. Null/absent is for the caller to allow.
 */
export const numberOrText = z.union([z.number(), z.string()], {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number or text'),
});

/** ISO 8601 date-time with offset, as the canonical schema wants it. */
export const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' });

/** `2026-03-01`, `2026-03-01T00:00:00-08:00` or `2026-03-01 00:00:00` → `2026-03-01`. */
export function datePart(value: string | null | undefined): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(present(value)?.trim() ?? '');
  return match?.[1];
}

/**
 * A value as quoted in a problem or reason: text shortened (a 5 MB field
 * must never end up in a dead letter's reason), structures only named.
 */
export function quote(value: unknown, max = 60): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}
