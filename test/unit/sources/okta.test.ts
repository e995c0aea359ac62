import { OKTA_RELEVANT_EVENT_TYPES, normalizeOkta, oktaEventPattern } from '../../../functions/adapters/sources/okta';
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

const created = () => sample('okta', 'eventbridge-application-created');
const hook = () => sample('okta', 'event-hook-user-assigned');
const consent = () => sample('okta', 'system-log-consent-grant');

describe('Okta normaliser: payload shapes', () => {
  it('reads the same event from the EventBridge envelope, an event hook and bare', () => {
    const envelope = created();
    const viaEnvelope = onlyApp(normalizeOkta(envelope));
    const viaHook = onlyApp(normalizeOkta({ eventType: 'com.okta.event_hook', data: { events: [envelope.detail] } }));
    const bare = onlyApp(normalizeOkta(envelope.detail));
    expect(viaHook).toEqual(viaEnvelope);
    expect(bare).toEqual(viaEnvelope);
  });

  it('returns every relevant event of a multi-event hook delivery', () => {
    const body = hook();
    const second = set(structuredClone(body.data.events[0]), 'uuid', '2e0a1c47-1611-11f1-8a2e-6d0c1f5e7b93');
    body.data.events.push(second);
    const result = normalizeOkta(body);
    expect(result.status).toBe('ok');
    expect(result.status === 'ok' && result.events.map((e) => e.kind === 'app-connected' && e.detail.sourceEventId)).toEqual([
      '1d9f0b36-1611-11f1-8a2e-6d0c1f5e7b92',
      '2e0a1c47-1611-11f1-8a2e-6d0c1f5e7b93',
    ]);
  });

  it('keeps good events of a batch and lists the malformed one by path, so it can be dead-lettered', () => {
    const body = hook();
    body.data.events.push(set(structuredClone(body.data.events[0]), 'uuid', undefined));
    const result = normalizeOkta(body);
    expect(result).toMatchObject({
      status: 'ok',
      malformed: [{ item: 'data.events[1]', problems: ['data.events[1].uuid: is required'] }],
    });
    expect(result.status === 'ok' && result.events).toHaveLength(1);
  });

  it('is malformed when every event of a batch is, naming each path', () => {
    const body = hook();
    set(body, 'data.events[0].published', 'yesterday');
    body.data.events.push({ eventType: 'application.lifecycle.create' });
    expectMalformed(normalizeOkta(body), 'data.events[0].published: must be an ISO 8601 date-time with offset', 'data.events[1].outcome: is required');
  });

  it('ignores an empty hook delivery', () => {
    expectIgnored(normalizeOkta({ data: { events: [] } }), 'no events');
  });

  it('rejects data.events that is not an array', () => {
    expect(normalizeOkta({ data: { events: { uuid: 'x' } } })).toEqual({
      status: 'malformed',
      problems: ['data.events: must be an array of System Log events'],
    });
  });

  it('rejects an envelope from a source other than Okta', () => {
    expectMalformed(normalizeOkta(set(created(), 'source', 'aws.sso')), 'source: "aws.sso" is not an Okta partner event source');
  });

  it('ignores an Okta envelope whose detail-type is not SystemLog', () => {
    expectIgnored(normalizeOkta(set(created(), 'detail-type', 'Okta Health Check')), 'is not SystemLog');
  });

  it.each([
    [null, '(payload): must be an object, not null'],
    [42, '(payload): must be an object, not number'],
    ['text', '(payload): must be an object, not string'],
  ])('rejects a payload that is not an event (%p)', (payload, problem) => {
    expectMalformed(normalizeOkta(payload), problem);
  });

  it('reads a System Log API page (a JSON array of LogEvents), an empty one as ignored', () => {
    const result = normalizeOkta(sample('okta', 'system-log-api-page'));
    expect(result).toMatchObject({ status: 'ok', ignored: [{ item: '[0]' }] });
    expect(normalizeOkta([])).toEqual({ status: 'ignored', reason: 'the System Log page held no events' });
  });

  it.each(['OAuth2Scope', 'Scope', 'oauth2_scope', 'ConsentGrant'])('reads consent scopes from %s targets', (type) => {
    const event = sample('okta', 'system-log-consent-grant');
    for (const target of event.target) target.type = type;
    expect(onlyApp(normalizeOkta(event)).scopes).toEqual(['calendar.read', 'contacts.read', 'offline_access']);
  });
});

describe('Okta normaliser: relevance', () => {
  it.each(['user.session.start', 'application.lifecycle.update', 'app.oauth2.as.consent.revoke', 'group.user_membership.add'])('ignores %s', (eventType) => {
    expectIgnored(normalizeOkta(set(created(), 'detail.eventType', eventType)), `"${eventType}" is not about apps or consent`);
  });

  it.each(['FAILURE', 'DENY', 'SKIPPED', 'UNKNOWN'])('ignores outcome %s', (result) => {
    expectIgnored(normalizeOkta(set(created(), 'detail.outcome.result', result)), `outcome "${result}", not SUCCESS`);
  });

  it('ignores an irrelevant event even when the rest of it is unreadable', () => {
    expectIgnored(normalizeOkta({ eventType: 'user.session.start', outcome: { result: 'SUCCESS' } }), 'user.session.start');
  });

  it('exports the relevant event types and a rule pattern built from them', () => {
    expect(OKTA_RELEVANT_EVENT_TYPES).toEqual([
      'application.lifecycle.create',
      'application.user_membership.add',
      'app.oauth2.as.consent.grant',
      'app.oauth2.consent.grant',
      'app.oauth2.admin.consent.grant',
    ]);
    expect(oktaEventPattern('aws.partner/okta.com/example-org/okta-system-log')).toEqual({
      source: ['aws.partner/okta.com/example-org/okta-system-log'],
      'detail-type': ['SystemLog'],
      detail: { eventType: [...OKTA_RELEVANT_EVENT_TYPES], outcome: { result: ['SUCCESS'] } },
    });
  });
});

describe('Okta normaliser: malformed events name the field', () => {
  it.each([
    ['detail.uuid', undefined, 'detail.uuid: is required'],
    ['detail.uuid', '   ', 'detail.uuid: is required'],
    ['detail.published', '2026-03-02 09:14', 'detail.published: must be an ISO 8601 date-time with offset'],
    ['detail.published', 1709370843, 'detail.published: must be an ISO 8601 date-time with offset'],
    ['detail.actor', undefined, 'detail.actor: is required'],
    ['detail.actor', 'maria.garcia@example.com', 'detail.actor: must be an object, not string'],
    ['detail.target', 'AppInstance', 'detail.target: must be an array, not string'],
    ['detail.target[0].displayName', 7, 'detail.target[0].displayName: must be a string, not number'],
    ['detail.eventType', undefined, 'detail.eventType: is required'],
    ['detail.outcome', undefined, 'detail.outcome: is required'],
  ])('%s = %p', (path, value, problem) => {
    expectMalformed(normalizeOkta(set(created(), path, value)), problem);
  });

  it('needs an AppInstance target for a new app', () => {
    const event = set(created(), 'detail.target[0].type', 'User');
    expect(normalizeOkta(event)).toEqual({ status: 'malformed', problems: ['detail.target: no AppInstance target with a name'] });
  });

  it('needs the app and the assigned user for an assignment', () => {
    const body = hook();
    body.data.events[0].target = [];
    expectMalformed(normalizeOkta(body), 'data.events[0].target: no AppInstance target with a name', 'data.events[0].target: no User or AppUser target');
  });

  it('needs some way to name the OAuth client of a consent', () => {
    const event = consent();
    for (const target of event.target) delete target.detailEntry;
    expectMalformed(normalizeOkta(event), 'target: no app target (AppInstance or PublicClientApp) and no ConsentGrant detailEntry.publicclientapp');
  });
});

describe('Okta normaliser: names and limits', () => {
  it('keeps HTML and non-Latin names as data', () => {
    const app = onlyApp(normalizeOkta(set(created(), 'detail.target[0].displayName', TRICKY_BUT_VALID_NAME)));
    expect(app.app.name).toBe(TRICKY_BUT_VALID_NAME);
  });

  it('cleans control characters out of a name', () => {
    const result = normalizeOkta(set(created(), 'detail.target[0].displayName', CONTROL_CHARACTER_NAME));
    expect(onlyApp(result).app.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
  });

  it('keeps a 5 MB name shortened, with a note, quickly', () => {
    const started = Date.now();
    const app = onlyApp(normalizeOkta(set(created(), 'detail.target[0].displayName', HUGE_NAME)));
    expectShortenedHugeName(app.app.name);
    expect(app.intakeNotes).toEqual([{ field: 'app.name', kind: 'shortened', detail: '5,242,880 characters, kept 200' }]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('prefixes canonical problems with the batch entry they came from', () => {
    const body = hook();
    set(body, 'data.events[0].published', 'yesterday');
    body.data.events.push(structuredClone(body.data.events[0]));
    expect(normalizeOkta(body)).toEqual({
      status: 'malformed',
      problems: ['data.events[0].published: must be an ISO 8601 date-time with offset', 'data.events[1].published: must be an ISO 8601 date-time with offset'],
    });
  });

  it('falls back to the alternateId when an AppInstance has no displayName', () => {
    const event = set(created(), 'detail.target[0].displayName', null);
    expect(onlyApp(normalizeOkta(event)).app).toEqual({ name: 'Dropbox Business', id: '0oa9q2zyxWVU8tsr7q6p' });
  });
});

describe('Okta normaliser: actors and subjects', () => {
  it('records Okta itself as a system actor, keeping its id, never a person', () => {
    const event = set(created(), 'detail.actor', {
      id: '0oa1gjh63g214q0Hq0g4',
      type: 'SystemPrincipal',
      alternateId: 'system@okta.com',
      displayName: 'Okta System',
    });
    expect(onlyApp(normalizeOkta(event)).actor).toEqual({ type: 'system', id: '0oa1gjh63g214q0Hq0g4', displayName: 'Okta System' });
  });

  it('recognises system@okta.com even without the SystemPrincipal type', () => {
    const event = set(created(), 'detail.actor', { alternateId: 'system@okta.com' });
    expect(onlyApp(normalizeOkta(event)).actor).toEqual({ type: 'system', id: 'system@okta.com' });
  });

  it('only takes an email from alternateId when it is one', () => {
    const event = set(created(), 'detail.actor.alternateId', '2b6669d5cf094246915d1e49b959973d');
    expect(onlyApp(normalizeOkta(event)).actor).toEqual({ type: 'user', id: '00u8x1abcDEF2ghi3j4k', displayName: 'Maria Garcia' });
  });

  it('records an actor of an unfamiliar type as unknown', () => {
    const event = set(created(), 'detail.actor', { id: 'x1', type: 'Robot' });
    expect(onlyApp(normalizeOkta(event)).actor).toEqual({ type: 'unknown', id: 'x1' });
  });

  it('prefers the User target as subject, else the AppUser', () => {
    const body = hook();
    expect(onlyApp(normalizeOkta(body)).subject?.id).toBe('00u5kd9ePQr3sT6uV1w2');
    body.data.events[0].target = body.data.events[0].target.filter((t: { type: string }) => t.type !== 'User');
    expect(onlyApp(normalizeOkta(body)).subject).toEqual({ id: '0ua4tq1wxYZ7abC2d6p7', email: 'li.wei@example.com', displayName: 'Li Wei' });
  });
});

describe('Okta normaliser: consent details', () => {
  it('names the client by id when no lookup is configured, and by the lookup when one is', () => {
    expect(onlyApp(normalizeOkta(consent())).app).toEqual({ name: '0oa7rb3qjbKyi6j7O2p7', id: '0oa7rb3qjbKyi6j7O2p7' });
    expect(onlyApp(normalizeOkta(consent(), { appNames: { '0oa7rb3qjbKyi6j7O2p7': 'Calendly' } })).app).toEqual({
      name: 'Calendly',
      id: '0oa7rb3qjbKyi6j7O2p7',
    });
  });

  it('does not record the consenting user as subject when they are the actor', () => {
    expect(onlyApp(normalizeOkta(consent())).subject).toBeUndefined();
  });

  it('deduplicates scopes', () => {
    const event = consent();
    event.target.push(structuredClone(event.target[0]));
    expect(onlyApp(normalizeOkta(event)).scopes).toEqual(['calendar.read', 'contacts.read', 'offline_access']);
  });

  it('falls back to debugData for the client and scopes when no ConsentGrant targets exist', () => {
    const event = set(consent(), 'target', []);
    event.debugContext.debugData.clientId = '0oaDEBUGclient0h7';
    event.debugContext.debugData.grantedScopes = 'openid email  profile';
    const app = onlyApp(normalizeOkta(event));
    expect(app.app).toEqual({ name: '0oaDEBUGclient0h7', id: '0oaDEBUGclient0h7' });
    expect(app.scopes).toEqual(['openid', 'email', 'profile']);
  });

  it('leaves scopes absent when Okta lists none', () => {
    const event = consent();
    for (const target of event.target) target.displayName = null;
    expect(onlyApp(normalizeOkta(event)).scopes).toBeUndefined();
  });

  it.each([
    ['app.oauth2.as.consent.grant', false],
    ['app.oauth2.consent.grant', false],
    ['app.oauth2.admin.consent.grant', true],
  ])('%s → adminConsent %s', (eventType, admin) => {
    const app = onlyApp(normalizeOkta(set(consent(), 'eventType', eventType)));
    expect(app.connectionKind).toBe('oauth-consent');
    expect(app.adminConsent).toBe(admin);
  });
});
