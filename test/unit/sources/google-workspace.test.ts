import {
  normalizeGoogleWorkspace,
  readParameter,
  readTextListParameter,
  readTextParameter,
  type ReportParameter,
} from '../../../functions/adapters/sources/google-workspace';
import {
  CLEANED_CONTROL_CHARACTER_NAME,
  CONTROL_CHARACTER_NAME,
  expectShortenedHugeName,
  HUGE_NAME,
  TRICKY_BUT_VALID_NAME,
  expectIgnored,
  expectMalformed,
  onlyApp,
  sample,
  set,
} from './support';

const single = () => sample('google-workspace', 'authorize-single');

describe('Reports parameter reading', () => {
  const parameters: ReportParameter[] = [
    { name: 'app_name', value: 'Calendly' },
    { name: 'scope', multiValue: ['openid', 'email'] },
    { name: 'is_new', boolValue: false },
    { name: 'num_response_bytes', intValue: '1223' },
    { name: 'ports', multiIntValue: ['80', 443] },
    { name: 'app', messageValue: { parameter: [{ name: 'app_name', value: 'Nested' }] } },
    { name: 'scope_data', multiMessageValue: [{ parameter: [{ name: 'scope_name', value: 'openid' }] }, { parameter: null }] },
    { name: 'empty' },
  ];

  it.each([
    ['app_name', 'Calendly'],
    ['scope', ['openid', 'email']],
    ['is_new', false],
    ['num_response_bytes', 1223],
    ['ports', [80, 443]],
    ['app', [{ name: 'app_name', value: 'Nested' }]],
    ['scope_data', [[{ name: 'scope_name', value: 'openid' }], []]],
    ['empty', undefined],
    ['absent', undefined],
  ])('reads %s from whichever field carries it', (name, value) => {
    expect(readParameter(parameters, name)).toEqual(value);
  });

  it('reads text and text lists only where they are text', () => {
    expect(readTextParameter(parameters, 'app_name')).toBe('Calendly');
    expect(readTextParameter(parameters, 'scope')).toBeUndefined();
    expect(readTextParameter(parameters, 'is_new')).toBeUndefined();
    expect(readTextListParameter(parameters, 'scope')).toEqual(['openid', 'email']);
    expect(readTextListParameter(parameters, 'app_name')).toEqual(['Calendly']);
    expect(readTextListParameter(parameters, 'ports')).toBeUndefined();
  });
});

describe('Google Workspace normaliser', () => {
  it('accepts one activity, an array and an activities page alike', () => {
    const activity = single();
    const one = onlyApp(normalizeGoogleWorkspace(activity));
    expect(onlyApp(normalizeGoogleWorkspace([activity]))).toEqual(one);
    expect(onlyApp(normalizeGoogleWorkspace({ kind: 'admin#reports#activities', items: [activity] }))).toEqual(one);
  });

  it('ignores activities of other Reports applications', () => {
    expectIgnored(normalizeGoogleWorkspace(set(single(), 'id.applicationName', 'login')), 'Reports application "login" is not token');
  });

  it.each(['revoke', 'activity', 'request'])('ignores a token %s event', (name) => {
    expectIgnored(normalizeGoogleWorkspace(set(single(), 'events[0].name', name)), `no authorize event (saw "${name}")`);
  });

  it('ignores an activity with no events', () => {
    expectIgnored(normalizeGoogleWorkspace(set(single(), 'events', [])), 'no authorize event');
  });

  it('uses the unique qualifier as is for one authorize event and with the event index for several', () => {
    expect(onlyApp(normalizeGoogleWorkspace(single())).sourceEventId).toBe('5621907348816627093');
    const twice = single();
    twice.events.unshift({ type: 'auth', name: 'revoke', parameters: [] });
    twice.events.push(structuredClone(twice.events[1]));
    const result = normalizeGoogleWorkspace(twice);
    expect(result.status === 'ok' && result.events.map((e) => e.kind === 'app-connected' && e.detail.sourceEventId)).toEqual([
      '5621907348816627093-1',
      '5621907348816627093-2',
    ]);
    expect(result.status === 'ok' && result.ignored).toEqual([{ item: 'events[0]', reason: 'token event "revoke" grants nothing' }]);
  });

  it('reads scopes from scope_data when the scope list is absent', () => {
    const activity = single();
    activity.events[0].parameters = activity.events[0].parameters.filter((p: { name: string }) => p.name !== 'scope');
    expect(onlyApp(normalizeGoogleWorkspace(activity)).scopes).toEqual([
      'https://www.googleapis.com/auth/calendar.events',
      'https://www.googleapis.com/auth/userinfo.email',
      'openid',
    ]);
  });

  it('leaves scopes absent when none are recorded', () => {
    const activity = single();
    activity.events[0].parameters = activity.events[0].parameters.filter((p: { name: string }) => !p.name.startsWith('scope'));
    expect(onlyApp(normalizeGoogleWorkspace(activity))).not.toHaveProperty('scopes');
  });

  it('names an app by its configured name or client id when app_name is missing', () => {
    const activity = single();
    activity.events[0].parameters = activity.events[0].parameters.filter((p: { name: string }) => p.name !== 'app_name');
    const clientId = '418273650912-7kq2d9vbn3m5x8r1t4w6y0z2a4c6e8g0.apps.googleusercontent.com';
    expect(onlyApp(normalizeGoogleWorkspace(activity)).app.name).toBe(clientId);
    expect(onlyApp(normalizeGoogleWorkspace(activity, { appNames: { [clientId]: 'Calendly' } })).app.name).toBe('Calendly');
  });

  it('is malformed when nothing names the app', () => {
    const activity = set(single(), 'events[0].parameters', [{ name: 'client_type', value: 'WEB' }]);
    expect(normalizeGoogleWorkspace(activity)).toEqual({
      status: 'malformed',
      problems: ['events[0].parameters: neither app_name nor client_id names the app'],
    });
  });

  it.each([
    [
      { callerType: 'KEY', key: 'SYSTEM' },
      { type: 'app', id: 'SYSTEM' },
    ],
    [{ profileId: '1047' }, { type: 'user', id: '1047' }],
    [{}, { type: 'unknown' }],
    [null, { type: 'unknown' }],
  ])('records actor %p as %p', (actor, expected) => {
    expect(onlyApp(normalizeGoogleWorkspace(set(single(), 'actor', actor))).actor).toEqual(expected);
  });

  it('leaves out an actor email that is not an address, keeping the profile id (canonical check)', () => {
    const app = onlyApp(normalizeGoogleWorkspace(set(single(), 'actor.email', 'not-an-email')));
    expect(app.actor.email).toBeUndefined();
    expect(app.actor.type).toBe('user');
  });

  it.each([
    ['id.time', undefined, 'id.time: is required'],
    ['id.time', '2026-03-02', 'id.time: must be an ISO 8601 date-time with offset'],
    ['id.uniqueQualifier', undefined, 'id.uniqueQualifier: is required'],
    ['id.uniqueQualifier', { n: 1 }, 'id.uniqueQualifier: must be a number or text'],
    ['id.uniqueQualifier', '  ', 'id.uniqueQualifier: is required'],
    ['id.applicationName', undefined, 'id.applicationName: is required'],
    ['events', undefined, 'events: is required'],
    ['events[0].parameters', 'client_id', 'events[0].parameters: must be an array, not string'],
    ['events[0].parameters[0].multiValue', 'openid', 'events[0].parameters[0].multiValue: must be an array, not string'],
  ])('%s = %p is malformed', (path, value, problem) => {
    expectMalformed(normalizeGoogleWorkspace(set(single(), path, value)), problem);
  });

  it('ignores a push channel sync message and rejects items that are not a list', () => {
    expectIgnored(normalizeGoogleWorkspace(sample('google-workspace', 'ignored-channel-sync')), 'sync');
    expect(normalizeGoogleWorkspace({ items: {} })).toEqual({ status: 'malformed', problems: ['items: must be an array of activities'] });
  });

  it('keeps HTML app names, cleans control characters, shortens 5 MB names', () => {
    const appName = (value: string) => {
      const activity = single();
      activity.events[0].parameters.find((p: { name: string }) => p.name === 'app_name').value = value;
      return normalizeGoogleWorkspace(activity);
    };
    expect(onlyApp(appName(TRICKY_BUT_VALID_NAME)).app.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(onlyApp(appName(CONTROL_CHARACTER_NAME)).app.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
    expectShortenedHugeName(onlyApp(appName(HUGE_NAME)).app.name);
  });
});
