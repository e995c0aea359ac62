/**
 * The `Guardrail Decision` event: what a procurement tool gates its signature
 * step on. The automatic evaluation publishes one per request; approvals add
 * one per approver decision (approvals/messages.ts).
 */
import type { EventKind } from './events';
import type { Decision } from './decision';
import { sourceRefOf, type RequestRecord, type SourceRef } from './records';

export interface DecisionEvent {
  recordId: string;
  kind: EventKind;
  outcome: Decision['outcome'];
  severity: Decision['severity'];
  summary: string;
  findings: Decision['findings'];
  requiredApprover?: Decision['requiredApprover'];
  policyVersion: string;
  decidedAt: string;
  /** `policy` for the automatic evaluation; approvals add `approver` decisions later. */
  decidedBy: 'policy' | { approver: string };
  /** Echo of the source's ids so the caller can correlate. */
  sourceRef: SourceRef;
}

/** The event of the automatic evaluation of a stored record, with the source's own ids echoed back. */
export function decisionEventOf(record: RequestRecord): DecisionEvent {
  const { decision } = record;
  const event: DecisionEvent = {
    recordId: record.recordId,
    kind: record.kind,
    outcome: decision.outcome,
    severity: decision.severity,
    summary: decision.summary,
    findings: decision.findings,
    policyVersion: decision.policyVersion,
    decidedAt: decision.evaluatedAt,
    decidedBy: 'policy',
    sourceRef: sourceRefOf(record),
  };
  if (decision.requiredApprover !== undefined) event.requiredApprover = decision.requiredApprover;
  return event;
}
