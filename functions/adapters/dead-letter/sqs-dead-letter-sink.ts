/**
 * Keeps events the guardrail cannot process in an SQS dead-letter queue, each
 * with the reason and the field-level problems, so nothing is lost and an
 * operator can fix the source and redrive. The same queue is the Lambdas'
 * on-failure destination for errors retries could not fix.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterSink } from '../../domain/ports/dead-letter';

/** Env var with the queue URL (the CDK stack sets it). */
export const DEAD_LETTER_QUEUE_URL_ENV = 'DEAD_LETTER_QUEUE_URL';

export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    await this.sqs.send(new SendMessageCommand(sqsDeadLetterInput(this.queueUrl, letter)));
  }
}

/** The SendMessage input for a dead letter (exported for tests and redrive tooling). */
export function sqsDeadLetterInput(queueUrl: string, letter: DeadLetter) {
  return {
    QueueUrl: queueUrl,
    MessageBody: sqsSafeJson(letter),
    MessageAttributes: {
      reason: { DataType: 'String', StringValue: letter.reason },
      ...(letter.kind ? { kind: { DataType: 'String', StringValue: letter.kind } } : {}),
    },
  };
}

/**
 * JSON that SQS accepts. SQS refuses a body holding U+FFFE or U+FFFF, which
 * JSON.stringify leaves as they are; a malformed event is exactly where such
 * characters turn up, and its dead letter must still be delivered. They can
 * only occur inside JSON strings, where a \u escape means the same.
 */
export function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
