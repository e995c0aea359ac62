/**
 * Scheduled Lambda (every 15 minutes): reminds, escalates and marks requests
 * undecided at their signing date, and performs any approval side effect a
 * failed step left pending. Per-request failures are counted and retried by
 * the next run (the records stay due); a failure of the whole run (the index
 * cannot be read) throws, so the function's error alarm fires. After each run
 * it also reports how many approvals are open and how many of those are
 * overdue, the two gauges the operations dashboard charts.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { runEscalationSweep, type SweepReport } from '../domain/approval-service';
import type { RequestRecord } from '../domain/ports';
import { defaultApprovalsDeps, type ApprovalsHandlerDeps } from './shared/approvals-wiring';
import { resolveOnce } from './shared/resolve-deps';

export const SWEEP_METRICS = {
  reminded: 'RemindersSent',
  escalated: 'Escalations',
  expired: 'UndecidedAtSigningDate',
  effectsFailed: 'ApprovalEffectsFailed',
  failures: 'SweepFailures',
  /** Open approvals after the run (undecided, waiting for an approver). */
  pending: 'ApprovalsPending',
  /** Of those, the ones past a deadline: reminded, escalated, or still undecided at the signing date. */
  overdue: 'ApprovalsOverdue',
} as const;

/** Open approvals, and those whose addressee has let at least one deadline pass. */
export function openApprovalCounts(open: readonly RequestRecord[]): { pending: number; overdue: number } {
  const overdue = open.filter(({ approval: a }) => a.status === 'expired-undecided' || a.escalation.level > 0 || a.escalation.remindedAt !== undefined);
  return { pending: open.length, overdue: overdue.length };
}

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
    // Counted after the run, so what it reminded or escalated is already reflected.
    const open = openApprovalCounts(await app.requests.listOpenApprovals());
    metrics.addMetric(SWEEP_METRICS.pending, MetricUnit.Count, open.pending);
    metrics.addMetric(SWEEP_METRICS.overdue, MetricUnit.Count, open.overdue);
    logger.info('Escalation sweep', { ...report, openApprovals: open });
    return report;
  };
  return middy<unknown, SweepReport, Error, Context>(handle)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

export const handler: ScheduledHandler = createEscalationSweepHandler(defaultApprovalsDeps);
