/**
 * The leased-claim protocol: each side effect of a delivery (the notification,
 * the decision event) is performed at most once across deliveries. The claim
 * decides who performs it; a crashed holder's claim expires with its lease and
 * a retry takes over.
 */
import { errorMessage } from '../../errors';
import type { Decision } from '../../decision';
import type { RequestRecord } from '../../records';
import type { Clock } from '../../ports/clock';
import type { ServiceLogger } from '../../ports/logger';
import type { RequestStore } from '../../ports/request-store';

export type GuardrailStep = 'notification' | 'decision-event';

/** Two minutes: longer than the handlers' timeout, and expired by Lambda's second async retry. */
export const DEFAULT_CLAIM_LEASE_MS = 2 * 60 * 1000;
/** A concurrent duplicate's holder normally finishes in milliseconds; well inside the handler timeout. */
export const DEFAULT_IN_FLIGHT_WAIT_MS = 2000;

export interface OnceDeps {
  requests: Pick<RequestStore, 'get'>;
  clock: Clock;
  logger?: ServiceLogger;
  /** How long a delivery that lost a claim waits for the holder to finish before failing for a retry. */
  inFlightWaitMs?: number;
  /** Injectable for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Raised when another delivery holds a step's claim and did not finish while we waited: Lambda retries later. */
export class StepInProgressError extends Error {
  constructor(
    readonly recordId: string,
    readonly step: GuardrailStep,
  ) {
    super(
      `another delivery of ${recordId} is performing the ${step} step and has not finished; ` +
        'retrying later takes over once its claim expires',
    );
    this.name = 'StepInProgressError';
  }
}

/** Raised after every step was tried when one or more failed; Lambda's retry resumes the unfinished ones. */
export class GuardrailStepError extends Error {
  constructor(
    readonly recordId: string,
    readonly failures: { step: GuardrailStep | 'audit'; error: unknown }[],
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
 * One side effect, performed at most once across deliveries. A delivery that
 * loses the claim waits briefly for the holder (usually a concurrent
 * duplicate, done in milliseconds); if the holder has not finished by then it
 * may have crashed, so this delivery fails and Lambda's retry comes back after
 * the claim's lease. Succeeding silently instead would end the retries and
 * lose the step for good. True when this call performed it.
 */
export async function performOnce(
  deps: OnceDeps,
  step: GuardrailStep,
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
