/**
 * Delivers notifications to IT through one SNS topic. A single publish
 * carries a body per protocol (`MessageStructure: 'json'`): email subscribers
 * read plain text, AWS Chatbot (subscribed over HTTPS) gets its
 * custom-notification JSON, and queues or functions subscribed for automation
 * get a machine-readable copy. Message attributes let each subscription
 * filter by outcome, severity, kind or department without extra topics.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from '../../domain/ports';

/** SNS rejects a publish over 256 KiB (body and attributes together). */
const MAX_PUBLISH_BYTES = 256 * 1024;

/** Env var with the topic ARN (the CDK stack sets it). */
export const IT_TOPIC_ARN_ENV = 'IT_TOPIC_ARN';

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(notification: Notification): Promise<{ messageId: string }> {
    const input = snsPublishInput(this.topicArn, notification);
    const { MessageId } = await this.sns.send(new PublishCommand(input));
    if (!MessageId) throw new Error(`SNS accepted the notification for ${notification.recordId} but returned no MessageId`);
    return { messageId: MessageId };
  }
}

/** The PublishCommand input for a notification; exported so tests and tools can inspect exactly what is sent. */
export function snsPublishInput(topicArn: string, notification: Notification) {
  const chat = notification.chat === undefined ? undefined : JSON.stringify(notification.chat);
  const machine = JSON.stringify({
    recordId: notification.recordId,
    subject: notification.subject,
    attributes: notification.attributes,
    text: notification.text,
    ...(notification.chat === undefined ? {} : { chat: notification.chat }),
  });
  const bodies: Record<string, string> = {
    default: notification.text,
    email: notification.text,
    // Chatbot subscribes to the topic over HTTPS and renders only its own JSON format.
    ...(chat === undefined ? {} : { https: chat }),
    sqs: machine,
    lambda: machine,
    // A text message has room for the subject only.
    sms: notification.subject,
  };
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(notification.attributes)) {
    // SNS rejects empty attribute values; an absent department simply is not an attribute.
    if (typeof value === 'string' && value.length > 0) attributes[name] = { DataType: 'String', StringValue: value };
  }
  let message = JSON.stringify(bodies);
  if (publishBytes(message, attributes) > MAX_PUBLISH_BYTES) {
    // The renderer bounds every part, but never let an oversized copy for machines stop the people's copy.
    delete bodies.sqs;
    delete bodies.lambda;
    message = JSON.stringify(bodies);
  }
  return {
    TopicArn: topicArn,
    Subject: notification.subject,
    MessageStructure: 'json',
    Message: message,
    MessageAttributes: attributes,
  };
}

function publishBytes(message: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(message);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}
