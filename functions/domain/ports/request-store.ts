/**
 * Request records as the guardrail writes them, in as few single-item
 * conditional writes as the guarantees allow: a first delivery costs two (the
 * put that creates the record and leases its side effects, then the write
 * that records them done), an amendment two (the update that replaces the
 * revision and leases its effects, then the same settling write).
 */
import type { AuditEntry } from '../approvals';
import type { ApprovalEffect } from './approval-store';
import type { DecisionEventState, NotificationState, RequestRecord } from '../records';

export interface RequestStore {
  get(recordId: string): Promise<RequestRecord | undefined>;
  /**
   * Writes revision 1 (leased, see RecordState.lease) unless a record with its
   * id exists: at-least-once delivery never makes a second record. A conflict
   * answers the stored record (handed back by the failed put where the
   * database does, else read once, consistently).
   */
  createIfAbsent(record: RequestRecord): Promise<{ created: true } | { created: false; existing: RequestRecord }>;
  /**
   * Replaces the stored revision with `next` (leased to the caller) and appends
   * `appended` to the history and `effects` to the pending effects, if the
   * stored content revision and approval revision are still `expected` and no
   * lease taken at or after `staleBefore` is held. False when any of that
   * changed (nothing written): reread and judge again.
   */
  revise(
    next: RequestRecord,
    expected: { revision: number; approvalRevision: number; staleBefore: string },
    change: { appended: AuditEntry[]; effects: ApprovalEffect[]; now: Date },
  ): Promise<boolean>;
  /** Takes the side effects of `revision` at `leasedAt` when nobody holds them or the holder's lease is older than `staleBefore`. */
  takeLease(recordId: string, revision: number, leasedAt: string, staleBefore: string): Promise<boolean>;
  /**
   * The lease holder's one write: what it performed (notification sent, decision
   * published, history entries, pending effects done) and the lease given back.
   * False when the lease was no longer its own (taken over after it expired).
   */
  settle(
    recordId: string,
    leasedAt: string,
    done: { notification?: NotificationState; decisionEvent?: DecisionEventState; appended: AuditEntry[]; completedEffects: string[] },
  ): Promise<boolean>;
}
