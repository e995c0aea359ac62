/**
 * What every EventBridge rule of the stack shares: the domain's patterns
 * turned into CDK's form (validated by the project's matcher first) and the
 * retry policy of their Lambda targets. Kept apart from the stack so the
 * constructs that add rules (native sources) use the same ones.
 */
import { Duration } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import { compileEventPattern } from '../functions/adapters/eventbridge/event-pattern';
import type { EventPattern } from '../functions/domain/event-routes';

/**
 * EventBridge retry policy for the rules' Lambda targets. Delivery to Lambda
 * only fails on throttling of the invoke API or a missing permission; two
 * hours of backoff outlasts a throttling episode, and after that the event is
 * parked in the DLQ (alarmed) rather than dropped or retried silently all day.
 */
export const TARGET_RETRY = { retryAttempts: 10, maxEventAge: Duration.hours(2) } as const;

/**
 * The domain keeps patterns in EventBridge's JSON form (`detail-type`); CDK's
 * EventPattern spells that key `detailType` and renders every other key
 * verbatim. The pattern is validated by the same matcher the tests and the
 * local runtime use, so a pattern EventBridge would reject fails the synth.
 */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  compileEventPattern(pattern);
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}
