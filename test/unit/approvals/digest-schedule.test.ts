/** When requests wait for the digest, the approval's decision event, request summaries and the inbox (messages: domain/notifications tests). */
import {
  approvalDecisionEvent,
  applyApproverAction,
  inboxRows,
  initialApprovalState,
  nextDigestAt,
  requestSummaryOf,
  requesterEmailsOf,
  shouldDigest,
  DigestConfigSchema,
} from '../../../functions/domain/approvals';
import type { AppConnected } from '../../../functions/domain/events';
import { at, decision, lowFinding, manager, purchaseRequest, record } from './fixtures';

const on = DigestConfigSchema.parse({ enabled: true });

describe('shouldDigest', () => {
  it('holds back reviews whose every finding is low or less, only when enabled', () => {
    const low = decision({ severity: 'low', findings: [lowFinding, { ...lowFinding, severity: 'info' }] });
    expect(shouldDigest(low, on)).toBe(true);
    expect(shouldDigest(low)).toBe(false);
    expect(shouldDigest(low, { ...on, maxSeverity: 'info' })).toBe(false);
  });

  it('never holds back blocks, medium findings or allows', () => {
    expect(shouldDigest(decision({ outcome: 'block', severity: 'low', findings: [lowFinding] }), on)).toBe(false);
    expect(shouldDigest(decision({ severity: 'medium', findings: [lowFinding, { ...lowFinding, severity: 'medium' }] }), on)).toBe(false);
    expect(shouldDigest(decision({ outcome: 'allow', severity: 'info', findings: [] }), on)).toBe(false);
  });

  it('schedules the next digest at the configured hour', () => {
    expect(nextDigestAt(at('2026-12-01T07:00:00Z'), on).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(nextDigestAt(at('2026-12-01T08:00:00Z'), on).toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });
});

describe('approval decision events', () => {
  it('says who rejected and why, as a block', () => {
    const r = applyApproverAction({
      state: initialApprovalState(decision(), at('2026-11-01T09:00:00Z')),
      recordId: 'REQ-1001',
      approver: manager,
      action: 'reject',
      comment: 'We have Box.',
      now: at('2026-11-02T09:00:00Z'),
    });
    if (!r.ok) throw new Error(r.reason);
    const ev = approvalDecisionEvent({
      recordId: 'REQ-1001',
      decision: decision(),
      state: r.state,
      step: r.step,
      sourceRef: { source: 'coupa', id: 'REQ-1001' },
      revision: 1,
      now: at('2026-11-02T09:00:00Z'),
    });
    expect(ev).toMatchObject({
      outcome: 'block',
      decidedBy: { approver: manager.email },
      decidedAt: '2026-11-02T09:00:00.000Z',
      summary: 'Rejected by Mia Manager (IT manager): We have Box.',
      approval: { status: 'rejected', action: 'reject', approverTier: 'it-manager', comment: 'We have Box.' },
    });
  });

  it('maps an approval to allow', () => {
    const ok = applyApproverAction({
      state: initialApprovalState(decision(), at('2026-11-01T09:00:00Z')),
      recordId: 'REQ-1001',
      approver: manager,
      action: 'approve',
      now: at('2026-11-02T09:00:00Z'),
    });
    if (!ok.ok) throw new Error(ok.reason);
    expect(
      approvalDecisionEvent({
        recordId: 'REQ-1001',
        decision: decision(),
        state: ok.state,
        step: ok.step,
        sourceRef: { id: 'REQ-1001' },
        revision: 1,
        now: at('2026-11-02T09:00:00Z'),
      }).outcome,
    ).toBe('allow');
  });
});

describe('request summary and inbox', () => {
  it('summarises a purchase request with spend, dates and suggestions', () => {
    const s = requestSummaryOf(record());
    expect(s).toMatchObject({
      title: 'Dropbox Business from Dropbox',
      requester: { email: 'Alice.Requester@example.com', name: 'Alice Requester' },
      department: 'Marketing',
      amount: { value: 1000, currency: 'USD', billingPeriod: 'monthly' },
      annualised: { value: 12000, currency: 'USD' },
      dataClassification: 'confidential',
      expectedSigningDate: '2026-12-10',
      deadline: '2026-12-10T00:00:00.000Z',
      suggestions: ['Use Box instead: 120 seats unused.'],
    });
  });

  it('summarises an app event and names the people behind it', () => {
    const detail: AppConnected = {
      source: 'okta',
      sourceEventId: 'evt-1',
      occurredAt: '2026-11-01T09:00:00Z',
      app: { name: 'Dropbox' },
      actor: { type: 'user', email: 'dev@example.com', displayName: 'Dev' },
      subject: { email: 'user@example.com' },
      connectionKind: 'user-assigned',
      scopes: ['files.read'],
    };
    const rec = record({
      recordId: 'okta:evt-1',
      kind: 'app-connected',
      detail,
      decision: decision({ kind: 'app-connected', requiredApprover: undefined, spend: undefined }),
    });
    expect(requesterEmailsOf(rec)).toEqual(['dev@example.com', 'user@example.com']);
    expect(requestSummaryOf(rec)).toMatchObject({
      title: 'Dropbox connected through okta',
      identitySource: 'okta',
      connectionKind: 'user-assigned',
      deadline: '2026-12-01T09:00:00.000Z',
    });
    expect(requesterEmailsOf(record())).toEqual(['Alice.Requester@example.com']);
  });

  it('sorts the inbox by deadline (an undated request by its no-date expiry) and flags overdue and due-soon requests', () => {
    const mk = (id: string, signing: string | undefined, status: 'pending' | 'approved' | 'expired-undecided' = 'pending') => {
      const summary = requestSummaryOf(record({ recordId: id, detail: purchaseRequest({ requestId: id, expectedSigningDate: signing }) }));
      const state = { ...initialApprovalState(decision(), at('2026-11-01T09:00:00Z')), status };
      return { summary, state };
    };
    const rows = inboxRows(
      [mk('C', '2026-12-20'), mk('U', undefined), mk('A', '2026-11-30'), mk('B', '2026-12-03'), mk('D', '2026-12-01', 'approved')],
      at('2026-12-01T12:00:00Z'),
    );
    // U has no signing date: it turns undecided 30 days after arrival (2026-12-01T09:00), before B's and C's dates.
    expect(rows.map((r) => r.summary.recordId)).toEqual(['A', 'U', 'B', 'C']);
    expect(rows.map((r) => [r.overdue, r.dueSoon])).toEqual([
      [true, false],
      [true, false],
      [false, true],
      [false, false],
    ]);
    expect(rows[2].waitingFor).toBe('Waiting for IT manager approval (or higher)');
  });
});
