/**
 * Scheduled Lambda (hourly): sends the daily digest of low-risk reviews when
 * it is due. The policy says whether digests are on and at which hour
 * (`approvals.digest`); an hourly run sends whatever is due, so changing the
 * hour needs only a policy import, and a run that failed is caught up by the
 * next. With digests off nothing is ever held, and a run costs one Query.
 */
import { runDigest, type DigestReport } from '../domain/use-cases/approvals/digest';
import { awsApprovalsEdges } from '../composition/aws-edges';
import { approvalsServices } from '../composition/root';
import { readApprovalsConfig } from './shared/approvals-config';
import type { ApprovalsHandlerDeps } from './shared/approvals-deps';
import { createScheduledApprovalsHandler, type ScheduledApprovalsHandler } from './shared/scheduled-approvals-handler';

export const DIGEST_METRICS = { sent: 'DigestsSent', delivered: 'DigestedRequests', failures: 'DigestFailures' } as const;

export type DigestHandler = ScheduledApprovalsHandler<DigestReport>;

export function createDigestHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): DigestHandler {
  return createScheduledApprovalsHandler(deps, {
    run: runDigest,
    metrics: (report) => ({
      [DIGEST_METRICS.sent]: report.sent,
      [DIGEST_METRICS.delivered]: report.delivered,
      [DIGEST_METRICS.failures]: report.failures.length,
    }),
    logMessage: 'Digest run',
    worthLogging: (report) => report.held > 0,
  });
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: DigestHandler = createDigestHandler(() => approvalsServices(awsApprovalsEdges(readApprovalsConfig())));
