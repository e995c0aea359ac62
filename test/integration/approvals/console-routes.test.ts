/**
 * The IT console's routes over the composed approvals app (dynalite, the
 * default policy): sign-in required, JSON for Accept: application/json, a
 * department's IT manager sees only the departments they cover while the
 * director sees all, bad filters are named, and hostile names reach the
 * pages escaped.
 */
import { sampleEvent } from '../../support/fixtures';
import { PEOPLE, approvalWorld, awsMocks, type ApprovalWorld } from '../../support/approvals';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

describe('IT console routes', () => {
  let dynamo: TestDynamo;
  const mocks = awsMocks();
  let world: ApprovalWorld;
  const json = 'application/json';

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    world = await approvalWorld(dynamo, mocks);
    for (const sample of [
      'purchase-request/dropbox-marketing-confidential.json',
      'purchase-request/chatgpt-team-engineering.json',
      'app-connected/okta-app-created-unknown.json',
    ]) {
      await world.submit(sampleEvent(sample));
    }
    const hostile = sampleEvent('purchase-request/dropbox-marketing-confidential.json');
    if (hostile.kind === 'purchase-request') {
      hostile.detail = { ...hostile.detail, requestId: 'PR-HOSTILE', vendor: { name: '<script>alert(1)</script>' }, product: '"><img src=x onerror=alert(1)>' };
    }
    await world.submit(hostile);
  });
  afterAll(async () => {
    mocks.restore();
    await dynamo?.teardown();
  });

  test('without a sign-in: JSON answers 401, a browser is told to sign in', async () => {
    expect((await world.call({ url: '/requests', accept: json })).statusCode).toBe(401);
    const page = await world.call({ url: '/', accept: 'text/html' });
    expect(page.statusCode).toBe(401);
    expect(page.body).not.toContain('Dropbox');
  });

  test('the director sees every request as JSON, newest first, with the facets for the filters', async () => {
    const res = await world.call({ url: '/requests', accept: json, identity: { email: PEOPLE.dana } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toContain('application/json');
    const body = JSON.parse(res.body);
    expect(body.total).toBe(4);
    expect(body.facets.departments).toEqual(expect.arrayContaining(['Marketing', 'engineering']));
    const home = JSON.parse((await world.call({ url: '/', accept: json, identity: { email: PEOPLE.dana } })).body);
    expect(home.pending.total).toBeGreaterThanOrEqual(3);
    expect(home.spendByDepartment.map((s: { department: string }) => s.department)).toContain('Marketing');
  });

  test("an IT manager sees only the departments they cover: Priya (Engineering…) never sees Marketing's Dropbox", async () => {
    const body = JSON.parse((await world.call({ url: '/requests?q=dropbox', accept: json, identity: { email: PEOPLE.priya } })).body);
    expect(body.total).toBe(0);
    const marcus = JSON.parse((await world.call({ url: '/requests?q=dropbox', accept: json, identity: { email: PEOPLE.marcus } })).body);
    expect(marcus.total).toBe(1);
  });

  test('bad filters are named; the page still renders with the problem shown', async () => {
    const bad = await world.call({ url: '/requests?outcome=maybe', accept: json, identity: { email: PEOPLE.dana } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error).toContain('outcome: "maybe"');
    const page = await world.call({ url: '/requests?outcome=maybe', accept: 'text/html', identity: { email: PEOPLE.dana } });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('outcome: &quot;maybe&quot; is not one of allow, review, block');
  });

  test('hostile vendor and product names reach the list, the home page and its charts escaped', async () => {
    for (const url of ['/requests', '/']) {
      const page = await world.call({ url, accept: 'text/html', identity: { email: PEOPLE.dana } });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toMatch(/<script>|<img /);
      expect(page.headers['Content-Security-Policy']).toContain("default-src 'none'");
    }
    const list = await world.call({ url: '/requests?q=PR-HOSTILE', accept: 'text/html', identity: { email: PEOPLE.dana } });
    expect(list.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(list.body).toContain('aria-current="page">Requests</a>');
  });
});
