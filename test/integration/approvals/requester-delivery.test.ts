/**
 * Requester messages on their own topic and in the local outbox: one publish
 * with a body per protocol and the requester's identity key as a filter
 * attribute; locally the same outbox as IT's, marked with its audience.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { OutboxNotifier } from '../../../functions/adapters/notifier/outbox-notifier';
import { SnsRequesterNotifier, bodyForProtocol, snsPublishInput } from '../../../functions/adapters/notifier/sns-notifier';
import { requestSummaryOf, type ApprovalState } from '../../../functions/domain/approvals';
import { decisionNotification, requesterUpdate, unaddressed } from '../../../functions/domain/notifications';
import { recordFor, sampleEvent } from '../../support/fixtures';

const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
const rejected: ApprovalState = {
  ...record.approval,
  status: 'rejected',
  revision: 1,
  steps: [
    { action: 'reject', by: { email: 'marcus.lee@example.com', name: 'Marcus Lee', tier: 'it-manager' }, comment: 'Use Box.', at: '2026-11-27T13:00:00.000Z' },
  ],
};
const message = requesterUpdate({ record, summary: requestSummaryOf(record), state: rejected, step: rejected.steps[0] });

describe('requester messages', () => {
  const sns = mockClient(SNSClient);
  afterAll(() => sns.restore());

  it('publish to the requester topic with text for email, the chat payload, and the requester as a filter attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    expect(await new SnsRequesterNotifier(new SNSClient({ region: 'eu-west-1' }), 'arn:topic').notifyRequester(message)).toEqual({ messageId: 'm-1' });
    const input = snsPublishInput('arn:topic', message);
    expect(input).toMatchObject({ TopicArn: 'arn:topic', MessageStructure: 'json', Subject: message.subject });
    expect(input.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'approval-update' },
      status: { DataType: 'String', StringValue: 'rejected' },
      kind: { DataType: 'String', StringValue: 'purchase-request' },
      department: { DataType: 'String', StringValue: 'Marketing' },
      requester: { DataType: 'String', StringValue: 'maria.lopez@example.com' },
    });
    const bodies = JSON.parse(input.Message);
    expect(bodies.email).toContain('Marcus Lee rejected your request. Please do not sign this contract.');
    expect(bodies.email).toContain('Marcus Lee wrote:\n> Use Box.');
    expect(JSON.parse(bodies.https)).toMatchObject({ version: '1.0', source: 'custom' });
    expect(JSON.parse(bodyForProtocol(input.Message, 'sqs'))).toMatchObject({
      schema: 'procurement-guardrail/notification/v1',
      type: 'approval-update',
      audience: 'requester',
      to: 'maria.lopez@example.com',
      recordId: 'coupa:PR-2026-1042',
      status: 'rejected',
    });
  });

  it('share the local outbox with IT notifications, each entry saying its audience', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    try {
      const outbox = new OutboxNotifier(join(dir, 'outbox.jsonl'), null, () => new Date('2026-11-27T13:00:00Z'));
      await outbox.notify(unaddressed(decisionNotification(record)));
      await outbox.notifyRequester(message);
      expect((await outbox.list()).map((e) => e.audience)).toEqual(['it', 'requester']);
      expect(await outbox.listFor('requester')).toEqual([
        expect.objectContaining({ to: 'maria.lopez@example.com', subject: message.subject, audience: 'requester' }),
      ]);
      expect(await outbox.listFor('it')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
