/**
 * The ingest Lambda as a middy handler with Powertools logging and metrics (the same middlewares as the guardrail
 * handlers): API Gateway HTTP API (payload v2) → {@link handleIngestRequest} → HTTP answer. Thin: it only adapts the
 * event (a base64 body is decoded to its bytes, which the signature covers) and counts outcomes.
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { handleIngestRequest, type IngestDeps, type IngestOutcome } from '../../adapters/ingest/ingest-request';
import { isSourceName } from '../../adapters/sources/source-names';
import { resolveOnce } from './resolve-deps';
import { withPowertools } from './powertools-handler';

export interface IngestHandlerDeps {
  /** The core's ports; its `logger` is the handler's. */
  ingest: Omit<IngestDeps, 'logger'>;
  logger: Logger;
  metrics: Metrics;
}

export type IngestLambdaHandler = MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

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

  return withPowertools(handle, { logger, metrics, failureMessage: 'Ingest handler failed' });
}
