/**
 * Delivers messages through SNS. A single publish carries a body per
 * protocol (`MessageStructure: 'json'`; a subscription reads the key named
 * after its protocol, else `default`): email subscribers read plain text,
 * AWS Chatbot (subscribed over HTTPS) its custom-notification JSON, SMS the
 * subject, and queues, functions, HTTP endpoints, Firehose and email-json the
 * machine-readable copy under `default`, which they all fall back to: one
 * copy in the publish instead of five. Only the `email` body can hold the
 * addressee's decision links; every other body is without them.
 * Message attributes let each subscription filter (recipient, outcome,
 * severity, kind, department, type, copy; requester on the requester topic).
 */
import { PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier, RequesterNotifier, SendOutcome } from '../../domain/ports/notifier';
import { batchCalls } from '../batch-calls';
import type { DepartmentNotifier } from '../../domain/ports/outreach';
import type { DepartmentMessage, Message, RequesterMessage } from '../../domain/notifications';

/**
 * Which part of a message each SNS protocol receives. `email` is the only
 * protocol that gets the text with personal decision links. `default` is
 * read by every protocol without a key of its own (sqs, lambda, http,
 * email-json, firehose; also mobile push, which this product does not use).
 */
export const SNS_PROTOCOL_BODIES = {
  default: 'data JSON (sqs, lambda, http, email-json, firehose)',
  email: 'text (with the addressee’s decision links)',
  https: 'Chatbot custom notification JSON',
  sms: 'subject',
} as const;

/** Every protocol an SNS subscription can have. */
export type SnsProtocol = 'email' | 'email-json' | 'http' | 'https' | 'sqs' | 'lambda' | 'firehose' | 'sms' | 'application';

/** The body a subscription of `protocol` receives from a publish's `Message` (its own key, else `default`), as SNS picks it. */
export function bodyForProtocol(message: string, protocol: SnsProtocol): string {
  const bodies = JSON.parse(message) as Partial<Record<string, string>>;
  const body = bodies[protocol] ?? bodies.default;
  if (body === undefined) throw new Error(`the message has no body for ${protocol} and no default`);
  return body;
}

/** SNS rejects a publish over 256 KiB (body and attributes together), and a `PublishBatch` over that in all. */
const MAX_PUBLISH_BYTES = 256 * 1024;
/** `PublishBatch` takes at most ten messages. */
const MAX_BATCH_ENTRIES = 10;
/** Attempts for a batch entry SNS failed on its side (`SenderFault` false), the first included. */
const BATCH_ENTRY_ATTEMPTS = 3;

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

  /**
   * Several notifications in `PublishBatch` calls (ten messages and 256 KiB
   * a call). An entry SNS fails on its side is tried again; one it refuses
   * as the sender's fault, or that still fails, answers with its error.
   */
  async notifyEach(notifications: readonly Notification[]): Promise<SendOutcome[]> {
    const inputs = notifications.map((n) => snsPublishInput(this.topicArn, n));
    const outcomes: (SendOutcome | undefined)[] = notifications.map(() => undefined);
    const sizes = inputs.map((input) => publishBytes(input.Message, input.MessageAttributes));
    let pending = inputs.map((_, index) => index);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 2)));
      const retry: number[] = [];
      for (const chunk of batchCalls(pending, (i) => sizes[i], { maxEntries: MAX_BATCH_ENTRIES, maxBytes: MAX_PUBLISH_BYTES })) {
        let response;
        try {
          response = await this.sns.send(
            new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: chunk.map((i) => batchEntry(i, inputs[i])) }),
          );
        } catch (error) {
          // The SDK has retried the call itself; its error is every entry's.
          for (const index of chunk) outcomes[index] = { error };
          continue;
        }
        for (const ok of response.Successful ?? []) {
          const index = Number(ok.Id);
          outcomes[index] = ok.MessageId
            ? { messageId: ok.MessageId }
            : { error: new Error(`SNS accepted the notification for ${notifications[index].recordId} but returned no MessageId`) };
        }
        for (const failed of response.Failed ?? []) {
          const index = Number(failed.Id);
          if (!failed.SenderFault && attempt < BATCH_ENTRY_ATTEMPTS) retry.push(index);
          else
            outcomes[index] = {
              error: new Error(`SNS refused the notification for ${notifications[index].recordId}: ${failed.Code} (${failed.Message ?? 'no message'})`),
            };
        }
      }
      pending = retry;
    }
    return outcomes.map((o, i) => o ?? { error: new Error(`SNS answered nothing for the notification for ${notifications[i].recordId}`) });
  }
}

type PublishInput = ReturnType<typeof snsPublishInput>;

/** A batch entry for a publish input; its id is the input's position, which the answer echoes. */
function batchEntry(index: number, input: PublishInput): PublishBatchRequestEntry {
  return {
    Id: String(index),
    Subject: input.Subject,
    MessageStructure: input.MessageStructure,
    Message: input.Message,
    MessageAttributes: input.MessageAttributes,
  };
}

/**
 * Approval outcomes for requesters, on their own topic: "approved",
 * "rejected: use Box instead", "needs more information". The `requester`
 * attribute carries the requester's identity key, so a per-person email
 * subscription with a filter policy gets only its own messages, and a mail
 * relay subscribed over SQS or Lambda finds the address in the data's `to`;
 * `status` lets a procurement tool's connector subscribe to the outcomes it
 * cares about.
 */
export class SnsRequesterNotifier implements RequesterNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  notifyRequester(message: RequesterMessage): Promise<{ messageId: string }> {
    return publishMessage(this.sns, this.topicArn, message, `the requester message for ${message.recordId}`);
  }
}

/** Env var with the department outreach topic ARN. */
export const OUTREACH_TOPIC_ARN_ENV = 'OUTREACH_TOPIC_ARN';

/**
 * Department outreach on its own topic: each department contact's
 * subscription filters on the `department` attribute, so Marketing never
 * reads Sales's note; a mail relay subscribed over SQS finds the address in the data's `to`.
 */
export class SnsDepartmentNotifier implements DepartmentNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  notifyDepartment(message: DepartmentMessage): Promise<{ messageId: string }> {
    return publishMessage(this.sns, this.topicArn, message, `the outreach for ${message.attributes.department}`);
  }
}

/** One publish; a missing MessageId is an error naming `what` was sent. */
async function publishMessage(sns: SNSClient, topicArn: string, message: Message<object>, what: string): Promise<{ messageId: string }> {
  const { MessageId } = await sns.send(new PublishCommand(snsPublishInput(topicArn, message)));
  if (!MessageId) throw new Error(`SNS accepted ${what} but returned no MessageId`);
  return { messageId: MessageId };
}

/** The body each protocol reads (see {@link SNS_PROTOCOL_BODIES}). */
export function protocolBodies(message: Message<object>): Record<keyof typeof SNS_PROTOCOL_BODIES, string> {
  return {
    default: JSON.stringify(message.data),
    email: message.text,
    https: JSON.stringify(message.chat),
    sms: message.subject,
  };
}

/**
 * The PublishCommand input for a message (IT or requester): one publish with
 * a body per protocol and string filter attributes. Exported so tests and
 * tools can inspect exactly what is sent.
 */
export function snsPublishInput(topicArn: string, message: Message<object>) {
  const bodies = protocolBodies(message);
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    // SNS rejects empty attribute values; an absent department simply is not an attribute.
    if (typeof value === 'string' && value.length > 0) attributes[name] = { DataType: 'String', StringValue: value };
  }
  let body = JSON.stringify(bodies);
  if (publishBytes(body, attributes) > MAX_PUBLISH_BYTES) {
    // The renderers bound every part, but never let an oversized copy for machines stop the people's copy:
    // the machines then read the text without decision links instead of the data.
    body = JSON.stringify({ ...bodies, default: message.data.text });
  }
  return {
    TopicArn: topicArn,
    Subject: message.subject,
    MessageStructure: 'json',
    Message: body,
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
