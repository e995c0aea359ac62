import { NORMALIZERS, SOURCE_EVENT_KIND, SOURCE_NAMES, isSourceName, normalize } from '../../../functions/adapters/sources';
import { sample } from './support';

describe('source registry', () => {
  it('has a normaliser and an event kind for every source', () => {
    expect(Object.keys(NORMALIZERS).sort()).toEqual([...SOURCE_NAMES].sort());
    expect(Object.keys(SOURCE_EVENT_KIND).sort()).toEqual([...SOURCE_NAMES].sort());
  });

  it('recognises source names (for the ingest route parameter)', () => {
    expect(isSourceName('okta')).toBe(true);
    expect(isSourceName('generic-form')).toBe(true);
    for (const value of ['Okta', 'zip', '', undefined, 7, '__proto__', 'constructor']) expect(isSourceName(value)).toBe(false);
  });

  it('produces only the kind it declares for each source', () => {
    const samples: Record<string, string> = {
      okta: 'eventbridge-application-created',
      'entra-id': 'add-application',
      'google-workspace': 'authorize-single',
      'iam-identity-center': 'create-application',
      coupa: 'requisition-single-supplier',
      servicenow: 'table-api-ritm-variables',
      'generic-form': 'flat-form',
    };
    for (const source of SOURCE_NAMES) {
      const result = normalize(source, sample(source, samples[source]));
      expect(result.status === 'ok' && result.events.map((e) => e.kind)).toEqual([SOURCE_EVENT_KIND[source]]);
    }
  });

  it('parses a raw body and reports JSON it cannot read', () => {
    expect(normalize('okta', '{"uuid": ')).toEqual({
      status: 'malformed',
      problems: [expect.stringMatching(/^\(payload\): not valid JSON \(/)],
    });
    expect(normalize('coupa', '')).toMatchObject({ status: 'malformed' });
  });

  it('never throws, even on a payload whose fields throw when read', () => {
    const hostile = {};
    Object.defineProperty(hostile, 'eventType', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    for (const source of SOURCE_NAMES) {
      const result = normalize(source, hostile);
      expect(result.status).toBe('malformed');
    }
    expect(normalize('okta', hostile)).toEqual({
      status: 'malformed',
      problems: ['(payload): the okta normaliser could not read it (boom)'],
    });
  });

  it.each(SOURCE_NAMES)('%s rejects deeply nested junk without crashing', (source) => {
    let deep: unknown = 'x';
    for (let i = 0; i < 2000; i++) deep = { value: deep, items: [deep] };
    expect(['malformed', 'ignored']).toContain(normalize(source, deep).status);
  });
});
