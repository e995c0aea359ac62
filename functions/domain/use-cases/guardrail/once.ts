/**
 * The lease on a revision's side effects: whoever writes a revision (the put,
 * an amendment) holds it from that very write; a retry of a crashed holder
 * takes it over once it is older than the lease; everyone else waits briefly
 * for the holder and, if it does not finish, fails so Lambda retries later.
 * Succeeding silently instead would end the retries and could lose a step.
 */
import { errorMessage } from '../../errors';
import type { Decision } from '../../decision';
import type { RequestRecord } from '../../records';
import type { Clock } from '../../ports/clock';
import type { ServiceLogger } from '../../ports/logger';
import type { RequestStore } from '../../ports/request-store';

export type GuardrailStep = 'notification' | 'decision-event' | 'requester-message' | 'settle';

/** Two minutes: longer than a batch's timeout (30 s), and expired when the queue delivers a failed event again (3 min). */
export const DEFAULT_CLAIM_LEASE_MS = 2 * 60 * 1000;
/** A concurrent duplicate's holder normally finishes in milliseconds; well inside the handler timeout. */
export const DEFAULT_IN_FLIGHT_WAIT_MS = 2000;

export interface OnceDeps {
  requests: Pick<RequestStore, 'get'>;
  clock: Clock;
  logger?: ServiceLogger;
  /** How long a delivery that finds the side effects leased waits for the holder before failing for a retry. */
  inFlightWaitMs?: number;
  /** Injectable for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Raised when another delivery holds the side effects and did not finish while we waited: Lambda retries later. */
export class StepInProgressError extends Error {
  constructor(readonly recordId: string) {
    super(
      `another delivery of ${recordId} is performing its side effects (notification, decision event) and has not finished; ` +
        'retrying later takes over once its lease expires',
    );
    this.name = 'StepInProgressError';
  }
}

/** Raised after every step was tried when one or more failed; Lambda's retry resumes the unfinished ones. */
export class GuardrailStepError extends Error {
  constructor(
    readonly recordId: string,
    readonly failures: { step: GuardrailStep; error: unknown }[],
    /** What was decided and stored before the step failed (the record exists either way). */
    readonly partial?: { outcome: Decision['outcome']; duplicate: boolean },
  ) {
    super(`record ${recordId}: ${failures.map((f) => `${f.step} failed (${errorMessage(f.error)})`).join('; ')}; a retry resumes from the stored record`);
    this.name = 'GuardrailStepError';
  }
}

/** The current revision still has a notification or a decision event to send. */
export function hasPendingEffects(record: RequestRecord): boolean {
  const n = record.notification.state;
  return n === 'pending' || n === 'sending' || record.decisionEvent.state === 'pending';
}

/** Leases taken before this instant are dead (their holder outlived the lease). ISO strings compare in time order. */
export function staleBefore(now: Date, leaseMs: number): string {
  return new Date(now.getTime() - leaseMs).toISOString();
}

/**
 * The record once nobody holds a live lease on it (at once when nobody does).
 * Waits for a live holder with backoff, rereading; throws StepInProgressError
 * when it has not let go within `inFlightWaitMs`.
 */
export async function whenUnleased(deps: OnceDeps, initial: RequestRecord, leaseMs: number): Promise<RequestRecord> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaitMs = deps.inFlightWaitMs ?? DEFAULT_IN_FLIGHT_WAIT_MS;
  let record = initial;
  let waited = 0;
  let delay = 50;
  for (;;) {
    if (record.lease === undefined || record.lease < staleBefore(deps.clock.now(), leaseMs)) return record;
    if (waited >= maxWaitMs) {
      deps.logger?.warn('Another delivery holds the side effects and has not finished; failing so Lambda retries later', {
        recordId: record.recordId,
        waitedMs: waited,
      });
      throw new StepInProgressError(record.recordId);
    }
    await sleep(delay);
    waited += delay;
    delay = Math.min(delay * 2, 500);
    const latest = await deps.requests.get(record.recordId);
    if (!latest) throw new Error(`record ${record.recordId} disappeared while its side effects were in progress`);
    record = latest;
  }
}
