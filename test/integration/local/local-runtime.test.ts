/**
 * The local runtime end to end, in-process: dynalite on a temp folder, the
 * real handlers behind the local bus, HTTP on a free port. Proves what a
 * newcomer relies on: samples decided on first start, one record and one
 * notification however often an event is posted, malformed events answered
 * with their bad fields and kept, and data that survives a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

const ROOT = join(__dirname, '..', '..', '..');
const expectedOutcomes = JSON.parse(readFileSync(join(ROOT, 'events', 'expected-outcomes.json'), 'utf8')) as Record<
  string,
  { outcome: string; codes: string[] }
>;
const sample = (name: string) => JSON.parse(readFileSync(join(ROOT, 'events', name), 'utf8')) as Record<string, any>;

class Collector {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

async function post(runtime: LocalRuntime, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as any };
}

async function get(runtime: LocalRuntime, path: string) {
  const response = await fetch(`${runtime.url}${path}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as any };
}

/** The Dropbox sample under a new request id, so it is not a repeat of the replayed one. */
function freshDropboxRequest(requestId: string): Record<string, any> {
  const event = sample('purchase-request/dropbox-marketing-confidential.json');
  return { ...event, detail: { ...event.detail, requestId } };
}

describe('local runtime', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  const out = new Collector();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-runtime-test-'));
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: true, out });
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays every sample on first start and stores each decision, as the expected outcomes say', async () => {
    expect(runtime.firstStart).toBe(true);
    const replayed = new Map(runtime.replayed.map((r) => [r.sample, r]));
    expect([...replayed.keys()].sort()).toEqual(Object.keys(expectedOutcomes).sort());
    for (const [name, expected] of Object.entries(expectedOutcomes)) {
      const r = replayed.get(name)!;
      expect({ name, status: r.status, outcome: r.outcome }).toEqual({ name, status: 202, outcome: expected.outcome });
      const stored = await get(runtime, `/requests/${encodeURIComponent(r.recordId!)}`);
      expect(stored.status).toBe(200);
      expect(stored.body.decision.outcome).toBe(expected.outcome);
      const codes = new Set<string>(stored.body.decision.findings.map((f: { code: string }) => f.code));
      expect([...codes].sort()).toEqual([...expected.codes].sort());
    }
    // The banner names the URL, and one line per sample with its outcome.
    expect(out.text).toContain('Listening on http://localhost:');
    expect(out.text).toMatch(/purchase-request\/dropbox-marketing-confidential\.json\s+coupa:PR-2026-1042 → review: /);
  });

  it('answers 404 for a record that does not exist', async () => {
    const missing = await get(runtime, '/requests/PR-NOPE');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toMatch(/^application\/json/);
  });

  it('decides a posted review event once: one record, one notification, one decision event, however often it is posted', async () => {
    const id = 'coupa:PR-LOCAL-REVIEW-1';
    const first = await post(runtime, '/events', freshDropboxRequest('PR-LOCAL-REVIEW-1'));
    expect(first.status).toBe(202);
    expect(first.contentType).toMatch(/^application\/json/);
    expect(first.body).toMatchObject({ recordId: id, outcome: 'review', duplicate: false, notified: true, decisionPublished: true });
    expect(first.body.findings).toContain('DUPLICATE_CAPABILITY');

    const second = await post(runtime, '/events', freshDropboxRequest('PR-LOCAL-REVIEW-1'));
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ recordId: id, outcome: 'review', duplicate: true, notified: false, decisionPublished: false });

    const outbox = await get(runtime, '/outbox');
    const mine = outbox.body.notifications.filter((n: { recordId: string }) => n.recordId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toContain('Dropbox');
    expect(mine[0].text).toContain('Box');

    const decisions = await get(runtime, '/decisions');
    expect(decisions.body.decisions.filter((d: any) => d.detail.recordId === id)).toHaveLength(1);

    const record = await get(runtime, `/requests/${id}`);
    expect(record.body).toMatchObject({ recordId: id, notification: { state: 'sent' }, decisionEvent: { state: 'published' } });
  });

  it('accepts the PutEvents entry shape (Detail as a string) and a bare detail with "kind"', async () => {
    const event = freshDropboxRequest('PR-LOCAL-PUTEVENTS-1');
    const entry = { Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) };
    const viaEntry = await post(runtime, '/events', entry);
    expect(viaEntry.status).toBe(202);
    expect(viaEntry.body).toMatchObject({ recordId: 'coupa:PR-LOCAL-PUTEVENTS-1', outcome: 'review' });

    const bare = { kind: 'purchase-request', ...freshDropboxRequest('PR-LOCAL-BARE-1').detail };
    const viaKind = await post(runtime, '/events', bare);
    expect(viaKind.status).toBe(202);
    expect(viaKind.body).toMatchObject({ recordId: 'coupa:PR-LOCAL-BARE-1', outcome: 'review', duplicate: false });
  });

  it('answers a malformed event with 400 naming each bad field, and keeps it in the dead letters', async () => {
    const event = freshDropboxRequest('PR-LOCAL-BAD-1');
    event.detail.amount = { value: 100, currency: 'dollars' };
    const answer = await post(runtime, '/events', event);
    expect(answer.status).toBe(400);
    expect(answer.body.deadLettered).toBe(true);
    expect(answer.body.problems).toEqual([expect.stringMatching(/^detail\.amount\.currency: /)]);

    const letters = await get(runtime, '/dead-letters');
    const mine = letters.body.deadLetters.filter((l: any) => l.event?.detail?.requestId === 'PR-LOCAL-BAD-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'invalid-detail', kind: 'purchase-request' });
    expect(mine[0].problems[0]).toMatch(/^detail\.amount\.currency/);
    expect((await get(runtime, '/requests/coupa%3APR-LOCAL-BAD-1')).status).toBe(404);
  });

  it('rejects envelopes PutEvents would reject, events no rule selects, bad JSON and oversized bodies', async () => {
    const noDetail = await post(runtime, '/events', { Source: 'procurement-guardrail', DetailType: 'Purchase Request Submitted' });
    expect(noDetail.status).toBe(400);
    expect(noDetail.body.problems).toEqual([expect.stringMatching(/^Detail: /)]);

    const badKind = await post(runtime, '/events', { kind: 'invoice', requestId: 'X' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.problems[0]).toMatch(/^kind: /);

    const noRule = await post(runtime, '/events', { source: 'acme.billing', 'detail-type': 'Invoice Paid', detail: {} });
    expect(noRule.status).toBe(422);
    expect(noRule.body.error).toContain('no rule matches');

    const badJson = await post(runtime, '/events', '{"source": ');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toMatch(/not valid JSON/);

    const huge = freshDropboxRequest('PR-LOCAL-HUGE-1');
    huge.detail.justification = 'x'.repeat(300 * 1024);
    const tooLarge = await post(runtime, '/events', huge);
    expect(tooLarge.status).toBe(413);
    expect((await get(runtime, '/requests/coupa%3APR-LOCAL-HUGE-1')).status).toBe(404);

    // A web page of another site can POST a form or text without a preflight: refused, whatever the body.
    const crossSite = await post(runtime, '/events', JSON.stringify(freshDropboxRequest('PR-LOCAL-FORM-1')), {
      'content-type': 'text/plain',
      origin: 'https://attacker.example',
    });
    expect(crossSite.status).toBe(403);
    const fetchMetadata = await post(runtime, '/events', JSON.stringify(freshDropboxRequest('PR-LOCAL-FORM-1')), {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'cross-site',
    });
    expect(fetchMetadata.status).toBe(403);
    expect((await get(runtime, '/requests/PR-LOCAL-FORM-1')).status).toBe(404);
    // A type that is neither JSON nor a simple one: 415 with a hint that works when pasted (this server's URL).
    const xml = await post(runtime, '/events', '<event/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.hint).toBe(`curl -H 'content-type: application/json' --data @event.json ${runtime.url}/events`);

    expect((await get(runtime, '/no-such-route')).status).toBe(404);
    expect((await fetch(`${runtime.url}/events`)).status).toBe(405);
  });

  it('answers an {Entries} batch like PutEvents: per-entry results and a failed count', async () => {
    const good = freshDropboxRequest('PR-LOCAL-BATCH-1');
    const bad = freshDropboxRequest('PR-LOCAL-BATCH-2');
    bad.detail.amount = { value: 'a few thousand', currency: 'USD' };
    const answer = await post(runtime, '/events', {
      Entries: [
        { Source: good.source, DetailType: good['detail-type'], Detail: JSON.stringify(good.detail) },
        { Source: bad.source, DetailType: bad['detail-type'], Detail: JSON.stringify(bad.detail) },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.failedEntryCount).toBe(1);
    expect(answer.body.entries[0]).toMatchObject({ status: 202, recordId: 'coupa:PR-LOCAL-BATCH-1' });
    expect(answer.body.entries[1].status).toBe(400);
    expect(answer.body.entries[1].problems[0]).toMatch(/^Entries\[1\]\.detail\.amount\.value: /);
  });

  it('imports a policy version through POST /policy; the next decision records it', async () => {
    const current = await get(runtime, '/policy');
    const next = { ...current.body.policy, version: `${current.body.version}.1` };
    const invalid = await post(runtime, '/policy', { ...next, vendors: [{ id: 'Bad Id' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems.some((p: string) => p.startsWith('vendors[0]'))).toBe(true);

    const imported = await post(runtime, '/policy', next);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ version: next.version, activated: true, previousVersion: current.body.version, order: 'newer' });
    expect(imported.body.message).toBe(
      `Stored policy ${next.version} (27 vendors, 14 categories); it is now current (was ${current.body.version}). Same content as ${current.body.version}.`,
    );
    const decided = await post(runtime, '/events', freshDropboxRequest('PR-LOCAL-POLICY-2'));
    expect(decided.body.policyVersion).toBe(next.version);

    // Not newer than the current version: refused unless forced (a rollback).
    const older = await post(runtime, '/policy', current.body.policy);
    expect(older.status).toBe(409);
    expect(older.body).toMatchObject({ order: 'older', current: next.version, hint: 'POST /policy?force=1 imports it anyway' });
    const rollback = await post(runtime, '/policy?force=1', current.body.policy);
    expect(rollback.status).toBe(201);
    expect(rollback.body.message).toMatch(/was already stored with this content; it is now current again/);
    expect((await post(runtime, '/policy', next)).status).toBe(201);
  });

  it('refuses a second runtime on a data folder in use, naming it', async () => {
    await expect(startLocalRuntime({ port: 0, dataDir, out: new Collector() })).rejects.toThrow(/in use by another process/);
  });

  it('keeps records and does not replay samples after a restart on the same data folder', async () => {
    const outboxBefore = (await get(runtime, '/outbox')).body.count;
    await runtime.close();
    const again = new Collector();
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: true, out: again });
    expect(runtime.firstStart).toBe(false);
    expect(runtime.replayed).toEqual([]);
    expect(again.text).toContain('not replayed');
    expect((await get(runtime, '/requests/coupa%3APR-LOCAL-REVIEW-1')).body.decision.outcome).toBe('review');
    expect((await get(runtime, '/health')).body.policyVersion).toBe('2026-11-27.1.1');
    expect((await get(runtime, '/requests/coupa%3APR-2026-1042')).status).toBe(200);
    expect((await get(runtime, '/outbox')).body.count).toBe(outboxBefore);
    // A repeat after the restart is still a repeat.
    const repeat = await post(runtime, '/events', freshDropboxRequest('PR-LOCAL-REVIEW-1'));
    expect(repeat.body.duplicate).toBe(true);
    expect((await get(runtime, '/outbox')).body.count).toBe(outboxBefore);
  });
});
