/**
 * Scheduled Lambda (every 15 minutes): reminds, escalates and marks requests
 * undecided at their signing date, and performs any approval side effect a
 * failed step left pending. Per-request failures are counted and retried by
 * the next run (the records stay due); a failure of the whole run (the index
 * cannot be read) throws, so the function's error alarm fires.
 */
import { runEscalationSweep, type SweepReport } from '../domain/use-cases/approvals/sweep';
import { awsApprovalsEdges } from '../composition/aws-edges';
import { approvalsServices } from '../composition/root';
import { readApprovalsConfig } from './shared/approvals-config';
import type { ApprovalsHandlerDeps } from './shared/approvals-deps';
import { createScheduledApprovalsHandler, type ScheduledApprovalsHandler } from './shared/scheduled-approvals-handler';

export const SWEEP_METRICS = {
  reminded: 'RemindersSent',
  escalated: 'Escalations',
  expired: 'UndecidedAtSigningDate',
  effectsFailed: 'ApprovalEffectsFailed',
  failures: 'SweepFailures',
} as const;

export type ScheduledHandler = ScheduledApprovalsHandler<SweepReport>;

export function createEscalationSweepHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): ScheduledHandler {
  return createScheduledApprovalsHandler(deps, {
    run: (approvals, now) => runEscalationSweep(approvals, now),
    metrics: (report) => ({
      [SWEEP_METRICS.reminded]: report.reminded,
      [SWEEP_METRICS.escalated]: report.escalated,
      [SWEEP_METRICS.expired]: report.expired,
      [SWEEP_METRICS.effectsFailed]: report.effectsFailed,
      [SWEEP_METRICS.failures]: report.failures.length,
    }),
    logMessage: 'Escalation sweep',
  });
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: ScheduledHandler = createEscalationSweepHandler(() =>
  approvalsServices(awsApprovalsEdges(readApprovalsConfig())),
);
