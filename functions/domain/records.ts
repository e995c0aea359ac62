/**
 * The stored request record: one canonical event with its decision and where
 * each follow-up stands. A discriminated union on `kind`, so `record.detail`
 * narrows to the purchase request or the app connection without casts.
 */
import type { AppConnected, GuardrailEvent, PurchaseRequest } from './events';
import type { Decision } from './decision';
import type { ApprovalState } from './approvals';

/** Where the notifier stands for one request; the claim stops a second copy. */
export type NotificationState =
  | { state: 'not-needed' }
  | { state: 'pending' }
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
  decision: Decision;
  policyVersion: string;
  receivedAt: string;
  notification: NotificationState;
  decisionEvent: DecisionEventState;
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
