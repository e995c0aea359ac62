/**
 * The in-process SNS fake answers a publish without decoding its body (that
 * is the service's work, not the Lambda's, so it must not weigh on the
 * measured path), yet records exactly what was sent for the suites to read.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { FakeSnsTransport, fakeSnsClient } from '../../../bench/support/fake-aws';

describe('the fake SNS transport', () => {
  it('records the publish as sent, decoded when read', async () => {
    const transport = new FakeSnsTransport();
    const sns = fakeSnsClient(transport);
    const message = JSON.stringify({ default: 'Ünïcode & spaces + "quotes"', email: 'a=b&c=d' });
    try {
      const { MessageId } = await sns.send(
        new PublishCommand({
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic',
          Subject: 'Review: Looker',
          MessageStructure: 'json',
          Message: message,
          MessageAttributes: { outcome: { DataType: 'String', StringValue: 'review' } },
        }),
      );
      const [call] = transport.stats.accepted;
      expect(call.action).toBe('Publish');
      expect(call.id).toBe(MessageId);
      expect(call.input.Message).toBe(message);
      expect(call.input.Subject).toBe('Review: Looker');
      expect(call.input.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:topic');
      expect('MessageStructure' in call.input).toBe(true);
      expect(Object.keys(call.input)).toEqual(expect.arrayContaining(['Action', 'Message', 'MessageAttributes.entry.1.Name']));
      expect(JSON.parse(JSON.stringify(call.input))).toMatchObject({ Message: message, 'MessageAttributes.entry.1.Value.StringValue': 'review' });
    } finally {
      sns.destroy();
    }
  });

  it('answers a PublishBatch entry by entry and records each as a publish', async () => {
    const transport = new FakeSnsTransport();
    const sns = fakeSnsClient(transport);
    try {
      const { PublishBatchCommand } = await import('@aws-sdk/client-sns');
      const entries = ['a', 'b', 'c'].map((id) => ({ Id: `entry-${id}`, Message: `message ${id} & more`, Subject: `subject ${id}` }));
      const answer = await sns.send(new PublishBatchCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic', PublishBatchRequestEntries: entries }));
      expect(answer.Successful?.map((s) => s.Id)).toEqual(['entry-a', 'entry-b', 'entry-c']);
      expect(answer.Failed ?? []).toEqual([]);
      expect(transport.stats.accepted.map((c) => [c.action, c.input.Message, c.input.Subject, c.input.TopicArn])).toEqual(
        entries.map((e) => ['Publish', e.Message, e.Subject, 'arn:aws:sns:us-east-1:123456789012:topic']),
      );
      expect(transport.stats.accepted.map((c) => c.id)).toEqual(answer.Successful?.map((s) => s.MessageId));
    } finally {
      sns.destroy();
    }
  });

  it('refuses actions it does not implement, naming them', async () => {
    const transport = new FakeSnsTransport();
    const { SubscribeCommand } = await import('@aws-sdk/client-sns');
    const sns = fakeSnsClient(transport);
    try {
      await expect(sns.send(new SubscribeCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic', Protocol: 'email' }))).rejects.toThrow(
        'supports Publish and PublishBatch only, got Subscribe',
      );
    } finally {
      sns.destroy();
    }
  });
});
