/**
 * The deployed outreach Lambda, built from its environment like in AWS
 * (dynalite for the tables, SNS mocked): the weekly run publishes
 * Marketing's note on the outreach topic with its `department` attribute
 * (what each contact's subscription filters on), a second run of the same
 * week publishes nothing, the monthly run reports to the IT topic, and an
 * unknown cadence fails the invocation by name.
 */
import { mockClient } from 'aws-sdk-client-mock';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { DynamoDbPolicyStore } from '../../functions/adapters/dynamodb/policy-store';
import { DynamoDbRequestStore } from '../../functions/adapters/dynamodb/request-store';
import type { OutreachHandler } from '../../functions/handlers/outreach';
import { lastCompleteWeek } from '../../functions/domain/use-cases/outreach/periods';
import { defaultPolicy, recordFor, sampleEvent } from '../support/fixtures';
import { lambdaContext } from '../support/observability';
import { startTestDynamo, type TestDynamo, type TestTables } from '../support/dynalite';
import { bodyForProtocol } from '../../functions/adapters/notifier/sns-notifier';

const IT_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:it';
const OUTREACH_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:outreach';
let dynamo: TestDynamo;
let tables: TestTables;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tables = await dynamo.freshTables();
  await new DynamoDbPolicyStore(dynamo.documents, tables.policy).importPolicy(defaultPolicy());
  // Marketing asked for Dropbox during the week that ended last (the handler runs on the real clock).
  const receivedAt = new Date(lastCompleteWeek(new Date()).start.getTime() + 86_400_000).toISOString();
  await new DynamoDbRequestStore(dynamo.documents, tables.requests).createIfAbsent({
    ...recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')),
    receivedAt,
  });
});
afterAll(async () => {
  process.env = { ...savedEnv };
  await dynamo.teardown();
});

function load(): { handler: OutreachHandler; published: () => PublishCommandInput[] } {
  process.env = {
    ...savedEnv,
    POLICY_TABLE_NAME: tables.policy,
    REQUESTS_TABLE_NAME: tables.requests,
    IT_TOPIC_ARN: IT_TOPIC,
    OUTREACH_TOPIC_ARN: OUTREACH_TOPIC,
    CONSOLE_URL: 'https://approvals.example.com/',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'eu-west-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'ProcurementGuardrail',
    POWERTOOLS_SERVICE_NAME: 'procurement-guardrail',
  };
  let loaded: ReturnType<typeof load> | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const snsModule = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    let n = 0;
    const sns = mockClient(snsModule.SNSClient);
    sns.on(snsModule.PublishCommand).callsFake(() => ({ MessageId: `sns-${++n}` }));
    loaded = {
      handler: require('../../functions/handlers/outreach').handler,
      published: () => sns.calls().map((c) => (c.args[0] as { input: PublishCommandInput }).input),
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return loaded!;
}

describe('outreach Lambda', () => {
  it('publishes each department note once, filtered by department; the monthly report goes to IT', async () => {
    const { handler, published } = load();
    const weekly = await handler({ cadence: 'weekly' }, lambdaContext());
    expect(weekly.weekly?.sent).toEqual(['Marketing']);
    const [note] = published();
    expect(note.TopicArn).toBe(OUTREACH_TOPIC);
    expect(note.MessageAttributes?.department).toEqual({ DataType: 'String', StringValue: 'Marketing' });
    const bodies = JSON.parse(note.Message!) as Record<string, string>;
    expect(bodies.email).toContain('Already available: Box (File sharing), 120 spare seats');
    expect(JSON.parse(bodyForProtocol(note.Message!, 'sqs'))).toMatchObject({ to: 'marketing-ops@example.com', audience: 'department' });

    expect((await handler({ cadence: 'weekly' }, lambdaContext())).weekly).toMatchObject({ sent: [], alreadySent: ['Marketing'] });
    expect(published()).toHaveLength(1);

    const monthly = await handler({ cadence: 'monthly' }, lambdaContext());
    expect(monthly.monthly).toMatchObject({ sent: true });
    expect(published()[1]).toMatchObject({ TopicArn: IT_TOPIC, MessageAttributes: { type: { DataType: 'String', StringValue: 'shadow-it-report' } } });
  });

  it('fails an invocation with an unknown cadence, naming it', async () => {
    const { handler } = load();
    await expect(handler({ cadence: 'daily' }, lambdaContext())).rejects.toThrow('cadence must be one of weekly, monthly (got "daily")');
  });
});
