/**
 * Powertools Logger and Metrics for handler tests: nothing printed, every
 * metric and error log recorded so tests can assert on them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

export function quietLogger(): { logger: Logger; errors: { message: string; extra: unknown[] }[] } {
  const logger = new Logger({ serviceName: 'guardrail-test', logLevel: 'SILENT' });
  const errors: { message: string; extra: unknown[] }[] = [];
  const original = logger.error.bind(logger);
  jest.spyOn(logger, 'error').mockImplementation((message: unknown, ...extra: unknown[]) => {
    errors.push({ message: String(message), extra });
    (original as (...args: unknown[]) => void)(message, ...extra);
  });
  return { logger, errors };
}

/** Metrics that never print EMF; `counts()` sums what the handler added by metric name. */
export function recordingMetrics(): { metrics: Metrics; counts(): Record<string, number> } {
  const metrics = new Metrics({ namespace: 'GuardrailTest', serviceName: 'guardrail-test' });
  const added: { name: string; value: number }[] = [];
  jest.spyOn(metrics, 'addMetric').mockImplementation((name: string, _unit: unknown, value: number) => {
    added.push({ name, value });
    return metrics;
  });
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  jest.spyOn(metrics, 'captureColdStartMetric').mockImplementation(() => metrics);
  return {
    metrics,
    counts() {
      const totals: Record<string, number> = {};
      for (const { name, value } of added) totals[name] = (totals[name] ?? 0) + value;
      return totals;
    },
  };
}

export function lambdaContext(functionName = 'guardrail-test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
