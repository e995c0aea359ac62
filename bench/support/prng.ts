/**
 * A seeded pseudo-random generator, so every benchmark and reliability run
 * works on exactly the same inputs: a figure can only be compared with an
 * earlier one if both were measured on the same requests.
 *
 * mulberry32: tiny, fast, and good enough for choosing test data (it is not,
 * and need not be, cryptographic).
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** Log-uniform in [min, max]: as many 50-dollar tools as 50,000-dollar ones, like real purchase amounts. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }

  /** A new generator derived from this one (independent streams for independent choices). */
  fork(): Prng {
    return new Prng(Math.floor(this.next() * 4294967296));
  }
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ran',
  'zu',
  'vex',
  'tor',
  'bri',
  'na',
  'qua',
  'sel',
  'dri',
  'fen',
  'gal',
  'hyp',
  'jor',
  'lum',
  'nov',
  'pax',
  'rho',
  'sta',
  'tri',
  'ul',
  'vel',
  'wyn',
  'xen',
  'yor',
  'zen',
  'cor',
  'dex',
  'ember',
  'flo',
];

/** A pronounceable made-up word ("Velnova"), for vendor and product names that match nothing real. */
export function madeUpWord(prng: Prng, syllables = prng.int(2, 3)): string {
  let word = '';
  for (let i = 0; i < syllables; i++) word += prng.pick(SYLLABLES);
  return word;
}

export function capitalise(word: string): string {
  return word.length === 0 ? word : word[0].toUpperCase() + word.slice(1);
}
