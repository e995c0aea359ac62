/**
 * How EventBridge and Lambda really deliver an event to the guardrail, as a
 * simulator the reliability suite can drive:
 *
 * - EventBridge invokes the function asynchronously. If Lambda refuses the
 *   Invoke (throttled), EventBridge retries it with backoff, for up to 24
 *   hours and 185 attempts, before its own target dead-letter queue.
 * - Lambda queues the event and runs it. If the handler throws, Lambda
 *   retries it twice (the stack sets `retryAttempts: 2`), about one and then
 *   two minutes later; after that the event goes to the function's
 *   dead-letter queue with the error (the stack's `deadLetterQueue`).
 * - Both are at least once: a successful event is occasionally delivered
 *   again.
 * - Invocations run in a pool of execution environments (containers): each
 *   runs one event at a time and keeps its clients and caches between events.
 *
 * Delays are taken on the simulated clock (sim-time.ts).
 */
import type { SimulatedClock } from './sim-time';

export interface LambdaAsyncOptions {
  clock: SimulatedClock;
  /** Delay before each retry, simulated ms (Lambda: about 1 and 2 minutes). */
  retryDelaysMs?: readonly number[];
  /** Share of Invoke calls EventBridge sees throttled (then retried with backoff). */
  invokeThrottleShare?: number;
  /** Share of successful events Lambda delivers a second time (at-least-once). */
  redeliveryShare?: number;
  random?: () => number;
}

export interface DeadLetteredInvocation {
  event: Record<string, unknown>;
  /** What Lambda puts in the DLQ message's ErrorCode/ErrorMessage attributes. */
  errorName: string;
  errorMessage: string;
  attempts: number;
}

export interface AsyncLambdaStats {
  submitted: number;
  invocations: number;
  retries: number;
  succeeded: number;
  redeliveries: number;
  throttledInvokes: number;
  deadLettered: number;
  errorsByName: Record<string, number>;
}

export type InvocationOutcome = { status: 'succeeded'; attempts: number; result: unknown } | { status: 'dead-lettered'; attempts: number };

/** Hands each invocation a free container, waiting when all are busy (the function's concurrency). */
export class ContainerPool<C> {
  private readonly idle: C[];
  private readonly waiting: ((container: C) => void)[] = [];

  constructor(containers: readonly C[]) {
    this.idle = [...containers];
  }

  async run<T>(work: (container: C) => Promise<T>): Promise<T> {
    const container = this.idle.shift() ?? (await new Promise<C>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(container);
    } finally {
      const next = this.waiting.shift();
      if (next) next(container);
      else this.idle.push(container);
    }
  }
}

export class AsyncLambda<C> {
  readonly deadLetterQueue: DeadLetteredInvocation[] = [];
  readonly stats: AsyncLambdaStats = {
    submitted: 0,
    invocations: 0,
    retries: 0,
    succeeded: 0,
    redeliveries: 0,
    throttledInvokes: 0,
    deadLettered: 0,
    errorsByName: {},
  };
  private readonly retryDelaysMs: readonly number[];
  private readonly random: () => number;

  constructor(
    private readonly pool: ContainerPool<C>,
    private readonly handler: (container: C, event: Record<string, unknown>) => Promise<unknown>,
    private readonly options: LambdaAsyncOptions,
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [60_000, 120_000];
    this.random = options.random ?? Math.random;
  }

  /** EventBridge delivers `event` to the function; resolves once Lambda is done with it (success or DLQ). */
  async deliver(event: Record<string, unknown>): Promise<InvocationOutcome> {
    this.stats.submitted++;
    // EventBridge → Lambda Invoke: throttled calls are retried by EventBridge with backoff (1 s, 2 s, 4 s… simulated).
    let backoff = 1_000;
    while (this.random() < (this.options.invokeThrottleShare ?? 0)) {
      this.stats.throttledInvokes++;
      await this.options.clock.sleep(backoff * (0.5 + this.random()));
      backoff = Math.min(backoff * 2, 60_000);
    }
    const outcome = await this.runWithRetries(event);
    if (outcome.status === 'succeeded' && this.random() < (this.options.redeliveryShare ?? 0)) {
      // At least once: the same event again, later, as a separate invocation.
      this.stats.redeliveries++;
      await this.options.clock.sleep(1_000 + this.random() * 5_000);
      await this.runWithRetries(event);
    }
    return outcome;
  }

  private async runWithRetries(event: Record<string, unknown>): Promise<InvocationOutcome> {
    const maxAttempts = 1 + this.retryDelaysMs.length;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        this.stats.retries++;
        // Lambda's retry delays are approximate; spread them a little as the service does.
        await this.options.clock.sleep(this.retryDelaysMs[attempt - 2] * (0.9 + this.random() * 0.2));
      }
      this.stats.invocations++;
      try {
        const result = await this.pool.run((container) => this.handler(container, event));
        this.stats.succeeded++;
        return { status: 'succeeded', attempts: attempt, result };
      } catch (error) {
        lastError = error;
        const name = error instanceof Error ? error.name : 'Error';
        this.stats.errorsByName[name] = (this.stats.errorsByName[name] ?? 0) + 1;
      }
    }
    this.stats.deadLettered++;
    this.deadLetterQueue.push({
      event,
      errorName: lastError instanceof Error ? lastError.name : 'Error',
      errorMessage: lastError instanceof Error ? lastError.message : String(lastError),
      attempts: maxAttempts,
    });
    return { status: 'dead-lettered', attempts: maxAttempts };
  }
}
