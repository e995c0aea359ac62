/**
 * The first two audit entries of every request, `received` and `evaluated`,
 * dated from the stored record: their ids come from it, so a redelivery
 * appends nothing new.
 */
import { POLICY_ACTOR, SYSTEM_ACTOR, auditEntry } from '../../approvals';
import type { RequestRecord } from '../../records';
import type { AuditLog } from '../../ports/audit-log';

export async function appendArrivalEntries(audit: AuditLog, record: RequestRecord): Promise<void> {
  const { decision } = record;
  await audit.append(
    auditEntry(record.recordId, 'received', SYSTEM_ACTOR, new Date(record.receivedAt), {
      kind: record.kind,
      source: record.detail.source ?? 'the event bus',
    }),
  );
  await audit.append(
    auditEntry(record.recordId, 'evaluated', POLICY_ACTOR, new Date(decision.evaluatedAt), {
      outcome: decision.outcome,
      severity: decision.severity,
      policyVersion: decision.policyVersion,
      findings: decision.findings.length,
      requiredApprover: record.approval.requiredApprover,
      approval: record.approval.status,
    }),
  );
}
