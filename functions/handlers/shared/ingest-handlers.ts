/**
 * The two Lambdas that bring native payloads in, as middy handlers with
 * Powertools logging and metrics (the same middlewares as the guardrail
 * handlers):
 *
 * - ingest: API Gateway HTTP API (payload v2) → {@link handleIngestRequest}
 *   → HTTP answer. Thin: it only adapts the event (a base64 body is decoded
 *   to its bytes, which the signature covers) and counts outcomes.
 * - native source: an EventBridge event from the Okta partner bus or aws.sso
 *   → {@link processNativeEvent}. Ignored events are logged and counted,
 *   malformed ones dead-lettered (the invocation succeeds), transient
 *   failures thrown for Lambda to retry.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { tracer } from '../../adapters/tracing';
import { handleIngestRequest, type IngestDeps, type IngestOutcome } from '../../adapters/ingest/ingest-request';
import { processNativeEvent, type NativeEventDeps, type NativeEventResult } from '../../adapters/ingest/native-event';
import { isSourceName } from '../../adapters/sources';
import { resolveOnce } from './resolve-deps';

export interface IngestHandlerDeps {
  /** The core's ports; its `logger` is the handler's. */
  ingest: Omit<IngestDeps, 'logger'>;
  logger: Logger;
  metrics: Metrics;
}

export interface NativeSourceHandlerDeps {
  native: NativeEventDeps;
  logger: Logger;
  metrics: Metrics;
}

export type IngestLambdaHandler = MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;
export type NativeSourceLambdaHandler = MiddyfiedHandler<unknown, NativeEventResult, Error, Context>;

export const INGEST_METRIC_NAMES = {
  requests: 'IngestRequests',
  eventsAccepted: 'IngestEventsAccepted',
  entriesIgnored: 'IngestEntriesIgnored',
  entriesRejected: 'IngestEntriesRejected',
  deadLettered: 'IngestDeadLettered',
  /** One per refused request, by reason: a climbing `IngestUnauthenticated` is someone probing the endpoint. */
  refused: {
    'unknown-source': 'IngestUnknownSource',
    'method-not-allowed': 'IngestMethodNotAllowed',
    'too-large': 'IngestTooLarge',
    unauthenticated: 'IngestUnauthenticated',
    'invalid-body': 'IngestInvalidBody',
    malformed: 'IngestMalformed',
  } as Partial<Record<IngestOutcome, string>>,
  unavailable: 'IngestUnavailable',
} as const;

export const NATIVE_SOURCE_METRIC_NAMES = {
  received: 'NativeEventsReceived',
  eventsPublished: 'NativeCanonicalEventsPublished',
  ignored: 'NativeEventsIgnored',
  deadLettered: 'NativeEventsDeadLettered',
} as const;

/** The HTTP API handler for `POST|GET /ingest/{source}`. */
export function createIngestHandler(deps: IngestHandlerDeps | (() => IngestHandlerDeps)): IngestLambdaHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Ingest handler');

  const handle = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const { ingest } = get();
    const source = event.pathParameters?.source;
    // Counts only, no per-source dimension: a scanner trying random paths must not mint metrics.
    // The log line below carries the source for per-sender breakdowns.
    metrics.addMetric(INGEST_METRIC_NAMES.requests, MetricUnit.Count, 1);

    const rawBody = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
    const timeEpoch = event.requestContext?.timeEpoch;
    const response = await handleIngestRequest(
      { ...ingest, logger },
      {
        method: event.requestContext?.http?.method ?? 'GET',
        source,
        headers: event.headers ?? {},
        rawBody,
        receivedAt: typeof timeEpoch === 'number' && Number.isFinite(timeEpoch) ? new Date(timeEpoch) : undefined,
      },
    );

    const { counts, outcome } = response;
    if (counts.accepted > 0) metrics.addMetric(INGEST_METRIC_NAMES.eventsAccepted, MetricUnit.Count, counts.accepted);
    if (counts.ignored > 0) metrics.addMetric(INGEST_METRIC_NAMES.entriesIgnored, MetricUnit.Count, counts.ignored);
    if (counts.rejected > 0) metrics.addMetric(INGEST_METRIC_NAMES.entriesRejected, MetricUnit.Count, counts.rejected);
    if (counts.deadLettered > 0) metrics.addMetric(INGEST_METRIC_NAMES.deadLettered, MetricUnit.Count, counts.deadLettered);
    const refused = INGEST_METRIC_NAMES.refused[outcome];
    if (refused) metrics.addMetric(refused, MetricUnit.Count, 1);
    if (outcome === 'unavailable') metrics.addMetric(INGEST_METRIC_NAMES.unavailable, MetricUnit.Count, 1);
    // One line per request; never the body, never a header value.
    logger.info('Ingest request', { source: isSourceName(source) ? source : undefined, status: response.status, outcome, ...counts });

    return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>(handle)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      onError: (request) => {
        logger.error('Ingest handler failed', request.error as Error);
      },
    });
}

/** The EventBridge target for Okta partner events and aws.sso CloudTrail events. */
export function createNativeSourceHandler(deps: NativeSourceHandlerDeps | (() => NativeSourceHandlerDeps)): NativeSourceLambdaHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Native-source handler');

  const handle = async (event: unknown): Promise<NativeEventResult> => {
    const { native } = get();
    metrics.addMetric(NATIVE_SOURCE_METRIC_NAMES.received, MetricUnit.Count, 1);
    const envelope = typeof event === 'object' && event !== null ? (event as { id?: unknown; source?: unknown }) : {};
    logger.appendKeys({
      ...(typeof envelope.id === 'string' ? { eventId: envelope.id } : {}),
      ...(typeof envelope.source === 'string' ? { eventSource: envelope.source.slice(0, 256) } : {}),
    });

    const result = await processNativeEvent(native, event);
    switch (result.status) {
      case 'published':
        metrics.addMetric(NATIVE_SOURCE_METRIC_NAMES.eventsPublished, MetricUnit.Count, result.accepted);
        if (result.rejected.length > 0) metrics.addMetric(NATIVE_SOURCE_METRIC_NAMES.deadLettered, MetricUnit.Count, result.rejected.length);
        logger.info('Native event published as canonical events', { source: result.source, accepted: result.accepted, ids: result.ids });
        break;
      case 'ignored':
        metrics.addMetric(NATIVE_SOURCE_METRIC_NAMES.ignored, MetricUnit.Count, 1);
        logger.info('Native event ignored', { source: result.source, reason: result.reason });
        break;
      case 'dead-lettered':
        metrics.addMetric(NATIVE_SOURCE_METRIC_NAMES.deadLettered, MetricUnit.Count, 1);
        logger.error('Malformed native event: kept in the dead-letter queue', {
          source: result.source,
          reason: result.reason,
          problems: result.problems.slice(0, 20),
        });
        break;
    }
    return result;
  };

  return middy<unknown, NativeEventResult, Error, Context>(handle)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use({
      // Bus or queue unavailable: Lambda retries, then the function's DLQ keeps the event.
      onError: (request) => {
        logger.error('Native event failed; Lambda will retry it', request.error as Error);
      },
    });
}
