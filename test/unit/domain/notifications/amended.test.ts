/** "Amended: …" to IT and to the requester: what changed, and what it did to the decision. */
import { amendmentMessages, describeChanges, personal, unaddressed } from '../../../../functions/domain/notifications';
import type { PurchaseRequestRecord } from '../../../../functions/domain/records';
import { decision, purchaseRequest, record } from '../../approvals/fixtures';

const before = record({
  detail: purchaseRequest({ amount: { value: 12000, currency: 'USD' }, billingPeriod: 'annual', termMonths: 12 }),
}) as PurchaseRequestRecord;
const approvedBefore = { ...before, approval: { ...before.approval, status: 'approved' as const } };
const after = record({
  detail: purchaseRequest({ amount: { value: 90000, currency: 'USD' }, billingPeriod: 'annual', termMonths: 60 }),
  decision: decision({ requiredApprover: 'cio', spend: { annualised: 90000, totalContractValue: 450000, currency: 'USD' } }),
}) as PurchaseRequestRecord;

describe('amendmentMessages', () => {
  const { it: draft, requester } = amendmentMessages({
    previousOutcome: approvedBefore.decision.outcome,
    after: after,
    changes: describeChanges(approvedBefore, after, ['amount.value', 'termMonths']),
    approvalVoided: true,
    revision: 2,
  });

  it('says what changed and that the approval no longer stands, to IT', () => {
    const m = unaddressed(draft);
    expect(m.text.split('\n')[0]).toBe('Amended: amount 12,000 → 90,000 USD; term 12 → 60 months; approval voided, back to review.');
    expect(m.text).toMatch(/Amount: +12,000 USD\/yr → 90,000 USD\/yr/);
    expect(m.text).toMatch(/Term: +12 months → 60 months/);
    expect(m.subject).toBe('[REVIEW] Amended: Dropbox for Marketing — 90,000 USD/yr');
    expect(m.attributes).toMatchObject({ type: 'amended', outcome: 'review', kind: 'purchase-request' });
    expect(m.data).toMatchObject({
      type: 'amended',
      revision: 2,
      approvalVoided: true,
      changes: [
        { field: 'amount', before: '12,000 USD/yr', after: '90,000 USD/yr' },
        { field: 'termMonths', label: 'term' },
      ],
    });
    expect(m.chat.metadata).toMatchObject({ threadId: 'REQ-1001', eventType: 'Guardrail Amendment' });
    expect(m.chat.id).toBe('REQ-1001:amended:2');
  });

  it('carries the approver’s new links in their email when they are asked again', () => {
    const links = {
      approve: 'https://a.example/decide?token=1',
      reject: 'https://a.example/decide?token=2',
      'request-info': 'https://a.example/decide?token=3',
    };
    const m = personal(
      draft,
      { approver: { email: 'chris@example.com', name: 'Chris' }, tier: 'cio', links: { 'REQ-1001': { links, expiresAt: new Date('2026-12-10T00:00:00Z') } } },
      true,
    );
    expect(m.text).toContain('  Approve: https://a.example/decide?token=1');
    expect(JSON.stringify([m.chat, m.data])).not.toContain('token=');
  });

  it('tells the requester, filtered to them, not to sign until IT decides again', () => {
    expect(requester).toBeDefined();
    expect(requester!.subject).toBe('Amended: Dropbox Business from Dropbox');
    expect(requester!.text.split('\n')[0]).toBe('Your request was amended: amount 12,000 → 90,000 USD; term 12 → 60 months; approval voided, back to review.');
    expect(requester!.text).toContain('The earlier approval no longer stands: IT reviews the request again. Please do not sign until IT decides.');
    expect(requester!.attributes).toMatchObject({ type: 'amended', requester: 'alice.requester@example.com' });
    expect(requester!.to).toBe('Alice.Requester@example.com');
  });

  it('reports a changed outcome without a voided approval, and a block as such', () => {
    const blocked = { ...after, decision: decision({ outcome: 'block', severity: 'critical' }) };
    const m = amendmentMessages({
      previousOutcome: before.decision.outcome,
      after: blocked,
      changes: describeChanges(before, blocked, ['vendor.name']),
      approvalVoided: false,
      revision: 3,
    });
    expect(unaddressed(m.it).data.summary).toBe('amended: vendor changed; policy outcome review → block');
    expect(m.requester!.text).toContain('Policy does not allow the request as amended: please do not sign it.');
  });
});

describe('describeChanges', () => {
  const b = purchaseRequest();
  const a = purchaseRequest({
    vendor: { name: 'WeTransfer' },
    amount: { value: 900, currency: 'EUR' },
    dataClassification: 'restricted',
    seats: 40,
    termMonths: undefined,
  });
  const changes = describeChanges({ kind: 'purchase-request', detail: b }, { kind: 'purchase-request', detail: a }, [
    'vendor',
    'amount.value',
    'amount.currency',
    { field: 'dataClassification' },
    'seats',
    'notes.internal',
  ]);

  it('reads each change from the two versions, one line per field', () => {
    expect(changes.map((c) => c.phrase)).toEqual([
      'vendor Dropbox → WeTransfer',
      'amount 1,000 USD → 900 EUR',
      'data classification confidential → restricted',
      'seats not stated → 40',
      'notes.internal changed',
    ]);
  });
});
