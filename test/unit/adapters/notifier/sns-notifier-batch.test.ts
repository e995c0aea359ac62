import { mockClient } from 'aws-sdk-client-mock';
import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { SnsNotifier, bodyForProtocol } from '../../../../functions/adapters/notifier/sns-notifier';
import { broadcast, decisionNotification } from '../../../../functions/domain/notifications';
import type { Notification } from '../../../../functions/domain/ports/notifier';
import { recordFor, sampleEvent } from '../../../support/fixtures';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:it';
const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

function notification(requestId: string): Notification {
  const event = sampleEvent('purchase-request/dropbox-marketing-confidential.json');
  const detail = { ...event.detail, requestId };
  return broadcast(decisionNotification(recordFor({ ...event, detail } as typeof event), {}));
}
/** A message small enough that ten fit in one call (rendered notifications are about 10 KB). */
function small(requestId: string): Notification {
  const n = notification(requestId);
  return { ...n, text: 'short', data: { ...n.data, text: 'short', blocks: [] } as unknown as Notification['data'] };
}
const answerAll = (entries: PublishBatchRequestEntry[]) => ({ Successful: entries.map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}` })), Failed: [] });

describe('SnsNotifier.notifyEach', () => {
  it('sends ten messages a call, each with its own body and attributes, and answers in order', async () => {
    sns.on(PublishBatchCommand).callsFake((input) => answerAll(input.PublishBatchRequestEntries));
    const messages = Array.from({ length: 12 }, (_, i) => small(`PR-${i}`));
    const outcomes = await new SnsNotifier(new SNSClient({}), TOPIC).notifyEach(messages);
    const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.PublishBatchRequestEntries?.length)).toEqual([10, 2]);
    expect(calls[0].TopicArn).toBe(TOPIC);
    const entry = calls[0].PublishBatchRequestEntries![3];
    expect(entry.MessageStructure).toBe('json');
    expect(JSON.parse(bodyForProtocol(entry.Message!, 'sqs')).recordId).toBe('coupa:PR-3');
    expect(entry.MessageAttributes?.recipient).toBeDefined();
    expect(outcomes).toEqual(messages.map((_, i) => ({ messageId: `msg-${i}` })));
  });

  it('keeps each call under 256 KiB', async () => {
    sns.on(PublishBatchCommand).callsFake((input) => answerAll(input.PublishBatchRequestEntries));
    // Six messages whose email text alone is 60 KB: together over the limit, so they must be split.
    const messages = Array.from({ length: 6 }, (_, i) => ({ ...notification(`PR-${i}`), text: 'x'.repeat(60_000) }));
    await new SnsNotifier(new SNSClient({}), TOPIC).notifyEach(messages);
    for (const call of sns.commandCalls(PublishBatchCommand)) {
      const entries = call.args[0].input.PublishBatchRequestEntries ?? [];
      expect(entries.reduce((sum, e) => sum + Buffer.byteLength(e.Message ?? ''), 0)).toBeLessThanOrEqual(256 * 1024);
    }
    expect(sns.commandCalls(PublishBatchCommand).length).toBeGreaterThan(1);
  });

  it('tries an entry SNS failed on its side again, and reports one refused as the sender’s fault at once', async () => {
    let call = 0;
    sns.on(PublishBatchCommand).callsFake((input) => {
      call++;
      const entries: PublishBatchRequestEntry[] = input.PublishBatchRequestEntries;
      const ok = entries.filter((e) => e.Id === '0' || (e.Id === '1' && call > 1));
      return {
        Successful: ok.map((e) => ({ Id: e.Id, MessageId: `msg-${e.Id}-${call}` })),
        Failed: [
          ...(call === 1 ? [{ Id: '1', Code: 'InternalError', SenderFault: false }] : []),
          ...entries.filter((e) => e.Id === '2').map((e) => ({ Id: e.Id, Code: 'InvalidParameter', SenderFault: true, Message: 'bad attribute' })),
        ],
      };
    });
    const outcomes = await new SnsNotifier(new SNSClient({}), TOPIC).notifyEach([notification('PR-0'), notification('PR-1'), notification('PR-2')]);
    expect(outcomes[0]).toEqual({ messageId: 'msg-0-1' });
    expect(outcomes[1]).toEqual({ messageId: 'msg-1-2' });
    expect(String((outcomes[2] as { error: Error }).error.message)).toMatch(/refused the notification for coupa:PR-2: InvalidParameter \(bad attribute\)/);
    // The second call carried only the entry to try again.
    expect(sns.commandCalls(PublishBatchCommand)[1].args[0].input.PublishBatchRequestEntries?.map((e) => e.Id)).toEqual(['1']);
  });

  it('gives a failed call’s error to every entry of that call', async () => {
    sns.on(PublishBatchCommand).rejects(new Error('throttled for too long'));
    const outcomes = await new SnsNotifier(new SNSClient({ maxAttempts: 1 }), TOPIC).notifyEach([notification('PR-0'), notification('PR-1')]);
    expect(outcomes.map((o) => String((o as { error: Error }).error.message))).toEqual(['throttled for too long', 'throttled for too long']);
  });
});
