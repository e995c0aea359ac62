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
 * side effect is taken with a leased claim so two concurrent deliveries never
 * both send it, while a crashed sender's claim expires and a retry takes over
 * (a delivery that finds a claim still held fails rather than succeeding
 * empty-handed, so Lambda keeps retrying until the step is done).
 *
 * Pure orchestration: the ports do the I/O, nothing here imports an SDK.
 */
import { AppConnectedSchema, PurchaseRequestSchema, recordIdOf } from './events';
import type { EventKind, GuardrailEvent } from './events';
import type { Decision } from './decision';
import { evaluateEvent } from './evaluate';
import { renderNotification } from './notification';
import { errorMessage } from './errors';
import { describeIssues } from './problems';
import type {
  ApprovalStore,
  AuditLog,
  Clock,
  DecisionLinkIssuer,
  DecisionPublisher,
  Notifier,
  PolicySource,
  GuardrailRequestStore,
} from './ports';
import { decisionEventOf } from './decision-event';
import { requestRecordOf, type RequestRecord } from './records';
import { POLICY_ACTOR, SYSTEM_ACTOR, auditEntry, initialApprovalState, nextDigestAt, shouldDigest } from './approvals';
import { approvalSettingsOf, initialApproverNotifications, type ApprovalSettings } from './approval-service';

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

export type GuardrailValidation =
  | { ok: true; event: GuardrailEvent }
  | { ok: false; problems: string[] };

const SCHEMAS = {
  'purchase-request': PurchaseRequestSchema,
  'app-connected': AppConnectedSchema,
} as const;

/**
 * Checks an event's `detail` against the canonical schema of its kind. Every
 * problem names the field path (`detail.amount.currency: must be an ISO 4217
 * code such as USD`) so whoever sent it can fix the source, and the dead letter
 * says what was wrong without anyone replaying it.
 */
export function validateGuardrailEvent(kind: EventKind, detail: unknown): GuardrailValidation {
  const schema = SCHEMAS[kind];
  if (!schema) return { ok: false, problems: [`kind: "${String(kind)}" is not a guardrail event kind`] };
  const parsed = schema.safeParse(detail);
  if (parsed.success) {
    // The discriminated union cannot be narrowed through the schema lookup; kind and schema come from the same key.
    return { ok: true, event: { kind, detail: parsed.data } as GuardrailEvent };
  }
  return { ok: false, problems: describeIssues(parsed.error.issues, 'detail') };
}

// ---------------------------------------------------------------------------
// Processing
// ---------------------------------------------------------------------------

/** The little the service logs; Powertools' Logger and `console` both fit. */
export interface ServiceLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface GuardrailDeps {
  policy: PolicySource;
  requests: GuardrailRequestStore;
  notifier: Notifier;
  decisions: DecisionPublisher;
  clock: Clock;
  logger?: ServiceLogger;
  /**
   * How long a claim protects a send in progress. It must outlast one
   * invocation (the Lambda timeout) so a slow live sender is never doubled,
   * and be short enough that Lambda's async retries (about 1 and 3 minutes
   * after a failure) find a crashed sender's claim expired.
   */
  claimLeaseMs?: number;
  /** How long a delivery that lost a claim waits for the holder to finish before failing for a retry. */
  inFlightWaitMs?: number;
  /** Injectable for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** The audit trail (received, evaluated, notified). Without it nothing is audited. */
  audit?: AuditLog;
  /**
   * Signs each addressed approver's decision links into the notification.
   * Without it (or without approvers in the policy) notifications carry no links.
   */
  links?: DecisionLinkIssuer;
  /** Holds low-risk reviews for the daily digest when the policy turns digests on; without it every notification goes at once. */
  digestQueue?: Pick<ApprovalStore, 'holdForDigest'>;
}

/** Two minutes: longer than the handlers' timeout, and expired by Lambda's second async retry. */
export const DEFAULT_CLAIM_LEASE_MS = 2 * 60 * 1000;
/** A concurrent duplicate's holder normally finishes in milliseconds; well inside the handler timeout. */
export const DEFAULT_IN_FLIGHT_WAIT_MS = 2000;

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

/** Raised after every step was tried when one or more failed; Lambda's retry resumes the unfinished ones. */
export class GuardrailStepError extends Error {
  constructor(
    readonly recordId: string,
    readonly failures: { step: 'notification' | 'decision-event' | 'audit'; error: unknown }[],
    /** What was decided and stored before the step failed (the record exists either way). */
    readonly partial?: { outcome: Decision['outcome']; duplicate: boolean },
  ) {
    super(
      `record ${recordId}: ${failures
        .map((f) => `${f.step} failed (${errorMessage(f.error)})`)
        .join('; ')}; a retry resumes from the stored record`,
    );
    this.name = 'GuardrailStepError';
  }
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

/** Raised when another delivery holds a step's claim and did not finish while we waited: Lambda retries later. */
export class StepInProgressError extends Error {
  constructor(readonly recordId: string, readonly step: 'notification' | 'decision-event') {
    super(
      `another delivery of ${recordId} is performing the ${step} step and has not finished; ` +
        'retrying later takes over once its claim expires',
    );
    this.name = 'StepInProgressError';
  }
}

/**
 * One side effect, performed at most once across deliveries. The claim decides
 * who performs it. A delivery that loses the claim waits briefly for the holder
 * (usually a concurrent duplicate, done in milliseconds); if the holder has not
 * finished by then it may have crashed, so this delivery fails and Lambda's
 * retry comes back after the claim's lease. Succeeding silently instead would
 * end the retries and lose the step for good.
 */
async function performOnce(
  deps: GuardrailDeps,
  step: 'notification' | 'decision-event',
  initial: RequestRecord,
  actions: {
    /** Nothing left to do for this step (done, or never needed). */
    settled(record: RequestRecord): boolean;
    claim(claimedAt: Date): Promise<boolean>;
    release(claimedAt: Date): Promise<void>;
    perform(record: RequestRecord): Promise<void>;
  },
): Promise<boolean> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaitMs = deps.inFlightWaitMs ?? DEFAULT_IN_FLIGHT_WAIT_MS;
  let record = initial;
  let waited = 0;
  let delay = 50;
  for (;;) {
    if (actions.settled(record)) return false;
    const claimedAt = deps.clock.now();
    if (await actions.claim(claimedAt)) {
      try {
        await actions.perform(record);
      } catch (error) {
        // Hand the claim back so the retry goes ahead at once instead of waiting out the lease.
        await actions.release(claimedAt).catch((releaseError: unknown) =>
          deps.logger?.warn(`Could not release the ${step} claim; it expires with its lease`, {
            recordId: record.recordId,
            error: errorMessage(releaseError),
          }),
        );
        throw error;
      }
      return true;
    }
    if (waited >= maxWaitMs) {
      deps.logger?.warn(`Another delivery holds the ${step} claim and has not finished; failing so Lambda retries later`, {
        recordId: record.recordId,
        waitedMs: waited,
      });
      throw new StepInProgressError(record.recordId, step);
    }
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 500);
    const latest = await deps.requests.get(record.recordId);
    if (!latest) throw new Error(`record ${record.recordId} disappeared while its ${step} was in progress`);
    record = latest;
  }
}

/** `received` and `evaluated`, dated from the stored record so a redelivery appends nothing new. */
async function appendArrivalEntries(audit: AuditLog, record: RequestRecord): Promise<void> {
  const { decision } = record;
  const { source } = record.detail;
  await audit.append(
    auditEntry(record.recordId, 'received', SYSTEM_ACTOR, new Date(record.receivedAt), {
      kind: record.kind,
      source: source ?? 'the event bus',
    }),
  );
  await audit.append(
    auditEntry(record.recordId, 'evaluated', POLICY_ACTOR, new Date(decision.evaluatedAt), {
      outcome: decision.outcome,
      severity: decision.severity,
      policyVersion: decision.policyVersion,
      findings: decision.findings.length,
      requiredApprover: record.approval.requiredApprover,
      approval: record.approval.status,
    }),
  );
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
      const digestAt = digestSlotFor(deps, r, settings, now);
      if (digestAt) {
        await deps.digestQueue!.holdForDigest(r.recordId, now, digestAt);
        deps.logger?.info('Low-risk review held for the daily digest', { recordId: r.recordId, digestAt: digestAt.toISOString() });
        return;
      }
      const { messages, tier, recipients } = await initialApproverNotifications({
        record: r,
        rendered: renderNotification(r),
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

/**
 * When a notification may wait for the daily digest: digests on, a low-risk
 * review, approvers and links wired, and nothing (a reminder) due before the
 * digest goes out. Undefined means send now.
 */
function digestSlotFor(deps: GuardrailDeps, record: RequestRecord, settings: ApprovalSettings, now: Date): Date | undefined {
  if (!deps.digestQueue || !deps.links || !settings.directory || !shouldDigest(record.decision, settings.digest)) return undefined;
  const digestAt = nextDigestAt(now, settings.digest);
  const due = record.approval.escalation.nextDueAt;
  return due === undefined || Date.parse(due) > digestAt.getTime() ? digestAt : undefined;
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

/** JSON with sorted keys: two copies of one event compare equal whatever order a source wrote the fields in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
