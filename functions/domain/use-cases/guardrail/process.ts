/**
 * The guardrail use case: one canonical event in, one stored decision, at most
 * one notification to IT and one `Guardrail Decision` event out, however often
 * the bus delivers it.
 *
 * EventBridge and Lambda deliver at least once, and a Lambda may die between
 * any two steps. So the record is written first with a conditional put (the
 * first delivery wins), every later step is recorded on it, and a redelivery
 * resumes from the stored record instead of evaluating again: a policy change
 * between two deliveries must not produce a second, different decision. Each
 * side effect is taken with a leased claim (once.ts).
 */
import { recordIdOf, type GuardrailEvent } from '../../events';
import type { Decision } from '../../decision';
import { evaluateEvent } from '../../evaluate';
import { errorMessage } from '../../errors';
import { stableJson } from '../../stable-json';
import { decisionEventOf } from '../../decision-event';
import { requestRecordOf, type RequestRecord } from '../../records';
import { SYSTEM_ACTOR, auditEntry, initialApprovalState, requesterIsIdentified } from '../../approvals';
import type { AuditLog } from '../../ports/audit-log';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import type { DecisionPublisher } from '../../ports/decision-publisher';
import type { DigestQueue } from '../../ports/digest-queue';
import type { Notifier } from '../../ports/notifier';
import type { PolicySource } from '../../ports/policy-source';
import type { RequestStore } from '../../ports/request-store';
import { approvalSettingsOf, type ApprovalSettings } from '../approvals/settings';
import { initialApproverNotifications } from '../approvals/approver-prompts';
import { appendArrivalEntries } from './arrival-audit';
import { digestSlotFor } from './digest-slot';
import { DEFAULT_CLAIM_LEASE_MS, GuardrailStepError, performOnce, type OnceDeps } from './once';

export interface GuardrailDeps extends OnceDeps {
  policy: PolicySource;
  requests: RequestStore;
  notifier: Notifier;
  decisions: DecisionPublisher;
  /**
   * How long a claim protects a send in progress. It must outlast one
   * invocation (the Lambda timeout) so a slow live sender is never doubled,
   * and be short enough that Lambda's async retries (about 1 and 3 minutes
   * after a failure) find a crashed sender's claim expired.
   */
  claimLeaseMs?: number;
  /** The audit trail (received, evaluated, notified). Without it nothing is audited. */
  audit?: AuditLog;
  /**
   * Signs each addressed approver's decision links into the notification.
   * Without it (or without approvers in the policy) notifications carry no links.
   */
  links?: DecisionLinkIssuer;
  /** Holds low-risk reviews for the daily digest when the policy turns digests on; without it every notification goes at once. */
  digestQueue?: Pick<DigestQueue, 'hold'>;
}

export interface ProcessResult {
  recordId: string;
  outcome: Decision['outcome'];
  /** The record already existed: this delivery was a repeat and was not evaluated again. */
  duplicate: boolean;
  /** This call delivered the notification to IT. */
  notified: boolean;
  /** This call published the `Guardrail Decision` event. */
  decisionPublished: boolean;
  policyVersion: string;
}

/**
 * Evaluates a validated event and carries it through: record (once), notify IT
 * (once, for review and block), publish the decision (once). Transient errors
 * propagate so Lambda retries; the retry finds the record and does only what
 * is left.
 */
export async function processGuardrailEvent(deps: GuardrailDeps, event: GuardrailEvent): Promise<ProcessResult> {
  const { requests, clock, logger } = deps;
  const leaseMs = deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const receivedAt = clock.now();
  const policy = await deps.policy.current();
  const decision = evaluateEvent(event, policy, receivedAt);
  const recordId = recordIdOf(event);
  const settings = approvalSettingsOf(policy.policy);

  const fresh = requestRecordOf(event, {
    recordId,
    decision,
    policyVersion: decision.policyVersion,
    receivedAt: receivedAt.toISOString(),
    notification: decision.outcome === 'allow' ? { state: 'not-needed' } : { state: 'pending' },
    decisionEvent: { state: 'pending' },
    approval: initialApprovalState(decision, receivedAt, {
      expectedSigningDate: event.kind === 'purchase-request' ? event.detail.expectedSigningDate : undefined,
      receivedAt,
      escalation: settings.escalation,
      rules: settings.rules,
      // Nobody known behind it (a system actor): two signatures instead of a self-approval check.
      requesterIdentified: requesterIsIdentified(event, decision),
    }),
  });
  const { created, record } = await requests.createIfAbsent(fresh);

  if (!created) {
    logger?.info('Duplicate delivery: resuming from the stored record', {
      recordId,
      storedOutcome: record.decision.outcome,
      notification: record.notification.state,
      decisionEvent: record.decisionEvent.state,
    });
    if (stableJson(record.detail) !== stableJson(event.detail)) {
      // Same id, different content: the source edited a request in place. The first decision stands; say so loudly.
      logger?.warn('Redelivered event differs from the stored one; the stored decision stands', {
        recordId,
        storedReceivedAt: record.receivedAt,
      });
    }
  } else {
    logger?.info('Decision recorded', { recordId, outcome: decision.outcome, policyVersion: decision.policyVersion });
  }

  const failures: GuardrailStepError['failures'] = [];
  let notified = false;
  let decisionPublished = false;

  // Every delivery appends the first two entries; their ids come from the stored record, so they are written once.
  if (deps.audit) {
    try {
      await appendArrivalEntries(deps.audit, record);
    } catch (error) {
      failures.push({ step: 'audit', error });
    }
  }

  // The two side effects are independent: a notifier outage must not hold back the decision a tool is waiting on.
  try {
    notified = await notifyOnce(deps, record, leaseMs, settings);
  } catch (error) {
    failures.push({ step: 'notification', error });
  }
  try {
    decisionPublished = await publishDecisionOnce(deps, record, leaseMs);
  } catch (error) {
    failures.push({ step: 'decision-event', error });
  }
  if (failures.length > 0) {
    logger?.error('Guardrail step failed; the retry will resume it', {
      recordId,
      steps: failures.map((f) => f.step),
      errors: failures.map((f) => errorMessage(f.error)),
    });
    throw new GuardrailStepError(recordId, failures, { outcome: record.decision.outcome, duplicate: !created });
  }

  return {
    recordId,
    outcome: record.decision.outcome,
    duplicate: !created,
    notified,
    decisionPublished,
    policyVersion: record.policyVersion,
  };
}

async function notifyOnce(deps: GuardrailDeps, record: RequestRecord, leaseMs: number, settings: ApprovalSettings): Promise<boolean> {
  const { requests } = deps;
  return performOnce(deps, 'notification', record, {
    // `sending` may belong to a live sender or a dead one: the conditional claim decides by its age.
    settled: (r) => r.notification.state !== 'pending' && r.notification.state !== 'sending',
    claim: (claimedAt) => requests.claimNotification(record.recordId, claimedAt, leaseMs),
    release: (claimedAt) => requests.releaseNotificationClaim(record.recordId, claimedAt),
    perform: async (r) => {
      const now = deps.clock.now();
      // A digest carries decision links: without an issuer every notification goes at once.
      const queue = deps.links ? deps.digestQueue : undefined;
      const digestAt = queue && digestSlotFor(r, settings, now);
      if (queue && digestAt) {
        await queue.hold(r.recordId, now, digestAt);
        deps.logger?.info('Low-risk review held for the daily digest', { recordId: r.recordId, digestAt: digestAt.toISOString() });
        return;
      }
      const { messages, tier, recipients } = await initialApproverNotifications({
        record: r,
        settings,
        links: deps.links,
        now,
      });
      const messageIds: string[] = [];
      for (const message of messages) messageIds.push((await deps.notifier.notify(message)).messageId);
      // Audited before it is marked sent: if the entry cannot be written, the retry sends again rather than leaving no trace.
      await deps.audit?.append(
        auditEntry(r.recordId, 'notified', SYSTEM_ACTOR, now, {
          channel: 'it-approvers topic',
          tier: tier ?? null,
          recipients,
          messageIds,
        }),
      );
      await requests.markNotified(r.recordId, messageIds.join(' '), deps.clock.now());
      deps.logger?.info('IT notified', { recordId: r.recordId, messageIds, recipients });
    },
  });
}

async function publishDecisionOnce(deps: GuardrailDeps, record: RequestRecord, leaseMs: number): Promise<boolean> {
  const { requests } = deps;
  return performOnce(deps, 'decision-event', record, {
    settled: (r) => r.decisionEvent.state !== 'pending',
    claim: (claimedAt) => requests.claimDecisionEvent(record.recordId, claimedAt, leaseMs),
    release: (claimedAt) => requests.releaseDecisionEventClaim(record.recordId, claimedAt),
    perform: async (r) => {
      await deps.decisions.publish(decisionEventOf(r));
      await requests.markDecisionPublished(r.recordId, deps.clock.now());
    },
  });
}
