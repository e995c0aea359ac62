/**
 * `POST /ingest/{source}`, independent of transport: the API Gateway Lambda
 * and the local runtime both hand a request to {@link handleIngestRequest}
 * and send back what it returns.
 *
 * Checks run cheapest and least revealing first, and nothing has a side
 * effect until the sender is authenticated and the body parsed:
 *
 *   unknown source → 404; Okta's verification GET → 200 {verification};
 *   other methods → 405; body over the limit (Content-Length, then actual
 *   bytes) → 413; no credentials → 401; wrong or expired credentials → 401;
 *   secrets unreadable → 503; not UTF-8 / empty / not JSON → 400;
 *   normaliser says malformed → dead-lettered + 422 with every problem;
 *   ignored → 202 {ignored}; ok → canonical events put on the bus in calls
 *   of at most 10, malformed entries of the batch dead-lettered,
 *   202 {accepted, ids, ignored, rejected}; bus or dead-letter queue
 *   unavailable → 503.
 *
 * Why a malformed payload gets both a 422 and a dead letter: the 4xx tells a
 * sender that reads answers to fix its data, but many webhook senders (Okta
 * among them) do not act on a 4xx, so the dead letter is what keeps the
 * payload and its reason for an operator. Nothing else on a 4xx has a side
 * effect; an unparseable body (400) is not an event at all and stays with
 * its sender.
 *
 * A 503 after a partial publish: the events already accepted stay on the
 * bus (EventBridge has no transaction to undo). The answer lists them, and a
 * retry of the same request is safe: the guardrail keys each record by its
 * id, so a repeat makes no second record or notification.
 */
import { createHash } from 'node:crypto';
import type { EventKind, GuardrailEvent } from '../../domain/events';
import { recordIdOf } from '../../domain/events';
import { errorMessage } from '../../domain/errors';
import {
  INGEST_DEAD_LETTER_REASONS,
  IngestPublishError,
  canonicalEventEntry,
  malformedEntryLetters,
  malformedPayloadLetter,
  type CanonicalEventEntry,
  type IngestPublish,
  type IngestSecretProvider,
  type PublishReceipt,
} from '../../domain/ingest';
import type { IgnoredItem, MalformedItem } from '../../domain/normalization';
import type { Clock, DeadLetter, DeadLetterSink } from '../../domain/ports';
import { MAX_ENTRIES_PER_CALL, MAX_REQUEST_BYTES, entrySize } from '../eventbridge/event-bus';
import { SOURCE_EVENT_KIND, SOURCE_NAMES, XML_SOURCES, isSourceName, normalize, type SourceName, type SourceOptions } from '../sources';
import { looksLikeXml } from '../sources/coupa-xml';
import { SOURCE_SHAPES, sourcesResembling } from '../sources/shapes';
import {
  GUARDRAIL_SIGNATURE_HEADER,
  GUARDRAIL_TIMESTAMP_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  answerOktaVerificationChallenge,
  headerValue,
  verifyHmacSignature,
  verifySharedSecretHeader,
  type SignatureCheck,
} from './request-signature';

/** 1 MiB: a Graph page or a CloudTrail log file fits; anything bigger is refused before it is read. */
export const DEFAULT_MAX_INGEST_BODY_BYTES = 1024 * 1024;
/** Dead letters hold at most this much of a payload (an SQS message must stay under its size limit). */
export const MAX_DEAD_LETTER_PAYLOAD_BYTES = 192 * 1024;
/** Beyond this many malformed entries in one batch, one letter holds the batch instead of one letter each. */
export const MAX_ENTRY_LETTERS = 20;
/** Problems listed in an answer (dead letters keep up to {@link MAX_LETTER_PROBLEMS}). */
const MAX_ANSWER_PROBLEMS = 100;
const MAX_LETTER_PROBLEMS = 500;
/** Okta's challenge is a short token; anything else is not worth echoing. */
const CHALLENGE_FORMAT = /^[\x21-\x7e]{1,256}$/;

export type IngestHeaders = Readonly<Record<string, string | readonly string[] | null | undefined>>;

/** The request as any transport sees it. */
export interface IngestRequest {
  method: string;
  /** The `{source}` path parameter, as received (it is checked here). */
  source: string | undefined;
  headers: IngestHeaders;
  /** The body exactly as received: signatures cover these bytes. */
  rawBody: string | Buffer | null | undefined;
  /**
   * How many body bytes arrived, when the transport stopped keeping them
   * early (a streaming reader bounding its memory, keeping one byte past its
   * limit): more than `rawBody` holds means cut off, answered 413, never
   * verified as if it were whole.
   */
  receivedBytes?: number;
  /** When the request arrived (signature timestamps are checked against it); default: the clock. */
  receivedAt?: Date;
}

/** The structural part of a logger this module needs (Powertools' Logger fits). */
export interface IngestLogger {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, error: Error): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

/** Logs a failure with its stack when it is an Error. */
function logFailure(log: IngestLogger, message: string, error: unknown): void {
  if (error instanceof Error) log.error(message, error);
  else log.error(message, { error: String(error) });
}

export interface IngestDeps {
  secrets: IngestSecretProvider;
  /** Puts canonical entries on the guardrail bus (EventBridge, or the local router). */
  publish: IngestPublish;
  deadLetters: DeadLetterSink;
  /** Normaliser options per source (app names, a form's field mapping…). */
  sourceOptions?: Partial<SourceOptions>;
  /** Largest accepted body (default {@link DEFAULT_MAX_INGEST_BODY_BYTES}). */
  maxBodyBytes?: number;
  clock: Clock;
  logger?: IngestLogger;
}

/** What happened, for metrics and logs (the HTTP status alone folds several cases together). */
export type IngestOutcome =
  | 'unknown-source'
  | 'verification-challenge'
  | 'method-not-allowed'
  | 'too-large'
  | 'unauthenticated'
  | 'invalid-body'
  | 'malformed'
  | 'ignored'
  | 'accepted'
  | 'unavailable';

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
  outcome: IngestOutcome;
  counts: { accepted: number; ignored: number; rejected: number; deadLettered: number };
}

const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

const SIGNING_HINT =
  `sign each request: ${GUARDRAIL_TIMESTAMP_HEADER}: <Unix seconds> and ${GUARDRAIL_SIGNATURE_HEADER}: ` +
  'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the source\'s ingest secret>';

const quietLogger: IngestLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Handles one ingest request. Never throws: every failure is an answer. */
export async function handleIngestRequest(deps: IngestDeps, request: IngestRequest): Promise<IngestResponse> {
  const log = deps.logger ?? quietLogger;
  const receivedAt = request.receivedAt ?? deps.clock.now();
  const answer = new Answer(log);
  try {
    return await handle(deps, request, receivedAt, answer, log);
  } catch (error) {
    // A fault in this code or an adapter: say "retry" rather than lose the request.
    logFailure(log, 'Ingest request failed unexpectedly', error);
    return answer.send(503, 'unavailable', { error: 'the guardrail could not take this request; retry later' }, { 'retry-after': '30' });
  }
}

async function handle(deps: IngestDeps, request: IngestRequest, receivedAt: Date, answer: Answer, log: IngestLogger): Promise<IngestResponse> {
  const source = request.source;
  if (!isSourceName(source)) {
    return answer.send(404, 'unknown-source', {
      error: `no ingest route for source ${describeSource(source)}`,
      sources: [...SOURCE_NAMES],
    });
  }
  answer.source = source;
  const method = request.method.toUpperCase();

  if (method === 'GET' && source === 'okta') {
    const challenge = answerOktaVerificationChallenge(request.headers);
    if (challenge) return verifyOktaChallenge(deps, source, request.headers, challenge.verification, answer, log);
  }
  if (method !== 'POST') {
    const allow = source === 'okta' ? 'POST, GET' : 'POST';
    return answer.send(
      405,
      'method-not-allowed',
      {
        error: `${method} is not supported here: POST the ${source} payload` +
          (source === 'okta' ? ' (GET only answers Okta\'s one-time X-Okta-Verification-Challenge)' : ''),
      },
      { allow },
    );
  }

  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_INGEST_BODY_BYTES;
  const declared = headerValue(request.headers, 'content-length')?.trim();
  if (declared && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return answer.send(413, 'too-large', { error: tooLargeMessage(Number(declared), maxBytes) });
  }
  const body = toBuffer(request.rawBody);
  const size = Math.max(body.length, request.receivedBytes ?? 0);
  answer.bodyBytes = size;
  // A body the transport cut off is over its own limit (it keeps one byte more than that limit).
  const cutOff = size > body.length;
  if (cutOff || size > maxBytes) {
    return answer.send(413, 'too-large', { error: tooLargeMessage(size, cutOff ? Math.min(maxBytes, Math.max(body.length - 1, 0)) : maxBytes) });
  }

  const auth = await authenticate(deps, source, request.headers, body, receivedAt, log);
  if (!auth.ok) {
    if (auth.unavailable) {
      return answer.send(503, 'unavailable', { error: 'the guardrail cannot check signatures right now; retry later' }, { 'retry-after': '30' });
    }
    return answer.send(401, 'unauthenticated', { error: 'not authenticated', reason: auth.reason, how: authHint(source) });
  }

  const parsed = parseJsonBody(body, XML_SOURCES.has(source));
  if (!parsed.ok) return answer.send(400, 'invalid-body', { error: parsed.error });

  const kind = SOURCE_EVENT_KIND[source];
  const result = normalize(source, parsed.value, deps.sourceOptions?.[source]);

  if (result.status === 'malformed') {
    answer.counts.rejected = 1;
    log.warn('Malformed ingest payload: kept in the dead-letter queue', { source, problems: result.problems.slice(0, 20) });
    const letter = malformedPayloadLetter({
      source,
      kind,
      problems: boundedProblems(result.problems),
      payload: boundedPayload(parsed.value, parsed.text),
      receivedAt,
    });
    if (!(await deadLetter(deps, [letter], log))) return deadLetterUnavailable(answer, 0, []);
    answer.counts.deadLettered = 1;
    const elsewhere = sourcesResembling(parsed.value).filter((other) => other !== source);
    return answer.send(422, 'malformed', {
      error: `the ${source} payload cannot be turned into ${kind} events; it was kept in the dead-letter queue with these problems`,
      ...(elsewhere.length > 0 && !sourcesResembling(parsed.value).includes(source)
        ? { hint: `this looks like ${SOURCE_SHAPES[elsewhere[0]].label}: was it meant for /ingest/${elsewhere[0]}?` }
        : {}),
      problems: limited(result.problems),
      deadLettered: true,
    });
  }

  if (result.status === 'ignored') {
    answer.counts.ignored = 1;
    log.info('Ingest payload ignored', { source, reason: result.reason });
    return answer.send(202, 'ignored', { accepted: 0, ignored: result.reason });
  }

  return acceptEvents(deps, source, kind, result.events, result.ignored ?? [], result.malformed ?? [], parsed, receivedAt, answer, log);
}

async function acceptEvents(
  deps: IngestDeps,
  source: SourceName,
  kind: EventKind,
  events: readonly GuardrailEvent[],
  ignored: readonly IgnoredItem[],
  malformed: readonly MalformedItem[],
  parsed: { value: unknown; text: string },
  receivedAt: Date,
  answer: Answer,
  log: IngestLogger,
): Promise<IngestResponse> {
  // An event EventBridge would refuse for its size can never be published: reject it like a malformed entry.
  const publishable: Array<{ event: GuardrailEvent; entry: CanonicalEventEntry }> = [];
  const rejected: MalformedItem[] = [...malformed];
  const letters: DeadLetter[] = [];
  for (const event of events) {
    const entry = canonicalEventEntry(event);
    const size = entrySize(entry);
    if (size <= MAX_REQUEST_BYTES) {
      publishable.push({ event, entry });
      continue;
    }
    const problem = `${recordIdOf(event)}: the canonical event is ${size} bytes, over EventBridge's ${MAX_REQUEST_BYTES / 1024} KB limit`;
    rejected.push({ item: recordIdOf(event), problems: [problem] });
    letters.push(
      malformedPayloadLetter({
        source,
        kind,
        problems: [problem],
        payload: boundedPayload(event.detail, entry.Detail),
        receivedAt,
        reason: INGEST_DEAD_LETTER_REASONS.oversized,
      }),
    );
  }
  letters.push(...entryLetters(source, kind, malformed, parsed, receivedAt));

  // Publish first, dead-letter after: if the bus fails the sender retries the whole request,
  // and the rejected entries must not have been dead-lettered twice by then.
  const published: GuardrailEvent[] = [];
  const receipts: PublishReceipt[] = [];
  for (let start = 0; start < publishable.length; start += MAX_ENTRIES_PER_CALL) {
    const chunk = publishable.slice(start, start + MAX_ENTRIES_PER_CALL);
    try {
      const receipt = await deps.publish(chunk.map((c) => c.entry));
      if (receipt) receipts.push(receipt);
      published.push(...chunk.map((c) => c.event));
    } catch (error) {
      const acceptedHere = error instanceof IngestPublishError ? error.acceptedIndexes : [];
      published.push(...acceptedHere.filter((i) => i >= 0 && i < chunk.length).map((i) => chunk[i].event));
      log.error('Putting ingested events on the bus failed; the sender is told to retry', {
        source,
        published: published.length,
        of: publishable.length,
        error: errorMessage(error),
      });
      answer.counts.accepted = published.length;
      return answer.send(
        503,
        'unavailable',
        {
          error: 'the guardrail bus did not take every event; retry the same request',
          accepted: published.length,
          ids: uniqueIds(published),
          retry: 'events already accepted are recognised by their record id on a retry: no second record or notification',
        },
        { 'retry-after': '5' },
      );
    }
  }
  answer.counts.accepted = published.length;

  if (letters.length > 0) {
    log.warn('Malformed entries of an ingest batch: kept in the dead-letter queue', {
      source,
      rejected: rejected.length,
      problems: rejected.slice(0, 10).flatMap((r) => r.problems.slice(0, 3)),
    });
    if (!(await deadLetter(deps, letters, log))) return deadLetterUnavailable(answer, published.length, uniqueIds(published));
    answer.counts.deadLettered = letters.length;
  }
  answer.counts.ignored = ignored.length;
  answer.counts.rejected = rejected.length;

  if (published.length === 0) {
    // Every event was too large for the bus: nothing was accepted.
    return answer.send(422, 'malformed', {
      error: `none of the ${source} events can be put on the bus; they were kept in the dead-letter queue`,
      problems: limited(rejected.flatMap((r) => r.problems)),
      deadLettered: true,
    });
  }

  log.info('Ingest payload accepted', { source, accepted: published.length, ignored: ignored.length, rejected: rejected.length });
  const eventIds = receipts.flatMap((r) => r.eventIds ?? []);
  const deliveries = receipts.flatMap((r) => r.deliveries ?? []);
  return answer.send(202, 'accepted', {
    accepted: published.length,
    ids: uniqueIds(published),
    ignored: ignored.slice(0, MAX_ANSWER_PROBLEMS),
    rejected: rejected.slice(0, MAX_ANSWER_PROBLEMS).map((r) => ({ item: r.item, problems: limited(r.problems) })),
    ...(rejected.length > 0 ? { deadLettered: true } : {}),
    ...(eventIds.length > 0 ? { eventIds } : {}),
    ...(deliveries.length > 0 ? { deliveries } : {}),
  });
}

/** One letter per malformed entry; a batch with very many becomes one letter holding it all. */
function entryLetters(
  source: SourceName,
  kind: EventKind,
  malformed: readonly MalformedItem[],
  parsed: { value: unknown; text: string },
  receivedAt: Date,
): DeadLetter[] {
  if (malformed.length === 0) return [];
  if (malformed.length > MAX_ENTRY_LETTERS) {
    const letter = malformedPayloadLetter({
      source,
      kind,
      problems: boundedProblems(malformed.flatMap((m) => m.problems)),
      payload: boundedPayload(parsed.value, parsed.text),
      receivedAt,
      reason: INGEST_DEAD_LETTER_REASONS.entry,
    });
    return [{ ...letter, event: { ...(letter.event as object), item: `${malformed.length} entries: ${malformed.map((m) => m.item).join(', ').slice(0, 2000)}` } }];
  }
  return malformedEntryLetters({ source, kind, malformed, payload: parsed.value, receivedAt }).map((letter) => {
    const event = letter.event as { payload: unknown };
    return { ...letter, problems: boundedProblems(letter.problems), event: { ...event, payload: boundedPayload(event.payload) } };
  });
}

/** Sends letters a few at a time; false when the queue refused any (the caller answers 503). */
async function deadLetter(deps: IngestDeps, letters: readonly DeadLetter[], log: IngestLogger): Promise<boolean> {
  try {
    for (let start = 0; start < letters.length; start += 5) {
      await Promise.all(letters.slice(start, start + 5).map((letter) => deps.deadLetters.send(letter)));
    }
    return true;
  } catch (error) {
    logFailure(log, 'The dead-letter queue refused a malformed ingest payload; the sender is told to retry', error);
    return false;
  }
}

function deadLetterUnavailable(answer: Answer, accepted: number, ids: string[]): IngestResponse {
  return answer.send(
    503,
    'unavailable',
    {
      error: 'the guardrail could not keep the malformed part of this payload; retry the same request',
      accepted,
      ids,
      retry: 'events already accepted are recognised by their record id on a retry: no second record or notification',
    },
    { 'retry-after': '30' },
  );
}

type AuthResult = { ok: true } | { ok: false; reason: string; unavailable?: boolean };

/**
 * The guardrail HMAC scheme for every source; for Okta also its event hooks'
 * shared-secret `Authorization` header. A mismatch re-reads the secrets once
 * (the provider rate-limits that), so a secret added for a rotation works
 * before the cache would have expired.
 */
async function authenticate(
  deps: IngestDeps,
  source: SourceName,
  headers: IngestHeaders,
  body: Buffer,
  now: Date,
  log: IngestLogger,
): Promise<AuthResult> {
  const signature = headerValue(headers, GUARDRAIL_SIGNATURE_HEADER);
  const authorization = source === 'okta' ? headerValue(headers, 'authorization') : undefined;
  if (!present(signature) && !present(authorization)) {
    return { ok: false, reason: source === 'okta' ? `missing ${GUARDRAIL_SIGNATURE_HEADER} or Authorization header` : `missing ${GUARDRAIL_SIGNATURE_HEADER} header` };
  }

  const check = (secrets: readonly string[]): SignatureCheck =>
    present(signature)
      ? verifyHmacSignature({
          rawBody: body,
          header: signature,
          secret: secrets,
          timestampHeader: headerValue(headers, GUARDRAIL_TIMESTAMP_HEADER),
          toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
          now,
        })
      : verifySharedSecretHeader(authorization, secrets);

  let secrets: readonly string[];
  try {
    secrets = await deps.secrets.secretsFor(source);
    let result = check(secrets);
    if (!result.ok && secretMayBeStale(result.reason)) {
      secrets = await deps.secrets.secretsFor(source, { fresh: true });
      result = check(secrets);
    }
    if (result.ok) return result;
    if (secrets.length === 0) {
      // The operator has not set this source's secret: say so in the log, not to an unauthenticated caller.
      log.warn('Ingest request refused: no secret is configured for this source', { source });
      return { ok: false, reason: 'no valid credentials for this source' };
    }
    log.info('Ingest request refused: not authenticated', { source, reason: result.reason });
    return { ok: false, reason: result.reason };
  } catch (error) {
    logFailure(log, 'Reading the ingest secrets failed', error);
    return { ok: false, reason: 'secrets unavailable', unavailable: true };
  }
}

/** Failures a newer secret could fix (a mismatch, no secret yet); not a missing or expired header. */
function secretMayBeStale(reason: string): boolean {
  return /does not match|is configured/.test(reason);
}

/**
 * Okta's one-time verification GET. It has no side effect, so it needs no
 * signature; but when the request carries an Authorization header (Okta sends
 * the hook's configured one) it must match, which surfaces a wrong secret at
 * verification time instead of on the first event.
 */
async function verifyOktaChallenge(
  deps: IngestDeps,
  source: SourceName,
  headers: IngestHeaders,
  challenge: string,
  answer: Answer,
  log: IngestLogger,
): Promise<IngestResponse> {
  if (!CHALLENGE_FORMAT.test(challenge)) {
    return answer.send(400, 'invalid-body', { error: 'X-Okta-Verification-Challenge must be 1-256 printable ASCII characters' });
  }
  const authorization = headerValue(headers, 'authorization');
  if (present(authorization)) {
    const auth = await authenticate(deps, source, { authorization }, Buffer.alloc(0), deps.clock.now(), log);
    if (!auth.ok) {
      if (auth.unavailable) return answer.send(503, 'unavailable', { error: 'the guardrail cannot check credentials right now; retry later' }, { 'retry-after': '30' });
      return answer.send(401, 'unauthenticated', { error: 'not authenticated', reason: auth.reason, how: authHint(source) });
    }
  }
  log.info('Answered Okta event hook verification', { source });
  return answer.send(200, 'verification-challenge', { verification: challenge });
}

function authHint(source: SourceName): string {
  return source === 'okta'
    ? `${SIGNING_HINT}; or, for an Okta event hook, set its authentication field to "Authorization" with the okta ingest secret as the value`
    : SIGNING_HINT;
}

function parseJsonBody(body: Buffer, xmlToo = false): { ok: true; value: unknown; text: string } | { ok: false; error: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, error: 'the body is not UTF-8 text: send JSON' };
  }
  // Some tools prepend a byte-order mark; JSON.parse does not accept one.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: 'the body is empty: send the JSON payload' };
  // Coupa answers XML unless asked for JSON: its normaliser reads the text itself.
  if (xmlToo && looksLikeXml(text)) return { ok: true, value: text, text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { ok: false, error: `the body is not valid JSON (${(error as Error).message.slice(0, 200)})` };
  }
}

/**
 * A payload small enough for a dead letter. A bigger one keeps its size, its
 * SHA-256 (to match it against the sender's copy) and its beginning: the
 * sender was told 422 and still holds the whole of it.
 */
function boundedPayload(value: unknown, text?: string): unknown {
  const json = text ?? JSON.stringify(value) ?? 'null';
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_DEAD_LETTER_PAYLOAD_BYTES) return value;
  return {
    truncated: true,
    bytes,
    sha256: createHash('sha256').update(json, 'utf8').digest('hex'),
    beginning: json.slice(0, 64 * 1024),
  };
}

function boundedProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_LETTER_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_LETTER_PROBLEMS), `… and ${problems.length - MAX_LETTER_PROBLEMS} more problems`];
}

function limited(problems: readonly string[]): string[] {
  if (problems.length <= MAX_ANSWER_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_ANSWER_PROBLEMS), `… and ${problems.length - MAX_ANSWER_PROBLEMS} more (all are in the dead letter)`];
}

function uniqueIds(events: readonly GuardrailEvent[]): string[] {
  return [...new Set(events.map((event) => recordIdOf(event)))];
}

function toBuffer(body: string | Buffer | null | undefined): Buffer {
  if (body === null || body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function describeSource(source: string | undefined): string {
  if (source === undefined || source === '') return '(none)';
  return JSON.stringify(source.length > 64 ? `${source.slice(0, 64)}…` : source);
}

function tooLargeMessage(bytes: number, limit: number): string {
  return `the body is ${bytes} bytes; this endpoint accepts at most ${limit} bytes (split the batch)`;
}

/** Builds the response and logs one line per request (never the body). */
class Answer {
  source?: SourceName;
  bodyBytes?: number;
  readonly counts = { accepted: 0, ignored: 0, rejected: 0, deadLettered: 0 };

  constructor(private readonly log: IngestLogger) {}

  send(status: number, outcome: IngestOutcome, body: Record<string, unknown>, headers: Record<string, string> = {}): IngestResponse {
    this.log.debug('Ingest request answered', { source: this.source, status, outcome, bodyBytes: this.bodyBytes, ...this.counts });
    return {
      status,
      headers: { ...RESPONSE_HEADERS, ...headers },
      body: JSON.stringify(body),
      outcome,
      counts: { ...this.counts },
    };
  }
}
