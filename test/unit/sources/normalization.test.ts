/** The shared result contract (functions/domain/normalization.ts) and the field coercions (purchase-fields.ts). */
import {
  canonicalAppConnected,
  combineOutcomes,
  ignored,
  malformed,
  withoutUndefined,
  type ItemOutcome,
} from '../../../functions/domain/normalization';
import { describeIssues, joinPath } from '../../../functions/domain/problems';
import {
  parseBillingPeriod,
  parseCurrency,
  parseDataClassification,
  parseDecimal,
  parseInteger,
  parseYesNo,
  requiredValue,
  textOf,
} from '../../../functions/adapters/sources/purchase-fields';
import { datePart, emailIfValid, quote } from '../../../functions/adapters/sources/common';

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

describe('field coercions', () => {
  it.each([
    ['1,200.50', 1200.5],
    ['+7', 7],
    [0, 0],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['1 200', undefined],
    ['', undefined],
    [null, undefined],
    [{ value: '12' }, 12],
  ])('parseDecimal(%p) = %p', (raw, value) => {
    expect(parseDecimal(raw)).toBe(value);
  });

  it('parseInteger only accepts whole numbers', () => {
    expect([parseInteger('12'), parseInteger('12.0'), parseInteger('12.5'), parseInteger('x')]).toEqual([12, 12, undefined, undefined]);
  });

  it.each([
    ['on', true],
    ['off', false],
    ['1', true],
    ['nope', undefined],
    [undefined, undefined],
  ])('parseYesNo(%p) = %p', (raw, value) => {
    expect(parseYesNo(raw)).toBe(value);
  });

  it.each([
    ['one time', 'one-time'],
    ['ONE-TIME', 'one-time'],
    ['once', 'one-time'],
    [{ name: 'Annual' }, 'annual'],
    ['quarterly', undefined],
    ['', undefined],
  ])('parseBillingPeriod(%p) = %p', (raw, value) => {
    expect(parseBillingPeriod(raw)).toBe(value);
  });

  it.each([
    ['Public', 'public'],
    [' internal ', 'internal'],
    ['secret', undefined],
    [3, undefined],
  ])('parseDataClassification(%p) = %p', (raw, value) => {
    expect(parseDataClassification(raw)).toBe(value);
  });

  it.each([
    ['usd', 'USD'],
    [' EUR ', 'EUR'],
    ['US$', undefined],
    ['dollars', undefined],
  ])('parseCurrency(%p) = %p', (raw, value) => {
    expect(parseCurrency(raw)).toBe(value);
  });

  it('textOf reads strings, numbers and the displayable part of lookup objects', () => {
    expect([textOf('a'), textOf(3), textOf({ display_value: 'Sales', value: 'x' }), textOf({ name: 'Annual' }), textOf({ value: 'v' })]).toEqual([
      'a',
      '3',
      'Sales',
      'Annual',
      'v',
    ]);
    expect([textOf('  '), textOf({}), textOf([]), textOf(true)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('requiredValue: the source first, then the default, else a problem naming the option', () => {
    const problems: string[] = [];
    const base = { path: 'x', parse: parseBillingPeriod, describe: 'a period', problems } as const;
    expect(requiredValue({ ...base, raw: 'monthly', fallback: 'annual', defaultOption: 'billingPeriod' })).toBe('monthly');
    expect(requiredValue({ ...base, raw: undefined, fallback: 'annual', defaultOption: 'billingPeriod' })).toBe('annual');
    expect(requiredValue({ ...base, raw: 'weekly', fallback: 'annual', defaultOption: 'billingPeriod' })).toBeUndefined();
    expect(requiredValue({ ...base, raw: null, fallback: undefined, defaultOption: 'billingPeriod' })).toBeUndefined();
    expect(problems).toEqual(['x: "weekly" is not a period', 'x: missing and no default is configured (options.defaults.billingPeriod)']);
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
