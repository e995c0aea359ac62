/**
 * Property-based runs over bad input (fast-check), shared by the long suite
 * and the quick checks:
 *
 * - canonical: delivered EventBridge events, mutated, through the real
 *   guardrail handler on dynalite. Every case ends processed (its record
 *   complete) or dead-lettered with its reason and field paths, and a
 *   dead-lettered case wrote nothing to DynamoDB.
 * - ingest: every native source format through the real ingest core
 *   (`handleIngestRequest`), correctly signed so the payload itself is what
 *   is tested. Every case is answered 202/400/422, never a 5xx; a 422 left a
 *   dead letter with its problems; nothing is published on a 4xx; every
 *   published event is a valid canonical event.
 * - native events: Okta and IAM Identity Center EventBridge events through
 *   `processNativeEvent`, with the same expectations.
 */
import fc from 'fast-check';
import { handleIngestRequest, type IngestRequest } from '../../../functions/adapters/ingest/ingest-request';
import { processNativeEvent } from '../../../functions/adapters/ingest/native-event';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from '../../../functions/adapters/ingest/request-signature';
import { SOURCE_NAMES, SOURCE_EVENT_KIND, type SourceName } from '../../../functions/adapters/sources';
import type { CanonicalEventEntry } from '../../../functions/domain/ingest';
import { DETAIL_TYPES } from '../../../functions/domain/event-routes';
import { validateGuardrailEvent } from '../../../functions/domain/use-cases/guardrail/validate';
import type { DeadLetter, DeadLetterSink } from '../../../functions/domain/ports/dead-letter';
import type { GuardrailContainer, GuardrailWorld } from '../../../bench/support/guardrail-harness';
import type { GuardrailHandlerResult } from '../../../functions/handlers/shared/guardrail-handler';
import { applyMutations, mutationsOf, nativeSamples, replacementValue, type Mutation } from './mutations';
import { PROJECT_ROOT } from './scenarios';

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
/** Writes DynamoDB accepted (attempts that failed wrote nothing). */
const writesOf = (c: GuardrailContainer) => WRITES.reduce((s, op) => s + (c.dynamoCallsSucceeded[op] ?? 0), 0);

// ---------------------------------------------------------------------------
// Canonical events through the guardrail handler
// ---------------------------------------------------------------------------

type EnvelopeDamage = 'none' | 'drop-source' | 'drop-detail-type' | 'drop-detail' | 'detail-as-text' | 'replace-detail' | 'replace-envelope' | 'misrouted';

interface CanonicalCase {
  base: number;
  damage: EnvelopeDamage;
  mutations: Mutation[];
  replacement: unknown;
}

export interface CanonicalFuzzFigures {
  cases: number;
  processed: number;
  deadLettered: number;
  byReason: Record<string, number>;
  /** Dead-lettered cases whose letter reached the queue with the same reason and problems. */
  lettersMatched: number;
  /**
   * The handler threw on bad input (an unhandled crash): must be 0. Such an
   * event is not lost — Lambda retries it twice and puts it in the
   * function's DLQ with the error — but a permanent problem should be
   * dead-lettered by the handler with its field path, not retried.
   */
  crashes: number;
  /** Crashes by error, with one input that causes it (to reproduce). */
  crashClasses: Record<string, { count: number; example: unknown }>;
  /** Crashing cases that wrote to DynamoDB before failing (must be 0). */
  crashesWrittenHalfWay: number;
  /** Dead-lettered cases that wrote to DynamoDB, or processed cases whose record is not complete: must be 0. */
  writtenHalfWay: number;
  /** Problems without a field path (`path: message`): must be 0. */
  problemsWithoutPath: number;
  seed: number;
}

export async function canonicalFuzz(input: {
  pool: readonly Record<string, unknown>[];
  container: GuardrailContainer;
  world: GuardrailWorld;
  cases: number;
  seed: number;
}): Promise<CanonicalFuzzFigures> {
  const { pool, container, world } = input;
  const figures: CanonicalFuzzFigures = {
    cases: 0,
    processed: 0,
    deadLettered: 0,
    byReason: {},
    lettersMatched: 0,
    crashes: 0,
    crashClasses: {},
    crashesWrittenHalfWay: 0,
    writtenHalfWay: 0,
    problemsWithoutPath: 0,
    seed: input.seed,
  };
  let serial = 0;
  const arbitrary: fc.Arbitrary<CanonicalCase> = fc.integer({ min: 0, max: pool.length - 1 }).chain((base) =>
    fc.record({
      base: fc.constant(base),
      damage: fc.constantFrom<EnvelopeDamage>(
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'none',
        'drop-source',
        'drop-detail-type',
        'drop-detail',
        'detail-as-text',
        'replace-detail',
        'replace-envelope',
        'misrouted',
      ),
      mutations: fc.oneof({ weight: 9, arbitrary: mutationsOf(pool[base].detail) }, { weight: 1, arbitrary: fc.constant([] as Mutation[]) }),
      replacement: replacementValue,
    }),
  );

  await fc.assert(
    fc.asyncProperty(arbitrary, async (c) => {
      figures.cases++;
      const original = pool[c.base];
      const detail = { ...(original.detail as Record<string, unknown>) };
      // A fresh id per case, so a valid case is a new request rather than a repeat of an earlier one.
      const id = `FUZZ-${input.seed}-${++serial}`;
      if ('requestId' in detail) detail.requestId = id;
      else detail.sourceEventId = id;
      let event: unknown = { ...original, id, detail: applyMutations(detail, c.mutations) };
      let handler = original['detail-type'] === DETAIL_TYPES['app-connected'] ? container.handlers.app : container.handlers.purchase;
      const e = event as Record<string, unknown>;
      switch (c.damage) {
        case 'drop-source':
          delete e.source;
          break;
        case 'drop-detail-type':
          delete e['detail-type'];
          break;
        case 'drop-detail':
          delete e.detail;
          break;
        case 'detail-as-text':
          e.detail = JSON.stringify(e.detail);
          break;
        case 'replace-detail':
          e.detail = c.replacement;
          break;
        case 'replace-envelope':
          event = c.replacement;
          break;
        case 'misrouted':
          handler = handler === container.handlers.app ? container.handlers.purchase : container.handlers.app;
          break;
        default:
          break;
      }

      const writesBefore = writesOf(container);
      const lettersBefore = world.sqs.stats.accepted.length;
      let result: GuardrailHandlerResult;
      try {
        result = await handler(event, contextFor());
      } catch (error) {
        // What Lambda does with a thrown error: two retries, then the function's DLQ with the error message.
        figures.crashes++;
        const key = `${error instanceof Error ? error.name : 'Error'}: ${(error instanceof Error ? error.message : String(error)).slice(0, 160)}`;
        const known = figures.crashClasses[key];
        figures.crashClasses[key] = { count: (known?.count ?? 0) + 1, example: known?.example ?? event };
        for (let retry = 0; retry < 2; retry++) await handler(event, contextFor()).catch(() => undefined);
        if (writesOf(container) !== writesBefore) figures.crashesWrittenHalfWay++;
        return writesOf(container) === writesBefore;
      }
      if (result.status === 'dead-lettered') {
        figures.deadLettered++;
        figures.byReason[result.reason] = (figures.byReason[result.reason] ?? 0) + 1;
        if (writesOf(container) !== writesBefore) figures.writtenHalfWay++;
        if (result.problems.length === 0 || result.problems.some((p) => !/^[^\s:]+(?:\s[^\s:]+)*: /.test(p) && !p.startsWith('… and'))) {
          figures.problemsWithoutPath++;
        }
        const letters = world.sqs.stats.accepted.slice(lettersBefore);
        const body = letters.length === 1 ? (JSON.parse(String(letters[0].input.MessageBody)) as DeadLetter) : undefined;
        if (body && body.reason === result.reason && JSON.stringify(body.problems) === JSON.stringify(result.problems)) figures.lettersMatched++;
        return writesOf(container) === writesBefore && result.problems.length > 0 && letters.length === 1 && body?.reason === result.reason;
      }
      figures.processed++;
      const record = await container.store.get(result.recordId);
      const complete =
        record !== undefined && ['sent', 'not-needed', 'held-for-digest'].includes(record.notification.state) && record.decisionEvent.state === 'published';
      if (!complete) figures.writtenHalfWay++;
      return complete;
    }),
    { numRuns: input.cases, seed: input.seed, endOnFailure: true },
  );
  return figures;
}

/**
 * Deterministic edge cases beside the random ones: the extremes the schema
 * allows (every text at its maximum length, the most scopes and the longest
 * scopes it takes, amounts at 0, 0.0001 and 1e12), which must be processed,
 * and just past them (an amount of 5e-324, 500 scopes of 512 characters),
 * which must be refused with the field named. Names ending in
 * `(past the schema's bounds)` are the ones to refuse.
 */
export const PAST_BOUNDS = "(past the schema's bounds)";

export function edgeCaseEvents(pool: readonly Record<string, unknown>[]): { name: string; event: Record<string, unknown> }[] {
  const purchase = pool.find((e) => e['detail-type'] === DETAIL_TYPES['purchase-request'])!;
  const app = pool.find((e) => e['detail-type'] === DETAIL_TYPES['app-connected'])!;
  const withDetail = (base: Record<string, unknown>, id: string, change: Record<string, unknown>) => ({
    ...base,
    id,
    detail: { ...(base.detail as Record<string, unknown>), ...change },
  });
  const amount = (id: string, value: number) => withDetail(purchase, id, { requestId: id, amount: { value, currency: 'USD' } });
  // Risky (Gmail) scopes, each `length` characters.
  const scopes = (count: number, length: number) =>
    Array.from({ length: count }, (_, i) => {
      const head = 'https://www.googleapis.com/auth/gmail.';
      return `${head}${'x'.repeat(length - head.length - 4)}${String(i).padStart(4, '0')}`;
    });
  const consent = (id: string, list: string[]) =>
    withDetail(app, id, {
      sourceEventId: id,
      connectionKind: 'oauth-consent',
      adminConsent: true,
      scopes: list,
      app: { name: 'A'.repeat(200), id: 'i'.repeat(256) },
    });
  return [
    { name: 'amount 0', event: amount('EDGE-1', 0) },
    { name: 'amount 0.0001 (the smallest positive amount the schema takes)', event: amount('EDGE-2', 0.0001) },
    { name: 'amount 1e12 (the schema maximum)', event: amount('EDGE-3', 1e12) },
    { name: `amount 5e-324, the smallest positive double ${PAST_BOUNDS}`, event: amount('EDGE-4', 5e-324) },
    {
      name: 'purchase request with every text at its maximum length',
      event: withDetail(purchase, 'EDGE-5', {
        requestId: `EDGE-5-${'r'.repeat(121)}`,
        source: 's'.repeat(64),
        requester: { email: 'max.length@example.com', name: 'N'.repeat(200), department: 'D'.repeat(100) },
        vendor: { name: 'V'.repeat(200) },
        product: 'P'.repeat(200),
        category: 'c'.repeat(64),
        justification: 'J'.repeat(4000),
      }),
    },
    { name: 'OAuth consent with 200 risky scopes of 80 characters (the most scopes a record keeps)', event: consent('EDGE-6', scopes(200, 80)) },
    { name: 'OAuth consent with 31 risky scopes of 512 characters (the longest scopes, 15,872 characters in all)', event: consent('EDGE-7', scopes(31, 512)) },
    // The riskiest grants must reach IT: past the bounds the first scopes are kept and the count is recorded.
    { name: 'OAuth consent with 500 risky scopes of 512 characters (kept bounded, the count recorded)', event: consent('EDGE-8', scopes(500, 512)) },
  ];
}

export async function canonicalEdgeCases(input: {
  pool: readonly Record<string, unknown>[];
  container: GuardrailContainer;
}): Promise<{ name: string; outcome: string }[]> {
  const results: { name: string; outcome: string }[] = [];
  for (const { name, event } of edgeCaseEvents(input.pool)) {
    const handler = event['detail-type'] === DETAIL_TYPES['app-connected'] ? input.container.handlers.app : input.container.handlers.purchase;
    try {
      const result = await handler(event, contextFor());
      results.push({
        name,
        outcome: result.status === 'processed' ? `processed (${result.outcome})` : `dead-lettered: ${result.reason} (${result.problems.join('; ')})`,
      });
    } catch (error) {
      results.push({ name, outcome: `handler threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` });
    }
  }
  return results;
}

let invocation = 0;
function contextFor() {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'guardrail-fuzz',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:guardrail-fuzz',
    memoryLimitInMB: '512',
    awsRequestId: `fuzz-${++invocation}`,
    logGroupName: '/aws/lambda/guardrail-fuzz',
    logStreamName: 'fuzz',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ---------------------------------------------------------------------------
// Native payloads through the ingest core and the native-event path
// ---------------------------------------------------------------------------

export const INGEST_SECRET = 'reliability-suite-ingest-secret-0123456789';

export class RecordingDeadLetters implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  async send(letter: DeadLetter): Promise<void> {
    // What SQS would store: JSON text.
    this.letters.push(JSON.parse(JSON.stringify(letter)) as DeadLetter);
  }
}

export interface NativeFuzzFigures {
  cases: number;
  bySource: Record<string, number>;
  byStatus: Record<string, number>;
  /** Canonical events the ingest published, each validated against the canonical schema. */
  published: number;
  publishedInvalid: number;
  deadLetters: number;
  /** 422 answers without a dead letter carrying problems, or any 4xx that published: must be 0. */
  inconsistent: number;
  /** Answers outside 202/400/413/422 (a 5xx means the core failed on input): must be 0. */
  unexpectedStatus: number;
  crashes: number;
  nativeEventCases: number;
  nativeEventByStatus: Record<string, number>;
  seed: number;
}

interface IngestCase {
  source: SourceName;
  body: string;
}

export async function nativeFuzz(input: {
  cases: number;
  nativeEventCases: number;
  seed: number;
  onPublished?: (entry: CanonicalEventEntry) => void;
}): Promise<NativeFuzzFigures> {
  const samples = new Map(SOURCE_NAMES.map((s) => [s, nativeSamples(PROJECT_ROOT, s)]));
  const figures: NativeFuzzFigures = {
    cases: 0,
    bySource: {},
    byStatus: {},
    published: 0,
    publishedInvalid: 0,
    deadLetters: 0,
    inconsistent: 0,
    unexpectedStatus: 0,
    crashes: 0,
    nativeEventCases: 0,
    nativeEventByStatus: {},
    seed: input.seed,
  };
  const now = new Date('2026-11-27T12:00:00Z');
  const clock = { now: () => now };

  const payloadFor = (source: SourceName): fc.Arbitrary<string> => {
    const bases = samples.get(source) ?? [];
    const mutated = fc
      .integer({ min: 0, max: Math.max(0, bases.length - 1) })
      .chain((i) => mutationsOf(bases[i].payload).map((m) => JSON.stringify(applyMutations(bases[i].payload, m)) ?? 'null'));
    return fc.oneof(
      { weight: 6, arbitrary: mutated },
      { weight: 1, arbitrary: fc.constantFrom(...bases.map((b) => JSON.stringify(b.payload))) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom('', '{', '[1,', '{"a":', '\u0000', 'null', '"text"', '{"__proto__":{"x":1}}')) },
    );
  };
  const arbitrary: fc.Arbitrary<IngestCase> = fc.constantFrom(...SOURCE_NAMES).chain((source) => payloadFor(source).map((body) => ({ source, body })));

  await fc.assert(
    fc.asyncProperty(arbitrary, async (c) => {
      figures.cases++;
      figures.bySource[c.source] = (figures.bySource[c.source] ?? 0) + 1;
      const published: CanonicalEventEntry[] = [];
      const deadLetters = new RecordingDeadLetters();
      const timestamp = Math.floor(now.getTime() / 1000);
      const request: IngestRequest = {
        method: 'POST',
        source: c.source,
        headers: {
          'content-type': 'application/json',
          [GUARDRAIL_TIMESTAMP_HEADER]: String(timestamp),
          [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody: c.body, secret: INGEST_SECRET, timestamp }),
        },
        rawBody: c.body,
        receivedAt: now,
      };
      let status: number;
      try {
        const response = await handleIngestRequest(
          {
            secrets: { secretsFor: async () => [INGEST_SECRET] },
            publish: async (entries) => {
              published.push(...entries);
            },
            deadLetters,
            clock,
          },
          request,
        );
        status = response.status;
      } catch (error) {
        figures.crashes++;
        throw error;
      }
      figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
      figures.deadLetters += deadLetters.letters.length;
      let ok = true;
      if (![202, 400, 413, 422].includes(status)) {
        figures.unexpectedStatus++;
        ok = false;
      }
      if (status >= 400 && published.length > 0) {
        figures.inconsistent++;
        ok = false;
      }
      if (status === 422 && (deadLetters.letters.length === 0 || deadLetters.letters.some((l) => !l.reason || l.problems.length === 0))) {
        figures.inconsistent++;
        ok = false;
      }
      if (status === 400 && deadLetters.letters.length > 0) {
        figures.inconsistent++;
        ok = false;
      }
      for (const entry of published) {
        figures.published++;
        const kind = entry.DetailType === DETAIL_TYPES['app-connected'] ? 'app-connected' : 'purchase-request';
        const valid = kind === SOURCE_EVENT_KIND[c.source] && validateGuardrailEvent(kind, JSON.parse(entry.Detail)).ok;
        if (!valid) {
          figures.publishedInvalid++;
          ok = false;
        }
        input.onPublished?.(entry);
      }
      return ok;
    }),
    { numRuns: input.cases, seed: input.seed, endOnFailure: true },
  );

  // Okta (partner bus) and IAM Identity Center (CloudTrail) events that arrive on EventBridge itself.
  const busSamples = [...(samples.get('okta') ?? []), ...(samples.get('iam-identity-center') ?? [])].filter(
    (s) => typeof (s.payload as { source?: unknown }).source === 'string' && 'detail' in (s.payload as object),
  );
  if (busSamples.length > 0 && input.nativeEventCases > 0) {
    const busArbitrary = fc
      .integer({ min: 0, max: busSamples.length - 1 })
      .chain((i) =>
        fc.oneof(
          { weight: 8, arbitrary: mutationsOf(busSamples[i].payload).map((m) => applyMutations(busSamples[i].payload, m)) },
          { weight: 1, arbitrary: fc.constant(busSamples[i].payload) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        ),
      );
    await fc.assert(
      fc.asyncProperty(busArbitrary, async (event) => {
        figures.nativeEventCases++;
        const published: CanonicalEventEntry[] = [];
        const deadLetters = new RecordingDeadLetters();
        const result = await processNativeEvent({ publish: async (entries) => void published.push(...entries), deadLetters, clock }, event);
        figures.nativeEventByStatus[result.status] = (figures.nativeEventByStatus[result.status] ?? 0) + 1;
        figures.deadLetters += deadLetters.letters.length;
        if (result.status === 'dead-lettered') return deadLetters.letters.length >= 1 && result.problems.length > 0 && published.length === 0;
        for (const entry of published) {
          const kind = entry.DetailType === DETAIL_TYPES['app-connected'] ? 'app-connected' : 'purchase-request';
          figures.published++;
          if (!validateGuardrailEvent(kind, JSON.parse(entry.Detail)).ok) {
            figures.publishedInvalid++;
            return false;
          }
          input.onPublished?.(entry);
        }
        return result.status === 'published' ? published.length === result.accepted : published.length === 0;
      }),
      { numRuns: input.nativeEventCases, seed: input.seed + 1, endOnFailure: true },
    );
  }
  return figures;
}
