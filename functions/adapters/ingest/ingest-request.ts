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
import { SOURCE_EVENT_KIND, SOURCE_NAMES, XML_SOURCES, isSourceName, normalize } from '../sources';
import { SOURCE_SHAPES, sourcesResembling } from '../sources/shapes';
import { malformedPayloadLetter } from '../../domain/ingest';
import { Answer, logFailure, quietLogger, type IngestDeps, type IngestLogger, type IngestRequest, type IngestResponse } from './ingest-answer';
import { authHint, authenticate, verifyOktaChallenge } from './ingest-authentication';
import { boundedBody, parseJsonBody } from './ingest-body';
import { acceptEvents, boundedPayload, boundedProblems, deadLetter, deadLetterUnavailable, limited } from './ingest-publication';
import { answerOktaVerificationChallenge } from './request-signature';

export type { IngestDeps, IngestHeaders, IngestLogger, IngestOutcome, IngestRequest, IngestResponse } from './ingest-answer';
export { DEFAULT_MAX_INGEST_BODY_BYTES } from './ingest-body';
export { MAX_DEAD_LETTER_PAYLOAD_BYTES, MAX_ENTRY_LETTERS } from './ingest-publication';

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
        error:
          `${method} is not supported here: POST the ${source} payload` +
          (source === 'okta' ? " (GET only answers Okta's one-time X-Okta-Verification-Challenge)" : ''),
      },
      { allow },
    );
  }

  const bounded = boundedBody(deps, request, answer);
  if (!bounded.ok) return bounded.response;
  const body = bounded.body;

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
    const resembles = sourcesResembling(parsed.value);
    const elsewhere = resembles.filter((other) => other !== source);
    return answer.send(422, 'malformed', {
      error: `the ${source} payload cannot be turned into ${kind} events; it was kept in the dead-letter queue with these problems`,
      ...(elsewhere.length > 0 && !resembles.includes(source)
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

function describeSource(source: string | undefined): string {
  if (source === undefined || source === '') return '(none)';
  return JSON.stringify(source.length > 64 ? `${source.slice(0, 64)}…` : source);
}
