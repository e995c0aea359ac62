/**
 * One guardrail "container" for integration tests: its own clients, policy
 * cache, logger and metrics, like a Lambda execution environment, composed by
 * the root from the AWS edges on clients aws-sdk-client-mock intercepts (no
 * decision links: the stack without the approvals API).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsGuardrailEdges } from '../../functions/composition/aws-edges';
import { guardrailServices } from '../../functions/composition/root';
import { TestClock } from './fixtures';
import { quietLogger, recordingMetrics } from './observability';
import type { TestDynamo, TestTables } from './dynalite';

export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:guardrail-it';
export const BUS_NAME = 'guardrail-bus';
export const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/guardrail-dlq';

export function guardrailContainer(
  dynamo: TestDynamo,
  tables: TestTables,
  options: { clock?: TestClock; requestsTable?: string; snsMaxAttempts?: number } = {},
) {
  const clock = options.clock ?? new TestClock();
  const client = dynamo.newDocumentClient();
  const { logger, errors } = quietLogger();
  const { metrics, counts } = recordingMetrics();
  const config = {
    policyTableName: tables.policy,
    requestsTableName: options.requestsTable ?? tables.requests,
    itTopicArn: TOPIC_ARN,
    eventBusName: BUS_NAME,
    deadLetterQueueUrl: DLQ_URL,
    policyCacheTtlSeconds: 60,
    requesterTopicArn: undefined,
  };
  const clients = {
    documents: () => client,
    sns: () => new SNSClient({ region: 'eu-west-1', ...(options.snsMaxAttempts ? { maxAttempts: options.snsMaxAttempts } : {}) }),
    eventBridge: () => new EventBridgeClient({ region: 'eu-west-1' }),
    sqs: () => new SQSClient({ region: 'eu-west-1' }),
  };
  const deps = guardrailServices(awsGuardrailEdges(config, undefined, { clients, logger, metrics, clock, putEvents: { baseDelayMs: 1 } }));
  return { deps, errors, counts, clock };
}
