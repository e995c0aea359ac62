/**
 * Scheduled Lambda (EventBridge Scheduler): weekly, each department's note
 * for the week that ended; monthly, IT's shadow-IT report for the month that
 * ended. The schedule's input names the cadence (`{"cadence": "weekly"}`);
 * without one both run. Markers make a retried or repeated invocation send
 * nothing twice; a failed send is logged, counted and retried by the next run.
 */
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsOutreachEdges } from '../composition/aws-edges';
import { outreachServices } from '../composition/root';
import { CADENCES, type Cadence } from '../domain/use-cases/outreach/periods';
import { runOutreach, type OutreachDeps, type OutreachReport } from '../domain/use-cases/outreach/run';
import { resolveOnce, type HandlerObservability } from './shared/resolve-deps';
import { readOutreachConfig } from './shared/outreach-config';
import { withPowertools } from './shared/powertools-handler';

export const OUTREACH_METRICS = { sent: 'OutreachSent', failed: 'OutreachFailed', reports: 'ShadowItReportsSent' } as const;

export type OutreachHandlerDeps = HandlerObservability & { outreach: OutreachDeps };
export type OutreachHandler = MiddyfiedHandler<unknown, OutreachReport, Error, Context>;

/** The cadences an invocation asks for: `{"cadence": "weekly"}`, `{"cadence": "monthly"}`, or both. */
export function cadencesOf(event: unknown): Cadence[] {
  const cadence = (event as { cadence?: unknown } | null)?.cadence;
  if (cadence === undefined) return [...CADENCES];
  if (typeof cadence === 'string' && (CADENCES as readonly string[]).includes(cadence)) return [cadence as Cadence];
  throw new Error(`cadence must be one of ${CADENCES.join(', ')} (got ${JSON.stringify(cadence)})`);
}

export function createOutreachHandler(deps: OutreachHandlerDeps | (() => OutreachHandlerDeps)): OutreachHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Outreach function');
  const handle = async (event: unknown): Promise<OutreachReport> => {
    const { outreach } = get();
    const report = await runOutreach({ ...outreach, logger }, outreach.clock.now(), cadencesOf(event));
    metrics.addMetric(OUTREACH_METRICS.sent, MetricUnit.Count, report.weekly?.sent.length ?? 0);
    metrics.addMetric(OUTREACH_METRICS.reports, MetricUnit.Count, report.monthly?.sent ? 1 : 0);
    metrics.addMetric(OUTREACH_METRICS.failed, MetricUnit.Count, (report.weekly?.failed.length ?? 0) + (report.monthly?.failed ? 1 : 0));
    logger.info('Outreach', { ...report });
    if (report.truncated) logger.warn('Outreach read stopped at its bound: the oldest records were not considered');
    return report;
  };
  return withPowertools(handle, { logger, metrics });
}

export const handler: OutreachHandler = createOutreachHandler(() => {
  const edges = awsOutreachEdges(readOutreachConfig());
  return { logger: edges.logger, metrics: edges.metrics, outreach: outreachServices(edges) };
});
