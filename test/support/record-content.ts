/** A record's content packed as records held it before the content dictionary: Brotli, text mode, quality 5. */
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';

export function brotliPackedContent(content: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(content), 'utf8');
  return brotliCompressSync(json, {
    params: {
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
      [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}
