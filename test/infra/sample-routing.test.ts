/**
 * Proves the deployed rules select the sample events: the patterns are read
 * from the SYNTHESISED template (not from the domain module), and every
 * sample under events/<kind>/ must match exactly the rule whose target is
 * that kind's function. Native payloads reach the guardrail only through a
 * normaliser: the EventBridge-delivered ones (Okta partner events, aws.sso
 * CloudTrail calls) match exactly their native-source rule when relevant and
 * no rule when the pattern can tell they are not; every other native
 * payload (hook bodies, bare records, procurement tools) matches no rule.
 *
 * Matching is by pattern alone, across all rules whatever their bus: stricter
 * than EventBridge, where a rule only sees its own bus's events.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { matchesEventPattern, type EventPattern } from '../../functions/adapters/eventbridge/event-pattern';
import { normalize, type SourceName } from '../../functions/adapters/sources';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import type { EventKind } from '../../functions/domain/events';
import { PROJECT_ROOT, synthGuardrail } from './support';

const EVENTS_DIR = path.join(PROJECT_ROOT, 'events');
const KINDS: EventKind[] = ['purchase-request', 'app-connected'];
/** Not events: expected decisions, a normaliser's expected output and its options. */
const isEventFile = (file: string) =>
  file.endsWith('.json') && file !== 'expected-outcomes.json' && !file.endsWith('.expected.json') && !file.endsWith('.options.json');
const NON_EVENT_DIRS = new Set(['schemas', ...KINDS]);

/** The Okta partner event source the samples come from (events/okta/eventbridge-*.json). */
const OKTA_EVENT_SOURCE = 'aws.partner/okta.com/example-org/okta-system-log';
/** What a rule delivers to: a guardrail function by kind, or the native-source function for one source. */
type RuleTarget = EventKind | `native:${SourceName}`;

interface DeployedRule {
  logicalId: string;
  pattern: EventPattern;
  kind: RuleTarget;
  bus: unknown;
}

const g = synthGuardrail({ 'guardrail:oktaEventSourceName': OKTA_EVENT_SOURCE });
// A guardrail rule delivers to its kind's queue, which only its kind's function reads.
const functionKinds = new Map(KINDS.map((kind) => [g.logicalId(g.stack.eventQueues[kind]), kind]));
const nativeFunctionId = g.logicalId(g.stack.nativeSources.function);
// Scheduled rules (the approvals sweep and digest) have no event pattern: no event is routed by them.
const deployedRules: DeployedRule[] = Object.entries(g.template.findResources('AWS::Events::Rule'))
  .filter(([, rule]) => rule.Properties.ScheduleExpression === undefined)
  .map(([logicalId, rule]) => {
    const targets = rule.Properties.Targets as Array<{ Arn: { 'Fn::GetAtt': [string, string] } }>;
    if (targets.length !== 1) throw new Error(`rule ${logicalId} has ${targets.length} targets, expected 1`);
    const targetId = targets[0].Arn['Fn::GetAtt'][0];
    const pattern = rule.Properties.EventPattern as EventPattern;
    const bus = rule.Properties.EventBusName;
    let kind: RuleTarget | undefined = functionKinds.get(targetId);
    if (!kind && targetId === nativeFunctionId) kind = bus === OKTA_EVENT_SOURCE ? 'native:okta' : 'native:iam-identity-center';
    if (!kind) throw new Error(`rule ${logicalId} targets something other than a guardrail or native-source function`);
    return { logicalId, pattern, kind, bus };
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

test('the template has one rule per event kind on the guardrail bus, and one per native source on its own bus', () => {
  expect(deployedRules.map((r) => r.kind).sort()).toEqual([...KINDS, 'native:iam-identity-center', 'native:okta'].sort());
  const busOf = (kind: RuleTarget) => deployedRules.find((r) => r.kind === kind)!.bus;
  for (const kind of KINDS) expect(busOf(kind)).toEqual({ Ref: g.logicalId(g.stack.bus) });
  expect(busOf('native:iam-identity-center')).toBeUndefined(); // the account's default bus
  expect(busOf('native:okta')).toBe(OKTA_EVENT_SOURCE);
});

describe.each(KINDS)('samples in events/%s/', (kind) => {
  const dir = path.join(EVENTS_DIR, kind);
  const samples = jsonFiles(dir);

  test('there is at least one sample', () => {
    expect(existsSync(dir)).toBe(true);
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
  const nativeSamples = nativeDirs.flatMap((d) =>
    jsonFiles(path.join(EVENTS_DIR, d))
      .filter(([, s]) => !isEventBridgeEnvelope(s))
      .map(([f, s]) => [`${d}/${f}`, s] as [string, unknown]),
  );

  test('there are native-source samples to check', () => {
    expect(nativeSamples.length).toBeGreaterThan(0);
  });
  test.each(nativeSamples.map(([file, sample]) => ({ file, sample })))('native payload $file (it goes through a normaliser first)', ({ sample }) => {
    for (const event of asEvents(sample)) expect(rulesMatching(event)).toEqual([]);
  });
});

/** An event as EventBridge delivers it (not a hook body, a bare record or a log file). */
function isEventBridgeEnvelope(sample: unknown): boolean {
  return typeof sample === 'object' && sample !== null && !Array.isArray(sample) && 'detail-type' in sample && 'source' in sample;
}

/**
 * Ignored samples a rule pattern cannot exclude, and why. They reach the
 * native-source function, whose normaliser ignores them: nothing is published.
 */
const PASSES_THE_RULE_BUT_IGNORED: Record<string, string> = {};

describe.each([
  ['okta', 'native:okta'],
  ['iam-identity-center', 'native:iam-identity-center'],
] as const)('EventBridge-delivered samples in events/%s/', (source, ruleKind) => {
  const samples = jsonFiles(path.join(EVENTS_DIR, source))
    .filter(([, s]) => isEventBridgeEnvelope(s))
    .map(([file, event]) => {
      const expected = JSON.parse(readFileSync(path.join(EVENTS_DIR, source, file.replace(/\.json$/, '.expected.json')), 'utf8')) as { status: string };
      return { file, event, status: expected.status };
    });

  test('there are relevant and irrelevant ones', () => {
    expect(samples.filter((s) => s.status === 'ok').length).toBeGreaterThan(0);
    expect(samples.filter((s) => s.status === 'ignored').length).toBeGreaterThan(0);
  });

  test.each(samples.filter((s) => s.status === 'ok'))(`relevant $file matches the ${source} rule and no other`, ({ event }) => {
    expect(rulesMatching(event)).toEqual([ruleKind]);
  });

  test.each(samples.filter((s) => s.status === 'ignored'))('irrelevant $file is kept out by the rule where its pattern can tell', ({ file, event }) => {
    const key = `${source}/${file}`;
    if (key in PASSES_THE_RULE_BUT_IGNORED) {
      expect(rulesMatching(event)).toEqual([ruleKind]);
      expect(normalize(source, event).status).toBe('ignored');
    } else {
      expect(rulesMatching(event)).toEqual([]);
    }
  });
});

test("the Okta rule selects only its own partner source (another Okta org's events stay out)", () => {
  const event = JSON.parse(readFileSync(path.join(EVENTS_DIR, 'okta', 'eventbridge-application-created.json'), 'utf8'));
  expect(rulesMatching({ ...event, source: 'aws.partner/okta.com/other-org/okta-system-log' })).toEqual([]);
  expect(rulesMatching({ ...event, detail: { ...event.detail, outcome: { result: 'FAILURE' } } })).toEqual([]);
});
