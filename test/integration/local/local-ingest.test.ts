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

  it('keeps each source in its own namespace: a form posting "coupa-4822" for 1 USD cannot touch Coupa requisition 4822', async () => {
    const post = async (source: string, payload: unknown) => {
      const signed = await signForLocalIngest(source, JSON.stringify(payload), dataDir);
      return postRaw(runtime, `/ingest/${source}`, signed.rawBody, signed.headers);
    };
    const form = JSON.parse(nativeSample('generic-form/flat-form.json'));
    // With only the generic-form secret: Coupa's id in both spellings, a cheap amount, and a claimed source.
    const squatters = await Promise.all(
      ['coupa-4822', '4822', 'coupa:4822'].map((id) => post('generic-form', { ...form, request_id: id, amount: 1, currency: 'USD', source: 'coupa' })),
    );
    expect(squatters.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(squatters.map((a) => a.body.ids[0])).toEqual(['form:generic:coupa-4822', 'form:generic:4822', 'form:generic:coupa:4822']);

    const requisition = JSON.parse(nativeSample('coupa/requisition-single-supplier.json'));
    requisition.id = 4822;
    requisition.total = '250000.00';
    requisition['requisition-lines'][0].total = '250000.00';
    requisition['custom-fields'] = { ...requisition['custom-fields'], 'data-classification': 'restricted' };
    const real = await post('coupa', requisition);
    expect(real.status).toBe(202);
    expect(real.body.ids).toEqual(['coupa:4822']);
    expect(real.body.deliveries[0].body).toMatchObject({ recordId: 'coupa:4822', duplicate: false });

    const stored = await getJson(runtime, `/requests/${encodeURIComponent('coupa:4822')}`);
    expect(stored.status).toBe(200);
    expect(stored.body.detail).toMatchObject({
      source: 'coupa',
      requestId: '4822',
      amount: { value: 250000, currency: 'USD' },
      dataClassification: 'restricted',
    });
    expect(stored.body.decision.outcome).not.toBe('allow');
    for (const id of ['form:generic:coupa-4822', 'form:generic:4822']) {
      expect((await getJson(runtime, `/requests/${encodeURIComponent(id)}`)).body.detail).toMatchObject({ source: 'form:generic', amount: { value: 1 } });
    }
  });
});
