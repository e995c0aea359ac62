/**
 * Simulated time for the reliability runs. Lambda retries an asynchronous
 * invocation about one and then two minutes after a failure, and the
 * guardrail's claims are leased for two minutes: honouring those spans in
 * real time would make a run take hours. Here simulated time runs `scale`
 * times faster than the wall clock, and every duration the code under test
 * waits on (claim leases, in-flight waits, the policy cache, Lambda's retry
 * delays) is taken on the same simulated clock, so their proportions stay
 * exactly as deployed. The SDK's own retry backoff stays real (it is what
 * the SDK does); in simulated time that only makes a slow attempt look
 * slower, which is the conservative direction.
 */
import type { Clock } from '../../../functions/domain/ports/clock';

export class SimulatedClock implements Clock {
  private readonly startedReal = performance.now();

  constructor(
    /** Simulated milliseconds per real millisecond. */
    readonly scale: number,
    private readonly startsAt: Date = new Date('2026-11-27T12:00:00Z'),
  ) {}

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.startsAt.getTime() + (performance.now() - this.startedReal) * this.scale;
  }

  /** Waits `simulatedMs` of simulated time. */
  sleep(simulatedMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, simulatedMs / this.scale)));
  }

  /** Simulated ms → real ms (for timeouts of the harness itself). */
  real(simulatedMs: number): number {
    return simulatedMs / this.scale;
  }
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
