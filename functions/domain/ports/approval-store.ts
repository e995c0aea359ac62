/**
 * The approval side of a request record. Every change is one conditional
 * write on the record (no transactions): the new approval state together
 * with the side effects it causes ("pending effects"), so a crash after the
 * write loses nothing: whoever wrote them performs them, and the scheduled
 * sweep performs any still pending.
 */
import type { ApprovalState, ApproverTier, AuditEntry } from '../approvals';
import type { RequesterMessage } from '../notifications';
import type { DecisionEvent } from '../decision-event';
import type { RequestRecord } from '../records';

/** What an approval change still has to do outside the store, kept on the record until done. */
export type ApprovalEffect =
  | { id: string; type: 'audit'; entry: AuditEntry }
  | { id: string; type: 'decision-event'; event: DecisionEvent }
  | { id: string; type: 'requester-message'; message: RequesterMessage }
  | {
      id: string;
      type: 'approver-notification';
      /** remind / escalate / expire from escalation; second-signature after the first of two approvals. */
      kind: 'remind' | 'escalate' | 'expire' | 'second-signature';
      tier: ApproverTier;
      fromTier?: ApproverTier;
    };

export interface ApprovalStore {
  /** The record with its pending effects, read consistently. */
  load(recordId: string): Promise<{ record: RequestRecord; effects: ApprovalEffect[] } | undefined>;
  /**
   * Writes `state` and adds `effects` if the stored approval still has
   * `expectedRevision`; false when someone changed it first (nothing written).
   */
  save(recordId: string, expectedRevision: number, state: ApprovalState, effects: ApprovalEffect[], now: Date): Promise<boolean>;
  /** Removes a performed effect. */
  completeEffect(recordId: string, effectId: string): Promise<void>;
  /**
   * Recomputes when the sweep should look at the record again (or drops it
   * from the queue once decided and without pending effects); ignored when
   * the approval changed meanwhile.
   */
  reschedule(recordId: string, expectedRevision: number, now: Date): Promise<void>;
  /** Every request whose approval is still open: the inbox. */
  listOpen(): Promise<RequestRecord[]>;
  /** Ids of requests the sweep should look at now (something due at or before `now`), soonest first. */
  listDue(now: Date, limit: number): Promise<string[]>;
}
