/**
 * Revisions, judged without a store: what changed and whether it matters,
 * what a delivery is to the stored record, and what a revision does to the
 * approval.
 */
import { createHash } from 'node:crypto';
import { contentHash, sha256Hex } from '../../../functions/domain/content-hash';
import type { Decision } from '../../../functions/domain/decision';
import type { PurchaseRequest } from '../../../functions/domain/events';
import type { RequestRecord } from '../../../functions/domain/records';
import { approvalEffectOf, classifyDelivery, contentHashOf, isStricter, purchaseChanges } from '../../../functions/domain/revisions';
import { initialApprovalState } from '../../../functions/domain/approvals';
import { recordFor, sampleEvent } from '../../support/fixtures';

const dropbox = () => sampleEvent('purchase-request/dropbox-marketing-confidential.json') as { kind: 'purchase-request'; detail: PurchaseRequest };
const amend = (detail: PurchaseRequest, change: Partial<PurchaseRequest>): PurchaseRequest => ({ ...detail, ...change });

describe('what changed', () => {
  const before = amend(dropbox().detail, { vendor: { name: 'Box', domain: 'box.com' }, amount: { value: 12_000, currency: 'USD' }, termMonths: 12 });

  it('says it the way people read it, in a stable order, and calls vendor, amount up, term longer and stricter data material', () => {
    const after = amend(before, {
      vendor: { name: 'WeTransfer', domain: 'wetransfer.com' },
      amount: { value: 900_000, currency: 'USD' },
      termMonths: 60,
      dataClassification: 'restricted',
    });
    const changes = purchaseChanges(before, after);
    expect(changes.map((c) => c.text)).toEqual([
      'vendor Box → WeTransfer',
      'vendor domain box.com → wetransfer.com',
      'amount 12,000 → 900,000 USD',
      'term 12 → 60 months',
      'data classification confidential → restricted',
    ]);
    expect(changes.every((c) => c.material)).toBe(true);
  });

  it('treats what only lowers risk, and text edits, as not material', () => {
    const after = amend(before, {
      amount: { value: 900, currency: 'USD' },
      termMonths: 6,
      dataClassification: 'internal',
      justification: 'cheaper',
      autoRenew: false,
    });
    const changes = purchaseChanges({ ...before, autoRenew: true }, after);
    expect(changes.map((c) => [c.field, c.material])).toEqual([
      ['amount', false],
      ['termMonths', false],
      ['autoRenew', false],
      ['dataClassification', false],
      ['justification', false],
    ]);
  });

  it('calls a new requester, department, product, currency, seats up and auto-renewal on material', () => {
    const after = amend(before, {
      requester: { ...before.requester, email: 'approver@example.com', department: 'Engineering' },
      product: 'Box Enterprise Plus',
      amount: { value: 12_000, currency: 'EUR' },
      seats: 400,
      autoRenew: true,
    });
    const material = purchaseChanges({ ...before, autoRenew: false }, after)
      .filter((c) => c.material)
      .map((c) => c.field);
    expect(material.sort()).toEqual(['amount', 'autoRenew', 'product', 'requester.department', 'requester.email', 'seats'].sort());
    expect(purchaseChanges(before, after).find((c) => c.field === 'amount')?.text).toBe('amount 12,000 USD → 12,000 EUR');
  });
});

describe('what a delivery is', () => {
  const stored: RequestRecord = { ...recordFor(dropbox()), earlierContent: [] };
  const withRevisedAt = (record: RequestRecord, at: string): RequestRecord =>
    ({ ...record, detail: { ...(record.detail as PurchaseRequest), revisedAt: at } }) as RequestRecord;

  it('is a redelivery when the content is the stored one, whatever its revision time says', () => {
    const event = dropbox();
    expect(classifyDelivery(stored, event)).toBe('redelivery');
    expect(classifyDelivery(stored, { ...event, detail: { ...event.detail, revisedAt: '2030-01-01T00:00:00Z' } })).toBe('redelivery');
  });

  it('is an earlier revision when its content was seen before, and superseded when the source dated it before the stored one', () => {
    const old = amend(dropbox().detail, { amount: { value: 1, currency: 'USD' } });
    const seen = { ...stored, earlierContent: [contentHashOf({ kind: 'purchase-request', detail: old })] };
    expect(classifyDelivery(seen, { kind: 'purchase-request', detail: old })).toBe('earlier-revision');
    const dated = withRevisedAt(stored, '2026-11-27T12:00:00Z');
    expect(classifyDelivery(dated, { kind: 'purchase-request', detail: { ...old, revisedAt: '2026-11-27T11:59:59Z' } })).toBe('superseded');
    expect(classifyDelivery(dated, { kind: 'purchase-request', detail: { ...old, revisedAt: '2026-11-27T12:00:01Z' } })).toBe('amendment');
    // Without the source's time on both sides, new content is an amendment by arrival.
    expect(classifyDelivery(dated, { kind: 'purchase-request', detail: old })).toBe('amendment');
  });
});

describe('what a revision does to the approval', () => {
  const decision = (outcome: Decision['outcome'], requiredApprover: Decision['requiredApprover'] = 'it-manager'): Decision =>
    ({
      kind: 'purchase-request',
      recordId: 'x',
      outcome,
      severity: 'medium',
      findings: [],
      summary: '',
      requiredApprover,
      policyVersion: 'v',
      evaluatedAt: '2026-11-27T12:00:00Z',
    }) as Decision;
  const pending = initialApprovalState(decision('review'), new Date('2026-11-27T12:00:00Z'));
  const approved = {
    ...pending,
    status: 'approved' as const,
    steps: [{ action: 'approve' as const, by: { email: 'a@example.com', tier: 'it-manager' as const }, at: '2026-11-27T13:00:00Z' }],
    revision: 1,
  };
  const infoRequested = {
    ...pending,
    status: 'info-requested' as const,
    steps: [{ action: 'request-info' as const, by: { email: 'a@example.com', tier: 'it-manager' as const }, at: '2026-11-27T13:00:00Z' }],
    revision: 1,
  };

  it('voids what an approver decided on a material change or a stricter decision, and keeps it otherwise', () => {
    expect(approvalEffectOf({ approval: approved, before: decision('review'), after: decision('review'), material: true })).toBe('voided');
    expect(approvalEffectOf({ approval: approved, before: decision('review'), after: decision('block'), material: false })).toBe('voided');
    expect(approvalEffectOf({ approval: approved, before: decision('review'), after: decision('review', 'cio'), material: false })).toBe('voided');
    expect(approvalEffectOf({ approval: approved, before: decision('review'), after: decision('allow'), material: false })).toBe('kept');
  });

  it('resumes a review waiting for information, restarts one nobody touched, and releases it when the policy now allows it', () => {
    expect(approvalEffectOf({ approval: infoRequested, before: decision('review'), after: decision('review'), material: false })).toBe('resumed');
    expect(approvalEffectOf({ approval: infoRequested, before: decision('review'), after: decision('review'), material: true })).toBe('voided');
    expect(approvalEffectOf({ approval: pending, before: decision('review'), after: decision('review'), material: true })).toBe('restarted');
    expect(approvalEffectOf({ approval: pending, before: decision('review'), after: decision('allow'), material: false })).toBe('released');
  });

  it('knows which decision asks more', () => {
    expect(isStricter(decision('allow'), decision('review'))).toBe(true);
    expect(isStricter(decision('block'), decision('review'))).toBe(false);
    expect(isStricter(decision('review', 'it-manager'), decision('review', 'it-director'))).toBe(true);
    expect(isStricter(decision('review', 'cio'), decision('review', 'it-manager'))).toBe(false);
    expect(isStricter(decision('review'), { ...decision('review'), twoStepApproval: true })).toBe(true);
  });
});

it('fingerprints content with SHA-256 (the pure implementation agrees with node:crypto), independent of key order', () => {
  for (const text of ['', 'abc', 'é'.repeat(100), 'x'.repeat(1000)]) expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  expect(contentHash({ a: 1, b: [2, 3] })).toBe(contentHash({ b: [2, 3], a: 1 }));
  expect(contentHash({ a: 1 })).toHaveLength(32);
});
