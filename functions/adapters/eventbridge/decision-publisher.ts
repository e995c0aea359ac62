/**
 * Puts `Guardrail Decision` events back on the bus, where procurement tools
 * (or their connectors) gate the signature step on them. The local runtime
 * uses the callback publisher instead and routes the same envelope itself.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../domain/event-routes';
import type { DecisionPublisher } from '../../domain/ports/decision-publisher';
import type { DecisionEvent } from '../../domain/decision-event';
import { putEvents, putEventsSettled, PutEventsError } from './event-bus';
import type { PutEventsOptions } from './event-bus';

/** Env var with the bus name (the CDK stack sets it). */
export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';

/** The PutEvents entry for a decision (source `procurement-guardrail`, detail-type `Guardrail Decision`). */
export function decisionEventEntry(event: DecisionEvent, eventBusName: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: GUARDRAIL_SOURCE,
    DetailType: DETAIL_TYPES.decision,
    Detail: JSON.stringify(event),
    Resources: [],
  };
}

export class EventBridgeDecisionPublisher implements DecisionPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
    private readonly options: PutEventsOptions = {},
  ) {}

  async publish(event: DecisionEvent): Promise<void> {
    await putEvents(this.client, [decisionEventEntry(event, this.eventBusName)], this.options);
  }

  /** Ten decisions a call; an entry the bus still rejects after the retries fails on its own. */
  async publishEach(events: readonly DecisionEvent[]): Promise<unknown[]> {
    const entries = events.map((event) => decisionEventEntry(event, this.eventBusName));
    const { failed, attempts } = await putEventsSettled(this.client, entries, this.options);
    const errors: unknown[] = events.map(() => undefined);
    for (const failure of failed) errors[failure.index] = new PutEventsError([{ ...failure, index: 0 }], attempts);
    return errors;
  }
}

/** The event as an EventBridge rule sees it, for routing without AWS. */
export interface LocalBusEvent<T = unknown> {
  source: string;
  'detail-type': string;
  detail: T;
  time: string;
}

/**
 * Hands each decision, wrapped as the bus would deliver it, to a callback:
 * the local runtime routes it with the same EVENT_PATTERNS the CDK rules use.
 */
export class CallbackDecisionPublisher implements DecisionPublisher {
  constructor(
    private readonly deliver: (event: LocalBusEvent<DecisionEvent>) => void | Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async publish(event: DecisionEvent): Promise<void> {
    await this.deliver({
      source: GUARDRAIL_SOURCE,
      'detail-type': DETAIL_TYPES.decision,
      detail: event,
      time: this.now().toISOString(),
    });
  }
}
