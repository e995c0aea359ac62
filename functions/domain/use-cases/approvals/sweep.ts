/**
 * The scheduled escalation sweep (every 15 minutes deployed, on an interval
 * locally): for each request due now, perform effects left pending, then
 * remind, escalate or mark expired as escalation planning says, and schedule
 * the next look. A failure on one request never stops the others.
 */
import { isUndecided, requestSummaryOf, runEscalation } from '../../approvals';
import { errorMessage } from '../../errors';
import type { ApprovalStore } from '../../ports/approval-store';
import type { PolicySource } from '../../ports/policy-source';
import { escalationEffects, performEffects, type EffectDeps } from './effects';
import { approvalSettingsOf, type ApprovalSettings } from './settings';

export interface SweepDeps extends EffectDeps {
  policy: PolicySource;
  approvals: ApprovalStore;
}

export interface SweepReport {
  examined: number;
  reminded: number;
  escalated: number;
  expired: number;
  effectsPerformed: number;
  effectsFailed: number;
  /** Records whose approval changed while the sweep looked at them: the next run handles them. */
  conflicts: number;
  failures: { recordId: string; error: string }[];
}

/** How many records one run handles at most; the rest are due still and come next run. */
export const SWEEP_BATCH = 200;

export async function runEscalationSweep(deps: SweepDeps, now: Date, options: { limit?: number } = {}): Promise<SweepReport> {
  const report: SweepReport = { examined: 0, reminded: 0, escalated: 0, expired: 0, effectsPerformed: 0, effectsFailed: 0, conflicts: 0, failures: [] };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const ids = await deps.approvals.listDue(now, options.limit ?? SWEEP_BATCH);
  for (const recordId of ids) {
    report.examined++;
    try {
      await sweepOne(deps, recordId, now, settings, report);
    } catch (error) {
      report.failures.push({ recordId, error: errorMessage(error) });
      deps.logger?.error('Escalation sweep failed for a request; the next run retries it', { recordId, error: errorMessage(error) });
    }
  }
  if (report.examined > 0) deps.logger?.info('Escalation sweep finished', { ...report, failures: report.failures.length });
  return report;
}

async function sweepOne(deps: SweepDeps, recordId: string, now: Date, settings: ApprovalSettings, report: SweepReport): Promise<void> {
  const loaded = await deps.approvals.load(recordId);
  if (!loaded) return;
  const { record } = loaded;
  if (loaded.effects.length > 0) {
    const done = await performEffects(deps, record, loaded.effects, settings);
    report.effectsPerformed += done.performed;
    report.effectsFailed += done.failed;
    if (done.failed > 0) return; // stays due: the next run tries again
  }
  const state = record.approval;
  if (!isUndecided(state)) {
    await deps.approvals.reschedule(recordId, state.revision, now);
    return;
  }
  const summary = requestSummaryOf(record, settings.escalation);
  const outcome = runEscalation({
    state,
    expectedSigningDate: summary.expectedSigningDate,
    receivedAt: record.receivedAt,
    config: settings.escalation,
    now,
    recordId,
  });
  if (!outcome.changed) {
    await deps.approvals.reschedule(recordId, state.revision, now);
    return;
  }
  const effects = escalationEffects(record, outcome, summary, now);
  if (!(await deps.approvals.save(recordId, state.revision, outcome.state, effects, now))) {
    report.conflicts++;
    return;
  }
  const { action } = outcome.plan;
  if (action === 'remind') report.reminded++;
  if (action === 'escalate') report.escalated++;
  if (action === 'expire') report.expired++;
  const done = await performEffects(deps, { ...record, approval: outcome.state }, effects, settings);
  report.effectsPerformed += done.performed;
  report.effectsFailed += done.failed;
  if (done.failed === 0) await deps.approvals.reschedule(recordId, outcome.state.revision, now);
}
