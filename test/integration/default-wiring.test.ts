/**
 * The exported `handler`s as Lambda runs them: dependencies built from the
 * environment once per module load, DynamoDB reached through DYNAMODB_ENDPOINT
 * (dynalite here), SNS / EventBridge / SQS mocked.
 */
import { mockClient } from 'aws-sdk-client-mock';
import type { PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { DynamoDbPolicyStore } from '../../functions/adapters/dynamodb/policy-store';
import { DynamoDbRequestStore } from '../../functions/adapters/dynamodb/request-store';
import { readGuardrailConfig, MissingConfigurationError } from '../../functions/handlers/shared/config';
import type { GuardrailLambdaHandler } from '../../functions/handlers/shared/guardrail-handler';
import { defaultPolicy, sampleEnvelope } from '../support/fixtures';
import { lambdaContext } from '../support/observability';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo, TestTables } from '../support/dynalite';

type Stub = ReturnType<typeof mockClient>;

let dynamo: TestDynamo;
let tables: TestTables;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tables = await dynamo.freshTables();
  await new DynamoDbPolicyStore(dynamo.documents, tables.policy).importPolicy(defaultPolicy());
});
afterAll(async () => {
  await dynamo.teardown();
});
afterEach(() => {
  process.env = { ...savedEnv };
});

/**
 * Loads a handler module fresh (as a new Lambda container would) with `env`,
 * mocking SNS / EventBridge / SQS in that same module registry.
 */
function loadHandler(module: 'purchase-request' | 'app-connected', env: Record<string, string>) {
  process.env = { ...savedEnv, ...env };
  let loaded:
    | {
        handler: GuardrailLambdaHandler;
        sns: Stub;
        eventBridge: Stub;
        sqs: Stub;
      }
    | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const snsModule = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    const ebModule = require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
    const sqsModule = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
    const sns = mockClient(snsModule.SNSClient);
    sns.on(snsModule.PublishCommand).resolves({ MessageId: 'sns-1' });
    const eventBridge = mockClient(ebModule.EventBridgeClient);
    eventBridge.on(ebModule.PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })),
    }));
    const sqs = mockClient(sqsModule.SQSClient);
    sqs.on(sqsModule.SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const handler = require(`../../functions/handlers/${module}`).handler as GuardrailLambdaHandler;
    /* eslint-enable @typescript-eslint/no-require-imports */
    loaded = { handler, sns, eventBridge, sqs } as never;
  });
  return loaded!;
}

const inputs = (stub: Stub) => stub.calls().map((c) => (c.args[0] as { input: Record<string, unknown> }).input);

const fullEnv = () => ({
  POLICY_TABLE_NAME: tables.policy,
  REQUESTS_TABLE_NAME: tables.requests,
  IT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:it',
  EVENT_BUS_NAME: 'guardrail-bus',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
  POLICY_CACHE_TTL_SECONDS: '30',
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'procurement-guardrail',
  POWERTOOLS_METRICS_NAMESPACE: 'ProcurementGuardrail',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

describe('exported handlers', () => {
  it('process a sample with dependencies built from the environment', async () => {
    const { handler, sns, eventBridge } = loadHandler('purchase-request', fullEnv());
    const result = await handler(sampleEnvelope('purchase-request/wetransfer-prohibited.json'), lambdaContext());
    expect(result).toMatchObject({ status: 'processed', outcome: 'block', notified: true, decisionPublished: true });
    expect(inputs(sns)).toEqual([expect.objectContaining({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:it' })]);
    expect(inputs(eventBridge)[0].Entries).toEqual([expect.objectContaining({ EventBusName: 'guardrail-bus' })]);
    const stored = await new DynamoDbRequestStore(dynamo.documents, tables.requests).get(result.status === 'processed' ? result.recordId : '');
    expect(stored?.decision.outcome).toBe('block');
  });

  it('dead-letter to the queue named in the environment', async () => {
    const { handler, sqs } = loadHandler('app-connected', fullEnv());
    const result = await handler({ source: 'procurement-guardrail', 'detail-type': 'App Connected', detail: {} }, lambdaContext());
    expect(result).toMatchObject({ status: 'dead-lettered', reason: 'invalid-detail' });
    expect(inputs(sqs)).toEqual([expect.objectContaining({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq' })]);
  });

  it('fail every invocation with an error naming each missing variable, without crashing the import', async () => {
    const env: Record<string, string> = fullEnv();
    delete env.IT_TOPIC_ARN;
    delete env.EVENT_BUS_NAME;
    const { handler, sns } = loadHandler('purchase-request', env);
    await expect(handler(sampleEnvelope('purchase-request/wetransfer-prohibited.json'), lambdaContext())).rejects.toThrow(
      'missing environment variables IT_TOPIC_ARN, EVENT_BUS_NAME',
    );
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('readGuardrailConfig', () => {
  it('reads every variable and the cache TTL', () => {
    expect(readGuardrailConfig(fullEnv())).toEqual({
      policyTableName: tables.policy,
      requestsTableName: tables.requests,
      itTopicArn: 'arn:aws:sns:eu-west-1:123456789012:it',
      eventBusName: 'guardrail-bus',
      deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
      policyCacheTtlSeconds: 30,
    });
  });

  it('treats blank values as missing', () => {
    expect(() => readGuardrailConfig({ ...fullEnv(), POLICY_TABLE_NAME: '  ' })).toThrow(MissingConfigurationError);
  });

  it('names a missing and an invalid variable in the same error', () => {
    expect(() => readGuardrailConfig({ ...fullEnv(), POLICY_TABLE_NAME: '', POLICY_CACHE_TTL_SECONDS: '-1' })).toThrow(
      'missing environment variable POLICY_TABLE_NAME: the deployment (CDK stack) must set them on the function; invalid environment: POLICY_CACHE_TTL_SECONDS: must be a number of seconds ≥ 0',
    );
  });
});
