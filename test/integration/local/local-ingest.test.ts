/**
 * Native payloads through the local runtime's `POST /ingest/:source`: signed
 * with the data folder's local secret they are decided like on AWS; unsigned
 * or forged they get 401 and nothing reaches the bus, the records or the
 * dead-letter file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signForLocalIngest } from '../../../functions/adapters/ingest';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

const ROOT = join(__dirname, '..', '..', '..');
const nativeSample = (path: string) => readFileSync(join(ROOT, 'events', path), 'utf8');

async function postRaw(runtime: LocalRuntime, path: string, rawBody: string, headers: Record<string, string>) {
  const response = await fetch(`${runtime.url}${path}`, { method: 'POST', headers, body: rawBody });
  return { status: response.status, body: (await response.json()) as any };
}

async function getJson(runtime: LocalRuntime, path: string) {
  const response = await fetch(`${runtime.url}${path}`);
  return { status: response.status, body: (await response.json()) as any };
}

describe('local runtime: /ingest/:source', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-ingest-local-'));
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: false, out: { write: () => true } });
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('decides a signed Okta System Log event and stores it under the source event id', async () => {
    const raw = nativeSample('okta/eventbridge-application-created.json');
    const signed = await signForLocalIngest('okta', raw, dataDir);
    const answer = await postRaw(runtime, '/ingest/okta', signed.rawBody, signed.headers);
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(1);
    const [recordId] = answer.body.ids as string[];
    expect(recordId).toMatch(/^okta:/);
    const stored = await getJson(runtime, `/requests/${encodeURIComponent(recordId)}`);
    expect(stored.status).toBe(200);
    expect(stored.body.kind).toBe('app-connected');
  });

  it('turns a signed Coupa requisition into a purchase request with a decision', async () => {
    const raw = nativeSample('coupa/requisition-single-supplier.json');
    const signed = await signForLocalIngest('coupa', raw, dataDir);
    const answer = await postRaw(runtime, '/ingest/coupa', signed.rawBody, signed.headers);
    expect(answer.status).toBe(202);
    const stored = await getJson(runtime, `/requests/${encodeURIComponent(answer.body.ids[0])}`);
    expect(stored.body.kind).toBe('purchase-request');
    expect(['allow', 'review', 'block']).toContain(stored.body.decision.outcome);
  });

  it('answers 401 to unsigned and forged calls and changes nothing', async () => {
    const raw = nativeSample('okta/eventbridge-admin-consent.json');
    const before = (await getJson(runtime, '/decisions')).body;
    const unsigned = await postRaw(runtime, '/ingest/okta', raw, { 'content-type': 'application/json' });
    const signed = await signForLocalIngest('okta', raw, dataDir);
    const tampered = await postRaw(runtime, '/ingest/okta', raw.replace('"SUCCESS"', '"SUCCESS" '), signed.headers);
    const forged = await postRaw(runtime, '/ingest/okta', raw, {
      ...signed.headers,
      'x-guardrail-signature': `sha256=${'0'.repeat(64)}`,
    });
    expect([unsigned.status, tampered.status, forged.status]).toEqual([401, 401, 401]);
    expect((await getJson(runtime, '/decisions')).body).toEqual(before);
    expect((await getJson(runtime, '/dead-letters')).body).toMatchObject({ count: 0 });
  });
});
