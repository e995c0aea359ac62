/**
 * Reliability 3b — bad native payloads: 10,000 generated cases over every
 * native source format (Okta, Entra ID, Google Workspace, IAM Identity
 * Center, Coupa, ServiceNow, generic forms), mutated from the samples in
 * events/<source>/ or arbitrary JSON and text, through the real ingest core
 * (`handleIngestRequest`, correctly signed, so the payload is what is
 * tested), plus Okta and IAM Identity Center events arriving on EventBridge
 * through `processNativeEvent`. No crash and no 5xx; a malformed payload is
 * answered 422 and kept as a dead letter with its problems; nothing is
 * published on a 4xx; everything published is a valid canonical event, and
 * the guardrail handler then processes it.
 */
import { createContainer, createWorld } from '../../bench/support/guardrail-harness';
import { deliveredEvent } from '../../bench/support/requests';
import type { CanonicalEventEntry } from '../../functions/domain/ingest';
import { recordFigures } from './support/figures';
import { nativeFuzz } from './support/fuzz';
import { openStage } from './support/scenarios';

const CASES = 10_000;
const NATIVE_EVENT_CASES = 2_000;
const DELIVERED = 500;

test(`${CASES.toLocaleString('en-US')} malformed native payloads: answered, dead-lettered with reasons or published as valid canonical events`, async () => {
  const started = Date.now();
  const published: CanonicalEventEntry[] = [];
  const f = await nativeFuzz({ cases: CASES, nativeEventCases: NATIVE_EVENT_CASES, seed: 1127, onPublished: (e) => published.push(e) });

  // What the ingest published goes on to the guardrail: every one must be processed, none dead-lettered.
  const stage = await openStage({ separateProcess: true });
  const world = createWorld(stage.endpoint, stage.tables);
  const container = createContainer(world, { logLevel: 'SILENT' });
  let processed = 0;
  let rejected = 0;
  try {
    const sample = published.filter((_, i) => i % Math.max(1, Math.floor(published.length / DELIVERED)) === 0).slice(0, DELIVERED);
    for (const [i, entry] of sample.entries()) {
      const kind = entry.DetailType === 'App Connected' ? 'app-connected' : 'purchase-request';
      const result = await container.invoke(deliveredEvent(kind, JSON.parse(entry.Detail), `native-${i}`));
      if (result.status === 'processed') processed++;
      else rejected++;
    }
  } finally {
    container.destroy();
    await stage.close();
  }

  recordFigures({
    suite: 'bad-input-native',
    title: '3b. Bad input: every native source format (property-based)',
    figures: {
      'Ingest cases (fast-check, seed 1127), all seven sources': f.cases,
      'by source': Object.entries(f.bySource)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      Answers: Object.entries(f.byStatus)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
      'EventBridge-native cases (Okta partner bus, IAM Identity Center)': f.nativeEventCases,
      'their results': Object.entries(f.nativeEventByStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      'Dead letters written (each with reason and problems)': f.deadLetters,
      'Canonical events published': f.published,
      'Published events failing the canonical schema': f.publishedInvalid,
      'Answers other than 202/400/413/422 (5xx = a crash)': f.unexpectedStatus,
      'Unhandled crashes': f.crashes,
      'Inconsistent outcomes (published on a 4xx, 422 without a dead letter)': f.inconsistent,
      [`Published events then delivered to the guardrail (sample of ${DELIVERED})`]: `${processed} processed, ${rejected} dead-lettered`,
      'Run time (s)': Math.round((Date.now() - started) / 100) / 10,
    },
  });
  expect(f.cases).toBe(CASES);
  expect(f.crashes).toBe(0);
  expect(f.unexpectedStatus).toBe(0);
  expect(f.inconsistent).toBe(0);
  expect(f.publishedInvalid).toBe(0);
  expect(Object.keys(f.bySource)).toHaveLength(7);
  expect(f.byStatus[422]).toBeGreaterThan(0);
  expect(f.byStatus[202]).toBeGreaterThan(0);
  expect(rejected).toBe(0);
  expect(processed).toBeGreaterThan(0);
});
