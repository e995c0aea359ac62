/**
 * Which of two policy versions is newer. Versions are free text
 * (`2026-11-27.1`, `3.2.0`, `v12`), so the rule is stated once and kept
 * simple enough to predict: split each into runs of digits and runs of
 * letters (the separators `.`, `-`, `_` only separate), then compare run by
 * run — numbers as numbers (`10` after `9`), words alphabetically, ignoring
 * case. A version that extends another is newer (`2026-11-27.1` after
 * `2026-11-27`). Where one has a number and the other a word at the same
 * place they follow different schemes and neither is newer (`incomparable`).
 */

export type VersionOrder = 'newer' | 'same' | 'older' | 'incomparable';

/** The rule in one sentence, for messages that refuse a version. */
export const VERSION_ORDER_RULE =
  'versions are compared part by part, numbers as numbers and words alphabetically (2026-11-27.2 is newer than 2026-11-27.1, 1.10 newer than 1.9)';

/** How `candidate` stands against `reference`: newer, the same position, older, or incomparable. */
export function compareVersions(candidate: string, reference: string): VersionOrder {
  const a = versionParts(candidate);
  const b = versionParts(reference);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareParts(a[i], b[i]);
    if (order !== 'same') return order;
  }
  if (a.length === b.length) return 'same';
  return a.length > b.length ? 'newer' : 'older';
}

/** `2026-11-27.1` → ['2026', '11', '27', '1']; `v2rc3` → ['v', '2', 'rc', '3']. */
export function versionParts(version: string): string[] {
  return version.match(/\d+|[A-Za-z]+/g) ?? [];
}

function compareParts(a: string, b: string): VersionOrder {
  const aNumber = /^\d/.test(a);
  const bNumber = /^\d/.test(b);
  if (aNumber !== bNumber) return 'incomparable';
  if (aNumber) {
    // Compared as digit strings without leading zeros: no overflow on long numbers (timestamps).
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length > y.length ? 'newer' : 'older';
    return x === y ? 'same' : x > y ? 'newer' : 'older';
  }
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y ? 'same' : x > y ? 'newer' : 'older';
}
