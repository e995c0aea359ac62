/**
 * Scheduled Lambda (every 15 minutes): reminds, escalates and marks requests
 * undecided at their signing date, and performs any approval side effect a
 * failed step left pending. Per-request failures are counted and retried by
 * the next run (the records stay due); a failure of the whole run (the index
 * cannot be read) throws, so the function's error alarm fires. After each run
 * it also reports how many approvals are open and how many of those are
 * overdue, the two gauges the operations dashboard charts. Once a day its
 * first run also runs the renewal guard (use-cases/renewals/guard.ts).
 */
import { runEscalationSweep, type SweepReport } from '../domain/use-cases/approvals/sweep';
import { runRenewalGuard, type RenewalGuardReport } from '../domain/use-cases/renewals/guard';
import type { RequestRecord } from '../domain/records';
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
  /** Open approvals after the run (undecided, waiting for an approver). */
  pending: 'ApprovalsPending',
  /** Of those, the ones past a deadline: reminded, escalated, or still undecided at the signing date. */
  overdue: 'ApprovalsOverdue',
  renewalReminders: 'RenewalRemindersSent',
  renewalEscalations: 'RenewalEscalations',
} as const;

/** Open approvals, and those whose addressee has let at least one deadline pass. */
export function openApprovalCounts(open: readonly RequestRecord[]): { pending: number; overdue: number } {
  const overdue = open.filter(({ approval: a }) => a.status === 'expired-undecided' || a.escalation.level > 0 || a.escalation.remindedAt !== undefined);
  return { pending: open.length, overdue: overdue.length };
}

export type SweepRunReport = SweepReport & { openApprovals: { pending: number; overdue: number }; renewals: RenewalGuardReport };
export type ScheduledHandler = ScheduledApprovalsHandler<SweepRunReport>;

export function createEscalationSweepHandler(deps: ApprovalsHandlerDeps | (() => ApprovalsHandlerDeps)): ScheduledHandler {
  return createScheduledApprovalsHandler(deps, {
    run: async (approvals, now) => {
      const report = await runEscalationSweep(approvals, now);
      const renewals = await runRenewalGuard(approvals, now);
      // Counted after the run, so what it reminded or escalated is already reflected.
      return { ...report, openApprovals: openApprovalCounts(await approvals.approvals.listOpen()), renewals };
    },
    metrics: (report) => ({
      [SWEEP_METRICS.reminded]: report.reminded,
      [SWEEP_METRICS.escalated]: report.escalated,
      [SWEEP_METRICS.expired]: report.expired,
      [SWEEP_METRICS.effectsFailed]: report.effectsFailed,
      [SWEEP_METRICS.failures]: report.failures.length + report.renewals.failures.length,
      [SWEEP_METRICS.renewalReminders]: report.renewals.reminded,
      [SWEEP_METRICS.renewalEscalations]: report.renewals.escalated,
      [SWEEP_METRICS.pending]: report.openApprovals.pending,
      [SWEEP_METRICS.overdue]: report.openApprovals.overdue,
    }),
    logMessage: 'Escalation sweep',
  });
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: ScheduledHandler = createEscalationSweepHandler(() => approvalsServices(awsApprovalsEdges(readApprovalsConfig())));
