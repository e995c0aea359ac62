import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventBridgeDecisionPublisher } from '../../../../functions/adapters/eventbridge/decision-publisher';
import { PutEventsError } from '../../../../functions/adapters/eventbridge/event-bus';
import { decisionEventOf } from '../../../../functions/domain/decision-event';
import { recordFor, sampleEvent } from '../../../support/fixtures';

const eventBridge = mockClient(EventBridgeClient);
afterAll(() => eventBridge.restore());
beforeEach(() => eventBridge.reset());

const decision = (requestId: string) => {
  const event = sampleEvent('purchase-request/slack-seats-sanctioned.json');
  return decisionEventOf(recordFor({ ...event, detail: { ...event.detail, requestId } } as typeof event));
};

describe('EventBridgeDecisionPublisher.publishEach', () => {
  it('puts ten decisions a call and answers each: undefined when on the bus, its error when the bus kept refusing it', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input) => ({
      Entries: input.Entries.map((e: { Detail: string }) =>
        String(JSON.parse(e.Detail).recordId).endsWith(':PR-3') ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try later' } : { EventId: 'ok' },
      ),
    }));
    const events = Array.from({ length: 12 }, (_, i) => decision(`PR-${i}`));
    const publisher = new EventBridgeDecisionPublisher(new EventBridgeClient({}), 'bus', { maxAttempts: 2, baseDelayMs: 1 });
    const errors = await publisher.publishEach(events);
    expect(errors.filter((e) => e === undefined)).toHaveLength(11);
    expect(errors[3]).toBeInstanceOf(PutEventsError);
    expect(String((errors[3] as Error).message)).toMatch(/InternalFailure \(try later\)/);
    // 10 + 2 on the first attempt, then the refused one alone.
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2, 1]);
  });
});
