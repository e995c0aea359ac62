/**
 * Reliability 4b — hostile ingest calls, through the real ingest core
 * (`handleIngestRequest`, what the HTTP API Lambda and `npm start` serve):
 * unsigned, signed with the wrong secret or another source's secret, body
 * tampered after signing (fast-check), timestamps outside the five-minute
 * window either way, a captured request replayed after the window, malformed
 * signature headers (fast-check), Okta's Authorization header wrong. Accepted
 * = anything but a 401, or any event published or dead letter written.
 * A replay inside the window is accepted by design; it is then shown to make
 * no second record or notification, because the guardrail keys records by id.
 */
import fc from 'fast-check';
import { handleIngestRequest, type IngestRequest } from '../../functions/adapters/ingest/ingest-request';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from '../../functions/adapters/ingest/request-signature';
import { SOURCE_NAMES, type SourceName } from '../../functions/adapters/sources';
import type { CanonicalEventEntry } from '../../functions/domain/ingest';
import { createContainer, createWorld } from '../../bench/support/guardrail-harness';
import { deliveredEvent } from '../../bench/support/requests';
import { recordFigures } from './support/figures';
import { RecordingDeadLetters } from './support/fuzz';
import { ledgerOf } from './support/ledger';
import { applyMutations, mutationsOf, nativeSamples } from './support/mutations';
import { PROJECT_ROOT, openStage } from './support/scenarios';

const NOW = new Date('2026-11-27T12:00:00Z');
const SECRETS: Record<string, string> = Object.fromEntries(SOURCE_NAMES.map((s) => [s, `ingest-secret-of-${s}-0123456789abcdef`]));
const TAMPER_CASES = 1_500;
const HEADER_CASES = 1_000;

/** One valid payload per source: its first sample that the normaliser turns into events. */
const payloads = Object.fromEntries(SOURCE_NAMES.map((s) => [s, nativeSamples(PROJECT_ROOT, s)])) as Record<SourceName, { name: string; payload: unknown }[]>;

async function ingest(source: string, rawBody: string, headers: Record<string, string>, receivedAt = NOW) {
  const published: CanonicalEventEntry[] = [];
  const deadLetters = new RecordingDeadLetters();
  const request: IngestRequest = { method: 'POST', source, headers: { 'content-type': 'application/json', ...headers }, rawBody, receivedAt };
  const response = await handleIngestRequest(
    {
      secrets: { secretsFor: async (s) => (SECRETS[s] ? [SECRETS[s]] : []) },
      publish: async (entries) => void published.push(...entries),
      deadLetters,
      clock: { now: () => receivedAt },
    },
    request,
  );
  return { response, published, deadLetters: deadLetters.letters };
}

const signed = (body: string, secret: string, timestamp: number) => ({
  [GUARDRAIL_TIMESTAMP_HEADER]: String(timestamp),
  [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody: body, secret, timestamp }),
});
const nowSeconds = Math.floor(NOW.getTime() / 1000);

test('unsigned, wrongly signed, tampered, stale and replayed ingest calls: none accepted', async () => {
  const tally: Record<string, { tried: number; accepted: number }> = {};
  const attempt = async (attack: string, source: string, body: string, headers: Record<string, string>, at = NOW) => {
    const { response, published, deadLetters } = await ingest(source, body, headers, at);
    const accepted = response.status !== 401 || published.length > 0 || deadLetters.length > 0;
    const t = (tally[attack] ??= { tried: 0, accepted: 0 });
    t.tried++;
    if (accepted) t.accepted++;
    return accepted;
  };

  // Correctly signed calls are answered (the control): a check that rejected everything would prove nothing.
  let controlAccepted = 0;
  for (const source of SOURCE_NAMES) {
    for (const { payload } of payloads[source]) {
      const body = JSON.stringify(payload);
      const { response } = await ingest(source, body, signed(body, SECRETS[source], nowSeconds));
      if (response.status !== 401) controlAccepted++;
    }
  }
  const controls = SOURCE_NAMES.reduce((s, src) => s + payloads[src].length, 0);
  expect(controlAccepted).toBe(controls);

  for (const source of SOURCE_NAMES) {
    for (const { payload } of payloads[source]) {
      const body = JSON.stringify(payload);
      await attempt('unsigned', source, body, {});
      await attempt('signature without its timestamp', source, body, {
        [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody: body, secret: SECRETS[source] }),
      });
      await attempt('wrong secret', source, body, signed(body, 'not-the-secret-but-long-enough-0000', nowSeconds));
      const other = SOURCE_NAMES[(SOURCE_NAMES.indexOf(source) + 1) % SOURCE_NAMES.length];
      await attempt("another source's secret", source, body, signed(body, SECRETS[other], nowSeconds));
      await attempt('timestamp 6 minutes old', source, body, signed(body, SECRETS[source], nowSeconds - 360));
      await attempt('timestamp 6 minutes ahead', source, body, signed(body, SECRETS[source], nowSeconds + 360));
      // A captured, correctly signed request sent again ten minutes later.
      await attempt('captured request replayed after the window', source, body, signed(body, SECRETS[source], nowSeconds), new Date(NOW.getTime() + 600_000));
      if (source === 'okta') {
        await attempt('Okta Authorization header wrong', source, body, { authorization: 'not-the-secret-but-long-enough-0000' });
        await attempt('Okta Authorization header empty', source, body, { authorization: '' });
      }
    }
  }

  // The body changed after signing (fast-check mutations of real payloads), signature and timestamp kept.
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...SOURCE_NAMES).chain((source) =>
        fc.integer({ min: 0, max: payloads[source].length - 1 }).chain((i) =>
          mutationsOf(payloads[source][i].payload).map((m) => ({
            source,
            original: payloads[source][i].payload,
            mutated: applyMutations(payloads[source][i].payload, m),
          })),
        ),
      ),
      async ({ source, original, mutated }) => {
        const body = JSON.stringify(original);
        const tampered = JSON.stringify(mutated) ?? '';
        if (tampered === body) return true;
        return !(await attempt('body tampered after signing (fast-check)', source, tampered, signed(body, SECRETS[source], nowSeconds)));
      },
    ),
    { numRuns: TAMPER_CASES, seed: 7001 },
  );

  // Malformed signature and timestamp headers (fast-check).
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...SOURCE_NAMES),
      fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^sha256=[0-9a-fA-F]{0,70}$/), fc.constantFrom('sha256=', 'sha1=abc', 'SHA256=00')),
      fc.oneof(fc.string({ maxLength: 14 }), fc.integer().map(String), fc.constant(String(nowSeconds))),
      async (source, signature, timestamp) => {
        const body = JSON.stringify(payloads[source][0].payload);
        return !(await attempt('malformed or guessed signature headers (fast-check)', source, body, {
          [GUARDRAIL_SIGNATURE_HEADER]: signature,
          [GUARDRAIL_TIMESTAMP_HEADER]: timestamp,
        }));
      },
    ),
    { numRuns: HEADER_CASES, seed: 7002 },
  );

  // Replayed inside the window: accepted twice by the ingest (it cannot tell a retry from a replay), collapsed by the guardrail.
  const requisition = payloads.coupa.find((p) => p.name.endsWith('requisition-single-supplier.json'))!;
  const body = JSON.stringify(requisition.payload);
  const headers = signed(body, SECRETS.coupa, nowSeconds);
  const first = await ingest('coupa', body, headers);
  const replay = await ingest('coupa', body, headers, new Date(NOW.getTime() + 60_000));
  const stage = await openStage({ separateProcess: false });
  const world = createWorld(stage.endpoint, stage.tables);
  const container = createContainer(world, { logLevel: 'SILENT' });
  let ledger;
  try {
    const delivered = [...first.published, ...replay.published].map((e, i) =>
      deliveredEvent(e.DetailType === 'App Connected' ? 'app-connected' : 'purchase-request', JSON.parse(e.Detail), `replay-${i}`),
    );
    for (const event of delivered) await container.invoke(event);
    ledger = await ledgerOf(world, container.documents, delivered);
  } finally {
    container.destroy();
    await stage.close();
  }

  const tried = Object.values(tally).reduce((s, t) => s + t.tried, 0);
  const accepted = Object.values(tally).reduce((s, t) => s + t.accepted, 0);
  recordFigures({
    suite: 'hostile-ingest',
    title: '4b. Hostile input: signed ingest calls',
    figures: {
      'Correctly signed calls (control) answered': `${controlAccepted} / ${controls}`,
      ...Object.fromEntries(Object.entries(tally).map(([attack, t]) => [`${attack}: tried / accepted`, `${t.tried} / ${t.accepted}`])),
      'All hostile calls': tried,
      'Accepted (not 401, or anything published or dead-lettered)': accepted,
      'Replay inside the 5-minute window: ingest answers': `${first.response.status}, ${replay.response.status}`,
      'then records / notifications at the guardrail': `${ledger.records} / ${ledger.snsPublishes} (duplicates ${ledger.duplicateNotifications})`,
    },
  });
  expect(accepted).toBe(0);
  expect(first.response.status).toBe(202);
  expect(first.published.length).toBeGreaterThan(0);
  expect(replay.published.length).toBe(first.published.length);
  expect(ledger.records).toBe(first.published.length);
  expect(ledger.duplicateNotifications).toBe(0);
});
