/**
 * The `Guardrail Decision` event an approver's action (or an expiry) puts on
 * the bus: approval outcomes in the vocabulary procurement tools already gate
 * on, plus the approval's own facts.
 */
import type { DecisionEvent } from '../decision-event';
import type { Decision } from '../decision';
import { TIER_LABELS, type ApproverTier } from './tiers';
import type { ApprovalState, ApprovalStep, ApproverAction } from './types';

/** The `Guardrail Decision` event for an approver's action (or an expiry), plus the approval facts. */
export type ApprovalDecisionEvent = DecisionEvent & {
  approval: {
    status: ApprovalState['status'];
    action?: ApproverAction;
    stage?: 1 | 2;
    comment?: string;
    approverTier?: ApproverTier;
    requiredApprover: ApproverTier;
    late?: boolean;
  };
};

/**
 * Approval outcomes mapped onto the decision vocabulary procurement tools
 * already gate on: approved → allow, rejected → block, anything still open
 * → review. `decidedBy` names the approver.
 */
export function approvalDecisionEvent(input: {
  recordId: string;
  decision: Decision;
  state: ApprovalState;
  step?: ApprovalStep;
  sourceRef: DecisionEvent['sourceRef'];
  /** The content revision the approval state is about. */
  revision: number;
  now: Date;
}): ApprovalDecisionEvent {
  const { decision, state, step } = input;
  const outcome: Decision['outcome'] = state.status === 'approved' ? 'allow' : state.status === 'rejected' ? 'block' : 'review';
  const who = step ? (step.by.name ? `${step.by.name} (${TIER_LABELS[step.by.tier]})` : step.by.email) : undefined;
  const summary =
    state.status === 'approved'
      ? `Approved by ${who}`
      : state.status === 'rejected'
        ? `Rejected by ${who}${step?.comment ? `: ${step.comment}` : ''}`
        : step?.action === 'request-info'
          ? `More information requested by ${who}`
          : step?.action === 'approve'
            ? `First approval by ${who}; waiting for ${TIER_LABELS[state.requiredApprover]}`
            : state.status === 'expired-undecided'
              ? 'Undecided at the expected signing date'
              : decision.summary;
  return {
    recordId: input.recordId,
    kind: decision.kind,
    outcome,
    severity: decision.severity,
    summary: summary.slice(0, 500),
    findings: decision.findings,
    ...(decision.requiredApprover ? { requiredApprover: decision.requiredApprover } : {}),
    policyVersion: decision.policyVersion,
    decidedAt: (step ? new Date(step.at) : input.now).toISOString(),
    decidedBy: step ? { approver: step.by.email } : 'policy',
    sourceRef: input.sourceRef,
    revision: input.revision,
    approval: {
      status: state.status,
      requiredApprover: state.requiredApprover,
      ...(step ? { action: step.action, approverTier: step.by.tier } : {}),
      ...(step?.stage ? { stage: step.stage } : {}),
      ...(step?.comment ? { comment: step.comment } : {}),
      ...(step?.late ? { late: true } : {}),
    },
  };
}
