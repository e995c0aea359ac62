/** The typo index (functions/domain/fuzzy-names.ts): finds what one or two edits away means, never by scanning. */
import fc from 'fast-check';
import { FuzzyNameIndex, allowedEdits, editDistance } from '../../../functions/domain/fuzzy-names';

const word = fc.stringMatching(/^[a-z]{5,16}$/);

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['dropbox', 'dropbox', 0],
    ['dropbox', 'dropbx', 1],
    ['dropbox', 'dropbxo', 1],
    ['dropbox', 'drpbox', 1],
    ['salesforce', 'salsforse', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it('gives up past its limit', () => expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3));

  /** The textbook table, whole: what the fast version (shared start and end skipped, reused rows, early exit) must agree with. */
  function textbookDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  it('agrees with the textbook table on any pair, with and without a limit', () => {
    // A three-letter alphabet makes shared ends, repeats and transpositions common.
    const text = fc.stringMatching(/^[abc]{0,12}$/);
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (a, b, limit) => {
        const exact = textbookDistance(a, b);
        expect(editDistance(a, b)).toBe(exact);
        expect(Math.min(editDistance(a, b, limit), limit + 1)).toBe(Math.min(exact, limit + 1));
      }),
      { numRuns: 3000 },
    );
  });

  it('is not confused by a longer name after a shorter one (its rows grow)', () => {
    const long = 'x'.repeat(200);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance(`${long}ab`, `${long}ba`)).toBe(1);
    expect(editDistance(`a${long}`, `${long}b`)).toBe(2);
    expect(editDistance('ab', 'ba')).toBe(1);
  });
});

describe('FuzzyNameIndex', () => {
  it('finds a key one edit away (insertion, deletion, substitution, transposition)', () => {
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom('insert', 'delete', 'substitute', 'transpose'), (key, at, edit) => {
        const i = at % (key.length - 1);
        const typo =
          edit === 'insert'
            ? `${key.slice(0, i)}q${key.slice(i)}`
            : edit === 'delete'
              ? key.slice(0, i) + key.slice(i + 1)
              : edit === 'substitute'
                ? `${key.slice(0, i)}${key[i] === 'z' ? 'y' : 'z'}${key.slice(i + 1)}`
                : key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        fc.pre(typo !== key && allowedEdits(typo.length) > 0);
        const index = new FuzzyNameIndex([
          { key, value: 'v' },
          { key: 'unrelatedname', value: 'w' },
        ]);
        expect(index.search(typo).map((h) => h.value)).toContain('v');
      }),
      { numRuns: 300 },
    );
  });

  it('never returns a key further than the length allows', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), word, (keys, query) => {
        const index = new FuzzyNameIndex(keys.map((key) => ({ key, value: key })));
        for (const hit of index.search(query)) {
          expect(hit.distance).toBeLessThanOrEqual(Math.min(allowedEdits(query.length), allowedEdits(hit.key.length)));
          expect(editDistance(query, hit.key)).toBe(hit.distance);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('guesses nothing for short names', () => {
    expect(new FuzzyNameIndex([{ key: 'box', value: 1 }]).search('bix')).toEqual([]);
  });
});
