/**
 * What the approvals Lambdas (decision API, escalation sweep, digest) are
 * built with; the composition root (functions/composition/root.ts) makes it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { ApprovalAppDeps } from '../../adapters/web/approvals-app';

export interface ApprovalsHandlerDeps {
  /** The web app's dependencies (a superset of what the sweeps need). */
  app: ApprovalAppDeps;
  logger: Logger;
  metrics: Metrics;
  /** Which JWT claim names the signed-in approver's email. */
  approverEmailClaim: string;
  /** Which JWT claim holds the approver's immutable subject (default `sub`). */
  approverSubjectClaim?: string;
}
