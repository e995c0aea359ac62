/**
 * The app inventory through the composed guardrail service on dynalite: one
 * entry and one review per app, however many events and redeliveries; the
 * review opens again only when the risk changes after it was decided;
 * purchase requests link to the entry of the app they buy.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { recordIdOf, type AppConnected, type GuardrailEvent, type PurchaseRequest } from '../../../functions/domain/events';
import { inventoryView } from '../../../functions/domain/use-cases/inventory/view';
import { approvalWorld, awsMocks, IT_TOPIC, PEOPLE, type ApprovalWorld, type AwsMocks } from '../../support/approvals';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;
let mocks: AwsMocks;
let world: ApprovalWorld;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  mocks = awsMocks();
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});
beforeEach(async () => {
  mocks.reset();
  world = await approvalWorld(dynamo, mocks);
});

function assignment(n: number, overrides: Partial<AppConnected> = {}): GuardrailEvent {
  return {
    kind: 'app-connected',
    detail: {
      source: 'okta',
      sourceEventId: `assign-${n}`,
      occurredAt: `2026-11-27T09:${String(10 + n).padStart(2, '0')}:00Z`,
      app: { name: 'Notionly Boards', id: '0oaNOTION' },
      actor: { type: 'user', email: 'okta.admin@example.com' },
      subject: { email: `person${n}@example.com`, displayName: `Person ${n}` },
      connectionKind: 'user-assigned',
      department: 'Marketing',
      ...overrides,
    },
  };
}

/** A user's own OAuth consent with a scope the default policy calls risky: each needs review on its own. */
function consent(n: number, overrides: Partial<AppConnected> = {}): GuardrailEvent {
  return assignment(n, {
    source: 'google-workspace',
    sourceEventId: `consent-${n}`,
    actor: { type: 'user', email: `person${n}@example.com`, displayName: `Person ${n}` },
    subject: undefined,
    connectionKind: 'oauth-consent',
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    ...overrides,
  });
}

const created: GuardrailEvent = assignment(0, { sourceEventId: 'created', connectionKind: 'sso-app-created', subject: undefined });
const KEY = 'app:notionlyboards';

const itMessages = () => world.sns.commandCalls(PublishCommand).filter((c) => c.args[0].input.TopicArn === IT_TOPIC);

describe('one entry and one review per app', () => {
  it('four Okta assignments of one unknown app make at most one review and one entry counting four people', async () => {
    await world.submit(created);
    for (let n = 1; n <= 4; n++) await world.submit(assignment(n));
    const entries = await inventoryView(world.stores.inventory!).list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      name: 'Notionly Boards',
      status: 'discovered',
      users: 4,
      departments: ['Marketing'],
      sources: ['okta'],
      connections: ['sso-app-created', 'user-assigned'],
    });
    expect(entries[0].review?.recordId).toBe('okta:created');
    const reviews = (await world.approvalStore.listOpen()).filter((r) => r.kind === 'app-connected' && r.detail.app.name === 'Notionly Boards');
    expect(reviews.map((r) => r.recordId)).toEqual(['okta:created']);
    expect(
      new Set(itMessages().map((c) => c.args[0].input.MessageAttributes?.recordId?.StringValue ?? JSON.parse(c.args[0].input.Message ?? '{}').data?.recordId))
        .size,
    ).toBeLessThanOrEqual(1);
  });

  it('four consents that each need review open one review; the other three fold into it', async () => {
    for (let n = 1; n <= 4; n++) await world.submit(consent(n));
    const entry = await world.stores.inventory!.get(KEY);
    expect(entry?.review?.recordId).toBe('google-workspace:consent-1');
    expect(entry?.riskyScopes).toEqual(['https://www.googleapis.com/auth/drive.readonly']);
    expect(await world.stores.inventory!.countUsers(KEY)).toBe(4);
    for (const n of [2, 3, 4]) expect(await world.requests.get(`google-workspace:consent-${n}`)).toBeUndefined();
    const sent = itMessages().length;
    expect(sent).toBeGreaterThan(0);
    // Redelivered twice, in another order: nobody counted twice, nothing sent again.
    for (const n of [4, 2, 1, 3, 1, 4]) await world.submit(consent(n));
    expect(await world.stores.inventory!.countUsers(KEY)).toBe(4);
    expect(itMessages()).toHaveLength(sent);
  });

  it('concurrent first sightings open one review between them', async () => {
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => world.submit(consent(n))));
    const entry = await world.stores.inventory!.get(KEY);
    const records = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => world.requests.get(`google-workspace:consent-${n}`)));
    expect(records.filter(Boolean)).toHaveLength(1);
    expect(records.find(Boolean)?.recordId).toBe(entry?.review?.recordId);
    expect(await world.stores.inventory!.countUsers(KEY)).toBe(6);
  });

  it('a risk change while the review is open updates its context once and opens nothing new', async () => {
    await world.submit(consent(1));
    const sent = itMessages().length;
    const admin = consent(2, {
      adminConsent: true,
      department: 'Finance',
      actor: { type: 'user', email: 'it.admin@example.com' },
      scopes: ['https://www.googleapis.com/auth/drive'],
    });
    await world.submit(admin);
    await world.submit(admin);
    const entry = await world.stores.inventory!.get(KEY);
    expect(entry?.review?.recordId).toBe('google-workspace:consent-1');
    expect(entry?.connections).toEqual(['oauth-consent', 'admin-consent']);
    expect(entry?.departments).toEqual(['Finance', 'Marketing']);
    expect(entry?.highestRisk).toBe('high');
    const kinds = entry!.review!.changes.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'admin-consent')).toHaveLength(1);
    expect(kinds).toEqual(expect.arrayContaining(['first-sighting', 'risky-scope', 'admin-consent', 'new-department', 'risk-raised']));
    expect(await world.requests.get('google-workspace:consent-2')).toBeUndefined();
    // One update to every approver (no decision links), not a second review; the redelivery sent nothing.
    const updates = itMessages()
      .slice(sent)
      .map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0].Subject).toMatch(/^Review update: Notionly Boards: /);
    expect(updates[0].MessageAttributes?.type?.StringValue).toBe('app-review-update');
    expect(updates[0].Message).not.toMatch(/token=/);
  });

  it('after the review is decided, more people fold in silently, and a new risk opens the next review', async () => {
    await world.submit(consent(1));
    const record = (await world.requests.get('google-workspace:consent-1'))!;
    const decided = { ...record, approval: { ...record.approval, status: 'approved' as const } };
    jest.spyOn(world.requests, 'get').mockImplementation(async (id) => (id === record.recordId ? decided : undefined));
    await world.submit(consent(2));
    expect((await world.stores.inventory!.get(KEY))?.review?.recordId).toBe('google-workspace:consent-1');
    await world.submit(consent(3, { scopes: ['https://mail.google.com/'] }));
    expect((await world.stores.inventory!.get(KEY))?.review?.recordId).toBe('google-workspace:consent-3');
  });

  it('a purchase request links to the entry of the app it buys', async () => {
    await world.submit(created);
    const request: PurchaseRequest = {
      requestId: 'REQ-NOTION-1',
      requester: { email: 'maria.garcia@example.com', department: 'Marketing' },
      vendor: { name: 'Notionly Boards' },
      amount: { value: 1200, currency: 'USD' },
      billingPeriod: 'annual',
    };
    const event: GuardrailEvent = { kind: 'purchase-request', detail: request };
    await world.submit(event);
    expect((await world.stores.inventory!.get(KEY))?.requests).toEqual([recordIdOf(event)]);
  });
});

describe('GET /inventory and /inventory/:app', () => {
  const dana = { email: PEOPLE.dana };
  const hostile = '<img src=x onerror=alert(1)>';

  beforeEach(async () => {
    for (let n = 1; n <= 3; n++)
      await world.submit(
        consent(n, { app: { name: `Boards ${hostile}` }, actor: { type: 'user', email: `person${n}@example.com`, displayName: `P${n} ${hostile}` } }),
      );
  });

  it('lists the apps as JSON to Accept: application/json, with exact counts', async () => {
    const response = await world.call({ url: '/inventory', accept: 'application/json', identity: dana });
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as { count: number; apps: { name: string; users: number; appKey: string }[] };
    expect(body.apps).toEqual([expect.objectContaining({ name: `Boards ${hostile}`, users: 3 })]);
    const app = await world.call({ url: `/inventory/${encodeURIComponent(body.apps[0].appKey)}`, accept: 'application/json', identity: dana });
    expect(JSON.parse(app.body)).toMatchObject({ users: 3, people: expect.arrayContaining([expect.objectContaining({ personKey: 'person1@example.com' })]) });
  });

  it('renders pages with every name escaped, under the same CSP, and links to the review', async () => {
    const list = await world.call({ url: '/inventory', identity: dana });
    expect(list.statusCode).toBe(200);
    expect(list.headers['Content-Security-Policy']).toMatch(/script-src 'none'|default-src 'none'/);
    expect(list.body).not.toContain(hostile);
    expect(list.body).toMatch(/Boards &lt;img src&#x?[0-9a-f]+;x onerror/i);
    const key = encodeURIComponent((await world.stores.inventory!.list())[0].appKey);
    const page = await world.call({ url: `/inventory/${key}`, identity: dana });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(hostile);
    expect(page.body).toContain('P1 &lt;img');
    expect(page.body).toContain('requests/google-workspace%3Aconsent-1');
    expect(page.body).not.toMatch(/<script/i);
  });

  it('asks for sign-in, and shows an approver only the apps of the departments they cover', async () => {
    expect((await world.call({ url: '/inventory', accept: 'application/json' })).statusCode).toBe(401);
    // Priya covers Engineering, Product, Data and Security: these Marketing apps are not hers.
    const priya = JSON.parse((await world.call({ url: '/inventory', accept: 'application/json', identity: { email: PEOPLE.priya } })).body) as {
      count: number;
    };
    expect(priya.count).toBe(0);
    const missing = await world.call({ url: '/inventory/app%3Anope', accept: 'application/json', identity: dana });
    expect(missing.statusCode).toBe(404);
  });

  it('filters by department, in any case', async () => {
    const body = JSON.parse((await world.call({ url: '/inventory?department=marketing', accept: 'application/json', identity: dana })).body) as {
      count: number;
    };
    expect(body.count).toBe(1);
    expect(JSON.parse((await world.call({ url: '/inventory?department=Sales', accept: 'application/json', identity: dana })).body).count).toBe(0);
  });
});
