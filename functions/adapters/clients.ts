/**
 * AWS SDK clients, built once per process. A Lambda container reuses them
 * across invocations (their connections stay warm). Each is traced: in
 * Lambda its calls are X-Ray subsegments (tracing.ts). The DynamoDB client
 * is in dynamodb/document-client.ts and the SSM one beside the key provider
 * that uses it: lib-dynamodb is not side-effect free, so importing it here
 * would put DynamoDB into the ingest bundles, which touch no table.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from './tracing';

let sns: SNSClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let sqs: SQSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;

export function snsClient(): SNSClient {
  sns ??= traced(new SNSClient({}));
  return sns;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= traced(new EventBridgeClient({}));
  return eventBridge;
}

export function sqsClient(): SQSClient {
  sqs ??= traced(new SQSClient({}));
  return sqs;
}

/** Secrets Manager: the ingest secrets and the decision-link keyring. */
export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= traced(new SecretsManagerClient({}));
  return secretsManager;
}
