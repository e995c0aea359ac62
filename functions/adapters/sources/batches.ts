/**
 * Batches of native entries, each normalised on its own and merged, and the outcome contract the
 * normalisers return (re-exported so a source module has one place to import it from).
 */
import { combineOutcomes, type ItemOutcome, type NormalizeResult } from '../../domain/normalization';
import { joinPath } from '../../domain/problems';

export { canonicalAppConnected, canonicalPurchaseRequest, combineOutcomes, ignored, malformed } from '../../domain/normalization';
export type { ItemOutcome, NormalizeResult } from '../../domain/normalization';
export { joinPath } from '../../domain/problems';

/**
 * Each entry of a batch through `each`, merged (good entries are never held
 * back by a bad neighbour). `basePath` is where the array sits in the payload.
 */
export function eachOf(
  values: readonly unknown[],
  basePath: string,
  empty: string,
  each: (value: unknown, item: string) => ItemOutcome | Array<{ item: string; outcome: ItemOutcome }>,
): NormalizeResult {
  const entries = entriesOf(values, basePath).flatMap(({ item, value }) => {
    const outcome = each(value, item);
    return Array.isArray(outcome) ? outcome : [{ item, outcome }];
  });
  return combineOutcomes(entries, empty);
}

/** A payload that is one entry or an array of them, each through `each`. */
export function eachEntry(payload: unknown, { empty }: { arrayAt: ''; empty: string }, each: (value: unknown, item: string) => ItemOutcome): NormalizeResult {
  return Array.isArray(payload) ? eachOf(payload, '', empty, each) : each(payload, '');
}

/** Array entries as `{ item, value }` with their paths, for batch payloads. */
export function entriesOf(values: readonly unknown[], basePath: string): Array<{ item: string; value: unknown }> {
  return values.map((value, index) => ({ item: joinPath(basePath, index), value }));
}
