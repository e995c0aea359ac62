/**
 * Scheduled Lambda (hourly): sends the daily digest of low-risk reviews when
 * it is due. The policy says whether digests are on and at which hour
 * (`approvals.digest`); an hourly run sends whatever is due, so changing the
 * hour needs only a policy import, and a run that failed is caught up by the
 * next. With digests off nothing is ever held, and a run costs one Query.
 */
import middy from '@middy/core';
import type { MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { tracer } from '../adapters/tracing';
import { runDigest, type DigestReport } from '../domain/approval-service';
import { defaultApprovalsDeps, type ApprovalsHandlerDeps } from './shared/approvals-wiring';
import { resolveOnce } from './shared/resolve-deps';

export const DIGEST_METRICS = { sent: 'DigestsSent', delivered: 'DigestedRequests', failures: 'DigestFailures' } as const;

export type DigestHandler = MiddyfiedHandler<unknown, DigestReport, Error, Context>;

export function createDigestHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): DigestHandler {
  const { logger, metrics, get } = resolveOnce(deps, 'Approvals function');
  const handle = async (): Promise<DigestReport> => {
    const { app } = get();
    const report = await runDigest({ ...app, logger }, app.clock.now());
    metrics.addMetric(DIGEST_METRICS.sent, MetricUnit.Count, report.sent);
    metrics.addMetric(DIGEST_METRICS.delivered, MetricUnit.Count, report.delivered);
    metrics.addMetric(DIGEST_METRICS.failures, MetricUnit.Count, report.failures.length);
    if (report.held > 0) logger.info('Digest run', { ...report });
    return report;
  };
  return middy<unknown, DigestReport, Error, Context>(handle)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

export const handler: DigestHandler = createDigestHandler(defaultApprovalsDeps);
