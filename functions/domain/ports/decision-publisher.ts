/** Puts `Guardrail Decision` events on the bus a procurement tool listens to. */
import type { DecisionEvent } from '../decision-event';

export interface DecisionPublisher {
  publish(event: DecisionEvent): Promise<void>;
  /**
   * Several decisions in as few calls as the bus allows (`PutEvents` takes ten),
   * each answering for itself: `undefined` when it is on the bus, else its error.
   * Optional: without it they go one by one.
   */
  publishEach?(events: readonly DecisionEvent[]): Promise<unknown[]>;
}
