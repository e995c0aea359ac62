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
import type { Notification, Notifier, RequesterNotifier } from '../../domain/ports/notifier';
import type { RequesterMessage } from '../../domain/approvals';

/** SNS rejects a publish over 256 KiB (body and attributes together). */
const MAX_PUBLISH_BYTES = 256 * 1024;

/** Env var with the topic ARN (the CDK stack sets it). */
export const IT_TOPIC_ARN_ENV = 'IT_TOPIC_ARN';
/** Env var with the requester-facing topic ARN (approval outcomes for the people who asked). */
export const REQUESTER_TOPIC_ARN_ENV = 'REQUESTER_TOPIC_ARN';

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
  return publishInput(topicArn, {
    subject: notification.subject,
    text: notification.text,
    chat: notification.chat,
    attributes: notification.attributes,
    machine: {
      recordId: notification.recordId,
      subject: notification.subject,
      attributes: notification.attributes,
      text: notification.text,
      ...(notification.chat === undefined ? {} : { chat: notification.chat }),
    },
  });
}

/**
 * Approval outcomes for requesters, on their own topic: "approved",
 * "rejected: use Box instead", "IT needs more information". The `requester`
 * attribute carries the address, so a mail relay subscribed over SQS or
 * Lambda (or a per-person email subscription with a filter policy) delivers
 * each message to its requester only; `status` lets a procurement tool's
 * connector subscribe to the outcomes it cares about.
 */
export class SnsRequesterNotifier implements RequesterNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notifyRequester(message: RequesterMessage): Promise<{ messageId: string }> {
    const { MessageId } = await this.sns.send(new PublishCommand(requesterPublishInput(this.topicArn, message)));
    if (!MessageId) throw new Error(`SNS accepted the requester message for ${message.recordId} but returned no MessageId`);
    return { messageId: MessageId };
  }
}

export function requesterPublishInput(topicArn: string, message: RequesterMessage) {
  const attributes: Record<string, string | undefined> = { ...message.attributes, requester: message.to };
  return publishInput(topicArn, {
    subject: message.subject,
    text: message.text,
    chat: message.chat,
    attributes,
    machine: { recordId: message.recordId, to: message.to, subject: message.subject, attributes: message.attributes, text: message.text },
  });
}

/** One publish with a body per protocol (`MessageStructure: 'json'`) and string filter attributes. */
function publishInput(
  topicArn: string,
  parts: { subject: string; text: string; chat?: unknown; attributes: Record<string, string | undefined>; machine: unknown },
) {
  const chat = parts.chat === undefined ? undefined : JSON.stringify(parts.chat);
  const machine = JSON.stringify(parts.machine);
  const bodies: Record<string, string> = {
    default: parts.text,
    email: parts.text,
    // Chatbot subscribes to the topic over HTTPS and renders only its own JSON format.
    ...(chat === undefined ? {} : { https: chat }),
    sqs: machine,
    lambda: machine,
    // A text message has room for the subject only.
    sms: parts.subject,
  };
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(parts.attributes)) {
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
    Subject: parts.subject,
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
