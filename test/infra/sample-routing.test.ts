/**
 * Proves the deployed rules select the sample events: the patterns are read
 * from the SYNTHESISED template (not from the domain module), and every
 * sample under events/<kind>/ must match exactly the rule whose target is
 * that kind's function. Native payloads (events/okta/ …) must match no rule:
 * they reach the guardrail only through a normaliser.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { matchesEventPattern, type EventPattern } from '../../functions/adapters/eventbridge/event-pattern';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import type { EventKind } from '../../functions/domain/events';
import { PROJECT_ROOT, synthGuardrail } from './support';

const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
const KINDS: EventKind[] = ['purchase-request', 'app-connected'];
/** Not events: expected decisions, a normaliser's expected output and its options. */
const isEventFile = (file: string) =>
  file.endsWith('.json') && file !== 'expected-outcomes.json' && !file.endsWith('.expected.json') && !file.endsWith('.options.json');
const NON_EVENT_DIRS = new Set(['schemas', ...KINDS]);

interface DeployedRule {
  logicalId: string;
  pattern: EventPattern;
  kind: EventKind;
}

const g = synthGuardrail();
const functionKinds = new Map(KINDS.map((kind) => [g.logicalId(g.stack.functions[kind]), kind]));
const deployedRules: DeployedRule[] = Object.entries(g.template.findResources('AWS::Events::Rule')).map(([logicalId, rule]) => {
  const targets = rule.Properties.Targets as Array<{ Arn: { 'Fn::GetAtt': [string, string] } }>;
  if (targets.length !== 1) throw new Error(`rule ${logicalId} has ${targets.length} targets, expected 1`);
  const kind = functionKinds.get(targets[0].Arn['Fn::GetAtt'][0]);
  if (!kind) throw new Error(`rule ${logicalId} targets something other than a guardrail function`);
  return { logicalId, pattern: rule.Properties.EventPattern as EventPattern, kind };
});

/** JSON files of one directory, as [file, parsed] pairs. */
function jsonFiles(dir: string): Array<[string, unknown]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(isEventFile)
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown]);
}

/**
 * A sample as EventBridge would evaluate it. Accepts the event form
 * (`detail-type`, `detail` object) and the PutEvents entry form (`DetailType`,
 * `Detail` as a JSON string), alone or in an array.
 */
function asEvents(sample: unknown): unknown[] {
  if (Array.isArray(sample)) return sample.flatMap(asEvents);
  if (typeof sample === 'object' && sample !== null && 'DetailType' in sample) {
    const entry = sample as { Source?: string; DetailType?: string; Detail?: string };
    return [{ source: entry.Source, 'detail-type': entry.DetailType, detail: entry.Detail ? JSON.parse(entry.Detail) : undefined }];
  }
  return [sample];
}

const rulesMatching = (event: unknown) => deployedRules.filter((r) => matchesEventPattern(r.pattern, event)).map((r) => r.kind);

test('the template has one rule per event kind', () => {
  expect(deployedRules.map((r) => r.kind).sort()).toEqual([...KINDS].sort());
});

describe.each(KINDS)('samples in events/%s/', (kind) => {
  const dir = path.join(EVENTS_DIR, kind);
  const samples = jsonFiles(dir);

  if (!existsSync(dir)) {
    test.skip(`events/${kind}/ does not exist yet`, () => undefined);
    return;
  }

  test('there is at least one sample', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  test.each(samples.map(([file, sample]) => ({ file, sample })))(`$file matches the ${kind} rule and no other`, ({ sample }) => {
    const events = asEvents(sample);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(rulesMatching(event)).toEqual([kind]);
  });
});

describe('events that must not trigger the guardrail', () => {
  test('its own Guardrail Decision events (no feedback loop)', () => {
    expect(rulesMatching({ source: GUARDRAIL_SOURCE, 'detail-type': DETAIL_TYPES.decision, detail: {} })).toEqual([]);
  });

  test('canonical detail-types from another source', () => {
    for (const detailType of [DETAIL_TYPES['purchase-request'], DETAIL_TYPES['app-connected']]) {
      expect(rulesMatching({ source: 'com.example.other', 'detail-type': detailType, detail: {} })).toEqual([]);
    }
  });

  const nativeDirs = existsSync(EVENTS_DIR)
    ? readdirSync(EVENTS_DIR).filter((d) => !NON_EVENT_DIRS.has(d) && statSync(path.join(EVENTS_DIR, d)).isDirectory())
    : [];
  const nativeSamples = nativeDirs.flatMap((d) => jsonFiles(path.join(EVENTS_DIR, d)).map(([f, s]) => [`${d}/${f}`, s] as [string, unknown]));

  if (nativeSamples.length === 0) {
    test.skip('no native-source samples yet', () => undefined);
  } else {
    test.each(nativeSamples.map(([file, sample]) => ({ file, sample })))('native payload $file (it goes through a normaliser first)', ({ sample }) => {
      for (const event of asEvents(sample)) expect(rulesMatching(event)).toEqual([]);
    });
  }
});
