/**
 * The pipeline's peer: the textbook way a team would make this Lambda safe
 * to deliver twice. Powertools idempotency (`makeIdempotent` with the
 * DynamoDB persistence layer, its own table, keyed by the request id through
 * a JMESPath expression) around a handler that validates the event,
 * evaluates it against the cached policy, puts the record, publishes the
 * approvers' notifications to SNS and puts the decision event. A repeat
 * delivery gets the stored response without running the handler again.
 *
 * It does the same per-event work as ours where the comparison needs it: the
 * same schemas, the same evaluation, the same notifications (one message per
 * addressed approver, with signed links) and the same decision event, through
 * the same adapters and SDK clients, with Powertools logging and metrics as
 * deployed. What it does not have is what our design adds: no audit trail, no
 * per-step claims (a failure after a side effect repeats the whole handler on
 * retry), and a repeat with the same id but edited content is not noticed.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import middy from '@middy/core';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { createDynamoDbDocumentClient } from '../../../functions/adapters/dynamodb/document-client';
import { DynamoDbPolicyStore } from '../../../functions/adapters/dynamodb/policy-store';
import { EventBridgeDecisionPublisher } from '../../../functions/adapters/eventbridge/decision-publisher';
import { SnsNotifier } from '../../../functions/adapters/notifier/sns-notifier';
import { SignedDecisionLinkIssuer } from '../../../functions/adapters/security/decision-link-issuer';
import { StaticKeyProvider } from '../../../functions/adapters/security/signing-keys';
import { approvalSettingsOf } from '../../../functions/domain/use-cases/approvals/settings';
import { initialApproverNotifications } from '../../../functions/domain/use-cases/approvals/approver-prompts';
import { initialApprovalState } from '../../../functions/domain/approvals';
import { DETAIL_TYPES } from '../../../functions/domain/event-routes';
import { AppConnectedSchema, PurchaseRequestSchema, recordIdOf, type GuardrailEvent } from '../../../functions/domain/events';
import { evaluateEvent } from '../../../functions/domain/evaluate';
import { decisionEventOf } from '../../../functions/domain/decision-event';
import { requestRecordOf, type RequestRecord } from '../../../functions/domain/records';
import { FakeEventBridgeTransport, FakeSnsTransport, countDynamoDbCalls, fakeEventBridgeClient, fakeSnsClient } from '../../support/fake-aws';
import { APPROVALS_BASE_URL, BUS_NAME, TOPIC_ARN, lambdaContext } from '../../support/guardrail-harness';

export const PEER_TABLES = { idempotency: 'peer-idempotency', records: 'peer-records' };
/**
 * The id ours dedupes on: the request id of a purchase request, the source and
 * its event id of an app connection (a purchase request has no sourceEventId).
 */
export const EVENT_KEY_JMESPATH = 'detail.requestId || [detail.source, detail.sourceEventId]';
const LINK_KEYS = new StaticKeyProvider({ current: { id: 'bench-key', key: Buffer.alloc(32, 7) }, previous: [] });

export interface PeerResult {
  recordId: string;
  outcome: string;
  notifications: number;
}

/** The peer's account: its own tables on the shared dynalite, its own SNS and EventBridge transports. */
export interface PeerWorld {
  endpoint: string;
  policyTable: string;
  sns: FakeSnsTransport;
  eventBridge: FakeEventBridgeTransport;
}

export function createPeerWorld(endpoint: string, policyTable: string): PeerWorld {
  return { endpoint, policyTable, sns: new FakeSnsTransport(), eventBridge: new FakeEventBridgeTransport() };
}

/** The idempotency table as Powertools documents it (partition key `id`) and a table for the records. */
export async function createPeerTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const [TableName, key] of [
      [PEER_TABLES.idempotency, 'id'],
      [PEER_TABLES.records, 'pk'],
    ] as const) {
      try {
        await client.send(
          new CreateTableCommand({
            TableName,
            AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
}

export interface PeerContainer {
  invoke(event: Record<string, unknown>): Promise<PeerResult>;
  /** DynamoDB operations sent (record, policy and idempotency calls), by name. */
  dynamoCalls(): Record<string, number>;
  logBytes(): number;
  destroy(): void;
}

/** One execution environment of the peer Lambda: its clients, policy cache, logger and metrics. */
export function createPeerContainer(world: PeerWorld): PeerContainer {
  const documents = createDynamoDbDocumentClient({ endpoint: world.endpoint, region: 'us-east-1' });
  const { sent: dynamoCalls } = countDynamoDbCalls(documents);
  let logged = 0;
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logged += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      callback();
    },
  });
  const quiet = new Console({ stdout: sink, stderr: sink });
  const logger = new Logger({ serviceName: 'procurement-guardrail-peer', logLevel: 'INFO' });
  (logger as unknown as { console: Console }).console = quiet;
  const metrics = new Metrics({ namespace: 'ProcurementGuardrail', serviceName: 'procurement-guardrail-peer', logger });
  (metrics as unknown as { console: Console }).console = quiet;
  const sns = fakeSnsClient(world.sns);
  const eventBridge = fakeEventBridgeClient(world.eventBridge);
  const policies = new DynamoDbPolicyStore(documents, world.policyTable, { cacheTtlSeconds: 60 });
  const notifier = new SnsNotifier(sns, TOPIC_ARN);
  const decisions = new EventBridgeDecisionPublisher(eventBridge, BUS_NAME);
  const links = new SignedDecisionLinkIssuer({ keys: LINK_KEYS, baseUrl: APPROVALS_BASE_URL, inbox: true });

  const decide = async (event: Record<string, unknown>): Promise<PeerResult> => {
    const detail = event.detail;
    const parsed: GuardrailEvent =
      event['detail-type'] === DETAIL_TYPES['app-connected']
        ? { kind: 'app-connected', detail: AppConnectedSchema.parse(detail) }
        : { kind: 'purchase-request', detail: PurchaseRequestSchema.parse(detail) };
    const now = new Date();
    const policy = await policies.current();
    const decision = evaluateEvent(parsed, policy, now);
    const settings = approvalSettingsOf(policy.policy);
    const record: RequestRecord = requestRecordOf(parsed, {
      recordId: recordIdOf(parsed),
      revision: 1,
      history: [],
      decision,
      policyVersion: decision.policyVersion,
      receivedAt: now.toISOString(),
      notification: decision.outcome === 'allow' ? { state: 'not-needed' } : { state: 'pending' },
      decisionEvent: { state: 'pending' },
      approval: initialApprovalState(decision, now, {
        expectedSigningDate: parsed.kind === 'purchase-request' ? parsed.detail.expectedSigningDate : undefined,
        escalation: settings.escalation,
        rules: settings.rules,
      }),
    });
    await documents.send(new PutCommand({ TableName: PEER_TABLES.records, Item: { pk: record.recordId, ...record } }));
    let notifications = 0;
    if (decision.outcome !== 'allow') {
      const { messages } = await initialApproverNotifications({ record, settings, links, now });
      for (const message of messages) await notifier.notify(message);
      notifications = messages.length;
    }
    await decisions.publish(decisionEventOf(record));
    logger.info('Guardrail event processed', { recordId: record.recordId, outcome: decision.outcome, notifications });
    metrics.addMetric(`Decisions${decision.outcome[0].toUpperCase()}${decision.outcome.slice(1)}`, MetricUnit.Count, 1);
    return { recordId: record.recordId, outcome: decision.outcome, notifications };
  };

  // The persistence layer's own client, configured like the DocumentClient's (endpoint, region, credentials).
  const idempotencyClient = new DynamoDBClient({
    endpoint: world.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { sent: idempotencyCalls } = countDynamoDbCalls(idempotencyClient as unknown as Parameters<typeof countDynamoDbCalls>[0]);
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: PEER_TABLES.idempotency, awsSdkV3Client: idempotencyClient });
  const idempotent = makeIdempotent(async (event: Record<string, unknown>, _context: Context) => decide(event), {
    persistenceStore,
    config: new IdempotencyConfig({ eventKeyJmesPath: EVENT_KEY_JMESPATH, expiresAfterSeconds: 3600 }),
  });
  const handler = middy(idempotent)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));

  return {
    invoke: (event) => handler(event, lambdaContext('guardrail-peer')) as Promise<PeerResult>,
    dynamoCalls: () => sumCounts(dynamoCalls, idempotencyCalls),
    logBytes: () => logged,
    destroy() {
      documents.destroy();
      idempotencyClient.destroy();
      sns.destroy();
      eventBridge.destroy();
    },
  };
}

function sumCounts(...counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of counts) for (const [k, v] of Object.entries(c)) total[k] = (total[k] ?? 0) + v;
  return total;
}
