/**
 * Query parameters of the local routes, read strictly: a misspelt parameter
 * (`?outcom=block`) is a 400 naming the ones the route takes, never a filter
 * silently ignored, and each value is checked with a message saying what it
 * should look like.
 */
import { HttpError } from './http';

/** Refuses parameters the route does not take. */
export function assertKnownParams(url: URL, allowed: readonly string[]): void {
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.includes(name)) {
      throw new HttpError(400, `unknown query parameter "${name}"; ${url.pathname} takes ${allowed.length ? allowed.join(', ') : 'none'}`);
    }
  }
}

/** `?dryRun`, `?dryRun=1|true|yes` are on; absent, `0|false|no` off. */
export function flagParam(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null) return false;
  const v = value.trim().toLowerCase();
  if (v === '' || v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  throw new HttpError(400, `${name}: "${value}" is not one of 1, true, yes, 0, false, no`);
}

/** Comma-separated or repeated values, each one of `allowed`; undefined when absent. */
export function listParam<T extends string>(url: URL, name: string, allowed: readonly T[]): T[] | undefined {
  const raw = url.searchParams.getAll(name);
  if (raw.length === 0) return undefined;
  const values = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const v of values) {
    if (!allowed.includes(v as T)) throw new HttpError(400, `${name}: "${v}" is not one of ${allowed.join(', ')}`);
  }
  return values as T[];
}

/** The raw text of a parameter, undefined when absent (checked by whoever reads it). */
export function textParam(url: URL, name: string): string | undefined {
  return url.searchParams.get(name) ?? undefined;
}
