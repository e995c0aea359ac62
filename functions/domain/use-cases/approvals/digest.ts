/**
 * The daily digest: each approver gets one message with every low-risk
 * request held for them (personal links per request), then the requests
 * are marked notified. A request is marked only when every approver it was
 * meant for got their digest; a failed send leaves it held for the next run.
 */
import { SYSTEM_ACTOR, auditEntry, isUndecided, requestSummaryOf, type Approver, type ApproverTier } from '../../approvals';
import { digestMessage, type DigestItem } from '../../notifications';
import { errorMessage } from '../../errors';
import type { AuditLog } from '../../ports/audit-log';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import type { DigestQueue } from '../../ports/digest-queue';
import type { ServiceLogger } from '../../ports/logger';
import type { Notifier } from '../../ports/notifier';
import type { PolicySource } from '../../ports/policy-source';
import { addresseesOf, approvalSettingsOf, decisionLinkExpiry } from './settings';

export interface DigestDeps {
  policy: PolicySource;
  digestQueue: DigestQueue;
  audit: Pick<AuditLog, 'append'>;
  notifier: Notifier;
  links: DecisionLinkIssuer;
  logger?: ServiceLogger;
}

export interface DigestReport {
  /** Requests that were waiting for this digest. */
  held: number;
  /** Digest messages sent (one per approver with something to decide). */
  sent: number;
  /** Requests marked notified by this run. */
  delivered: number;
  /** Requests decided before their digest went out (nothing to send). */
  skipped: number;
  failures: { recipient: string; error: string }[];
}

interface ApproverDigest {
  approver: Approver;
  tier: ApproverTier;
  items: DigestItem[];
  recordIds: string[];
}

export async function runDigest(deps: DigestDeps, now: Date): Promise<DigestReport> {
  const report: DigestReport = { held: 0, sent: 0, delivered: 0, skipped: 0, failures: [] };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const held = await deps.digestQueue.listDue(now);
  report.held = held.length;
  const perApprover = new Map<string, ApproverDigest>();
  const recipientsOf = new Map<string, string[]>();
  for (const record of held) {
    if (!isUndecided(record.approval)) {
      await deps.digestQueue.markSent(record.recordId, 'digest-skipped: decided before the digest', now);
      report.skipped++;
      continue;
    }
    const summary = requestSummaryOf(record, settings.escalation);
    const addressees = addresseesOf(record, settings, record.approval.escalation.currentTier);
    if (!addressees) continue; // stays held; the policy needs an approver (validation normally prevents this)
    const expiresAt = decisionLinkExpiry(summary.deadline, now, settings.links);
    recipientsOf.set(
      record.recordId,
      addressees.approvers.map((a) => a.email),
    );
    for (const approver of addressees.approvers) {
      const key = approver.email.toLowerCase();
      const entry = perApprover.get(key) ?? { approver, tier: addressees.tier, items: [], recordIds: [] };
      const links = await deps.links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now });
      const requestUrl = deps.links.requestUrl(record.recordId);
      entry.items.push({ summary, links, linksExpireAt: expiresAt, ...(requestUrl ? { requestUrl } : {}) });
      entry.recordIds.push(record.recordId);
      perApprover.set(key, entry);
    }
  }
  const inboxUrl = deps.links.inboxUrl();
  const delivered = new Map<string, string[]>();
  const failedRecords = new Set<string>();
  for (const { approver, tier, items, recordIds } of perApprover.values()) {
    try {
      const { messageId } = await deps.notifier.notify(digestMessage({ approver, tier, items, now, ...(inboxUrl ? { inboxUrl } : {}) }));
      report.sent++;
      for (const id of recordIds) delivered.set(id, [...(delivered.get(id) ?? []), messageId]);
    } catch (error) {
      report.failures.push({ recipient: approver.email, error: errorMessage(error) });
      for (const id of recordIds) failedRecords.add(id);
      deps.logger?.error('Digest could not be sent; its requests stay held for the next run', { recipient: approver.email, error: errorMessage(error) });
    }
  }
  for (const [recordId, messageIds] of delivered) {
    if (failedRecords.has(recordId)) continue;
    await deps.digestQueue.markSent(recordId, messageIds.join(' '), now);
    await deps.audit.append(
      auditEntry(recordId, 'notified', SYSTEM_ACTOR, now, { channel: 'digest', recipients: recipientsOf.get(recordId) ?? [], messageIds }),
    );
    report.delivered++;
  }
  return report;
}
