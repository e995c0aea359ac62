/**
 * The local server as a person meets it with curl: YAML policies, filters on
 * GET /decisions, a sweep without a body, hints that name this server's own
 * URL, misspelt query parameters named instead of ignored, and web pages of
 * other sites refused on every route that reads a body without a preflight.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

// Each test drives whole commands (a runtime replaying every sample, Scans): generous on a busy 2-core machine.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const DEFAULT_YAML = readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8');

let runtime: LocalRuntime;

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, { method, headers, body });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, inMemory: true, replaySamples: true, sweepIntervalMs: 0, out: { write: () => true } });
});
afterAll(async () => {
  await runtime.close();
});

describe('GET /decisions filters', () => {
  it('filters by outcome (one or several), kind and decision time, and names a bad value', async () => {
    const all = (await call('GET', '/decisions')).body.decisions as Array<{ detail: { outcome: string; kind: string; decidedAt: string } }>;
    expect(all.length).toBeGreaterThan(5);
    const blocks = await call('GET', '/decisions?outcome=block');
    expect(blocks.body.count).toBe(all.filter((d) => d.detail.outcome === 'block').length);
    expect(blocks.body.count).toBeGreaterThan(0);
    const reviewOrBlock = await call('GET', '/decisions?outcome=review,block&kind=app-connected');
    expect(reviewOrBlock.body.count).toBe(all.filter((d) => d.detail.outcome !== 'allow' && d.detail.kind === 'app-connected').length);

    const times = all.map((d) => d.detail.decidedAt).sort();
    const [first, last] = [times[0], times[times.length - 1]];
    expect((await call('GET', `/decisions?since=${first}&until=${last}`)).body.count).toBe(all.length);
    // A date as the upper bound includes its whole day.
    expect((await call('GET', `/decisions?until=${last.slice(0, 10)}`)).body.count).toBe(all.length);
    expect((await call('GET', `/decisions?until=2000-01-01`)).body.count).toBe(0);
    expect((await call('GET', `/decisions?since=2999-01-01T00:00:00Z`)).body.count).toBe(0);

    expect((await call('GET', '/decisions?outcome=blocked')).body.error).toBe('outcome: "blocked" is not one of allow, review, block');
    expect((await call('GET', '/decisions?since=last-week')).status).toBe(400);
    const typo = await call('GET', '/decisions?outcom=block');
    expect(typo).toMatchObject({ status: 400, body: { error: 'unknown query parameter "outcom"; /decisions takes outcome, kind, since, until' } });
  });
});

describe('POST /admin/sweep', () => {
  it('runs without a body, with {} and with {"at": …} (JSON, or as curl -d sends it)', async () => {
    const none = await call('POST', '/admin/sweep');
    expect(none.status).toBe(200);
    expect(none.body.sweep).toBeDefined();
    expect((await call('POST', '/admin/sweep', '{}', { 'content-type': 'application/json' })).status).toBe(200);
    const at = await call('POST', '/admin/sweep', '{"at": "2027-01-05T00:00:00Z"}', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(at).toMatchObject({ status: 200, body: { at: '2027-01-05T00:00:00.000Z' } });
    expect((await call('POST', '/admin/sweep?at=2027-01-06')).body.at).toBe('2027-01-06T00:00:00.000Z');

    expect((await call('POST', '/admin/sweep', '{"at": "soon"}', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await call('POST', '/admin/sweep', '{"when": "2027-01-05"}', { 'content-type': 'application/json' })).body.error).toMatch(/unknown field when/);
    const crossSite = await call('POST', '/admin/sweep', undefined, { origin: 'https://attacker.example' });
    expect(crossSite.status).toBe(403);
  });
});

describe('POST /policy', () => {
  it("imports YAML sent as curl sends it, says what changed, and answers a wrong type with this server's URL", async () => {
    const yaml = DEFAULT_YAML.replace(/^version: .*$/m, 'version: "2026-11-27.2"').replace('seats: 500', 'seats: 550');
    const imported = await call('POST', '/policy', yaml, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(imported.status).toBe(201);
    expect(imported.body.message).toBe(
      'Stored policy 2026-11-27.2 (27 vendors, 14 categories); it is now current (was 2026-11-27.1). Changes: Box: seats 500 → 550.',
    );
    expect(imported.body.diff.changeCount).toBe(1);

    const older = await call('GET', '/policy?version=2026-11-27.1');
    expect(older).toMatchObject({ status: 200, body: { version: '2026-11-27.1', policy: { version: '2026-11-27.1' } } });
    expect((await call('GET', '/policy?version=1.0')).status).toBe(404);

    const xml = await call('POST', '/policy', '<policy/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.hint).toBe(`curl -H 'content-type: application/yaml' --data-binary @policy.yaml ${runtime.url}/policy`);

    const crossSite = await call('POST', '/policy', yaml, { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // A JSON type needs a CORS preflight, which this server never grants: a page cannot send it at all.
    expect((await call('POST', '/policy?force=yes&since=2026-01-01', yaml, { 'content-type': 'application/yaml' })).body.error).toMatch(
      /^since, limit and now go with \?dryRun=1/,
    );
    expect((await call('POST', '/policy?dryrun=1', yaml, { 'content-type': 'application/yaml' })).body.error).toMatch(/^unknown query parameter "dryrun"/);
  });
});
