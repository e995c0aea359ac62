import { evaluateEvent } from '../../../../functions/domain/evaluate';
import type { AppConnected } from '../../../../functions/domain/events';
import {
  appKeyOf,
  entryOf,
  hasFacts,
  isSpike,
  isTallyCheckpoint,
  newFactsOf,
  reviewChangesOf,
  sightingOf,
} from '../../../../functions/domain/inventory/app-inventory';
import { preparePolicy } from '../../../../functions/domain/prepared-policy';
import { defaultPolicy, NOW } from '../../../support/fixtures';

const prepared = preparePolicy(defaultPolicy());

function sighting(detail: Partial<AppConnected>, directory?: { email: string; department?: string; name?: string }) {
  const event: AppConnected = {
    source: 'okta',
    sourceEventId: 'e1',
    occurredAt: '2026-11-27T09:00:00Z',
    app: { name: 'Dropbox Business' },
    actor: { type: 'user', email: 'admin@example.com' },
    subject: { email: 'Li.Wei@Example.com', displayName: 'Li Wei' },
    connectionKind: 'user-assigned',
    department: 'Marketing',
    ...detail,
  };
  const decision = evaluateEvent({ kind: 'app-connected', detail: event }, prepared, NOW);
  return sightingOf({
    event,
    decision,
    eventId: `okta:${event.sourceEventId}`,
    riskyScopes: (event.scopes ?? []).filter((s) => prepared.riskyScopes.match(s)),
    directory,
  });
}

describe('what an event says about its app', () => {
  it('keys a catalogue app by its vendor and an unknown one by its loose name', () => {
    expect(sighting({}).appKey).toBe('vendor:dropbox');
    expect(appKeyOf('Drop-Box  Business')).toBe(appKeyOf('dropbox'));
    expect(sighting({ app: { name: 'Notionly Boards' } })).toMatchObject({ appKey: 'app:notionlyboards', status: 'discovered' });
  });

  it('counts the assigned user, by lower-case email, not the admin who assigned them', () => {
    expect(sighting({}).user).toMatchObject({ personKey: 'li.wei@example.com', name: 'Li Wei', department: 'Marketing', connection: 'user-assigned' });
  });

  it('counts nobody for an SSO app created or an admin consent for everyone', () => {
    expect(sighting({ connectionKind: 'sso-app-created', subject: undefined }).user).toBeUndefined();
    const admin = sighting({ connectionKind: 'oauth-consent', adminConsent: true, subject: undefined });
    expect(admin.user).toBeUndefined();
    expect(admin.connections).toEqual(['oauth-consent', 'admin-consent']);
  });

  it('takes the person and department from the directory when it knows them (an alias becomes its person)', () => {
    expect(sighting({ department: undefined }, { email: 'li.wei@example.com', department: 'Finance', name: 'Li W.' }).user).toMatchObject({
      personKey: 'li.wei@example.com',
      department: 'Finance',
      name: 'Li W.',
    });
  });

  it('keeps a source id as the person when the source names no address', () => {
    expect(sighting({ subject: { id: '00u123' } }).user?.personKey).toBe('okta:00u123');
  });
});

describe('which facts change and which changes a review hears about', () => {
  const first = sighting({ app: { name: 'Notionly' } });
  const entry = entryOf(first);

  it('a repeat of the same facts changes nothing (no write)', () => {
    expect(hasFacts(newFactsOf(entry, sighting({ app: { name: 'Notionly' }, sourceEventId: 'e2', occurredAt: '2026-11-27T09:00:30Z' })))).toBe(false);
  });

  it('moves lastSeen at most once a minute', () => {
    expect(newFactsOf(entry, sighting({ app: { name: 'Notionly' }, occurredAt: '2026-11-27T09:01:00Z' })).lastSeen).toBe('2026-11-27T09:01:00Z');
  });

  it('a department differing only in case is the same department', () => {
    expect(newFactsOf(entry, sighting({ app: { name: 'Notionly' }, department: 'MARKETING' })).departments).toEqual([]);
  });

  it('new department, risky scope, admin consent and a higher risk are review changes; a new source alone is not', () => {
    const later = sighting({
      app: { name: 'Notionly' },
      source: 'google-workspace',
      connectionKind: 'oauth-consent',
      adminConsent: true,
      department: 'Finance',
      scopes: ['https://mail.google.com/'],
      subject: undefined,
    });
    const facts = newFactsOf(entry, later);
    expect(facts).toMatchObject({ departments: ['Finance'], sources: ['google-workspace'], riskyScopes: ['https://mail.google.com/'] });
    expect(reviewChangesOf(entry, facts, later).map((c) => c.kind)).toEqual(['risky-scope', 'admin-consent', 'new-department', 'risk-raised']);
    const onlySource = sighting({ app: { name: 'Notionly' }, source: 'entra-id' });
    expect(reviewChangesOf(entry, newFactsOf(entry, onlySource), onlySource)).toEqual([]);
  });

  it('a spike is at least double and ten more; checked only at a power-of-two tally', () => {
    expect(isSpike(1, 10)).toBe(false);
    expect(isSpike(1, 11)).toBe(true);
    expect(isSpike(100, 199)).toBe(false);
    expect(isSpike(100, 200)).toBe(true);
    expect([1, 2, 3, 4, 6, 8, 64, 100].filter(isTallyCheckpoint)).toEqual([1, 2, 4, 8, 64]);
  });
});
