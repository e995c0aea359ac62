/**
 * The gauges the escalation sweep reports for the operations dashboard:
 * open approvals, and those past a deadline (the addressee was reminded, the
 * request escalated, or it is still undecided at its signing date).
 */
import { openApprovalCounts, SWEEP_METRICS } from '../../../functions/handlers/escalation-sweep';
import type { RequestRecord } from '../../../functions/domain/records';
import { record } from './fixtures';

const withEscalation = (changes: Partial<RequestRecord['approval']['escalation']>, status: RequestRecord['approval']['status'] = 'pending'): RequestRecord => {
  const base = record();
  return { ...base, approval: { ...base.approval, status, escalation: { ...base.approval.escalation, ...changes } } };
};

test('counts open approvals and, of those, the ones past a deadline', () => {
  const open = [
    withEscalation({}),
    withEscalation({ remindedAt: '2026-11-20T09:00:00Z' }),
    withEscalation({ level: 1, escalatedAt: '2026-11-21T09:00:00Z' }),
    withEscalation({ expiredAt: '2026-11-25T00:00:00Z' }, 'expired-undecided'),
    withEscalation({}, 'info-requested'),
  ];
  expect(openApprovalCounts(open)).toEqual({ pending: 5, overdue: 3 });
  expect(openApprovalCounts([])).toEqual({ pending: 0, overdue: 0 });
});

test('the gauges have the names the dashboard charts', () => {
  expect([SWEEP_METRICS.pending, SWEEP_METRICS.overdue]).toEqual(['ApprovalsPending', 'ApprovalsOverdue']);
});
