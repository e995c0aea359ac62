/**
 * The ingest endpoint's core with fakes: every status it answers, in the
 * order the checks run, and what it does (and must not do) on the bus and in
 * the dead-letter queue for each.
 */
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../../functions/domain/event-routes';
import { INGEST_DEAD_LETTER_REASONS } from '../../../functions/domain/ingest';
import { DEFAULT_MAX_INGEST_BODY_BYTES, MAX_ENTRY_LETTERS, handleIngestRequest, type IngestRequest } from '../../../functions/adapters/ingest/ingest-request';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from '../../../functions/adapters/ingest/request-signature';
import { TRICKY_BUT_VALID_NAME } from '../sources/support';
import { COUPA_SECRET, FORM_SECRET, NOW, NOW_SECONDS, OKTA_SECRET, bodyOf, harness, sampleJson, sampleText, signedPost, type Harness } from './fakes';

const hookBody = sampleText('okta/event-hook-user-assigned.json');
const formBody = sampleText('generic-form/flat-form.json');

/** A 4xx must leave nothing behind: no event on the bus, no dead letter. */
function expectNoSideEffects(h: Harness): void {
  expect(h.publisher.calls).toEqual([]);
  expect(h.deadLetters.letters).toEqual([]);
}

/** An Okta event hook body with `count` distinct, relevant events. */
function hookWith(count: number): string {
  const hook = sampleJson('okta/event-hook-user-assigned.json');
  const [template] = hook.data.events;
  hook.data.events = Array.from({ length: count }, (_, i) => ({ ...structuredClone(template), uuid: `evt-${String(i).padStart(4, '0')}` }));
  return JSON.stringify(hook);
}

describe('routing and method', () => {
  test.each([['unknown'], ['OKTA'], [''], [undefined], ['../okta']])('source %p → 404 naming the known sources, nothing read', async (source) => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { ...signedPost('okta', hookBody, OKTA_SECRET), source: source as string | undefined });
    expect(response.status).toBe(404);
    expect(response.outcome).toBe('unknown-source');
    expect(bodyOf(response).sources).toContain('okta');
    expect(h.secrets.reads).toEqual([]);
    expectNoSideEffects(h);
  });

  test('an overlong unknown source is not echoed in full', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { ...signedPost('okta', hookBody, OKTA_SECRET), source: 'x'.repeat(5000) });
    expect(response.status).toBe(404);
    expect(response.body.length).toBeLessThan(600);
  });

  test.each(['PUT', 'DELETE', 'PATCH', 'GET'])('%s on a source → 405 with Allow: POST', async (method) => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { ...signedPost('coupa', '{}', COUPA_SECRET), method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expectNoSideEffects(h);
  });

  test('GET okta without a challenge → 405 with Allow: POST, GET', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { method: 'GET', source: 'okta', headers: {}, rawBody: undefined });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST, GET');
  });

  test('every answer is JSON that is not cached or sniffed', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { method: 'PUT', source: 'okta', headers: {}, rawBody: '' });
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe("Okta's one-time verification challenge", () => {
  const challenge = (headers: Record<string, string>, source = 'okta'): IngestRequest => ({ method: 'GET', source, headers, rawBody: undefined });

  test('GET with X-Okta-Verification-Challenge → 200 {verification: <value>}', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, challenge({ 'X-Okta-Verification-Challenge': 'Ab3dEf_gHi-JK7' }));
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toEqual({ verification: 'Ab3dEf_gHi-JK7' });
    expect(response.outcome).toBe('verification-challenge');
    expectNoSideEffects(h);
  });

  test('header names are matched case-insensitively (API Gateway lower-cases them)', async () => {
    const response = await handleIngestRequest(harness().deps, challenge({ 'x-okta-verification-challenge': 'token123' }));
    expect(bodyOf(response)).toEqual({ verification: 'token123' });
  });

  test('only for okta: the same GET on another source → 405', async () => {
    const response = await handleIngestRequest(harness().deps, challenge({ 'x-okta-verification-challenge': 'token123' }, 'coupa'));
    expect(response.status).toBe(405);
  });

  test("with the hook's Authorization header it must match the okta secret", async () => {
    const good = await handleIngestRequest(harness().deps, challenge({ 'x-okta-verification-challenge': 'token123', authorization: OKTA_SECRET }));
    expect(good.status).toBe(200);
    const h = harness();
    const bad = await handleIngestRequest(h.deps, challenge({ 'x-okta-verification-challenge': 'token123', authorization: 'wrong-secret-000000000' }));
    expect(bad.status).toBe(401);
    expect(bad.body).not.toContain('token123');
  });

  test('a challenge that is not a short printable token → 400, not echoed', async () => {
    const response = await handleIngestRequest(harness().deps, challenge({ 'x-okta-verification-challenge': '<script>alert(1)</script> '.repeat(20) }));
    expect(response.status).toBe(400);
    expect(response.body).not.toContain('<script>');
  });
});

describe('size limit', () => {
  test('Content-Length over the limit → 413 before anything is read or verified', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, {
      ...signedPost('okta', hookBody, OKTA_SECRET),
      headers: { 'content-length': String(DEFAULT_MAX_INGEST_BODY_BYTES + 1) },
    });
    expect(response.status).toBe(413);
    expect(response.outcome).toBe('too-large');
    expect(h.secrets.reads).toEqual([]);
    expectNoSideEffects(h);
  });

  test('an actual body over the limit → 413 even when Content-Length is absent or lies', async () => {
    const h = harness({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ data: { events: [] }, padding: 'x'.repeat(2000) });
    for (const headers of [{}, { 'content-length': '10' }]) {
      const request = signedPost('okta', big, OKTA_SECRET);
      const response = await handleIngestRequest(h.deps, { ...request, headers: { ...request.headers, ...headers } });
      expect(response.status).toBe(413);
      expect(bodyOf(response).error).toContain('at most 1000 bytes');
    }
    expect(h.secrets.reads).toEqual([]);
    expectNoSideEffects(h);
  });

  test('a body exactly at the limit is read', async () => {
    const h = harness({ maxBodyBytes: Buffer.byteLength(hookBody) });
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    expect(response.status).toBe(202);
  });

  test('a body the transport cut off (receivedBytes beyond what it kept) → 413, never verified as if whole', async () => {
    const h = harness();
    const request = signedPost('okta', hookBody.slice(0, 101), OKTA_SECRET);
    const response = await handleIngestRequest(h.deps, { ...request, receivedBytes: 5000 });
    expect(response.status).toBe(413);
    expect(bodyOf(response).error).toBe('the body is 5000 bytes; this endpoint accepts at most 100 bytes (split the batch)');
    expect(h.secrets.reads).toEqual([]);
    expectNoSideEffects(h);
  });

  test('the limit counts bytes, not characters', async () => {
    const body = JSON.stringify({ name: 'é'.repeat(600) }); // 1200+ bytes, ~612 characters
    const h = harness({ maxBodyBytes: 1000 });
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', body, FORM_SECRET));
    expect(response.status).toBe(413);
  });
});

describe('authentication', () => {
  test('no signature → 401 naming the header, nothing published or dead-lettered', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, { method: 'POST', source: 'coupa', headers: { 'content-type': 'application/json' }, rawBody: '{}' });
    expect(response.status).toBe(401);
    expect(response.outcome).toBe('unauthenticated');
    expect(bodyOf(response).reason).toBe(`missing ${GUARDRAIL_SIGNATURE_HEADER} header`);
    expect(bodyOf(response).how).toContain(GUARDRAIL_TIMESTAMP_HEADER);
    expectNoSideEffects(h);
  });

  test('a signature made with another secret → 401', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, 'an-attacker-guessed-this-secret'));
    expect(response.status).toBe(401);
    expect(bodyOf(response).reason).toBe('signature does not match the body');
    expectNoSideEffects(h);
  });

  test("a valid signature of another source's secret → 401 (secrets are per source)", async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, COUPA_SECRET));
    expect(response.status).toBe(401);
    expectNoSideEffects(h);
  });

  test('a body changed after signing → 401', async () => {
    const h = harness();
    const request = signedPost('okta', hookBody, OKTA_SECRET);
    const response = await handleIngestRequest(h.deps, { ...request, rawBody: hookBody.replace('Dropbox Business', 'Dropbox Busines5') });
    expect(response.status).toBe(401);
    expectNoSideEffects(h);
  });

  test('a signature replayed with another timestamp → 401', async () => {
    const h = harness();
    const request = signedPost('okta', hookBody, OKTA_SECRET);
    const response = await handleIngestRequest(h.deps, { ...request, headers: { ...request.headers, [GUARDRAIL_TIMESTAMP_HEADER]: String(NOW_SECONDS + 1) } });
    expect(response.status).toBe(401);
  });

  test.each([
    ['6 minutes old', NOW_SECONDS - 360],
    ['6 minutes ahead', NOW_SECONDS + 360],
  ])('a correctly signed request %s → 401 outside the replay window', async (_label, timestamp) => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET, { timestamp }));
    expect(response.status).toBe(401);
    expect(bodyOf(response).reason).toMatch(/outside the 300 s replay window/);
    expectNoSideEffects(h);
  });

  test('4 minutes of clock skew is accepted', async () => {
    const response = await handleIngestRequest(harness().deps, signedPost('okta', hookBody, OKTA_SECRET, { timestamp: NOW_SECONDS - 240 }));
    expect(response.status).toBe(202);
  });

  test('a signature without its timestamp header → 401', async () => {
    const h = harness();
    const request = signedPost('okta', hookBody, OKTA_SECRET);
    const { [GUARDRAIL_TIMESTAMP_HEADER]: _dropped, ...headers } = request.headers as Record<string, string>;
    const response = await handleIngestRequest(h.deps, { ...request, headers });
    expect(response.status).toBe(401);
    expect(bodyOf(response).reason).toBe('missing timestamp header');
  });

  test('a signature header in another format → 401', async () => {
    const h = harness();
    const request = signedPost('okta', hookBody, OKTA_SECRET);
    const response = await handleIngestRequest(h.deps, { ...request, headers: { ...request.headers, [GUARDRAIL_SIGNATURE_HEADER]: 'md5=abc' } });
    expect(response.status).toBe(401);
    expect(bodyOf(response).reason).toMatch(/malformed signature header/);
  });

  test('during a rotation both the new and the old secret verify', async () => {
    const h = harness();
    h.secrets.secrets.coupa = ['coupa-new-secret-aaaaaaaaaaaaaaaa', COUPA_SECRET];
    const body = sampleText('coupa/requisition-single-supplier.json');
    for (const secret of ['coupa-new-secret-aaaaaaaaaaaaaaaa', COUPA_SECRET]) {
      expect((await handleIngestRequest(h.deps, signedPost('coupa', body, secret))).status).toBe(202);
    }
    expect((await handleIngestRequest(h.deps, signedPost('coupa', body, 'coupa-retired-secret-bbbbbbbbbbbb'))).status).toBe(401);
  });

  test('a secret added since the cached read verifies after one fresh read', async () => {
    const h = harness();
    h.secrets.afterRefresh = { ...h.secrets.secrets, okta: ['okta-rotated-secret-cccccccccccccc', OKTA_SECRET] };
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, 'okta-rotated-secret-cccccccccccccc'));
    expect(response.status).toBe(202);
    expect(h.secrets.reads).toEqual([
      { source: 'okta', fresh: false },
      { source: 'okta', fresh: true },
    ]);
  });

  test('a missing or expired header does not force a fresh read of the secrets', async () => {
    const h = harness();
    await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET, { timestamp: NOW_SECONDS - 3600 }));
    expect(h.secrets.reads.filter((r) => r.fresh)).toEqual([]);
  });

  test('a source with no secret configured → 401 without saying so to the caller; the log says it', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('servicenow', '{}', 'any-secret-at-all-0000000'));
    expect(response.status).toBe(401);
    expect(bodyOf(response).reason).toBe('no valid credentials for this source');
    expect(h.logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('no secret is configured') }));
    expectNoSideEffects(h);
  });

  test('secrets that cannot be read → 503 with Retry-After, nothing published', async () => {
    const h = harness();
    h.secrets.failWith = new Error('AccessDeniedException: not authorized to GetSecretValue');
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body).not.toContain('AccessDenied');
    expectNoSideEffects(h);
  });

  describe("Okta event hooks' Authorization header", () => {
    const hookPost = (authorization: string, source = 'okta'): IngestRequest => ({
      method: 'POST',
      source,
      headers: { 'content-type': 'application/json', authorization },
      rawBody: hookBody,
      receivedAt: NOW,
    });

    test('the okta secret as Authorization → accepted', async () => {
      const h = harness();
      const response = await handleIngestRequest(h.deps, hookPost(OKTA_SECRET));
      expect(response.status).toBe(202);
      expect(h.publisher.entries).toHaveLength(1);
    });

    test('a wrong, prefixed or truncated value → 401', async () => {
      for (const value of ['wrong', `Bearer ${OKTA_SECRET}`, OKTA_SECRET.slice(0, -1), `${OKTA_SECRET} `.trim() + 'x']) {
        const h = harness();
        const response = await handleIngestRequest(h.deps, hookPost(value));
        expect(response.status).toBe(401);
        expect(bodyOf(response).reason).toBe('authorization header does not match the shared secret');
        expectNoSideEffects(h);
      }
    });

    test('only Okta may use it: Authorization on another source is no signature', async () => {
      const h = harness();
      const response = await handleIngestRequest(h.deps, hookPost(COUPA_SECRET, 'coupa'));
      expect(response.status).toBe(401);
      expect(bodyOf(response).reason).toBe(`missing ${GUARDRAIL_SIGNATURE_HEADER} header`);
    });

    test('an Okta request signed with the HMAC scheme is accepted too', async () => {
      expect((await handleIngestRequest(harness().deps, signedPost('okta', hookBody, OKTA_SECRET))).status).toBe(202);
    });
  });

  test('no secret, signature or Authorization value ever appears in an answer or the log', async () => {
    const h = harness();
    const requests: IngestRequest[] = [
      signedPost('okta', hookBody, OKTA_SECRET),
      signedPost('okta', hookBody, 'wrong-secret-1234567890'),
      { method: 'POST', source: 'okta', headers: { authorization: OKTA_SECRET }, rawBody: hookBody, receivedAt: NOW },
      { method: 'POST', source: 'okta', headers: { authorization: 'Bearer leaked-token-value' }, rawBody: hookBody, receivedAt: NOW },
      { method: 'GET', source: 'okta', headers: { 'x-okta-verification-challenge': 'abc', authorization: 'Bearer leaked-token-value' }, rawBody: '' },
    ];
    const answers: string[] = [];
    for (const request of requests) answers.push((await handleIngestRequest(h.deps, request)).body);
    const everything = `${answers.join('\n')}\n${h.logger.text()}`;
    for (const secret of [OKTA_SECRET, COUPA_SECRET, FORM_SECRET, 'leaked-token-value', 'wrong-secret-1234567890']) expect(everything).not.toContain(secret);
    const signature = signRequestBody({ rawBody: hookBody, secret: OKTA_SECRET, timestamp: NOW_SECONDS });
    expect(everything).not.toContain(signature.slice('sha256='.length));
  });
});

describe('body', () => {
  test.each([
    ['not JSON', 'this is not json', /not valid JSON/],
    ['empty', '', /empty/],
    ['only whitespace', '  \n ', /empty/],
  ])('%s → 400, nothing published or dead-lettered', async (_label, body, message) => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', body, FORM_SECRET));
    expect(response.status).toBe(400);
    expect(response.outcome).toBe('invalid-body');
    expect(bodyOf(response).error).toMatch(message);
    expectNoSideEffects(h);
  });

  test('bytes that are not UTF-8 → 400', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), FORM_SECRET));
    expect(response.status).toBe(400);
    expect(bodyOf(response).error).toMatch(/not UTF-8/);
    expectNoSideEffects(h);
  });

  test('a byte-order mark in front of the JSON is tolerated', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', `\ufeff${formBody}`, FORM_SECRET));
    expect(response.status).toBe(202);
  });

  test('a Buffer body (what the Lambda decodes from base64) is verified over its bytes', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', Buffer.from(formBody, 'utf8'), FORM_SECRET));
    expect(response.status).toBe(202);
  });
});

describe('normalised outcomes', () => {
  test('malformed → 422 with every problem by field path, kept in the dead-letter queue with its reason, nothing published', async () => {
    const h = harness();
    const payload = sampleText('coupa/malformed-unreadable-values.json');
    const response = await handleIngestRequest(h.deps, signedPost('coupa', payload, COUPA_SECRET));
    expect(response.status).toBe(422);
    expect(response.outcome).toBe('malformed');
    const expected = sampleJson('coupa/malformed-unreadable-values.expected.json').problems;
    expect(bodyOf(response)).toMatchObject({ problems: expected, deadLettered: true });
    expect(h.publisher.calls).toEqual([]);
    expect(h.deadLetters.letters).toEqual([
      {
        reason: INGEST_DEAD_LETTER_REASONS.payload,
        problems: expected,
        kind: 'purchase-request',
        receivedAt: NOW.toISOString(),
        event: { source: 'coupa', payload: JSON.parse(payload) },
      },
    ]);
  });

  test('malformed with the dead-letter queue down → 503 (the sender retries; nothing is lost)', async () => {
    const h = harness();
    h.deadLetters.fail = true;
    const response = await handleIngestRequest(h.deps, signedPost('coupa', sampleText('coupa/malformed-unreadable-values.json'), COUPA_SECRET));
    expect(response.status).toBe(503);
    expect(h.publisher.calls).toEqual([]);
  });

  test('a payload posted to the wrong source is refused with a hint naming the route it resembles', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', sampleText('coupa/requisition-plain.json'), OKTA_SECRET));
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body).hint).toBe('this looks like a Coupa requisition: was it meant for /ingest/coupa?');
  });

  test('a Coupa XML body (what its API answers by default) is read like its JSON', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('coupa', sampleText('coupa/requisition-api.xml'), COUPA_SECRET));
    expect(response.status).toBe(202);
    expect(h.publisher.calls.flat().map((e) => JSON.parse(e.Detail).requestId)).toEqual(['4851']);
  });

  test('ignored → 202 {ignored: reason}, nothing published or dead-lettered', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', sampleText('okta/ignored-user-session-start.json'), OKTA_SECRET));
    expect(response.status).toBe(202);
    expect(response.outcome).toBe('ignored');
    expect(bodyOf(response)).toEqual({ accepted: 0, ignored: sampleJson('okta/ignored-user-session-start.expected.json').reason });
    expectNoSideEffects(h);
  });

  test('ok → each canonical event put on the bus as procurement-guardrail / its detail-type with the canonical detail', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    const [expected] = sampleJson('okta/event-hook-user-assigned.expected.json').events;
    expect(response.status).toBe(202);
    expect(h.publisher.calls).toEqual([[{ Source: GUARDRAIL_SOURCE, DetailType: DETAIL_TYPES['app-connected'], Detail: JSON.stringify(expected.detail) }]]);
    expect(bodyOf(response)).toEqual({ accepted: 1, ids: [`okta:${expected.detail.sourceEventId}`], ignored: [], rejected: [] });
    expect(h.deadLetters.letters).toEqual([]);
  });

  test('purchase requests get the purchase detail-type and their request id', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', formBody, FORM_SECRET));
    expect(h.publisher.entries.map((e) => e.DetailType)).toEqual([DETAIL_TYPES['purchase-request']]);
    expect(bodyOf(response).ids).toEqual(['form:generic:PR-2026-0193']);
  });

  test('what the publisher reports back (event ids, local decisions) is passed on', async () => {
    const h = harness();
    h.publisher.receipt = { eventIds: ['eb-1'], deliveries: [{ outcome: 'review' }] };
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    expect(bodyOf(response)).toMatchObject({ eventIds: ['eb-1'], deliveries: [{ outcome: 'review' }] });
  });

  test('23 events → PutEvents-sized calls of 10, 10 and 3, in order', async () => {
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookWith(23), OKTA_SECRET));
    expect(response.status).toBe(202);
    expect(h.publisher.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(bodyOf(response).accepted).toBe(23);
    expect(bodyOf(response).ids).toHaveLength(23);
    expect(h.publisher.entries.map((e) => JSON.parse(e.Detail).sourceEventId)).toEqual(
      Array.from({ length: 23 }, (_, i) => `evt-${String(i).padStart(4, '0')}`),
    );
  });

  test('a batch with ignored and malformed entries: good events published, each malformed entry dead-lettered alone, all listed', async () => {
    const hook = sampleJson('okta/event-hook-mixed-batch.json');
    const broken = structuredClone(sampleJson('okta/event-hook-user-assigned.json').data.events[0]);
    broken.uuid = 'broken-1';
    broken.target = [];
    hook.data.events.push(broken);
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', JSON.stringify(hook), OKTA_SECRET));
    expect(response.status).toBe(202);
    const body = bodyOf(response);
    const brokenItem = `data.events[${hook.data.events.length - 1}]`;
    expect(body.accepted).toBe(1);
    expect(body.ignored).toEqual(sampleJson('okta/event-hook-mixed-batch.expected.json').ignored);
    expect(body.rejected).toEqual([{ item: brokenItem, problems: expect.arrayContaining([expect.stringContaining(`${brokenItem}.target`)]) }]);
    expect(body.deadLettered).toBe(true);
    expect(h.publisher.entries).toHaveLength(1);
    expect(h.deadLetters.letters).toEqual([
      expect.objectContaining({
        reason: INGEST_DEAD_LETTER_REASONS.entry,
        kind: 'app-connected',
        event: { source: 'okta', item: brokenItem, payload: broken },
      }),
    ]);
    expect(response.counts).toEqual({ accepted: 1, ignored: 2, rejected: 1, deadLettered: 1 });
  });

  test(`more than ${MAX_ENTRY_LETTERS} malformed entries become one letter holding the batch`, async () => {
    const hook = sampleJson('okta/event-hook-user-assigned.json');
    const good = hook.data.events[0];
    const bad = Array.from({ length: MAX_ENTRY_LETTERS + 5 }, (_, i) => ({ ...structuredClone(good), uuid: `bad-${i}`, target: [] }));
    hook.data.events = [good, ...bad];
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('okta', JSON.stringify(hook), OKTA_SECRET));
    expect(response.status).toBe(202);
    expect(bodyOf(response).rejected).toHaveLength(bad.length);
    expect(h.deadLetters.letters).toHaveLength(1);
    expect(h.deadLetters.letters[0].problems.length).toBeGreaterThanOrEqual(bad.length);
    expect((h.deadLetters.letters[0].event as { item: string }).item).toMatch(/^25 entries: data\.events\[1\]/);
  });

  test('names with HTML and non-Latin text pass through as data, byte for byte', async () => {
    const form = { ...sampleJson('generic-form/flat-form.json'), vendor: TRICKY_BUT_VALID_NAME, requester_name: '李 <img src=x onerror=alert(1)>' };
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', JSON.stringify(form), FORM_SECRET));
    expect(response.status).toBe(202);
    const detail = JSON.parse(h.publisher.entries[0].Detail);
    expect(detail.vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(detail.requester.name).toBe('李 <img src=x onerror=alert(1)>');
    // The answer is JSON (not HTML): the name never appears in it unencoded as markup.
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  test('problems that quote values keep them short', async () => {
    const form = { ...sampleJson('generic-form/flat-form.json'), currency: 'X'.repeat(10_000) };
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', JSON.stringify(form), FORM_SECRET));
    expect(response.status).toBe(422);
    expect(response.body.length).toBeLessThan(2000);
  });

  test('a huge malformed payload is dead-lettered by size, hash and beginning', async () => {
    const form = { ...sampleJson('generic-form/flat-form.json'), seats: 'several', justification: 'y'.repeat(400_000) };
    const h = harness();
    const response = await handleIngestRequest(h.deps, signedPost('generic-form', JSON.stringify(form), FORM_SECRET));
    expect(response.status).toBe(422);
    const payload = (h.deadLetters.letters[0].event as { payload: any }).payload;
    expect(payload).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(form)), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(payload.beginning.length).toBe(64 * 1024);
  });
});

describe('when the bus fails', () => {
  test('the first call fails → 503 with Retry-After, nothing accepted, nothing dead-lettered', async () => {
    const h = harness();
    h.publisher.failOnCall = { call: 1, plainError: true };
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(bodyOf(response)).toMatchObject({ accepted: 0, ids: [] });
    expect(bodyOf(response).retry).toMatch(/record id/);
    expect(h.deadLetters.letters).toEqual([]);
  });

  test('a later call fails → 503 listing exactly the events already on the bus', async () => {
    const h = harness();
    h.publisher.failOnCall = { call: 2, acceptedIndexes: [0, 1, 2] };
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookWith(23), OKTA_SECRET));
    expect(response.status).toBe(503);
    const body = bodyOf(response);
    expect(body.accepted).toBe(13);
    expect(body.ids).toEqual(Array.from({ length: 13 }, (_, i) => `okta:evt-${String(i).padStart(4, '0')}`));
    // The third call is never made: the sender resends everything.
    expect(h.publisher.calls).toHaveLength(2);
  });

  test('malformed entries of a batch are not dead-lettered when the publish failed (the retry will)', async () => {
    const hook = sampleJson('okta/event-hook-user-assigned.json');
    hook.data.events.push({ ...structuredClone(hook.data.events[0]), uuid: 'bad', target: [] });
    const h = harness();
    h.publisher.failOnCall = { call: 1, plainError: true };
    const response = await handleIngestRequest(h.deps, signedPost('okta', JSON.stringify(hook), OKTA_SECRET));
    expect(response.status).toBe(503);
    expect(h.deadLetters.letters).toEqual([]);
  });

  test('events published but the dead-letter queue down → 503 listing what was accepted', async () => {
    const hook = sampleJson('okta/event-hook-user-assigned.json');
    hook.data.events.push({ ...structuredClone(hook.data.events[0]), uuid: 'bad', target: [] });
    const h = harness();
    h.deadLetters.fail = true;
    const response = await handleIngestRequest(h.deps, signedPost('okta', JSON.stringify(hook), OKTA_SECRET));
    expect(response.status).toBe(503);
    expect(bodyOf(response).accepted).toBe(1);
  });
});

describe('logging', () => {
  test('bodies never reach the log at INFO or above; one line per refusal or acceptance', async () => {
    const marker = 'UNIQUE-BODY-MARKER-7f3a';
    const form = { ...sampleJson('generic-form/flat-form.json'), justification: marker };
    const h = harness();
    await handleIngestRequest(h.deps, signedPost('generic-form', JSON.stringify(form), FORM_SECRET));
    await handleIngestRequest(h.deps, signedPost('generic-form', JSON.stringify({ ...form, billing_period: 'sometimes' }), FORM_SECRET));
    await handleIngestRequest(h.deps, signedPost('generic-form', `not json ${marker}`, FORM_SECRET));
    expect(h.logger.text(['info', 'warn', 'error'])).not.toContain(marker);
    expect(h.logger.lines.some((l) => l.level === 'info' && l.message === 'Ingest payload accepted')).toBe(true);
  });

  test('an unexpected fault is a 503, never a thrown error', async () => {
    const h = harness({
      publish: () => {
        throw new TypeError('boom');
      },
    });
    const response = await handleIngestRequest(h.deps, signedPost('okta', hookBody, OKTA_SECRET));
    expect(response.status).toBe(503);
  });
});
