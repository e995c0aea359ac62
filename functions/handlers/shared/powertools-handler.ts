/**
 * Every Lambda's middleware chain in one place: X-Ray tracing, the Lambda context in each log line (keys reset per
 * invocation), metrics flushed with a cold-start metric, and, where given, one error line before Lambda retries.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { traceInvocation } from '../../adapters/tracing';

export interface PowertoolsOptions {
  logger: Logger;
  metrics: Metrics;
  /** Logged with the error when the invocation fails (Lambda then retries or answers 5xx). */
  failureMessage?: string;
}

export function withPowertools<E, R>(handle: (event: E, context: Context) => Promise<R>, options: PowertoolsOptions): MiddyfiedHandler<E, R, Error, Context> {
  const { logger, metrics, failureMessage } = options;
  const handler = middy<E, R, Error, Context>(handle)
    .use(traceInvocation())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  if (failureMessage === undefined) return handler;
  return handler.use({
    onError: (request) => {
      logger.error(failureMessage, request.error as Error);
    },
  });
}
