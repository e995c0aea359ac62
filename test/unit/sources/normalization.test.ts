/** The shared result contract (functions/domain/normalization.ts) and the field coercions (purchase-fields.ts). */
import { canonicalAppConnected, combineOutcomes, ignored, malformed, withoutUndefined, type ItemOutcome } from '../../../functions/domain/normalization';
import { describeIssues, joinPath } from '../../../functions/domain/problems';
import { billingAndTerm, billingFromTexts, optionalValue, READERS, statedOrDefault, textOf } from '../../../functions/adapters/sources/purchase-fields';
import type { IntakeNote } from '../../../functions/domain/events';
import { datePart, emailIfValid, quote } from '../../../functions/adapters/sources/native-values';

const okOutcome = (id: string): ItemOutcome =>
  canonicalAppConnected({
    source: 'okta',
    sourceEventId: id,
    occurredAt: '2026-03-02T10:00:00Z',
    app: { name: 'Miro' },
    actor: { type: 'unknown' },
    connectionKind: 'sso-app-created',
  });

describe('problem paths', () => {
  it.each([
    [['target', 0, 'displayName'], 'target[0].displayName'],
    [[0, 'uuid'], '[0].uuid'],
    [['requisition-lines', 2, 'supplier', 'name'], 'requisition-lines[2].supplier.name'],
  ])('joins %p as %s', (segments, path) => {
    expect(joinPath('', ...segments)).toBe(path);
  });

  it('joins onto a base path', () => {
    expect(joinPath('detail', 'target', 1)).toBe('detail.target[1]');
    expect(joinPath('data.events[0]')).toBe('data.events[0]');
  });

  it('rephrases type errors for people and names the payload root', () => {
    expect(
      describeIssues(
        [
          { path: ['uuid'], message: 'Invalid input: expected string, received undefined' },
          { path: ['actor'], message: 'Invalid input: expected object, received string' },
          { path: ['target'], message: 'Invalid input: expected array, received object' },
          { path: ['extra'], message: 'Invalid input: expected record, received array' },
          { path: ['id'], message: 'Invalid input' },
          { path: [], message: 'Invalid input: expected object, received null' },
          { path: ['published'], message: 'must be an ISO 8601 date-time with offset' },
        ],
        'detail',
      ),
    ).toEqual([
      'detail.uuid: is required',
      'detail.actor: must be an object, not string',
      'detail.target: must be an array, not object',
      'detail.extra: must be an object, not array',
      'detail.id: is not a value this field accepts',
      'detail: must be an object, not null',
      'detail.published: must be an ISO 8601 date-time with offset',
    ]);
    expect(describeIssues([{ path: [], message: 'x' }], '', '(payload)')).toEqual(['(payload): x']);
  });
});

describe('combineOutcomes', () => {
  it('passes a single entry through unchanged', () => {
    expect(combineOutcomes([{ item: 'value[0]', outcome: ignored('no') }], 'empty')).toEqual({ status: 'ignored', reason: 'no' });
  });

  it('is ignored with the given reason when there are no entries', () => {
    expect(combineOutcomes([], 'the page held nothing')).toEqual({ status: 'ignored', reason: 'the page held nothing' });
  });

  it('keeps events and lists skipped and malformed entries', () => {
    const result = combineOutcomes(
      [
        { item: 'value[0]', outcome: okOutcome('a') },
        { item: 'value[1]', outcome: ignored('not relevant') },
        { item: 'value[2]', outcome: malformed(['value[2].id: is required']) },
        { item: 'value[3]', outcome: okOutcome('b') },
      ],
      'empty',
    );
    expect(result).toMatchObject({
      status: 'ok',
      ignored: [{ item: 'value[1]', reason: 'not relevant' }],
      malformed: [{ item: 'value[2]', problems: ['value[2].id: is required'] }],
    });
    expect(result.status === 'ok' && result.events).toHaveLength(2);
  });

  it('omits the lists when nothing was skipped', () => {
    const result = combineOutcomes(
      [
        { item: '[0]', outcome: okOutcome('a') },
        { item: '[1]', outcome: okOutcome('b') },
      ],
      'empty',
    );
    expect(Object.keys(result)).toEqual(['status', 'events']);
  });

  it('is malformed when no entry yields an event, prefixing canonical problems with their entry', () => {
    expect(
      combineOutcomes(
        [
          { item: 'value[0]', outcome: malformed(['app.name: must not contain control characters']) },
          { item: 'value[1]', outcome: malformed(['value[1].id: is required']) },
          { item: 'value[2]', outcome: ignored('not relevant') },
        ],
        'empty',
      ),
    ).toEqual({
      status: 'malformed',
      problems: ['value[0]: app.name: must not contain control characters', 'value[1].id: is required'],
    });
  });

  it('summarises distinct reasons when every entry is ignored', () => {
    expect(
      combineOutcomes(
        [
          { item: '[0]', outcome: ignored('a') },
          { item: '[1]', outcome: ignored('b') },
          { item: '[2]', outcome: ignored('a') },
        ],
        'empty',
      ),
    ).toEqual({ status: 'ignored', reason: 'all 3 entries ignored: a; b' });
  });
});

describe('canonical validation of produced events', () => {
  it('adds the schema version and returns the parsed event', () => {
    expect(okOutcome('a')).toEqual({
      status: 'ok',
      events: [
        {
          kind: 'app-connected',
          detail: {
            schemaVersion: '1',
            source: 'okta',
            sourceEventId: 'a',
            occurredAt: '2026-03-02T10:00:00Z',
            app: { name: 'Miro' },
            actor: { type: 'unknown' },
            connectionKind: 'sso-app-created',
          },
        },
      ],
    });
  });

  it('drops undefined keys so absent stays absent', () => {
    expect(withoutUndefined({ a: 1, b: undefined, c: { d: undefined, e: [1, { f: undefined }] } })).toEqual({ a: 1, c: { e: [1, {}] } });
    expect(Object.keys(withoutUndefined({ a: undefined }))).toEqual([]);
  });
});

describe('field readers (the value readers themselves: test/unit/domain/values.test.ts)', () => {
  it('optionalValue: absent stays absent, present but unreadable is a problem naming the field', () => {
    const problems: string[] = [];
    expect(optionalValue({ raw: '1,200.50', path: 'amount', reader: READERS.decimal, problems })).toBe(1200.5);
    expect(optionalValue({ raw: { value: '12' }, path: 'seats', reader: READERS.integer, problems })).toBe(12);
    expect(optionalValue({ raw: '', path: 'seats', reader: READERS.integer, problems })).toBeUndefined();
    expect(optionalValue({ raw: 'about 100', path: 'amount', reader: READERS.decimal, problems })).toBeUndefined();
    expect(problems).toEqual(['amount: "about 100" is not an amount such as 1200, "1,200.50" or "$1,200"']);
  });

  it('textOf reads strings, numbers and the displayable part of lookup objects', () => {
    expect([textOf('a'), textOf(3), textOf({ display_value: 'Sales', value: 'x' }), textOf({ name: 'Annual' }), textOf({ value: 'v' })]).toEqual([
      'a',
      '3',
      'Sales',
      'Annual',
      'v',
    ]);
    expect([textOf('  '), textOf({}), textOf([]), textOf(true)]).toEqual([undefined, undefined, undefined, 'true']);
  });

  it('statedOrDefault: the source first, then the configured default (noted), else absent', () => {
    const notes: IntakeNote[] = [];
    expect(statedOrDefault({ raw: 'Internal', field: 'dataClassification', fallback: 'confidential', notes })).toBe('Internal');
    expect(statedOrDefault({ raw: null, field: 'dataClassification', fallback: 'confidential', notes })).toBe('confidential');
    expect(statedOrDefault({ raw: null, field: 'dataClassification', fallback: undefined, notes })).toBeUndefined();
    expect(notes).toEqual([{ field: 'dataClassification', kind: 'configured-default', stated: 'confidential' }]);
  });

  it('billingAndTerm: the field, else what the lines say (noted as inferred), else the default', () => {
    const run = (billingRaw: unknown, texts: string[], fallback?: 'annual') => {
      const notes: IntakeNote[] = [];
      const words = billingFromTexts(texts.map((text, i) => ({ text, path: `lines[${i}].description` })));
      return { ...billingAndTerm({ billingRaw, termRaw: undefined, termPath: 'term', words, fallback, notes, problems: [] }), notes };
    };
    expect(run('Monthly', ['Annual subscription'])).toEqual({ billingPeriod: 'Monthly', termMonths: undefined, notes: [] });
    expect(run(undefined, ['Licences', 'Annual subscription, 24 months'])).toEqual({
      billingPeriod: 'annual',
      termMonths: 24,
      notes: [
        { field: 'billingPeriod', kind: 'inferred', stated: 'annual, 24 months', detail: 'from lines[1].description' },
        { field: 'termMonths', kind: 'inferred', stated: 'annual, 24 months', detail: 'from lines[1].description' },
      ],
    });
    expect(run(undefined, ['Licences'], 'annual')).toEqual({
      billingPeriod: 'annual',
      termMonths: undefined,
      notes: [{ field: 'billingPeriod', kind: 'configured-default', stated: 'annual' }],
    });
    expect(run(undefined, ['Licences'])).toEqual({ billingPeriod: undefined, termMonths: undefined, notes: [] });
  });

  it('datePart, emailIfValid and quote', () => {
    expect([datePart('2026-03-01'), datePart('2026-03-01T00:00:00-08:00'), datePart('2026-03-01 10:00:00'), datePart('03/01/2026')]).toEqual([
      '2026-03-01',
      '2026-03-01',
      '2026-03-01',
      undefined,
    ]);
    expect([emailIfValid('jane@example.com'), emailIfValid('jane'), emailIfValid(`${'a'.repeat(250)}@example.com`)]).toEqual([
      'jane@example.com',
      undefined,
      undefined,
    ]);
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
    expect([quote(3), quote(null), quote(true), quote([1]), quote({ a: 1 })]).toEqual(['3', 'null', 'true', 'an array', 'an object']);
  });
});
