/** Puts `Guardrail Decision` events on the bus a procurement tool listens to. */
import type { DecisionEvent } from '../decision-event';

export interface DecisionPublisher {
  publish(event: DecisionEvent): Promise<void>;
}
