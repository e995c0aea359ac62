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
