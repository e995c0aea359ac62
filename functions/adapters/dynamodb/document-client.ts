/**
 * The DynamoDB DocumentClient, built once per process: a Lambda container
 * reuses it across invocations, and the local runtime and CLI point it at
 * dynalite through `DYNAMODB_ENDPOINT`. Traced like every client (tracing.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../tracing';

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

/** The process-wide DocumentClient (honours `DYNAMODB_ENDPOINT`). */
export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= createDynamoDbDocumentClient({ endpoint: process.env[DYNAMODB_ENDPOINT_ENV] });
  return documentClient;
}
