/**
 * Scheduled Lambda (every 15 minutes): reminds, escalates and marks requests
 * undecided at their signing date, and performs any approval side effect a
 * failed step left pending. Per-request failures are counted and retried by
 * the next run (the records stay due); a failure of the whole run (the index
 * cannot be read) throws, so the function's error alarm fires.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { tracer } from '../adapters/tracing';
import { runEscalationSweep, type SweepReport } from '../domain/approval-service';
import { defaultApprovalsDeps, type ApprovalsHandlerDeps } from './shared/approvals-wiring';
import { resolveOnce } from './shared/resolve-deps';

export const SWEEP_METRICS = {
  reminded: 'RemindersSent',
  escalated: 'Escalations',
  expired: 'UndecidedAtSigningDate',
  effectsFailed: 'ApprovalEffectsFailed',
  failures: 'SweepFailures',
} as const;

export type ScheduledHandler = MiddyfiedHandler<unknown, SweepReport, Error, Context>;

export function createEscalationSweepHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): ScheduledHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Approvals function');
  const handle = async (): Promise<SweepReport> => {
    const { app } = get();
    const report = await runEscalationSweep({ ...app, logger }, app.clock.now());
    metrics.addMetric(SWEEP_METRICS.reminded, MetricUnit.Count, report.reminded);
    metrics.addMetric(SWEEP_METRICS.escalated, MetricUnit.Count, report.escalated);
    metrics.addMetric(SWEEP_METRICS.expired, MetricUnit.Count, report.expired);
    metrics.addMetric(SWEEP_METRICS.effectsFailed, MetricUnit.Count, report.effectsFailed);
    metrics.addMetric(SWEEP_METRICS.failures, MetricUnit.Count, report.failures.length);
    logger.info('Escalation sweep', { ...report });
    return report;
  };
  return middy<unknown, SweepReport, Error, Context>(handle)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

export const handler: ScheduledHandler = createEscalationSweepHandler(defaultApprovalsDeps);
