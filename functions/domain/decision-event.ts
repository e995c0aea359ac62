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
  /**
   * The content revision this decision is about (1, then one more per
   * amendment): a procurement tool gates on the event of the latest revision
   * and ignores older ones, whatever order they arrive in.
   */
  revision: number;
  /** The source's own time of that revision, echoed when it gave one. */
  revisedAt?: string;
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
    revision: record.revision,
  };
  const revisedAt = record.kind === 'purchase-request' ? record.detail.revisedAt : undefined;
  if (revisedAt !== undefined) event.revisedAt = revisedAt;
  if (decision.requiredApprover !== undefined) event.requiredApprover = decision.requiredApprover;
  return event;
}
