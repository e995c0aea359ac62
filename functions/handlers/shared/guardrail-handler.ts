/**
 * The one handler both guardrail Lambdas are made of, parameterised by event
 * kind: check the EventBridge envelope and the canonical detail, hand a valid
 * event to the guardrail service, and keep an invalid one in the dead-letter
 * queue with its reason.
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
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../domain/event-routes';
import type { EventKind } from '../../domain/events';
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
} as const;

/**
 * Builds the handler for one event kind. `deps` may be a function: it is then
 * called once, now (module scope, so once per container), and if it throws
 * (say a missing env var) every invocation fails with that clear error rather
 * than the import crashing in a test or a bundler (see {@link resolveOnce}).
 */
export function createGuardrailHandler(kind: EventKind, deps: GuardrailHandlerDeps | (() => GuardrailHandlerDeps)): GuardrailLambdaHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Guardrail handler');

  const expectedDetailType = DETAIL_TYPES[kind];

  const handle = async (event: unknown): Promise<GuardrailHandlerResult> => {
    metrics.addMetric(METRIC_NAMES.received, MetricUnit.Count, 1);
    const { service, deadLetters } = get();

    const deadLetter = async (reason: DeadLetterReason, problems: string[]): Promise<GuardrailHandlerResult> => {
      logger.error(`Malformed ${kind} event: kept in the dead-letter queue`, { reason, problems });
      const letter: DeadLetter = { reason, problems, kind, receivedAt: service.clock.now().toISOString(), event };
      // If even the dead-letter queue is unreachable, throw: the retry (or the on-failure destination) keeps the event.
      await deadLetters.send(letter);
      metrics.addMetric(METRIC_NAMES.deadLettered, MetricUnit.Count, 1);
      return { status: 'dead-lettered', reason, problems };
    };

    const envelope = EnvelopeSchema.safeParse(event);
    if (!envelope.success) return deadLetter('invalid-envelope', describeIssues(envelope.error.issues, '', '(event)', event));
    const { source, 'detail-type': detailType, detail, id } = envelope.data;
    logger.appendKeys({ kind, ...(id ? { eventId: id } : {}) });
    if (source !== GUARDRAIL_SOURCE || detailType !== expectedDetailType) {
      return deadLetter('unexpected-event-type', [
        `source/detail-type: expected "${GUARDRAIL_SOURCE}" / "${expectedDetailType}", got "${source}" / "${detailType}" (check the rule that routes to this function)`,
      ]);
    }

    const validation = validateGuardrailEvent(kind, detail);
    if (!validation.ok) return deadLetter('invalid-detail', validation.problems);

    let result: GuardrailOutcome;
    try {
      result = await handleGuardrailEvent({ ...service, logger }, validation.event);
    } catch (error) {
      // Permanent: the same bytes would be refused again (another kind's record, too many revisions).
      if (error instanceof RefusedDeliveryError) return deadLetter('refused-revision', [`${error.reason}: ${error.message}`]);
      // The decision was recorded even though a later step failed: count it now, the retry counts as a duplicate.
      if (error instanceof GuardrailStepError) {
        logger.appendKeys({ recordId: error.recordId });
        if (error.partial && !error.partial.duplicate) {
          metrics.addMetric(METRIC_NAMES.decision[error.partial.outcome], MetricUnit.Count, 1);
        }
      }
      throw error;
    }
    logger.appendKeys({ recordId: result.recordId });
    if (result.folded) metrics.addMetric(METRIC_NAMES.folded, MetricUnit.Count, 1);
    else if (result.duplicate) metrics.addMetric(METRIC_NAMES.duplicate, MetricUnit.Count, 1);
    else metrics.addMetric(METRIC_NAMES.decision[result.outcome], MetricUnit.Count, 1);
    if (result.delivery === 'amendment') metrics.addMetric(METRIC_NAMES.amended, MetricUnit.Count, 1);
    if (result.notified) metrics.addMetric(METRIC_NAMES.notified, MetricUnit.Count, 1);
    logger.info('Guardrail event processed', { ...result });
    return { status: 'processed', ...result };
  };

  // Transient failures propagate for Lambda to retry; log them once with the record they concern.
  return withPowertools(handle, { logger, metrics, failureMessage: 'Guardrail event failed; Lambda will retry it' });
}
