/**
 * The stored request record: one canonical event with its decision and where
 * each follow-up stands. A discriminated union on `kind`, so `record.detail`
 * narrows to the purchase request or the app connection without casts.
 */
import type { AppConnected, GuardrailEvent, PurchaseRequest } from './events';
import type { Decision } from './decision';
import type { ApprovalState, AuditEntry } from './approvals';

/** Where the notification of the current revision stands; the record's lease stops a second copy. */
export type NotificationState =
  | { state: 'not-needed' }
  | { state: 'pending' }
  /** Written by releases before revisions: read as `pending` (the lease now guards sending). */
  | { state: 'sending'; claimedAt: string }
  | { state: 'sent'; sentAt: string; messageId: string }
  /**
   * A low-risk review waiting for the daily digest (policy `approvals.digest`):
   * the digest run sends it with the others due at `digestAt`, then marks it sent.
   */
  | { state: 'held-for-digest'; heldAt: string; digestAt: string };

/** Whether the `Guardrail Decision` event of the automatic evaluation went out. */
export type DecisionEventState = { state: 'pending' } | { state: 'published'; publishedAt: string };

/** What every record holds, whatever its kind. */
export interface RecordState {
  recordId: string;
  /** Content revision: 1 for the first content seen under this id, one more per amendment (revisions.ts). */
  revision: number;
  /** Fingerprints of earlier revisions' content (contentHashOf): a late copy of one is a redelivery. Absent on revision 1. */
  earlierContent?: string[];
  /** The current revision's decision. */
  decision: Decision;
  policyVersion: string;
  /** When the first revision arrived. */
  receivedAt: string;
  /** The current revision's notification to IT and `Guardrail Decision` event. */
  notification: NotificationState;
  decisionEvent: DecisionEventState;
  /**
   * When a delivery took the current revision's side effects (notification,
   * decision event) to perform them; absent when nobody holds them. A lease
   * older than the claim lease is a crashed holder's and may be taken over.
   */
  lease?: string;
  /**
   * The arrival part of the audit trail (received, amended, evaluated,
   * notified), oldest first: each entry is appended once, in the write that
   * makes it true, and never rewritten. AuditLog.list merges it with the
   * entries approvals write on their own.
   */
  history: AuditEntry[];
  /**
   * Where the approval stands (approvals/types.ts): `not-required` for an
   * allowed request, otherwise pending until approvers decide. Changed only
   * by conditional writes on its `revision`.
   */
  approval: ApprovalState;
}

export interface PurchaseRequestRecord extends RecordState {
  kind: 'purchase-request';
  detail: PurchaseRequest;
}

export interface AppConnectionRecord extends RecordState {
  kind: 'app-connected';
  detail: AppConnected;
}

export type RequestRecord = PurchaseRequestRecord | AppConnectionRecord;

/** A new record for an event: its kind and detail with the state the caller sets. */
export function requestRecordOf(event: GuardrailEvent, state: RecordState): RequestRecord {
  // One branch per kind so each pair stays typed; only kind and detail are taken from the event object.
  return event.kind === 'purchase-request' ? { ...state, kind: event.kind, detail: event.detail } : { ...state, kind: event.kind, detail: event.detail };
}

/** The department a request belongs to (approvers may cover only some). */
export function departmentOf(event: GuardrailEvent): string | undefined {
  return event.kind === 'purchase-request' ? event.detail.requester.department : event.detail.department;
}

/** The source's own ids, echoed on every decision event so the procurement tool can correlate. */
export interface SourceRef {
  source?: string;
  id: string;
}

export function sourceRefOf(event: GuardrailEvent): SourceRef {
  if (event.kind === 'purchase-request') {
    const { source, requestId } = event.detail;
    return source === undefined ? { id: requestId } : { source, id: requestId };
  }
  return { source: event.detail.source, id: event.detail.sourceEventId };
}
