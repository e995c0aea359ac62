/**
 * The pure ingest pieces: the bus entry a canonical event becomes, and the
 * dead letters that keep a malformed payload or batch entry (each entry
 * found by its problem path, never by walking prototypes).
 */
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../../functions/domain/event-routes';
import {
  INGEST_DEAD_LETTER_REASONS,
  canonicalEventEntry,
  malformedEntryLetters,
  malformedPayloadLetter,
  recordIdsOf,
  valueAtPath,
} from '../../../functions/domain/ingest';
import type { GuardrailEvent } from '../../../functions/domain/events';
import { NOW, sampleJson } from './fakes';

const [appEvent] = sampleJson('okta/event-hook-user-assigned.expected.json').events as GuardrailEvent[];

test('a canonical event becomes a PutEvents entry of the guardrail source with its detail-type and JSON detail', () => {
  expect(canonicalEventEntry(appEvent)).toEqual({
    Source: GUARDRAIL_SOURCE,
    DetailType: DETAIL_TYPES['app-connected'],
    Detail: JSON.stringify(appEvent.detail),
  });
  expect(recordIdsOf([appEvent, appEvent])).toEqual([`okta:${(appEvent.detail as { sourceEventId: string }).sourceEventId}`]);
});

describe('valueAtPath', () => {
  const payload = { data: { events: [{ a: 1 }, { b: [null, { c: 'x' }] }] }, Records: [] as unknown[], 'requisition-lines': [{ supplier: { name: 'S' } }] };

  test.each([
    ['data.events[1]', { b: [null, { c: 'x' }] }],
    ['data.events[1].b[1].c', 'x'],
    ['data.events[1].b[0]', null],
    ['requisition-lines[0].supplier.name', 'S'],
    ['', payload],
    ['(payload)', payload],
  ])('%s is found', (path, value) => {
    expect(valueAtPath(payload, path)).toEqual({ found: true, value });
  });

  test.each(['data.events[2]', 'data.events.x', 'Records[0]', 'data..events', 'data.events[1]x', '__proto__', 'data.constructor', 'toString'])(
    '%s is not found',
    (path) => {
      expect(valueAtPath(payload, path)).toEqual({ found: false });
    },
  );
});

test('entry letters hold only their entry; an unfollowable path keeps the whole payload rather than nothing', () => {
  const payload = { data: { events: [{ uuid: 'good' }, { uuid: 'bad' }] } };
  const letters = malformedEntryLetters({
    source: 'okta',
    kind: 'app-connected',
    malformed: [
      { item: 'data.events[1]', problems: ['data.events[1].target: no AppInstance target with a name'] },
      { item: 'not.there[9]', problems: ['odd'] },
    ],
    payload,
    receivedAt: NOW,
  });
  expect(letters).toEqual([
    {
      reason: INGEST_DEAD_LETTER_REASONS.entry,
      problems: ['data.events[1].target: no AppInstance target with a name'],
      kind: 'app-connected',
      receivedAt: NOW.toISOString(),
      event: { source: 'okta', item: 'data.events[1]', payload: { uuid: 'bad' } },
    },
    expect.objectContaining({ event: { source: 'okta', item: 'not.there[9]', payload } }),
  ]);
});

test('a payload letter names its source, reason and problems', () => {
  expect(malformedPayloadLetter({ source: 'coupa', kind: 'purchase-request', problems: ['total: is required'], payload: { id: 1 }, receivedAt: NOW })).toEqual({
    reason: 'malformed-native-payload',
    problems: ['total: is required'],
    kind: 'purchase-request',
    receivedAt: NOW.toISOString(),
    event: { source: 'coupa', payload: { id: 1 } },
  });
});
