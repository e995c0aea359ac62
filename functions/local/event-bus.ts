/**
 * The local stand-in for the EventBridge bus: a table of rules, each an event
 * pattern and a target, evaluated with the same matcher and (for the guardrail
 * kinds) the same EVENT_PATTERNS the CDK rules are synthesised from. A target
 * is usually a real Lambda handler invoked in-process, so what runs locally is
 * what runs in AWS, minus the network.
 *
 * Later features add rules (a native-source pattern routed to its normaliser,
 * a decision pattern routed to an approval flow) by passing more entries.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { EventPattern } from '../domain/event-routes';
import { asError } from '../domain/errors';
import { compileEventPattern, type EventMatcher } from '../adapters/eventbridge/event-pattern';
import type { BusEvent } from './event-intake';

export interface LocalRule<R = unknown> {
  /** Shown in logs and answers, like a rule name in the console. */
  name: string;
  pattern: EventPattern;
  /** The target. Its result is returned to whoever put the event (the AWS bus would drop it). */
  target(event: BusEvent): Promise<R>;
}

export interface Delivery<R = unknown> {
  rule: string;
  /** Present when the target returned. */
  result?: R;
  /** Present when the target threw (in AWS: Lambda's async retries, then the on-failure destination). */
  error?: Error;
}

export class LocalEventBus<R = unknown> {
  private readonly compiled: Array<{ rule: LocalRule<R>; matches: EventMatcher }>;

  constructor(rules: readonly LocalRule<R>[]) {
    // Compiling up front makes a bad pattern fail the start, naming the rule, not the first event.
    this.compiled = rules.map((rule) => {
      try {
        return { rule, matches: compileEventPattern(rule.pattern) };
      } catch (error) {
        throw new Error(`rule ${rule.name}: invalid event pattern: ${(error as Error).message}`, { cause: error });
      }
    });
  }

  /** Names of the rules whose pattern selects the event. */
  matchingRules(event: BusEvent): string[] {
    return this.compiled.filter((c) => c.matches(event)).map((c) => c.rule.name);
  }

  /**
   * Delivers the event to every rule that matches, one after another (the
   * local runtime is for reading output, and ordered output reads better).
   * An empty list means no rule matched: EventBridge would drop the event.
   */
  async put(event: BusEvent): Promise<Delivery<R>[]> {
    const deliveries: Delivery<R>[] = [];
    for (const { rule, matches } of this.compiled) {
      if (!matches(event)) continue;
      try {
        deliveries.push({ rule: rule.name, result: await rule.target(event) });
      } catch (error) {
        deliveries.push({ rule: rule.name, error: asError(error) });
      }
    }
    return deliveries;
  }
}

/**
 * A Lambda context for an in-process invocation: Powertools reads the function
 * name and request id from it for its log keys.
 */
export function localLambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  const fail = () => {
    throw new Error('the local runtime awaits the handler promise; callback-style completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
