/**
 * The guardrail Lambdas as they run in AWS, on one machine: the handlers from
 * their own factories (createPurchaseRequestHandler / createAppConnectedHandler)
 * with the dependencies the composition root builds from the AWS edges when
 * the stack configures decision links, exactly as a Lambda container does:
 * the DynamoDB adapters on dynalite, and the SNS, EventBridge and SQS
 * adapters on SDK clients whose transport is in-process (fake-aws.ts). The
 * signing key comes from a static provider: deployed it is read once from
 * Secrets Manager and cached, so a warm Lambda does the same work. Only the
 * edges differ, so the benchmark cannot silently measure less than
 * production does. A "container" is one Lambda execution environment: its own
 * SDK clients, policy cache, logger and metrics; a "world" is the account
 * they share (tables, topic, bus, queue).
 *
 * Logs and metrics are written as in Lambda (JSON lines, EMF) but into a
 * byte counter instead of the terminal: their CPU is paid, their volume is
 * measured (it is what CloudWatch Logs would bill), and nothing floods stdout.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { Context, SQSRecord } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient } from '../../functions/adapters/dynamodb/document-client';
import type { PutEventsOptions } from '../../functions/adapters/eventbridge/event-bus';
import { StaticKeyProvider } from '../../functions/adapters/security/signing-keys';
import { awsGuardrailEdges } from '../../functions/composition/aws-edges';
import { guardrailServices, openStores, type Stores } from '../../functions/composition/root';
import { DETAIL_TYPES } from '../../functions/domain/event-routes';
import type { GuardrailDeps } from '../../functions/domain/use-cases/guardrail/process';
import type { Clock } from '../../functions/domain/ports/clock';
import { createAppConnectedBatchHandler, createAppConnectedHandler } from '../../functions/handlers/app-connected';
import { createPurchaseRequestBatchHandler, createPurchaseRequestHandler } from '../../functions/handlers/purchase-request';
import type { GuardrailHandlerDeps, GuardrailHandlerResult, GuardrailLambdaHandler } from '../../functions/handlers/shared/guardrail-handler';
import {
  FakeEventBridgeTransport,
  FakeSnsTransport,
  FakeSqsTransport,
  countDynamoDbCalls,
  fakeEventBridgeClient,
  fakeSnsClient,
  fakeSqsClient,
  injectDynamoDbFaults,
  type DynamoFaultStats,
  type FaultPlan,
} from './fake-aws';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:guardrail-it-approvers';
export const REQUESTER_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:guardrail-requesters';
export const BUS_NAME = 'procurement-guardrail';
export const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/guardrail-dlq';
export const APPROVALS_BASE_URL = 'https://approvals.example.com/';
/** A fixed signing key for decision links (the deployed one lives in Secrets Manager). */
const LINK_KEYS = new StaticKeyProvider({ current: { id: 'bench-key', key: Buffer.alloc(32, 7) }, previous: [] });

/** The account the containers share. */
export interface GuardrailWorld {
  endpoint: string;
  /** With `inventory`, app events go through the app inventory (one review per app). */
  tables: { policy: string; requests: string; inventory?: string };
  sns: FakeSnsTransport;
  eventBridge: FakeEventBridgeTransport;
  sqs: FakeSqsTransport;
}

export function createWorld(
  endpoint: string,
  tables: { policy: string; requests: string; inventory?: string },
  faults: { sns?: FaultPlan; eventBridge?: FaultPlan; sqs?: FaultPlan } = {},
): GuardrailWorld {
  return {
    endpoint,
    tables,
    sns: new FakeSnsTransport(faults.sns),
    eventBridge: new FakeEventBridgeTransport(faults.eventBridge),
    sqs: new FakeSqsTransport(faults.sqs),
  };
}

export interface ContainerOptions {
  clock?: Clock;
  /** Powertools log level; INFO is what the stack deploys (cdk.json guardrail:logLevel). */
  logLevel?: 'SILENT' | 'INFO' | 'ERROR';
  dynamoFaults?: FaultPlan;
  policyCacheTtlSeconds?: number;
  /** Service knobs the reliability suite scales to its simulated time. */
  service?: Pick<GuardrailDeps, 'claimLeaseMs' | 'inFlightWaitMs' | 'sleep'>;
  putEvents?: PutEventsOptions;
}

export interface GuardrailContainer {
  /** Delivers one event the way the bus rule would: to the handler its detail-type selects. */
  invoke(event: Record<string, unknown>): Promise<GuardrailHandlerResult>;
  /**
   * Delivers events of one kind as the deployed stack does: an SQS batch from
   * that kind's queue to its batch handler. Returns the positions of the
   * events it handed back to the queue (`batchItemFailures`).
   */
  invokeBatch(events: readonly Record<string, unknown>[]): Promise<number[]>;
  handlers: { purchase: GuardrailLambdaHandler; app: GuardrailLambdaHandler };
  /** The dependencies the handlers were built with (the composition root's, from this container's edges). */
  deps: GuardrailHandlerDeps;
  documents: DynamoDBDocumentClient;
  /** The request store the handlers use (to read records back). */
  store: Stores['requests'];
  /** DynamoDB operations this container sent, by name (GetItem, PutItem, UpdateItem, Query…). */
  dynamoCalls: Record<string, number>;
  /** Those that succeeded (a conditional write that failed its condition is not a success). */
  dynamoCallsSucceeded: Record<string, number>;
  dynamoFaults?: DynamoFaultStats;
  /** Bytes of logs and EMF metrics written (what CloudWatch Logs would ingest). */
  logBytes(): number;
  /** Milliseconds spent inside each AWS call (`dynamodb:PutItem`, `sns:Publish`, …), SDK retries included. */
  callMillis: Record<string, number>;
  destroy(): void;
}

let invocationCounter = 0;

/** A Lambda context like the one the runtime passes (only what middy and Powertools read). */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `invocation-${++invocationCounter}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

let sqsMessages = 0;

/** An SQS record as Lambda's event source mapping hands it over: the EventBridge event as its body (a string as it is). */
export function sqsRecord(body: unknown, messageId: string, kind: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'EVENTBRIDGE', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:guardrail-${kind}`,
    awsRegion: 'us-east-1',
  };
}

export function createContainer(world: GuardrailWorld, options: ContainerOptions = {}): GuardrailContainer {
  const documents = createDynamoDbDocumentClient({ endpoint: world.endpoint, region: 'us-east-1' });
  const { sent: dynamoCalls, succeeded: dynamoCallsSucceeded } = countDynamoDbCalls(documents);
  const dynamoFaults = options.dynamoFaults ? injectDynamoDbFaults(documents, options.dynamoFaults) : undefined;
  const sink = byteCounter();
  const quietConsole = new Console({ stdout: sink.stream, stderr: sink.stream });
  const logger = new Logger({ serviceName: 'procurement-guardrail', logLevel: options.logLevel ?? 'INFO' });
  (logger as unknown as { console: Console }).console = quietConsole;
  const metrics = new Metrics({ namespace: 'ProcurementGuardrail', serviceName: 'procurement-guardrail' });
  (metrics as unknown as { console: Console }).console = quietConsole;
  const sns = fakeSnsClient(world.sns);
  const eventBridge = fakeEventBridgeClient(world.eventBridge);
  const sqs = fakeSqsClient(world.sqs);
  const callMillis: Record<string, number> = {};
  timeCalls('dynamodb', documents, callMillis);
  timeCalls('sns', sns, callMillis);
  timeCalls('eventbridge', eventBridge, callMillis);
  timeCalls('sqs', sqs, callMillis);

  const edges = {
    ...awsGuardrailEdges(
      {
        policyTableName: world.tables.policy,
        requestsTableName: world.tables.requests,
        ...(world.tables.inventory ? { inventoryTableName: world.tables.inventory } : {}),
        itTopicArn: TOPIC_ARN,
        eventBusName: BUS_NAME,
        deadLetterQueueUrl: DLQ_URL,
        requesterTopicArn: REQUESTER_TOPIC_ARN,
        policyCacheTtlSeconds: options.policyCacheTtlSeconds ?? 60,
      },
      undefined,
      {
        clients: { documents: () => documents, sns: () => sns, eventBridge: () => eventBridge, sqs: () => sqs },
        logger,
        metrics,
        clock: options.clock,
        putEvents: options.putEvents,
      },
    ),
    links: { keys: LINK_KEYS, baseUrl: APPROVALS_BASE_URL, inboxEnabled: true },
    timing: options.service,
  };
  const stores = openStores(edges.tables, edges);
  const deps = guardrailServices(edges, stores);
  const purchase = createPurchaseRequestHandler(deps);
  const app = createAppConnectedHandler(deps);
  const batches = { purchase: createPurchaseRequestBatchHandler(deps), app: createAppConnectedBatchHandler(deps) };
  return {
    handlers: { purchase, app },
    async invokeBatch(events) {
      const appEvents = events[0]?.['detail-type'] === DETAIL_TYPES['app-connected'];
      const kind = appEvents ? 'app-connected' : 'purchase-request';
      const records = events.map((event) => sqsRecord(event, `${kind}-${++sqsMessages}`, kind));
      const result = await (appEvents ? batches.app : batches.purchase)({ Records: records }, lambdaContext(`guardrail-${kind}`));
      if (!('batchItemFailures' in result)) throw new Error(`the batch handler answered a batch with ${JSON.stringify(result)}`);
      return result.batchItemFailures.map((f) => records.findIndex((r) => r.messageId === f.itemIdentifier));
    },
    deps,
    invoke(event) {
      const appEvent = event['detail-type'] === DETAIL_TYPES['app-connected'];
      return appEvent ? app(event, lambdaContext('guardrail-app-connected')) : purchase(event, lambdaContext('guardrail-purchase-request'));
    },
    documents,
    store: stores.requests,
    dynamoCalls,
    dynamoCallsSucceeded,
    dynamoFaults,
    logBytes: () => sink.bytes(),
    callMillis,
    destroy() {
      documents.destroy();
      sns.destroy();
      eventBridge.destroy();
      sqs.destroy();
    },
  };
}

/** Adds each call's wall time to `into[service:operation]` (outermost step, so SDK retries and backoff count). */
function timeCalls(service: string, client: { middlewareStack: { add: (...args: never[]) => unknown } }, into: Record<string, number>): void {
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const started = process.hrtime.bigint();
    try {
      return await next(args);
    } finally {
      const key = `${service}:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      into[key] = (into[key] ?? 0) + Number(process.hrtime.bigint() - started) / 1e6;
    }
  };
  (client.middlewareStack.add as (mw: unknown, options: unknown) => void)(middleware, {
    step: 'initialize',
    priority: 'high',
    name: `timeCalls-${service}-${Math.random()}`,
  });
}

function byteCounter(): { stream: Writable; bytes(): number } {
  let total = 0;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      callback();
    },
  });
  return { stream, bytes: () => total };
}
