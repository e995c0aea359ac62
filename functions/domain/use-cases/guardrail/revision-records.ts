/**
 * The records a delivery writes: the first revision (put once, with the lease
 * for its side effects and the digest hold decided up front) and an amended
 * revision (the new content, decision, approval and notification state, what
 * the history gains, and the requester's message when one is owed). Pure:
 * process.ts writes what these return.
 */
import { initialApprovalState, requesterIsIdentified, resumeAfterInformation, type AuditEntry } from '../../approvals';
import type { Decision } from '../../decision';
import { recordIdOf, type GuardrailEvent } from '../../events';
import { requestRecordOf, type NotificationState, type RequestRecord } from '../../records';
import { MAX_REVISIONS, approvalEffectOf, contentChanges, contentHashOf, type ApprovalEffectOfRevision, type ContentChange } from '../../revisions';
import type { ApprovalEffect } from '../../ports/approval-store';
import type { ApprovalSettings } from '../approvals/settings';
import { amendmentMessages } from '../../notifications';
import { digestSlotFor } from './digest-slot';
import { amendedEntry, amenderOf, evaluatedEntry, receivedEntry } from './history';

/** A delivery the guardrail will not record, for good: kept in the dead-letter queue with its reason. */
export class RefusedDeliveryError extends Error {
  constructor(
    readonly recordId: string,
    readonly reason: 'kind-mismatch' | 'revision-limit',
    message: string,
  ) {
    super(message);
    this.name = 'RefusedDeliveryError';
  }
}

function expectedSigningDateOf(event: GuardrailEvent): string | undefined {
  return event.kind === 'purchase-request' ? event.detail.expectedSigningDate : undefined;
}

/**
 * Revision 1 as the conditional put writes it: leased to this delivery, with
 * its `received` and `evaluated` entries, and held for the digest when
 * `digests` is on and the review qualifies (so no second write decides that).
 */
export function firstRevision(input: { event: GuardrailEvent; decision: Decision; now: Date; settings: ApprovalSettings; digests: boolean }): RequestRecord {
  const { event, decision, now, settings } = input;
  const recordId = recordIdOf(event);
  const approval = initialApprovalState(decision, now, {
    expectedSigningDate: expectedSigningDateOf(event),
    receivedAt: now,
    escalation: settings.escalation,
    rules: settings.rules,
    // Nobody known behind it (a system actor): two signatures instead of a self-approval check.
    requesterIdentified: requesterIsIdentified(event, decision),
  });
  const record = requestRecordOf(event, {
    recordId,
    revision: 1,
    decision,
    policyVersion: decision.policyVersion,
    receivedAt: now.toISOString(),
    notification: decision.outcome === 'allow' ? { state: 'not-needed' } : { state: 'pending' },
    decisionEvent: { state: 'pending' },
    lease: now.toISOString(),
    history: [],
    approval,
  });
  record.history = [receivedEntry(recordId, event, now), evaluatedEntry(record, decision)];
  const digestAt = input.digests && record.notification.state === 'pending' ? digestSlotFor(record, settings, now) : undefined;
  if (digestAt) record.notification = { state: 'held-for-digest', heldAt: now.toISOString(), digestAt: digestAt.toISOString() };
  return record;
}

export interface Revision {
  /** The new revision, leased to this delivery. */
  record: RequestRecord;
  /** The history entries it adds (amended, info-provided when it resumes a review, evaluated). */
  appended: AuditEntry[];
  changes: ContentChange[];
  effect: ApprovalEffectOfRevision;
  /** Kept on the record until performed (by this delivery, or the escalation sweep). */
  effects: ApprovalEffect[];
}

/** The next revision of `stored` carrying `event`'s content and the decision just made under the current policy. */
export function reviseRecord(input: { stored: RequestRecord; event: GuardrailEvent; decision: Decision; now: Date; settings: ApprovalSettings }): Revision {
  const { stored, event, decision, now, settings } = input;
  if (stored.kind !== event.kind) {
    throw new RefusedDeliveryError(stored.recordId, 'kind-mismatch', `record ${stored.recordId} is a ${stored.kind}; an ${event.kind} event cannot amend it`);
  }
  if (stored.revision >= MAX_REVISIONS) {
    throw new RefusedDeliveryError(
      stored.recordId,
      'revision-limit',
      `record ${stored.recordId} already has ${stored.revision} revisions (at most ${MAX_REVISIONS}); the source is sending the same request over and over`,
    );
  }
  const revision = stored.revision + 1;
  const changes = contentChanges(stored, event);
  const effect = approvalEffectOf({ approval: stored.approval, before: stored.decision, after: decision, material: changes.some((c) => c.material) });
  const appended: AuditEntry[] = [
    amendedEntry({ recordId: stored.recordId, event, revision, changes, effect, previousOutcome: stored.decision.outcome, at: now }),
  ];

  let approval = stored.approval;
  if (effect === 'voided' || effect === 'restarted' || effect === 'released') {
    const fresh = initialApprovalState(decision, now, {
      expectedSigningDate: expectedSigningDateOf(event),
      receivedAt: now,
      escalation: settings.escalation,
      rules: settings.rules,
      requesterIdentified: requesterIsIdentified(event, decision),
    });
    // Strictly increasing: an approver's write conditioned on the old revision must fail.
    approval = { ...fresh, revision: stored.approval.revision + 1 };
  } else if (effect === 'resumed') {
    const resumed = resumeAfterInformation({
      state: stored.approval,
      recordId: stored.recordId,
      now,
      actor: amenderOf(event),
      note: `Amended: ${changes.map((c) => c.text).join('; ')}`,
      expectedSigningDate: expectedSigningDateOf(event),
      receivedAt: stored.receivedAt,
      escalation: settings.escalation,
    });
    if (resumed.changed) {
      approval = resumed.state;
      appended.push(resumed.audit);
    }
  }

  const needsReview = decision.outcome !== 'allow';
  const before = stored.notification.state;
  const earlierDone = before === 'sent' || before === 'not-needed' || before === 'held-for-digest';
  const tellIt =
    effect === 'voided' ||
    effect === 'resumed' ||
    (effect === 'restarted' && (needsReview || before === 'sent')) ||
    (needsReview && !earlierDone && effect !== 'released');
  let notification: NotificationState = { state: 'not-needed' };
  if (tellIt) notification = { state: 'pending' };
  else if (before === 'held-for-digest' && needsReview && effect === 'kept') notification = stored.notification;

  const record = requestRecordOf(event, {
    recordId: stored.recordId,
    revision,
    earlierContent: [...(stored.earlierContent ?? []), contentHashOf(stored)],
    decision,
    policyVersion: decision.policyVersion,
    receivedAt: stored.receivedAt,
    notification,
    decisionEvent: { state: 'pending' },
    lease: now.toISOString(),
    history: stored.history,
    approval,
  });
  appended.push(evaluatedEntry(record, decision));
  record.history = [...stored.history, ...appended];

  const effects: ApprovalEffect[] = [];
  if (effect === 'voided' || (effect === 'restarted' && needsReview)) {
    const { requester } = amendmentMessages({
      after: record,
      previousOutcome: stored.decision.outcome,
      changes,
      approvalVoided: effect === 'voided',
      revision,
    });
    if (requester) effects.push({ id: `c${revision}-requester-message`, type: 'requester-message', message: requester });
  }
  return { record, appended, changes, effect, effects };
}
