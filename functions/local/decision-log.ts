/**
 * Where the local runtime keeps the `Guardrail Decision` events the handlers
 * publish (through the adapters' CallbackDecisionPublisher). In AWS they go to
 * the bus for procurement tools to consume; locally they are appended to a
 * JSON-lines file, so `GET /decisions` shows them across restarts, and printed
 * as one line each.
 */
import type { DecisionEvent } from '../domain/decision-event';
import type { LocalBusEvent } from '../adapters/eventbridge/decision-publisher';
import { appendJsonLine, readJsonLines } from '../adapters/json-lines';

export class DecisionLog {
  constructor(
    readonly filePath: string,
    private readonly print: (line: string) => void,
  ) {}

  /** The CallbackDecisionPublisher's callback. */
  readonly record = async (event: LocalBusEvent<DecisionEvent>): Promise<void> => {
    await appendJsonLine(this.filePath, event);
    const d = event.detail;
    const approver = d.requiredApprover && d.requiredApprover !== 'none' ? `, approver: ${d.requiredApprover}` : '';
    this.print(`  decision event: ${d.recordId} → ${d.outcome} (${d.severity}${approver}) on the bus as "${event['detail-type']}"`);
  };

  /** Every decision event so far, oldest first. */
  async list(): Promise<LocalBusEvent<DecisionEvent>[]> {
    return readJsonLines<LocalBusEvent<DecisionEvent>>(this.filePath);
  }
}
