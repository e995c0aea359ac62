/** The content dictionaries (functions/adapters/dynamodb/content-dictionary.ts): frozen once released, and told apart from Brotli by one byte. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CONTENT_DICTIONARIES, CURRENT_CONTENT_DICTIONARY } from '../../../../functions/adapters/dynamodb/content-dictionary';
import { DICTIONARY_PACKED } from '../../../../functions/adapters/dynamodb/record-item';
import { brotliPackedContent } from '../../../support/record-content';

describe('content dictionaries', () => {
  it('keeps version 1 byte for byte: records packed with it must stay readable', () => {
    const v1 = CONTENT_DICTIONARIES.get(1)!;
    expect(v1.length).toBe(14_346);
    expect(createHash('sha256').update(v1).digest('hex')).toBe('58218fe8f7d8f26b2c3519b4b1ddf48cb52463ca635d3097d35f22f312a17556');
  });

  it('packs new records with a released dictionary that fits deflate (32 KiB)', () => {
    const current = CONTENT_DICTIONARIES.get(CURRENT_CONTENT_DICTIONARY);
    expect(current).toBeDefined();
    expect(current!.length).toBeLessThanOrEqual(32 * 1024);
  });

  it('never sees the dictionary marker first in content Brotli-packed the way records were before', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const packed = brotliPackedContent({ detail: value, decision: {} });
        expect(packed[0]).not.toBe(DICTIONARY_PACKED);
        expect(packed[0] & 0x0f).toBe(0x0b);
      }),
      { numRuns: 500 },
    );
  });
});
