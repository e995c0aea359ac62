/**
 * AWS SDK clients, built once per process. A Lambda container reuses them
 * across invocations (their connections stay warm), and the local runtime and
 * CLI point the DynamoDB client at dynalite through `DYNAMODB_ENDPOINT`.
 * Each is traced: in Lambda its calls are X-Ray subsegments (tracing.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { traced } from './tracing';

/** Set to e.g. `http://127.0.0.1:8000` to use a local DynamoDB (dynalite) instead of AWS. */
export const DYNAMODB_ENDPOINT_ENV = 'DYNAMODB_ENDPOINT';

export interface DynamoDbClientOptions {
  /** A local endpoint (dynalite); when set, credentials and region fall back to harmless local values. */
  endpoint?: string;
  region?: string;
}

/**
 * A DocumentClient with the marshalling this project relies on: optional
 * fields left out of an item rather than rejected, plain JS numbers back.
 */
export function createDynamoDbDocumentClient(options: DynamoDbClientOptions = {}): DynamoDBDocumentClient {
  const { endpoint } = options;
  const local = endpoint !== undefined && endpoint !== '';
  const client = traced(
    new DynamoDBClient({
      ...(local ? { endpoint } : {}),
      region: options.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined),
      // dynalite accepts any signature; local use must not need (or look for) real credentials.
      ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  // The document client shares the traced client's middleware: its calls are traced too.
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

let documentClient: DynamoDBDocumentClient | undefined;
let sns: SNSClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let sqs: SQSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let ssm: SSMClient | undefined;

/** The process-wide DocumentClient (honours `DYNAMODB_ENDPOINT`). */
export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= createDynamoDbDocumentClient({ endpoint: process.env[DYNAMODB_ENDPOINT_ENV] });
  return documentClient;
}

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

/** SSM Parameter Store: the decision-link key when it lives in a SecureString parameter. */
export function ssmClient(): SSMClient {
  ssm ??= traced(new SSMClient({}));
  return ssm;
}
