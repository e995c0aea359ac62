/**
 * The arrival entries of a request's audit trail, kept in the record itself
 * (RecordState.history): `received` and `evaluated` go in with the first
 * revision's put, `amended` and `evaluated` with each amendment's update,
 * `notified` with the write that marks the notification sent. Each is dated
 * when what it records happened and written by the write that makes it true,
 * so nothing is written twice or back-dated.
 */
import { POLICY_ACTOR, SYSTEM_ACTOR, auditEntry, type ApproverTier, type AuditActor, type AuditEntry } from '../../approvals';
import type { Decision } from '../../decision';
import type { GuardrailEvent } from '../../events';
import type { ApprovalEffectOfRevision, ContentChange } from '../../revisions';
import type { RequestRecord } from '../../records';

export function receivedEntry(recordId: string, event: GuardrailEvent, at: Date): AuditEntry {
  return auditEntry(recordId, 'received', SYSTEM_ACTOR, at, { kind: event.kind, source: event.detail.source ?? 'the event bus' });
}

export function evaluatedEntry(record: Pick<RequestRecord, 'recordId' | 'revision' | 'approval'>, decision: Decision): AuditEntry {
  return auditEntry(record.recordId, 'evaluated', POLICY_ACTOR, new Date(decision.evaluatedAt), {
    outcome: decision.outcome,
    severity: decision.severity,
    policyVersion: decision.policyVersion,
    findings: decision.findings.length,
    requiredApprover: record.approval.requiredApprover,
    approval: record.approval.status,
    revision: record.revision > 1 ? record.revision : undefined,
  });
}

/** Who amended it: the requester of a purchase request (through their tool), the identity provider for an app event. */
export function amenderOf(event: GuardrailEvent): AuditActor {
  if (event.kind === 'purchase-request') {
    const { email, name } = event.detail.requester;
    return { kind: 'requester', id: email, ...(name ? { name } : {}) };
  }
  return { kind: 'system', id: event.detail.source };
}

export function amendedEntry(input: {
  recordId: string;
  event: GuardrailEvent;
  revision: number;
  changes: readonly ContentChange[];
  effect: ApprovalEffectOfRevision;
  at: Date;
}): AuditEntry {
  return auditEntry(input.recordId, 'amended', amenderOf(input.event), input.at, {
    revision: input.revision,
    changes: input.changes.map((c) => c.text),
    material: input.changes.some((c) => c.material),
    approval: input.effect,
    revisedAt: input.event.kind === 'purchase-request' ? input.event.detail.revisedAt : undefined,
  });
}

export function notifiedEntry(recordId: string, at: Date, sent: { tier?: ApproverTier; recipients: string[]; messageIds: string[]; revision: number }): AuditEntry {
  return auditEntry(recordId, 'notified', SYSTEM_ACTOR, at, {
    channel: 'it-approvers topic',
    tier: sent.tier ?? null,
    recipients: sent.recipients,
    messageIds: sent.messageIds,
    revision: sent.revision > 1 ? sent.revision : undefined,
  });
}

/** The changes the latest amendment listed (what its notice tells IT), from the record's own history. */
export function latestAmendment(record: RequestRecord): { changes: string[]; effect?: ApprovalEffectOfRevision } | undefined {
  const entry = [...record.history].reverse().find((e) => e.type === 'amended');
  if (!entry) return undefined;
  const changes = Array.isArray(entry.details.changes) ? entry.details.changes.filter((c): c is string => typeof c === 'string') : [];
  const effect = typeof entry.details.approval === 'string' ? (entry.details.approval as ApprovalEffectOfRevision) : undefined;
  return { changes, ...(effect ? { effect } : {}) };
}
