/**
 * A contract approved through the guardrail, read from its request record:
 * signed on the expected signing date (or the day it was approved), running
 * for its term, renewing by itself when the request said so. Requests that
 * state neither a term nor auto-renewal commit to nothing recurring.
 */
import type { RequestRecord } from '../records';
import type { ApprovedContract } from './calendar';

export function approvedContractOf(record: RequestRecord): ApprovedContract | undefined {
  if (record.kind !== 'purchase-request' || record.approval.status !== 'approved') return undefined;
  const d = record.detail;
  if (d.termMonths === undefined && d.autoRenew === undefined) return undefined;
  const approvedAt = [...record.approval.steps].reverse().find((s) => s.action === 'approve')?.at;
  const signingDate = d.expectedSigningDate ?? approvedAt?.slice(0, 10) ?? record.receivedAt.slice(0, 10);
  const spend = record.decision.spend;
  return {
    recordId: record.recordId,
    title: d.product ?? d.vendor.name ?? d.vendor.domain ?? record.recordId,
    ...(d.vendor.name && d.product ? { vendorName: d.vendor.name } : {}),
    ...((record.decision.category ?? d.category) ? { category: record.decision.category ?? d.category } : {}),
    ...(d.requester.email ? { owner: d.requester.email } : {}),
    signingDate,
    termMonths: d.termMonths ?? 12,
    ...(d.autoRenew !== undefined ? { autoRenews: d.autoRenew } : {}),
    ...(d.seats !== undefined ? { seats: d.seats } : {}),
    ...(spend ? { annualPrice: { amount: spend.annualised, currency: spend.currency } } : {}),
  };
}
