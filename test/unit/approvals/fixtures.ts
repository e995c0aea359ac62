import type { Decision, Finding } from '../../../functions/domain/decision';
import type { AppConnectionRecord, PurchaseRequestRecord, RecordState, RequestRecord } from '../../../functions/domain/records';
import type { PurchaseRequest } from '../../../functions/domain/events';
import { initialApprovalState, type ActingApprover } from '../../../functions/domain/approvals';

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    kind: 'purchase-request',
    recordId: 'REQ-1001',
    outcome: 'review',
    severity: 'medium',
    findings: [
      {
        code: 'DUPLICATE_CAPABILITY',
        dimension: 'cost',
        severity: 'medium',
        message: 'File sharing already has a sanctioned tool.',
        suggestion: 'Use Box instead: 120 seats unused.',
      },
    ],
    summary: 'Review: Dropbox duplicates Box.',
    policyVersion: '2026-11-27.1',
    evaluatedAt: '2026-11-01T09:00:00.000Z',
    requiredApprover: 'it-manager',
    twoStepApproval: false,
    spend: { annualised: 12000, totalContractValue: 12000, currency: 'USD' },
    ...overrides,
  };
}

export const lowFinding: Finding = {
  code: 'AUTO_RENEW',
  dimension: 'cost',
  severity: 'low',
  message: 'The contract renews automatically.',
};

export function purchaseRequest(overrides: Partial<PurchaseRequest> = {}): PurchaseRequest {
  return {
    requestId: 'REQ-1001',
    source: 'coupa',
    requester: { email: 'Alice.Requester@example.com', name: 'Alice Requester', department: 'Marketing' },
    vendor: { name: 'Dropbox', domain: 'dropbox.com' },
    product: 'Dropbox Business',
    amount: { value: 1000, currency: 'USD' },
    billingPeriod: 'monthly',
    dataClassification: 'confidential',
    expectedSigningDate: '2026-12-10',
    ...overrides,
  };
}

/** A purchase request's record by default; `kind` and `detail` are overridden together (an app connection's record). */
export function record(
  overrides: Partial<RecordState> & (Partial<Pick<PurchaseRequestRecord, 'kind' | 'detail'>> | Pick<AppConnectionRecord, 'kind' | 'detail'>) = {},
): RequestRecord {
  const detail = purchaseRequest();
  return {
    recordId: detail.requestId,
    revision: 1,
    history: [],
    kind: 'purchase-request',
    detail,
    decision: decision(),
    policyVersion: '2026-11-27.1',
    receivedAt: '2026-11-01T09:00:00.000Z',
    notification: { state: 'pending' },
    decisionEvent: { state: 'pending' },
    approval: initialApprovalState(decision(), new Date('2026-11-01T09:00:00.000Z'), { expectedSigningDate: detail.expectedSigningDate }),
    ...overrides,
  };
}

export const manager: ActingApprover = { email: 'mia.manager@example.com', name: 'Mia Manager', tier: 'it-manager' };
export const manager2: ActingApprover = { email: 'max.manager@example.com', name: 'Max Manager', tier: 'it-manager' };
export const director: ActingApprover = { email: 'dana.director@example.com', name: 'Dana Director', tier: 'it-director' };
export const director2: ActingApprover = { email: 'dev.director@example.com', name: 'Dev Director', tier: 'it-director' };
export const cio: ActingApprover = { email: 'chris.cio@example.com', name: 'Chris CIO', tier: 'cio' };
export const REQUESTER = 'Alice.Requester@example.com';

export const at = (iso: string) => new Date(iso);
