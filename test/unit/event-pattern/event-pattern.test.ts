/**
 * The matcher against the examples in AWS's EventBridge documentation
 * ("Content filtering in Amazon EventBridge event patterns", "Comparison
 * operators for use in event patterns", "Arrays in event patterns", "Matching
 * null values and empty strings") and the event-ruler README, which is the
 * engine behind EventBridge. Where the docs give a pattern without an event,
 * the event is the documentation's own EC2 example event.
 */
import fc from 'fast-check';
import {
  compileEventPattern,
  EventPatternError,
  eventPatternProblems,
  matchesEventPattern,
  type EventPattern,
} from '../../../functions/adapters/eventbridge/event-pattern';
import { DETAIL_TYPES, EVENT_PATTERNS, GUARDRAIL_SOURCE } from '../../../functions/domain/event-routes';

/** The example event of the content-filtering docs and the event-ruler README. */
const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** The event with `detail` fields replaced. */
function ec2With(detail: Record<string, unknown>): typeof EC2_EVENT {
  return { ...EC2_EVENT, detail: { ...EC2_EVENT.detail, ...detail } };
}

const matches = (pattern: EventPattern, event: unknown) => matchesEventPattern(pattern, event);

describe('exact values, fields ANDed and values ORed (event patterns docs)', () => {
  test('the instance-termination pattern selects a terminated instance and nothing else', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matches(pattern, ec2With({ state: 'terminated' }))).toBe(true);
    expect(matches(pattern, ec2With({ state: 'running' }))).toBe(false);
    expect(matches(pattern, { ...ec2With({ state: 'terminated' }), source: 'aws.autoscaling' })).toBe(false);
  });

  test("ruler's simple-matching rule: any listed state, and an event array that intersects the pattern", () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches(pattern, ec2With({ state: 'initializing' }))).toBe(true);
    expect(matches(pattern, ec2With({ state: 'stopped' }))).toBe(false);
  });

  test('arrays: matches when the pattern array and the event array intersect (arrays docs)', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { resources: [event.resources[0]] })).toBe(false);
    expect(matches(pattern, { resources: [] })).toBe(false);
  });

  test('null and empty strings are matched, and are not interchangeable (null-values docs)', () => {
    const event = {
      version: '0',
      id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
      'detail-type': 'EC2 Instance Launch Successful',
      source: 'aws.autoscaling',
      account: '123456789012',
      time: '2015-11-11T21:31:47Z',
      region: 'us-east-1',
      resources: [],
      detail: { eventVersion: '', responseElements: null },
    };
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    // A missing field is neither null nor empty.
    expect(matches({ detail: { requestParameters: [null] } }, event)).toBe(false);
  });

  test('numbers, booleans and strings only equal their own type', () => {
    expect(matches({ detail: { 'c-count': [5] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'c-count': ['5'] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'x-limit': [3.018e2] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { flag: [true] } }, ec2With({ flag: true }))).toBe(true);
    expect(matches({ detail: { flag: ['true'] } }, ec2With({ flag: true }))).toBe(false);
  });

  test('nested objects are followed level by level; a missing parent fails a value match', () => {
    const pattern = { detail: { requester: { department: ['Finance'] } } };
    expect(matches(pattern, { detail: { requester: { department: 'Finance' } } })).toBe(true);
    expect(matches(pattern, { detail: { requester: { department: 'Sales' } } })).toBe(false);
    expect(matches(pattern, { detail: { requester: 'Finance' } })).toBe(false);
    expect(matches(pattern, { detail: {} })).toBe(false);
    expect(matches(pattern, {})).toBe(false);
  });
});

describe('prefix and suffix', () => {
  test('prefix on time (content-filtering docs)', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches(pattern, { ...EC2_EVENT, time: '2017-10-03T00:00:00Z' })).toBe(false);
  });

  test('prefix works on string values only', () => {
    expect(matches({ detail: { 'c-count': [{ prefix: '5' }] } }, EC2_EVENT)).toBe(false);
  });

  test('prefix ignoring case: service starts with "eventb" (operators docs)', () => {
    const pattern = { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) expect(matches(pattern, { service })).toBe(true);
    expect(matches(pattern, { service: 'Lambda' })).toBe(false);
  });

  test('suffix: FileName ends with .png, with and without ignoring case (operators docs)', () => {
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'photo.png' })).toBe(true);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'photo.PNG' })).toBe(false);
    expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'photo.jpg' })).toBe(false);
    expect(matches({ service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] }, { service: 'EVENTBRIDGE' })).toBe(true);
    expect(matches({ service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] }, { service: 'EventBus' })).toBe(false);
  });
});

describe('anything-but (content-filtering and operators docs)', () => {
  test('single string and single number', () => {
    const byState = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matches(byState, EC2_EVENT)).toBe(true);
    expect(matches(byState, ec2With({ state: 'initializing' }))).toBe(false);
    const byLimit = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matches(byLimit, EC2_EVENT)).toBe(true);
    expect(matches(byLimit, ec2With({ 'x-limit': 123 }))).toBe(false);
  });

  test('lists of strings and of numbers', () => {
    const byState = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matches(byState, EC2_EVENT)).toBe(true);
    expect(matches(byState, ec2With({ state: 'overloaded' }))).toBe(false);
    const byLimit = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matches(byLimit, EC2_EVENT)).toBe(true);
    expect(matches(byLimit, ec2With({ 'x-limit': 200 }))).toBe(false);
  });

  test('anything-but a prefix, a suffix, ignoring case, or a wildcard', () => {
    const notInit = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matches(notInit, EC2_EVENT)).toBe(true);
    expect(matches(notInit, ec2With({ state: 'initializing' }))).toBe(false);

    const notPng = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matches(notPng, { FileName: 'notes.txt' })).toBe(true);
    expect(matches(notPng, { FileName: 'photo.png' })).toBe(false);

    const notInitialising = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matches(notInitialising, { state: 'running' })).toBe(true);
    expect(matches(notInitialising, { state: 'INITIALIZING' })).toBe(false);
    const notEither = { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] };
    expect(matches(notEither, { state: 'Stopped' })).toBe(false);
    expect(matches(notEither, { state: 'running' })).toBe(true);

    const notLib = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matches(notLib, { FilePath: '/usr/bin/node' })).toBe(true);
    expect(matches(notLib, { FilePath: '/usr/lib/node' })).toBe(false);
    const notLibOrBin = { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] };
    expect(matches(notLibOrBin, { FilePath: '/usr/bin/node' })).toBe(false);
    expect(matches(notLibOrBin, { FilePath: '/home/me/node' })).toBe(true);
  });

  test('does not match a field that is absent', () => {
    expect(matches({ detail: { weather: [{ 'anything-but': 'Raining' }] } }, EC2_EVENT)).toBe(false);
  });

  test('is the complement of an exact match for any present string (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (excluded, actual) => {
        const event = { detail: { field: actual } };
        return matches({ detail: { field: [excluded] } }, event) !== matches({ detail: { field: [{ 'anything-but': excluded }] } }, event);
      }),
    );
  });
});

describe('numeric (content-filtering docs)', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  test('matches only when every range holds', () => {
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches(pattern, ec2With({ 'c-count': 0 }))).toBe(false);
    expect(matches(pattern, ec2With({ 'c-count': 6 }))).toBe(false);
    expect(matches(pattern, ec2With({ 'd-count': 10 }))).toBe(false);
    expect(matches(pattern, ec2With({ 'x-limit': 301.9 }))).toBe(false);
  });

  test('works on JSON numbers only', () => {
    expect(matches(pattern, ec2With({ 'c-count': '5' }))).toBe(false);
  });

  test('price above 10 and at most 20 (operators docs)', () => {
    const price = { Price: [{ numeric: ['>', 10, '<=', 20] }] };
    expect(matches(price, { Price: 20 })).toBe(true);
    expect(matches(price, { Price: 10 })).toBe(false);
    expect(matches(price, { Price: 20.01 })).toBe(false);
    expect(matches({ Price: [{ numeric: ['>=', 10] }] }, { Price: 10 })).toBe(true);
  });
});

describe('exists (content-filtering docs)', () => {
  test('exists: true needs the field', () => {
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { 'e-count': [{ exists: true }] } }, EC2_EVENT)).toBe(false);
  });

  test('exists: false matches an event without detail.c-count', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, EC2_EVENT)).toBe(false);
  });

  test('exists works on leaf nodes only: an object at the path does not count', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  test('exists: false also holds when the parent is missing', () => {
    expect(matches({ detail: { approval: { approver: [{ exists: false }] } } }, EC2_EVENT)).toBe(true);
  });
});

describe('equals-ignore-case and wildcard', () => {
  test('equals-ignore-case on detail-type (content-filtering docs)', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches(pattern, { ...EC2_EVENT, 'detail-type': 'EC2 Spot Instance Interruption Warning' })).toBe(false);
  });

  test('wildcard: any .png file under dir (operators docs)', () => {
    const pattern = { FilePath: [{ wildcard: 'dir/*.png' }] };
    expect(matches(pattern, { FilePath: 'dir/a.png' })).toBe(true);
    expect(matches(pattern, { FilePath: 'dir/sub/a.png' })).toBe(true);
    expect(matches(pattern, { FilePath: 'dir/.png' })).toBe(true);
    expect(matches(pattern, { FilePath: 'other/a.png' })).toBe(false);
    expect(matches(pattern, { FilePath: 'dir/a.png.txt' })).toBe(false);
  });

  test('wildcard: any event bus in us-east-1 (content-filtering docs)', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(matches(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/procurement' })).toBe(true);
    expect(matches(pattern, { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/procurement' })).toBe(false);
  });

  test('wildcard escapes: \\* is a literal asterisk, regex characters are literal', () => {
    expect(matches({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' })).toBe(false);
    expect(matches({ f: [{ wildcard: 'v1.*' }] }, { f: 'v1.2' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'v1.*' }] }, { f: 'v122' })).toBe(false);
  });
});

describe('$or (event-ruler README and operators docs)', () => {
  test('source AND (metricName OR namespace)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/S3' })).toBe(false);
    expect(matches(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' })).toBe(false);
  });

  test('parallel $or at two levels', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(matches(pattern, { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(matches(pattern, { namespace: 'AWS/EC2', detail: { source: 'aws.s3' } })).toBe(false);
  });

  test('nested $or inside an AND inside an $or', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 999 })).toBe(false);
    expect(matches(pattern, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
  });

  test('numeric alternatives inside detail (content-filtering docs)', () => {
    const pattern = {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
      },
    };
    expect(matches(pattern, ec2With({ 'c-count': 50, 'd-count': 50 }))).toBe(true); // x-limit still 301.8
    expect(matches(pattern, ec2With({ 'c-count': 50, 'd-count': 50, 'x-limit': 1 }))).toBe(false);
  });
});

describe('complex example with multiple matching (content-filtering docs)', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  };

  test('matches the example event', () => {
    expect(matches(pattern, EC2_EVENT)).toBe(true);
  });

  test('fails when any one condition fails', () => {
    expect(matches(pattern, ec2With({ state: 'initializing' }))).toBe(false);
    expect(matches(pattern, ec2With({ 'x-limit': 200 }))).toBe(false);
    expect(matches(pattern, { ...EC2_EVENT, time: '2017-10-01T23:59:59Z' })).toBe(false);
  });
});

describe('arrays of objects in events (event-ruler README)', () => {
  const event = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };

  test('a nested pattern matches any element', () => {
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
  });

  test('multi-level arrays are crushed out', () => {
    const nested = { employees: [[event.employees[0], event.employees[1]], [event.employees[2]]] };
    expect(matches({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
  });

  test('fields of one nested pattern must match within the same element', () => {
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
  });
});

describe('invalid patterns fail loudly, naming the path', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a bare value instead of an array', { source: 'aws.ec2' }, /^source: must be an array/],
    ['an empty value list', { detail: { state: [] } }, /^detail\.state: must list at least one value/],
    ['an unknown operator', { detail: { state: [{ prefx: 'init' }] } }, /^detail\.state\[0\]: unknown operator "prefx"/],
    ['two operators in one object', { f: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    ['a reversed numeric range', { f: [{ numeric: ['<', 5, '>', 0] }] }, /^f\[0\]\.numeric: a range must be a lower bound/],
    ['a numeric bound that is not a number', { f: [{ numeric: ['>', '5'] }] }, /^f\[0\]\.numeric\[1\]: must be a number/],
    ['an unknown numeric operator', { f: [{ numeric: ['!=', 5] }] }, /unknown numeric operator/],
    ['exists that is not a boolean', { f: [{ exists: 'yes' }] }, /^f\[0\]\.exists: must be true or false/],
    ['a mixed anything-but list', { f: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
    ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }, /consecutive wildcard/],
    ['a stray escape in a wildcard', { f: [{ wildcard: 'a\\b' }] }, /backslash may only escape/],
    ['$or with a single alternative', { $or: [{ source: ['a'] }] }, /^\$or: must be an array of at least two/],
    ['cidr, which this matcher does not implement', { ip: [{ cidr: '10.0.0.0/24' }] }, /cidr matching is not supported/],
    ['an empty pattern', {}, /at least one field/],
  ];

  test.each(cases)('%s', (_name, pattern, message) => {
    expect(() => compileEventPattern(pattern as EventPattern)).toThrow(EventPatternError);
    expect(() => compileEventPattern(pattern as EventPattern)).toThrow(message);
    expect(eventPatternProblems(pattern)).toEqual([expect.stringMatching(message)]);
  });

  test('a valid pattern has no problems', () => {
    expect(eventPatternProblems({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } })).toEqual([]);
  });

  test('an event that is not an object never matches', () => {
    expect(matches({ source: ['aws.ec2'] }, null)).toBe(false);
    expect(matches({ source: ['aws.ec2'] }, ['aws.ec2'])).toBe(false);
    expect(matches({ source: ['aws.ec2'] }, 'aws.ec2')).toBe(false);
  });
});

describe('the project routes (domain/event-routes.ts)', () => {
  const envelope = (detailType: string, source = GUARDRAIL_SOURCE) => ({ source, 'detail-type': detailType, detail: {} });

  test('each canonical kind is selected by its own pattern only', () => {
    const purchase = envelope(DETAIL_TYPES['purchase-request']);
    const connected = envelope(DETAIL_TYPES['app-connected']);
    expect(matches(EVENT_PATTERNS['purchase-request'], purchase)).toBe(true);
    expect(matches(EVENT_PATTERNS['purchase-request'], connected)).toBe(false);
    expect(matches(EVENT_PATTERNS['app-connected'], connected)).toBe(true);
    expect(matches(EVENT_PATTERNS['app-connected'], purchase)).toBe(false);
  });

  test('decisions the guardrail publishes never loop back into its own rules', () => {
    const decision = envelope(DETAIL_TYPES.decision);
    for (const pattern of Object.values(EVENT_PATTERNS)) expect(matches(pattern, decision)).toBe(false);
  });

  test('events from another source with the same detail-type are not ours', () => {
    expect(matches(EVENT_PATTERNS['purchase-request'], envelope(DETAIL_TYPES['purchase-request'], 'someone-else'))).toBe(false);
  });
});
