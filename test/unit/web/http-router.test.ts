import { HttpRouter } from '../../../functions/adapters/web/http-router';
import { handleApprovalRequest, type ApprovalAppDeps } from '../../../functions/adapters/web/approvals-app';
import { Router } from '../../../functions/local/router';
import { HttpError } from '../../../functions/local/http';

const routes = [
  { method: 'GET', path: '/decide', name: 'page' },
  { method: 'POST', path: '/decide', name: 'form' },
  { method: 'GET', path: '/requests/:id', name: 'request' },
  { method: 'POST', path: '/ingest/:source', name: 'ingest' },
  { method: 'GET', path: '/ingest/:source', name: 'challenge' },
] as const;
const router = new HttpRouter(routes);
const name = (method: string, path: string) => {
  const m = router.match(method, path);
  return m.status === 'found' ? [m.route.name, m.params] : m;
};

describe('HttpRouter (find-my-way)', () => {
  it('matches literal and parameter routes, with parameters percent-decoded', () => {
    expect(name('GET', '/decide')).toEqual(['page', {}]);
    expect(name('POST', '/decide')).toEqual(['form', {}]);
    expect(name('GET', '/requests/PR-2026-1042')).toEqual(['request', { id: 'PR-2026-1042' }]);
    expect(name('GET', '/requests/okta%3A0oa1%2Fx%20y')).toEqual(['request', { id: 'okta:0oa1/x y' }]);
    expect(name('GET', '/requests/caf%C3%A9')).toEqual(['request', { id: 'café' }]);
    expect(name('GET', `/requests/${'x'.repeat(600)}`)).toEqual(['request', { id: 'x'.repeat(600) }]);
    expect(name('post', '/ingest/okta')).toEqual(['ingest', { source: 'okta' }]);
  });

  it('serves HEAD with the GET route and ignores a trailing or doubled slash', () => {
    expect(name('HEAD', '/decide')).toEqual(['page', {}]);
    expect(name('GET', '/decide/')).toEqual(['page', {}]);
    expect(name('GET', '//decide')).toEqual(['page', {}]);
  });

  it('answers 405 with the methods the path allows, in table order, and 404 for unknown paths', () => {
    expect(router.match('PUT', '/decide')).toEqual({ status: 'method-not-allowed', allow: ['GET', 'POST'] });
    expect(router.match('DELETE', '/requests/PR-1')).toEqual({ status: 'method-not-allowed', allow: ['GET'] });
    expect(router.match('GET', '/nothing')).toEqual({ status: 'not-found' });
    expect(router.match('GET', '/requests/')).toEqual({ status: 'not-found' });
    expect(router.match('GET', '/requests/a/b')).toEqual({ status: 'not-found' });
    // A malformed percent-encoding matches nothing rather than throwing.
    expect(router.match('GET', '/requests/a%ZZ')).toEqual({ status: 'not-found' });
    expect(router.match('BREW', '/decide')).toEqual({ status: 'method-not-allowed', allow: ['GET', 'POST'] });
  });

  it('lists the allowed methods in the order of the routes for that path, not of the whole table', () => {
    const table = new HttpRouter([
      { method: 'POST', path: '/events' },
      { method: 'GET', path: '/decide' },
      { method: 'POST', path: '/decide' },
    ]);
    expect(table.match('PUT', '/decide')).toEqual({ status: 'method-not-allowed', allow: ['GET', 'POST'] });
  });

  it('refuses a route registered twice', () => {
    expect(() => new HttpRouter([routes[0], { ...routes[0] }])).toThrow('route GET /decide is registered twice');
  });
});

describe('the local runtime router (same library)', () => {
  const handle = () => ({ status: 200, json: {} });
  const local = new Router([
    { method: 'GET', path: '/health', summary: '', handle },
    { method: 'POST', path: '/events', summary: '', handle },
  ]);

  it('throws the HTTP answers the server sends: 405 with allow, 404 with the route list', () => {
    expect(local.resolve('GET', '/health').route.path).toBe('/health');
    let wrong: HttpError | undefined;
    try {
      local.resolve('GET', '/events');
    } catch (error) {
      wrong = error as HttpError;
    }
    expect(wrong).toMatchObject({ status: 405, message: 'GET is not supported on /events; use POST', details: { allow: ['POST'] } });
    expect(() => local.resolve('GET', '/nope')).toThrow(expect.objectContaining({ status: 404, details: { routes: ['GET /health', 'POST /events'] } }));
  });
});

describe('the approvals app routes', () => {
  const deps = (extra: Partial<ApprovalAppDeps> = {}) => ({ baseUrl: 'https://approvals.example.com/', ...extra }) as ApprovalAppDeps;
  const call = (method: string, path: string, d = deps()) => handleApprovalRequest(d, { method, path, query: {}, headers: {} });

  it('answers 405 with Allow and 404 without touching any store', async () => {
    expect(await call('PUT', '/decide')).toMatchObject({ statusCode: 405, headers: { Allow: 'GET, POST' } });
    expect(await call('POST', '/inbox')).toMatchObject({ statusCode: 405, headers: { Allow: 'GET' } });
    expect((await call('GET', '/wp-admin')).statusCode).toBe(404);
    expect((await call('GET', '/requests/a%ZZ')).statusCode).toBe(404);
  });

  it('serves the inbox and request pages only when the inbox is enabled, and sign-in only with local sessions', async () => {
    expect(await call('GET', '/')).toMatchObject({ statusCode: 303, headers: { Location: '/inbox' } });
    const noInbox = deps({ inboxEnabled: false });
    for (const path of ['/', '/inbox', '/requests/PR-1', '/sign-in']) expect((await call('GET', path, noInbox)).statusCode).toBe(404);
    expect((await call('POST', '/sign-out')).statusCode).toBe(404);
  });
});
