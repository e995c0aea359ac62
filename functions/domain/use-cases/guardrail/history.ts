/**
 * The arrival entries of a request's audit trail, kept in the record itself
 * (RecordState.history): `received` and `evaluated` go in with the first
 * revision's put, `amended` and `evaluated` with each amendment's update,
 * `notified` with the write that marks the notification sent. Each is dated
 * when what it records happened and written by the write that makes it true,
 * so nothing is written twice or back-dated.
 */
import { POLICY_ACTOR, SYSTEM_ACTOR, auditEntry, type ApproverTier, type AuditActor, type AuditEntry } from '../../approvals';
import type { Decision, Outcome } from '../../decision';
import type { ChangeDescription } from '../../notifications';
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
    const { email, name, id } = event.detail.requester;
    return { kind: 'requester', id: email ?? id ?? 'an unnamed requester', ...(name ? { name } : {}) };
  }
  return { kind: 'system', id: event.detail.source };
}

export function amendedEntry(input: {
  recordId: string;
  event: GuardrailEvent;
  revision: number;
  changes: readonly ContentChange[];
  effect: ApprovalEffectOfRevision;
  previousOutcome: Outcome;
  at: Date;
}): AuditEntry {
  return auditEntry(input.recordId, 'amended', amenderOf(input.event), input.at, {
    revision: input.revision,
    changes: input.changes.map((c) => c.text),
    // What the amendment notices say, kept so a retried notice says the same.
    described: input.changes.map(({ field, label, before, after, phrase }) => ({ field, label, before, after, phrase })),
    previousOutcome: input.previousOutcome,
    material: input.changes.some((c) => c.material),
    approval: input.effect,
    revisedAt: input.event.kind === 'purchase-request' ? input.event.detail.revisedAt : undefined,
  });
}

export function notifiedEntry(
  recordId: string,
  at: Date,
  sent: { tier?: ApproverTier; recipients: string[]; messageIds: string[]; revision: number },
): AuditEntry {
  return auditEntry(recordId, 'notified', SYSTEM_ACTOR, at, {
    channel: 'it-approvers topic',
    tier: sent.tier ?? null,
    recipients: sent.recipients,
    messageIds: sent.messageIds,
    revision: sent.revision > 1 ? sent.revision : undefined,
  });
}

export interface AmendmentSummary {
  changes: ChangeDescription[];
  effect?: ApprovalEffectOfRevision;
  previousOutcome?: Outcome;
}

/** The changes the latest amendment listed (what its notice tells IT), from the record's own history. */
export function latestAmendment(record: RequestRecord): AmendmentSummary | undefined {
  const entry = [...record.history].reverse().find((e) => e.type === 'amended');
  if (!entry) return undefined;
  const { details } = entry;
  const described = Array.isArray(details.described) ? (details.described as unknown[]) : [];
  const changes = described.filter(isChangeDescription);
  const effect = typeof details.approval === 'string' ? (details.approval as ApprovalEffectOfRevision) : undefined;
  const previousOutcome = typeof details.previousOutcome === 'string' ? (details.previousOutcome as Outcome) : undefined;
  return { changes, ...(effect ? { effect } : {}), ...(previousOutcome ? { previousOutcome } : {}) };
}

function isChangeDescription(value: unknown): value is ChangeDescription {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['field', 'label', 'before', 'after', 'phrase'].every((k) => typeof v[k] === 'string');
}
