/**
 * The guardrail use case: one canonical event in, one stored decision per
 * revision, at most one notification to IT and one `Guardrail Decision` event
 * per revision out, however often and in whatever order the bus delivers it.
 *
 * EventBridge and Lambda deliver at least once, and a Lambda may die between
 * any two steps. A first delivery is two writes: the conditional put of the
 * record, which also leases its side effects to this delivery, and after
 * them one write on that lease recording what was done. A redelivery of what
 * the record holds resumes whatever is unfinished (taking the lease over from
 * a crashed holder) and never evaluates again. New content under the same id
 * is an amendment (revisions.ts): evaluated under the current policy and
 * written as the next revision with one update conditioned on both the
 * content revision and the approval revision, then settled the same way.
 */
import type { Decision } from '../../decision';
import { evaluateEvent } from '../../evaluate';
import { recordIdOf, type GuardrailEvent } from '../../events';
import type { RequestRecord } from '../../records';
import { classifyDelivery, type DeliveryKind } from '../../revisions';
import type { AuditLog } from '../../ports/audit-log';
import type { DigestQueue } from '../../ports/digest-queue';
import type { PolicySource } from '../../ports/policy-source';
import type { RequestStore } from '../../ports/request-store';
import { approvalSettingsOf, type ApprovalSettings } from '../approvals/settings';
import { DEFAULT_CLAIM_LEASE_MS, GuardrailStepError, hasPendingEffects, staleBefore, whenUnleased } from './once';
import { performRevisionEffects, type EffectsOutcome, type EffectsRunner, type RevisionEffectDeps } from './revision-effects';
import { firstRevision, reviseRecord } from './revision-records';

export interface GuardrailDeps extends RevisionEffectDeps {
  policy: PolicySource;
  requests: RequestStore;
  /**
   * How long a lease protects side effects in progress. It must outlast one
   * invocation (the Lambda timeout) so a slow live sender is never doubled,
   * and be short enough that the queue's next delivery of a failed event
   * (its visibility timeout, 3 minutes) finds a crashed sender's lease expired.
   */
  claimLeaseMs?: number;
  /**
   * The approvals' audit trail. The arrival entries (received, amended,
   * evaluated, notified) live in the record itself; this port reads them
   * merged with the rest, so the guardrail does not write to it.
   */
  audit?: AuditLog;
  /**
   * Present when a digest run sends held reviews: low-risk ones are then
   * written held for the daily digest (with decision links only).
   */
  digestQueue?: Pick<DigestQueue, 'listDue'>;
  /** Runs the side effects of the revision this delivery leased; by default at once, a batch gathers them. */
  runEffects?: EffectsRunner;
}

/** How many times an amendment rereads after a concurrent write before failing for a Lambda retry. */
const MAX_AMEND_ATTEMPTS = 25;

export interface ProcessResult {
  recordId: string;
  outcome: Decision['outcome'];
  /** Nothing new was decided: the record already held this content (or later content). */
  duplicate: boolean;
  /** What this delivery was to the record: its first content, a redelivery, an amendment, or a late earlier revision. */
  delivery: 'first' | DeliveryKind;
  /** The record's content revision after this delivery. */
  revision: number;
  /** This call delivered the notification to IT. */
  notified: boolean;
  /** This call published the `Guardrail Decision` event. */
  decisionPublished: boolean;
  policyVersion: string;
}

/**
 * Evaluates a validated event and carries it through. Transient errors
 * propagate so Lambda retries; the retry finds the record and does only what
 * is left.
 */
export async function processGuardrailEvent(deps: GuardrailDeps, event: GuardrailEvent): Promise<ProcessResult> {
  const { requests, clock, logger } = deps;
  const leaseMs = deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  const policy = await deps.policy.current();
  const settings = approvalSettingsOf(policy.policy);
  const recordId = recordIdOf(event);
  const runEffects = effectsRunnerOf(deps);

  let now = clock.now();
  const fresh = firstRevision({ event, decision: evaluateEvent(event, policy, now), now, settings, digests: Boolean(deps.links && deps.digestQueue) });
  const put = await requests.createIfAbsent(fresh);
  if (put.created) {
    logger?.debug?.('Decision recorded', { recordId, outcome: fresh.decision.outcome, policyVersion: fresh.policyVersion });
    return finish(fresh, 'first', await runEffects(deps, { record: fresh, leasedAt: fresh.lease!, settings }));
  }

  let stored = put.existing;
  for (let attempt = 1; ; attempt++) {
    const kind = classifyDelivery(stored, event);
    if (kind !== 'amendment') {
      logger?.info('Repeat delivery: resuming from the stored record', { recordId, delivery: kind, revision: stored.revision });
      return resume(deps, stored, kind, settings, leaseMs);
    }
    // The current revision's effects settle first, so what they record is never lost under the new revision.
    stored = await whenUnleased(deps, stored, leaseMs);
    if (classifyDelivery(stored, event) !== 'amendment') continue;
    // Evaluated when written, under the policy of now: nothing is dated before the write that records it.
    now = clock.now();
    const revision = reviseRecord({ stored, event, decision: evaluateEvent(event, policy, now), now, settings });
    const expected = { revision: stored.revision, approvalRevision: stored.approval.revision, staleBefore: staleBefore(now, leaseMs) };
    if (await requests.revise(revision.record, expected, { appended: revision.appended, effects: revision.effects, now })) {
      logger?.info('Amendment recorded', {
        recordId,
        revision: revision.record.revision,
        outcome: revision.record.decision.outcome,
        approval: revision.effect,
        changes: revision.changes.map((c) => c.field),
      });
      return finish(
        revision.record,
        'amendment',
        await runEffects(deps, { record: revision.record, leasedAt: revision.record.lease!, settings, effects: revision.effects }),
      );
    }
    if (attempt >= MAX_AMEND_ATTEMPTS) throw new Error(`record ${recordId}: the amendment lost ${attempt} races to concurrent writes; a retry applies it`);
    const latest = await requests.get(recordId);
    if (!latest) throw new Error(`record ${recordId} disappeared while an amendment was applied`);
    stored = latest;
  }
}

/** A delivery that adds nothing: finish whatever the current revision left undone, taking over a dead holder's lease. */
async function resume(deps: GuardrailDeps, stored: RequestRecord, kind: DeliveryKind, settings: ApprovalSettings, leaseMs: number): Promise<ProcessResult> {
  let record = stored;
  for (;;) {
    if (!hasPendingEffects(record)) return finish(record, kind);
    record = await whenUnleased(deps, record, leaseMs);
    if (!hasPendingEffects(record)) return finish(record, kind);
    const now = deps.clock.now();
    const leasedAt = now.toISOString();
    if (await deps.requests.takeLease(record.recordId, record.revision, leasedAt, staleBefore(now, leaseMs))) {
      const leased = { ...record, lease: leasedAt };
      return finish(leased, kind, await effectsRunnerOf(deps)(deps, { record: leased, leasedAt, settings }));
    }
    const latest = await deps.requests.get(record.recordId);
    if (!latest) throw new Error(`record ${record.recordId} disappeared while its side effects were resumed`);
    record = latest;
  }
}

/** The effects runner a delivery uses: the one it was given (a batch's gathering), else its effects on their own. */
function effectsRunnerOf(deps: GuardrailDeps): EffectsRunner {
  return deps.runEffects ?? performRevisionEffects;
}

function finish(record: RequestRecord, delivery: ProcessResult['delivery'], effects?: EffectsOutcome): ProcessResult {
  const duplicate = delivery !== 'first' && delivery !== 'amendment';
  if (effects && effects.failures.length > 0) {
    throw new GuardrailStepError(record.recordId, effects.failures, { outcome: record.decision.outcome, duplicate });
  }
  return {
    recordId: record.recordId,
    outcome: record.decision.outcome,
    duplicate,
    delivery,
    revision: record.revision,
    notified: effects?.notified ?? false,
    decisionPublished: effects?.decisionPublished ?? false,
    policyVersion: record.policyVersion,
  };
}
