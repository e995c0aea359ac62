/**
 * Names as people type them: "Dropbx", "Gogle Drive", "Salesforse". Finds the
 * catalogue keys within a small edit distance of a name without looking at
 * every key: a symmetric-deletion index (each key is stored with every
 * one-character deletion of it; a query looks up itself and its deletions),
 * verified with the optimal-string-alignment form of Damerau-Levenshtein.
 * That finds every name one edit away, and those two edits away whose
 * one-deletion variants meet (a substitution plus a nearby slip).
 *
 * Deletion variants are stored as 32-bit hashes in one open-addressing table
 * of typed arrays, so a catalogue of 100,000 vendors costs a few tens of MB
 * and a lookup a few hundred probes, whatever the catalogue's size.
 *
 * The distance allowed grows with the length of the (space-free) name: none
 * up to 4 characters ("Box" and "Bix" are different products), one up to 8,
 * two beyond. Digits must agree exactly: "Vendor 10" is not a typo of "Vendor 1".
 */

/** Edits allowed between a name and a catalogue key of this length. */
export function allowedEdits(length: number): number {
  if (length <= 4) return 0;
  return length <= 8 ? 1 : 2;
}

export interface FuzzyHit<T> {
  value: T;
  key: string;
  distance: number;
}

const EMPTY = -1;
const BASE = 0x01000193;
const POWERS: number[] = [1];

function power(k: number): number {
  while (POWERS.length <= k) POWERS.push(Math.imul(POWERS[POWERS.length - 1], BASE) >>> 0);
  return POWERS[k];
}

/**
 * Polynomial hashes (mod 2^32) of a text and of every text made by deleting
 * one character: O(1) each from prefix and suffix sums, so a text of length
 * n costs O(n). Repeats are possible and harmless.
 */
function deletionHashes(text: string, into: (hash: number) => void): void {
  const n = text.length;
  const prefix = new Array<number>(n + 1);
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = (Math.imul(prefix[i], BASE) + text.charCodeAt(i)) >>> 0;
  const suffix = new Array<number>(n + 1);
  suffix[n] = 0;
  for (let i = n - 1; i >= 0; i--) suffix[i] = (suffix[i + 1] + Math.imul(text.charCodeAt(i), power(n - 1 - i))) >>> 0;
  into(prefix[n]);
  for (let a = 0; a < n; a++) into((Math.imul(prefix[a], power(n - 1 - a)) + suffix[a + 1]) >>> 0);
}

const digitsOf = (text: string): string => text.replace(/\D+/g, '');

export class FuzzyNameIndex<T> {
  private readonly keys: string[] = [];
  private readonly keyDigits: string[] = [];
  private readonly values: T[][] = [];
  private hashes = new Uint32Array(0);
  private ids = new Int32Array(0);
  private mask = 0;

  /** Builds the index from (key, value) pairs; keys are compared as given (already normalised). */
  constructor(entries: Iterable<{ key: string; value: T }>) {
    const idOf = new Map<string, number>();
    for (const { key, value } of entries) {
      if (allowedEdits(key.length) === 0) continue;
      let id = idOf.get(key);
      if (id === undefined) {
        id = this.keys.length;
        idOf.set(key, id);
        this.keys.push(key);
        this.keyDigits.push(digitsOf(key));
        this.values.push([]);
      }
      if (!this.values[id].includes(value)) this.values[id].push(value);
    }
    const total = this.keys.reduce((n, key) => n + key.length + 1, 0);
    let capacity = 16;
    while (capacity < total * 1.6) capacity *= 2;
    this.hashes = new Uint32Array(capacity);
    this.ids = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.keys.forEach((key, id) => deletionHashes(key, (hash) => this.insert(hash, id)));
  }

  /**
   * Keys within the allowed distance of `query` (itself normalised like the
   * keys), nearest first. Empty when the query is too short to guess at.
   */
  search(query: string): FuzzyHit<T>[] {
    const allowed = allowedEdits(query.length);
    if (allowed === 0 || this.keys.length === 0) return [];
    const candidates = new Set<number>();
    // One deletion on each side: every name one edit away, and those two edits away that meet halfway
    // (a substitution, or a letter moved). Deleting two from the query would find a few more at ten
    // times the probes, which a large catalogue pays for in cache misses.
    deletionHashes(query, (hash) => this.collect(hash, candidates));
    const hits: FuzzyHit<T>[] = [];
    const digits = digitsOf(query);
    for (const id of candidates) {
      const key = this.keys[id];
      const limit = Math.min(allowed, allowedEdits(key.length));
      if (limit === 0 || Math.abs(key.length - query.length) > limit || this.keyDigits[id] !== digits) continue;
      const distance = editDistance(query, key, limit);
      if (distance > 0 && distance <= limit) for (const value of this.values[id]) hits.push({ value, key, distance });
    }
    return hits.sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private insert(hash: number, id: number): void {
    let slot = hash & this.mask;
    while (this.ids[slot] !== EMPTY) {
      if (this.hashes[slot] === hash && this.ids[slot] === id) return;
      slot = (slot + 1) & this.mask;
    }
    this.hashes[slot] = hash;
    this.ids[slot] = id;
  }

  private collect(hash: number, into: Set<number>): void {
    let slot = hash & this.mask;
    if (this.ids[slot] === EMPTY) return;
    while (this.ids[slot] !== EMPTY) {
      if (this.hashes[slot] === hash) into.add(this.ids[slot]);
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Three rows of the distance table, reused by every call (grown when a longer name comes). */
let rows = { beforePrevious: new Int32Array(64), previous: new Int32Array(64), current: new Int32Array(64) };

/**
 * Optimal string alignment distance (Damerau-Levenshtein where a transposed
 * pair counts as one edit), giving up once it must exceed `limit`. It runs
 * for every candidate of a typo search, so it allocates nothing (three reused
 * rows of integers) and skips what both names share at the start and end.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // A typo leaves most of a name alone: only the middle that differs needs the table.
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  if (start > 0 || endA < a.length || endB < b.length) {
    a = a.slice(start, endA);
    b = b.slice(start, endB);
  }
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return Math.min(m + n, limit + 1);
  if (rows.previous.length <= n) {
    const size = 2 * (n + 1);
    rows = { beforePrevious: new Int32Array(size), previous: new Int32Array(size), current: new Int32Array(size) };
  }
  let { beforePrevious, previous, current } = rows;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= m; i++) {
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    current[0] = i;
    let best = i;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = previous[j - 1] + (ai === bj ? 0 : 1);
      const deletion = previous[j] + 1;
      if (deletion < value) value = deletion;
      const insertion = current[j - 1] + 1;
      if (insertion < value) value = insertion;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) {
        const transposition = beforePrevious[j - 2] + 1;
        if (transposition < value) value = transposition;
      }
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    const spare = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = spare;
  }
  return previous[n];
}
