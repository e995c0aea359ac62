/** Detection without --source: the near miss is named, not "neither an EventBridge entry …". */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_NAMES } from '../../../functions/adapters/sources';
import { sourcesResembling } from '../../../functions/adapters/sources/shapes';
import { readNative } from '../../../functions/cli/native-input';
import { toBusEvent } from '../../../functions/local/event-intake';
import { sample, set } from './support';

const eventsRoot = join(__dirname, '../../../events');

describe('what a payload looks like', () => {
  const samples = SOURCE_NAMES.filter((s) => s !== 'generic-form').flatMap((source) =>
    readdirSync(join(eventsRoot, source))
      .filter((f) => /\.(json|xml)$/.test(f) && !/\.(expected|options)\.json$/.test(f) && !f.includes('channel-sync'))
      .map((file) => [source, file] as const),
  );

  it.each(samples)('%s/%s resembles its own source first', (source, file) => {
    const raw = readFileSync(join(eventsRoot, source, file), 'utf8');
    const body = file.endsWith('.xml') ? raw : JSON.parse(raw);
    expect(sourcesResembling(body)[0]).toBe(source);
  });
});

describe('readNative without --source', () => {
  it('reads a Coupa requisition with no custom fields as Coupa', () => {
    expect(readNative(sample('coupa', 'requisition-plain'), 'plain.json', undefined)).toMatchObject({ status: 'ok', source: 'coupa' });
  });

  it('names the near miss with its problems', () => {
    const broken = set(sample('coupa', 'requisition-plain'), 'total', 'about 2k');
    expect(() => readNative(broken, 'req.json', undefined)).toThrow(
      /^req\.json: looks like a Coupa requisition \(--source coupa\), but:\n- total: "about 2k" is not an amount/,
    );
  });

  it('the local bus points a native payload to its ingest route', () => {
    const result = toBusEvent(sample('coupa', 'requisition-plain'));
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^body: looks like a Coupa requisition, a native payload: POST it to \/ingest\/coupa/)],
    });
  });
});
