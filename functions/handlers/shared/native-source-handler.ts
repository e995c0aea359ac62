/**
 * The native-source Lambda as a middy handler: an EventBridge event from the Okta partner bus or aws.sso →
 * {@link processNativeEvent}. Ignored events are logged and counted, malformed ones dead-lettered (the invocation
 * succeeds), transient failures thrown for Lambda to retry. Apart from the ingest handler so its bundle carries only
 * the two normalisers it uses.
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { processNativeEvent, type NativeEventDeps, type NativeEventResult } from '../../adapters/ingest/native-event';
import { resolveOnce } from './resolve-deps';
import { withPowertools } from './powertools-handler';

export interface NativeSourceHandlerDeps {
  native: NativeEventDeps;
  logger: Logger;
  metrics: Metrics;
}

export type NativeSourceLambdaHandler = MiddyfiedHandler<unknown, NativeEventResult, Error, Context>;

export const NATIVE_SOURCE_METRIC_NAMES = {
  received: 'NativeEventsReceived',
  eventsPublished: 'NativeCanonicalEventsPublished',
  ignored: 'NativeEventsIgnored',
  deadLettered: 'NativeEventsDeadLettered',
} as const;

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

  // Bus or queue unavailable: Lambda retries, then the function's DLQ keeps the event.
  return withPowertools(handle, { logger, metrics, failureMessage: 'Native event failed; Lambda will retry it' });
}
