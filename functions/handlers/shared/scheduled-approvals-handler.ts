/**
 * The scheduled approvals Lambdas (escalation sweep, digest) share one
 * shape: resolve the dependencies once per container, run one use case at
 * the current time, count what it did as metrics and log its report.
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ApprovalDeps } from '../../domain/use-cases/approvals/deps';
import type { ApprovalsHandlerDeps } from './approvals-deps';
import { resolveOnce } from './resolve-deps';
import { withPowertools } from './powertools-handler';

export type ScheduledApprovalsHandler<R> = MiddyfiedHandler<unknown, R, Error, Context>;

export interface ScheduledJob<R> {
  run(deps: ApprovalDeps, now: Date): Promise<R>;
  /** Counts to publish, by metric name. */
  metrics(report: R): Record<string, number>;
  /** The log line of a run, with the report; logged only when `worthLogging` says so (default: always). */
  logMessage: string;
  worthLogging?(report: R): boolean;
}

export function createScheduledApprovalsHandler<R extends object>(
  deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps),
  job: ScheduledJob<R>,
): ScheduledApprovalsHandler<R> {
  const { logger, metrics, get } = resolveOnce(deps, 'Approvals function');
  const handle = async (): Promise<R> => {
    const { app } = get();
    const report = await job.run({ ...app, logger }, app.clock.now());
    for (const [name, count] of Object.entries(job.metrics(report))) metrics.addMetric(name, MetricUnit.Count, count);
    if (job.worthLogging?.(report) ?? true) logger.info(job.logMessage, { ...(report as Record<string, unknown>) });
    return report;
  };
  return withPowertools(handle, { logger, metrics });
}
