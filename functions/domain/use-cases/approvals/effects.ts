/**
 * Pending effects: what an approval change causes outside the store (audit
 * entry, `Guardrail Decision` event, requester message, approver messages).
 * They are written on the record together with the new state, performed
 * right after, and removed one by one when done; whatever a crash leaves
 * behind, the escalation sweep performs. Effect ids derive from the new
 * revision, so a retried write adds the same effects, never a second set.
 */
import { approvalDecisionEvent, type ApprovalState, type ApprovalStep, type AuditEntry, type EscalationOutcome, type RequestSummary } from '../../approvals';
import { errorMessage } from '../../errors';
import { requesterUpdate } from '../../notifications';
import { sourceRefOf, type RequestRecord } from '../../records';
import type { ApprovalEffect, ApprovalStore } from '../../ports/approval-store';
import type { AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import type { DecisionPublisher } from '../../ports/decision-publisher';
import type { ServiceLogger } from '../../ports/logger';
import type { Notifier, RequesterNotifier } from '../../ports/notifier';
import { approverPrompts } from './approver-prompts';
import type { ApprovalSettings } from './settings';

export interface EffectDeps {
  approvals: Pick<ApprovalStore, 'completeEffect'>;
  audit: AuditLog;
  /** IT approvers' topic (reminders, escalations, second-signature requests, expiry reports, digests). */
  notifier: Notifier;
  requesterNotifier: RequesterNotifier;
  decisions: DecisionPublisher;
  links: DecisionLinkIssuer;
  clock: Clock;
  logger?: ServiceLogger;
}

/** What one decision causes besides the state: audit, the bus event, the requester's message, a second signer's prompt. */
export function decisionEffects(
  record: RequestRecord,
  change: { state: ApprovalState; step: ApprovalStep; audit: AuditEntry },
  summary: RequestSummary,
  now: Date,
): ApprovalEffect[] {
  const { state, step } = change;
  const r = `r${state.revision}`;
  const effects: ApprovalEffect[] = [
    { id: `${r}-audit`, type: 'audit', entry: change.audit },
    {
      id: `${r}-decision-event`,
      type: 'decision-event',
      event: approvalDecisionEvent({
        recordId: record.recordId,
        decision: record.decision,
        state,
        step,
        sourceRef: sourceRefOf(record),
        revision: record.revision,
        now,
      }),
    },
    { id: `${r}-requester-message`, type: 'requester-message', message: requesterUpdate({ record, summary, state, step }) },
  ];
  if (step.action === 'approve' && step.stage === 1) {
    effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'second-signature', tier: state.requiredApprover });
  }
  return effects;
}

/** What an escalation step causes: its audit entry and the approver prompt; an expiry also tells the requester and the bus. */
export function escalationEffects(record: RequestRecord, outcome: EscalationOutcome, summary: RequestSummary, now: Date): ApprovalEffect[] {
  const effects: ApprovalEffect[] = [];
  const r = `r${outcome.state.revision}`;
  if (outcome.audit) effects.push({ id: `${r}-audit`, type: 'audit', entry: outcome.audit });
  const { plan } = outcome;
  if (plan.action === 'remind') effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'remind', tier: plan.tier });
  if (plan.action === 'escalate') {
    effects.push({
      id: `${r}-approver-notification`,
      type: 'approver-notification',
      kind: 'escalate',
      tier: plan.tier,
      ...(plan.fromTier ? { fromTier: plan.fromTier } : {}),
    });
  }
  if (plan.action === 'expire') {
    // Reported to IT, to the requester ("do not sign yet") and on the bus (the tool's gate stays closed).
    effects.push({ id: `${r}-approver-notification`, type: 'approver-notification', kind: 'expire', tier: record.approval.escalation.currentTier });
    effects.push({ id: `${r}-requester-message`, type: 'requester-message', message: requesterUpdate({ record, summary, state: outcome.state }) });
    effects.push({
      id: `${r}-decision-event`,
      type: 'decision-event',
      event: approvalDecisionEvent({
        recordId: record.recordId,
        decision: record.decision,
        state: outcome.state,
        sourceRef: sourceRefOf(record),
        revision: record.revision,
        now,
      }),
    });
  }
  return effects;
}

const EFFECT_ORDER: Record<ApprovalEffect['type'], number> = { audit: 0, 'decision-event': 1, 'requester-message': 2, 'approver-notification': 3 };

/**
 * Performs pending effects in a stable order and removes each once done. A
 * failure is logged and left pending for the sweep; the others still run
 * (an SNS outage must not hold back the event a procurement tool waits on).
 */
export async function performEffects(
  deps: EffectDeps,
  record: RequestRecord,
  effects: readonly ApprovalEffect[],
  settings: ApprovalSettings,
): Promise<{ performed: number; failed: number }> {
  let performed = 0;
  let failed = 0;
  for (const effect of [...effects].sort((a, b) => EFFECT_ORDER[a.type] - EFFECT_ORDER[b.type] || (a.id < b.id ? -1 : 1))) {
    try {
      await performEffect(deps, record, effect, settings);
      await deps.approvals.completeEffect(record.recordId, effect.id);
      performed++;
    } catch (error) {
      failed++;
      deps.logger?.error('Approval effect failed; the escalation sweep retries it', {
        recordId: record.recordId,
        effect: effect.id,
        error: errorMessage(error),
      });
    }
  }
  return { performed, failed };
}

async function performEffect(deps: EffectDeps, record: RequestRecord, effect: ApprovalEffect, settings: ApprovalSettings): Promise<void> {
  switch (effect.type) {
    case 'audit':
      await deps.audit.append(effect.entry);
      return;
    case 'decision-event':
      await deps.decisions.publish(effect.event);
      return;
    case 'requester-message':
      await deps.requesterNotifier.notifyRequester(effect.message);
      return;
    case 'approver-notification': {
      const now = deps.clock.now();
      for (const message of await approverPrompts(deps.links, record, effect, settings, now)) await deps.notifier.notify(message);
      return;
    }
  }
}
