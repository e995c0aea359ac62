/**
 * The one handler both guardrail Lambdas are made of, parameterised by event
 * kind: check the EventBridge envelope and the canonical detail, hand a valid
 * event to the guardrail service, and keep an invalid one in the dead-letter
 * queue with its reason. Deployed, events arrive in SQS batches (the rule
 * delivers to a queue): each message is handled as its own event, their side
 * effects go out together, and only the messages that failed are returned
 * to the queue (`batchItemFailures`). The single-event form serves the local
 * runtime, replays and tests.
 *
 * Failure policy: bad input is permanent (a retry sends the same bytes), so it
 * is dead-lettered and the invocation succeeds; anything else (DynamoDB, SNS,
 * EventBridge unavailable) throws, Lambda's async retries resume the work from
 * the stored record, and the stack's on-failure destination keeps what never
 * succeeds.
 *
 * Powertools idempotency is not used: the request store's conditional put is
 * already the idempotency record, keyed by the domain id (the procurement
 * tool's request id, or source + source event id) rather than by a hash of
 * the envelope, so the same request re-sent as a new EventBridge event is
 * collapsed too; and unlike a cached response it lets a retry resume only the
 * steps that did not finish.
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../domain/event-routes';
import { recordIdOf, type EventKind, type GuardrailEvent } from '../../domain/events';
import { errorMessage } from '../../domain/errors';
import { EffectsGathering, inRounds } from '../../domain/use-cases/guardrail/effects-gathering';
import type { EffectsRunner } from '../../domain/use-cases/guardrail/revision-effects';
import { GuardrailStepError } from '../../domain/use-cases/guardrail/once';
import { handleGuardrailEvent, type GuardrailOutcome, type GuardrailServiceDeps } from '../../domain/use-cases/inventory/app-sightings';
import { validateGuardrailEvent } from '../../domain/use-cases/guardrail/validate';
import { RefusedDeliveryError } from '../../domain/use-cases/guardrail/revision-records';
import type { DeadLetter, DeadLetterSink } from '../../domain/ports/dead-letter';
import { describeIssues } from '../../domain/problems';
import * as z from '../../domain/zod-mini';
import { resolveOnce } from './resolve-deps';
import { withPowertools } from './powertools-handler';

export type DeadLetterReason = 'invalid-envelope' | 'unexpected-event-type' | 'invalid-detail' | 'refused-revision';

export type GuardrailHandlerResult = ({ status: 'processed' } & GuardrailOutcome) | { status: 'dead-lettered'; reason: DeadLetterReason; problems: string[] };

export interface GuardrailHandlerDeps {
  /** The service's ports; its `logger` is replaced by the handler's. */
  service: GuardrailServiceDeps;
  deadLetters: DeadLetterSink;
  logger: Logger;
  metrics: Metrics;
}

export type GuardrailLambdaHandler = MiddyfiedHandler<unknown, GuardrailHandlerResult, Error, Context>;
/** The deployed form: an SQS batch, or (invoked directly) one EventBridge event, answered like the single-event handler. */
export type GuardrailBatchLambdaHandler = MiddyfiedHandler<unknown, SQSBatchResponse | GuardrailHandlerResult, Error, Context>;

/**
 * What the handler needs of an EventBridge event: the Powertools parser's
 * EventBridge fields, with only `source`, `detail-type` and `detail` required
 * (the local runtime and replays deliver PutEvents-shaped events without the
 * ids AWS adds). Written with zod/mini: Powertools' schema is classic zod,
 * which would put the whole library (460 KiB) back into the bundle.
 */
const EnvelopeSchema = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
  id: z.optional(z.string()),
  time: z.optional(z.iso.datetime()),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
});

export const METRIC_NAMES = {
  received: 'EventsReceived',
  decision: { allow: 'DecisionsAllow', review: 'DecisionsReview', block: 'DecisionsBlock' },
  duplicate: 'DuplicatesCollapsed',
  amended: 'RequestsAmended',
  /** App events counted in the inventory and folded into their app's one review (nothing sent). */
  folded: 'FoldedIntoAppReview',
  notified: 'NotificationsSent',
  deadLettered: 'DeadLettered',
  /** Events of a batch that failed and go back to their queue to be delivered again. */
  retried: 'EventsRetried',
} as const;

type Checked = { ok: true; event: GuardrailEvent; eventId?: string } | { ok: false; reason: DeadLetterReason; problems: string[] };

/** The handler's parts shared by its single-event and batch forms. */
function guardrailCore(kind: EventKind, deps: GuardrailHandlerDeps | (() => GuardrailHandlerDeps)) {
  const { logger, metrics, get } = resolveOnce(deps, 'Guardrail handler');
  const expectedDetailType = DETAIL_TYPES[kind];

  const deadLetter = async (event: unknown, reason: DeadLetterReason, problems: string[]): Promise<GuardrailHandlerResult> => {
    const { service, deadLetters } = get();
    logger.error(`Malformed ${kind} event: kept in the dead-letter queue`, { reason, problems });
    const letter: DeadLetter = { reason, problems, kind, receivedAt: service.clock.now().toISOString(), event };
    // If even the dead-letter queue is unreachable, throw: the retry (or the on-failure destination) keeps the event.
    await deadLetters.send(letter);
    metrics.addMetric(METRIC_NAMES.deadLettered, MetricUnit.Count, 1);
    return { status: 'dead-lettered', reason, problems };
  };

  /** The envelope and the detail, checked: a valid canonical event, or why it is not one. */
  const check = (event: unknown): Checked => {
    const envelope = EnvelopeSchema.safeParse(event);
    if (!envelope.success) return { ok: false, reason: 'invalid-envelope', problems: describeIssues(envelope.error.issues, '', '(event)', event) };
    const { source, 'detail-type': detailType, detail, id } = envelope.data;
    if (source !== GUARDRAIL_SOURCE || detailType !== expectedDetailType) {
      return {
        ok: false,
        reason: 'unexpected-event-type',
        problems: [
          `source/detail-type: expected "${GUARDRAIL_SOURCE}" / "${expectedDetailType}", got "${source}" / "${detailType}" (check the rule that routes to this function)`,
        ],
      };
    }
    const validation = validateGuardrailEvent(kind, detail);
    if (!validation.ok) return { ok: false, reason: 'invalid-detail', problems: validation.problems };
    return { ok: true, event: validation.event, ...(id ? { eventId: id } : {}) };
  };

  /**
   * A valid event through the guardrail. `keys` go on each of its log lines
   * (a batch's events share the invocation's logger, so nothing is appended to it).
   */
  const decide = async (
    event: GuardrailEvent,
    original: unknown,
    options: { runEffects?: EffectsRunner; keys?: Record<string, string> } = {},
  ): Promise<GuardrailHandlerResult> => {
    const { service } = get();
    let result: GuardrailOutcome;
    try {
      result = await handleGuardrailEvent({ ...service, logger, ...(options.runEffects ? { runEffects: options.runEffects } : {}) }, event);
    } catch (error) {
      // Permanent: the same bytes would be refused again (another kind's record, too many revisions).
      if (error instanceof RefusedDeliveryError) return deadLetter(original, 'refused-revision', [`${error.reason}: ${error.message}`]);
      // The decision was recorded even though a later step failed: count it now, the retry counts as a duplicate.
      if (error instanceof GuardrailStepError && error.partial && !error.partial.duplicate) {
        metrics.addMetric(METRIC_NAMES.decision[error.partial.outcome], MetricUnit.Count, 1);
      }
      throw error;
    }
    if (result.folded) metrics.addMetric(METRIC_NAMES.folded, MetricUnit.Count, 1);
    else if (result.duplicate) metrics.addMetric(METRIC_NAMES.duplicate, MetricUnit.Count, 1);
    else metrics.addMetric(METRIC_NAMES.decision[result.outcome], MetricUnit.Count, 1);
    if (result.delivery === 'amendment') metrics.addMetric(METRIC_NAMES.amended, MetricUnit.Count, 1);
    if (result.notified) metrics.addMetric(METRIC_NAMES.notified, MetricUnit.Count, 1);
    logger.info('Guardrail event processed', { ...options.keys, ...result });
    return { status: 'processed', ...result };
  };

  /** One EventBridge event, checked and decided (or dead-lettered). */
  const handleOne = async (event: unknown): Promise<GuardrailHandlerResult> => {
    metrics.addMetric(METRIC_NAMES.received, MetricUnit.Count, 1);
    const checked = check(event);
    if (!checked.ok) return deadLetter(event, checked.reason, checked.problems);
    logger.appendKeys({ kind, ...(checked.eventId ? { eventId: checked.eventId } : {}), recordId: recordIdOf(checked.event) });
    return decide(checked.event, event);
  };

  return { logger, metrics, deadLetter, check, decide, handleOne };
}

/** Lambda's SQS event source shape: a `Records` array of SQS messages. */
function isSqsBatch(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.every((r) => (r as { eventSource?: unknown } | null)?.eventSource === 'aws:sqs');
}

/**
 * Builds the single-event handler for one event kind. `deps` may be a function: it is then
 * called once, now (module scope, so once per container), and if it throws
 * (say a missing env var) every invocation fails with that clear error rather
 * than the import crashing in a test or a bundler (see {@link resolveOnce}).
 */
export function createGuardrailHandler(kind: EventKind, deps: GuardrailHandlerDeps | (() => GuardrailHandlerDeps)): GuardrailLambdaHandler {
  const { logger, metrics, handleOne } = guardrailCore(kind, deps);
  // Transient failures propagate for Lambda to retry; log them once with the record they concern.
  return withPowertools(handleOne, { logger, metrics, failureMessage: 'Guardrail event failed; Lambda will retry it' });
}

/**
 * Builds the SQS batch handler for one event kind (the deployed form). Each
 * message body is an EventBridge event; one that is not JSON, or not a valid
 * event, is dead-lettered with its reason like a single event. Valid events
 * run together, in rounds that hold each record once, and their side effects
 * go out gathered. A message whose event failed is returned to the queue,
 * which delivers it again after its visibility timeout (by then any lease
 * its delivery held has expired) and dead-letters it after its last receive.
 */
export function createGuardrailBatchHandler(kind: EventKind, deps: GuardrailHandlerDeps | (() => GuardrailHandlerDeps)): GuardrailBatchLambdaHandler {
  const { logger, metrics, deadLetter, check, decide, handleOne } = guardrailCore(kind, deps);

  const handle = async (input: unknown): Promise<SQSBatchResponse | GuardrailHandlerResult> => {
    // Invoked with an EventBridge event (an asynchronous invocation Lambda accepted before the rule moved to the
    // queue, a test invoke): decided like a single event, never dropped for lacking `Records`.
    if (!isSqsBatch(input)) return handleOne(input);
    const batch = input;
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const failed = (record: SQSRecord, error: unknown, recordId?: string) => {
      logger.error('Guardrail event failed; the queue delivers it again', {
        messageId: record.messageId,
        ...(recordId ? { recordId } : {}),
        error: errorMessage(error),
      });
      metrics.addMetric(METRIC_NAMES.retried, MetricUnit.Count, 1);
      failures.push({ itemIdentifier: record.messageId });
    };
    // Checked in the batch's order; what is not a valid event is dead-lettered, the rest decided below.
    const valid: { message: SQSRecord; event: GuardrailEvent; original: unknown; recordId: string; eventId?: string }[] = [];
    const deadLetters: Promise<unknown>[] = [];
    for (const message of batch.Records) {
      metrics.addMetric(METRIC_NAMES.received, MetricUnit.Count, 1);
      let event: unknown;
      try {
        event = JSON.parse(message.body);
      } catch (error) {
        const problem = `(message body): not JSON (${errorMessage(error)})`;
        deadLetters.push(deadLetter(message.body, 'invalid-envelope', [problem]).catch((e: unknown) => failed(message, e)));
        continue;
      }
      const checked = check(event);
      if (!checked.ok) {
        deadLetters.push(deadLetter(event, checked.reason, checked.problems).catch((e: unknown) => failed(message, e)));
        continue;
      }
      valid.push({
        message,
        event: checked.event,
        original: event,
        recordId: recordIdOf(checked.event),
        ...(checked.eventId ? { eventId: checked.eventId } : {}),
      });
    }
    await Promise.all(deadLetters);
    for (const round of inRounds(valid, (v) => v.recordId)) {
      const gathering = new EffectsGathering(round.length);
      await Promise.all(
        round.map(async ({ message, event, original, recordId, eventId }) => {
          const member = gathering.member();
          try {
            await decide(event, original, { runEffects: member.runEffects, keys: { kind, messageId: message.messageId, ...(eventId ? { eventId } : {}) } });
          } catch (error) {
            failed(message, error, recordId);
          } finally {
            member.leave();
          }
        }),
      );
    }
    return { batchItemFailures: failures };
  };

  return withPowertools(handle, { logger, metrics, failureMessage: 'Guardrail batch failed; the queue delivers its messages again' });
}
