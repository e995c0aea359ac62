/**
 * The local runtime's ingest route, built from exactly the pieces the report
 * tells the runtime to mount (readNodeIngestRequest → handleIngestRequest
 * with the FileIngestSecretProvider and a local publisher), served by a real
 * node:http server and called the way the CLI would: signed with
 * signForLocalIngest, sent with fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDeadLetterSink } from '../../../functions/adapters/dead-letter/file-dead-letter-sink';
import {
  FileIngestSecretProvider,
  handleIngestRequest,
  localIngestPublisher,
  readNodeIngestRequest,
  signForLocalIngest,
  type CanonicalEventEntryLike,
} from './local-ingest-support';
import { readFileSync } from 'node:fs';

const ROOT = join(__dirname, '..', '..', '..');
const sample = (path: string) => readFileSync(join(ROOT, 'events', path), 'utf8');

let dataDir: string;
let server: Server;
let base: string;
const submitted: CanonicalEventEntryLike[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'guardrail-local-ingest-'));
  const secrets = new FileIngestSecretProvider(dataDir);
  const deadLetters = new FileDeadLetterSink(join(dataDir, 'dead-letters.jsonl'));
  const publish = localIngestPublisher(async (entry) => {
    submitted.push(entry);
    return { status: 202, body: { recordId: JSON.parse(entry.Detail).requestId ?? 'app' } };
  });
  server = createServer((req, res) => {
    const match = /^\/ingest\/([^/?]+)/.exec(req.url ?? '');
    void (async () => {
      const request = await readNodeIngestRequest(req, match ? decodeURIComponent(match[1]) : undefined, { maxBodyBytes: 64 * 1024 });
      const response = await handleIngestRequest({ secrets, publish, deadLetters, clock: { now: () => new Date() } }, request);
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  submitted.length = 0;
});

test('a body signed by signForLocalIngest is accepted and its canonical events reach the local bus', async () => {
  const signed = await signForLocalIngest('generic-form', JSON.parse(sample('generic-form/flat-form.json')), dataDir);
  const response = await fetch(`${base}/ingest/generic-form`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { accepted: number; ids: string[]; deliveries: unknown[] };
  expect(body).toMatchObject({ accepted: 1, ids: ['form:generic:PR-2026-0193'], deliveries: [{ status: 202, body: { recordId: 'PR-2026-0193' } }] });
  expect(submitted.map((e) => e.DetailType)).toEqual(['Purchase Request Submitted']);
});

test('an unsigned or forged request gets 401 and nothing reaches the bus', async () => {
  const body = sample('okta/event-hook-user-assigned.json');
  const unsigned = await fetch(`${base}/ingest/okta`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(unsigned.status).toBe(401);
  const signed = await signForLocalIngest('okta', body, dataDir);
  const forged = await fetch(`${base}/ingest/okta`, { method: 'POST', headers: signed.headers, body: body.replace('Dropbox', 'Dr0pbox') });
  expect(forged.status).toBe(401);
  expect(submitted).toEqual([]);
});

test("Okta's verification GET and its Authorization header scheme work locally with the local okta secret", async () => {
  const challenge = await fetch(`${base}/ingest/okta`, { headers: { 'X-Okta-Verification-Challenge': 'local-123' } });
  expect(await challenge.json()).toEqual({ verification: 'local-123' });
  const [secret] = await new FileIngestSecretProvider(dataDir).secretsFor('okta');
  const response = await fetch(`${base}/ingest/okta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: secret },
    body: sample('okta/event-hook-user-assigned.json'),
  });
  expect(response.status).toBe(202);
  expect(submitted).toHaveLength(1);
});

test('an oversized body is answered 413 (not a reset connection), a malformed one 422 with a local dead letter', async () => {
  const big = JSON.stringify({ padding: 'x'.repeat(200 * 1024) });
  const signedBig = await signForLocalIngest('generic-form', big, dataDir);
  const tooLarge = await fetch(`${base}/ingest/generic-form`, { method: 'POST', headers: signedBig.headers, body: signedBig.rawBody });
  expect(tooLarge.status).toBe(413);

  const malformed = await signForLocalIngest('coupa', sample('coupa/malformed-unreadable-values.json'), dataDir);
  const response = await fetch(`${base}/ingest/coupa`, { method: 'POST', headers: malformed.headers, body: malformed.rawBody });
  expect(response.status).toBe(422);
  const letters = await new FileDeadLetterSink(join(dataDir, 'dead-letters.jsonl')).list();
  expect(letters).toEqual([expect.objectContaining({ reason: 'malformed-native-payload', kind: 'purchase-request' })]);
  expect(submitted).toEqual([]);
});
