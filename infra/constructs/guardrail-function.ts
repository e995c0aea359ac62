/**
 * A guardrail Lambda: NodejsFunction with this project's defaults (Node 24 on
 * ARM, X-Ray, its own KMS-encrypted log group and an execution role that can
 * write only to that log group), plus one method per dependency that sets the
 * environment variable the handler reads AND grants exactly the API calls the
 * adapter makes. Keeping the two together means a handler can never be given
 * a table name without the permission, or a permission nobody uses.
 *
 * KMS permissions are granted per service with `kms:ViaService`, naming exact
 * actions instead of CDK's `kms:GenerateDataKey*`/`kms:ReEncrypt*` wildcards.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../functions/adapters/dead-letter/sqs-dead-letter-sink';
import { INGEST_SECRET_ARN_ENV } from '../../functions/adapters/ingest/secrets-manager-ingest-secrets';
import { SOURCE_OPTIONS_ENV } from '../../functions/adapters/ingest/source-options';
import { POLICY_CACHE_TTL_ENV } from '../../functions/adapters/dynamodb/policy-store';
import { INVENTORY_TABLE_ENV, POLICY_TABLE_ENV, REQUESTS_TABLE_ENV } from '../../functions/adapters/dynamodb/tables';
import { EVENT_BUS_NAME_ENV } from '../../functions/adapters/eventbridge/decision-publisher';
import { IT_TOPIC_ARN_ENV, OUTREACH_TOPIC_ARN_ENV, REQUESTER_TOPIC_ARN_ENV } from '../../functions/adapters/notifier/sns-notifier';
import { OUTREACH_PK_PREFIX } from '../../functions/adapters/dynamodb/outreach-markers';
import { CONSOLE_URL_ENV } from '../../functions/handlers/shared/outreach-config';
import { APPROVALS_BASE_URL_ENV, APPROVALS_INBOX_ENABLED_ENV, DECISION_LINK_KEY_SECRET_ENV } from '../../functions/adapters/security/decision-link-issuer';
import { APPROVER_EMAIL_CLAIM_ENV, APPROVER_SUBJECT_CLAIM_ENV } from '../../functions/handlers/shared/approvals-config';
import { REQUESTS_TABLE_INDEXES, TOKEN_PK_PREFIX } from '../../functions/adapters/dynamodb/tables';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import { KEY_PROVIDERS_BUILD_CONSTANT } from '../../functions/composition/aws-edges';

/**
 * Packages the bundled AWS SDK can load but a Lambda never calls, left out
 * of every bundle (about 125 KiB). `bowser` parses a browser's user agent,
 * loaded only in a browser. The credential providers after the environment
 * (shared config files, SSO, a credential process, a web-identity token file)
 * are loaded only when the environment holds no credentials, and Lambda always
 * puts the execution role's there; should one ever be asked for, `require`
 * finds the runtime's own copy of the SDK.
 */
export const LEFT_OUT_OF_BUNDLES = ['bowser', ...['ini', 'sso', 'process', 'web-identity'].map((p) => `@aws-sdk/credential-provider-${p}`)] as const;

/** The repository root: bundling resolves the lock file and node_modules from here, whatever the cwd. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Environment variable names the handlers read, imported from the adapters
 * that read them so the stack and the code cannot drift apart.
 */
export const ENV = {
  policyTable: POLICY_TABLE_ENV,
  requestsTable: REQUESTS_TABLE_ENV,
  inventoryTable: INVENTORY_TABLE_ENV,
  itTopicArn: IT_TOPIC_ARN_ENV,
  eventBusName: EVENT_BUS_NAME_ENV,
  deadLetterQueueUrl: DEAD_LETTER_QUEUE_URL_ENV,
  policyCacheTtlSeconds: POLICY_CACHE_TTL_ENV,
  ingestSecretArn: INGEST_SECRET_ARN_ENV,
  sourceOptions: SOURCE_OPTIONS_ENV,
  requesterTopicArn: REQUESTER_TOPIC_ARN_ENV,
  outreachTopicArn: OUTREACH_TOPIC_ARN_ENV,
  consoleUrl: CONSOLE_URL_ENV,
  decisionLinkKeySecretArn: DECISION_LINK_KEY_SECRET_ENV,
  approvalsBaseUrl: APPROVALS_BASE_URL_ENV,
  approvalsInboxEnabled: APPROVALS_INBOX_ENABLED_ENV,
  approverEmailClaim: APPROVER_EMAIL_CLAIM_ENV,
  approverSubjectClaim: APPROVER_SUBJECT_CLAIM_ENV,
  // Read by Powertools itself.
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

export interface GuardrailFunctionProps {
  /** Handler entry file, relative to the repository root (`functions/handlers/…`). */
  entry: string;
  description: string;
  /** Encrypts the function's log group. */
  encryptionKey: IKey;
  /** Log group name; the key policy lets CloudWatch Logs use the key for this name only. */
  logGroupName: string;
  logRetention: logs.RetentionDays;
  /**
   * Where Lambda puts an asynchronous invocation that still fails after its
   * retries (and the retry policy that goes with it). Also the queue the
   * handler sends malformed events to (see {@link GuardrailFunction.deadLettersTo}).
   * Leave it out for a function invoked synchronously (the ingest API): its
   * caller gets the error and retries, Lambda has nothing to park.
   */
  deadLetterQueue?: IQueue;
  serviceName: string;
  metricsNamespace: string;
  logLevel: string;
  /** Only for functions that read the policy. */
  policyCacheTtlSeconds?: number;
  /** Default 10 seconds (one event); scheduled batch work needs longer. */
  timeout?: Duration;
}

export class GuardrailFunction extends NodejsFunction {
  /** The function's own log group (KMS-encrypted, bounded retention). */
  readonly functionLogGroup: logs.LogGroup;
  /** The execution role; it holds no managed policy. */
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: GuardrailFunctionProps) {
    // Created next to the function (not inside it) because they must exist before super().
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.encryptionKey,
      // Logs are diagnostics; the decision record of every request lives in DynamoDB (retained).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole, whose logs:* on every
    // log group is more than a function that writes one group needs (cdk-nag IAM4).
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}: its own log group plus the grants in GuardrailFunction`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // Lambda's own DLQ rather than an onFailure destination: the message body is then the
      // original EventBridge event (the error travels in the ErrorCode/ErrorMessage attributes),
      // the same shape EventBridge's target DLQ writes, so one redrive re-puts both kinds.
      ...(props.deadLetterQueue
        ? {
            deadLetterQueue: props.deadLetterQueue,
            // EventBridge invokes asynchronously. Two retries (Lambda's backoff spans a few minutes)
            // ride out a throttle or a brief DynamoDB/SNS error; after that, and for any event older
            // than two hours, the event goes to the DLQ whose alarm pages an operator: a decision is
            // only useful before the contract is signed, so hours of silent retrying would hide it.
            retryAttempts: 2,
            maxEventAge: Duration.hours(2),
          }
        : {}),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        // Smaller bundle; stack traces still map to file:line through the map.
        sourcesContent: false,
        // Readable class names in error logs despite minification.
        keepNames: true,
        format: OutputFormat.CJS,
        // The SDK's and Powertools' ESM builds: esbuild drops what a handler never imports (about a quarter of each bundle).
        mainFields: ['module', 'main'],
        // Bundle everything but LEFT_OUT_OF_BUNDLES, the AWS SDK included: exactly the version the tests ran against
        // (the runtime's own SDK moves on AWS's schedule), tree-shaken to the clients used. No Docker: local esbuild.
        externalModules: [...LEFT_OUT_OF_BUNDLES],
        // The stack keeps decision-link keys in Secrets Manager: the bundles leave the SSM provider out.
        define: { [KEY_PROVIDERS_BUILD_CONSTANT]: JSON.stringify('secrets-manager') },
      },
      environment: {
        [ENV.serviceName]: props.serviceName,
        [ENV.metricsNamespace]: props.metricsNamespace,
        [ENV.logLevel]: props.logLevel,
        ...(props.policyCacheTtlSeconds === undefined ? {} : { [ENV.policyCacheTtlSeconds]: String(props.policyCacheTtlSeconds) }),
        // Stack traces of the minified bundle point at the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.functionLogGroup = logGroup;
    this.executionRole = role;

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions, so
    // Tracing.ACTIVE must grant them on "*". Acknowledged on this role's policy only.
    const defaultPolicy = role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) uses Resource "*": these actions do not support resource-level permissions. Every other statement names its resource; test/infra asserts that.',
      });
    }
  }

  /** Reads the current policy: GetItem and Query on the policy table, nothing else. */
  readsPolicyFrom(table: ITableV2): this {
    this.addEnvironment(ENV.policyTable, table.tableName);
    table.grant(this, 'dynamodb:GetItem', 'dynamodb:Query');
    if (table.encryptionKey) this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']);
    return this;
  }

  /**
   * Records decisions: a conditional PutItem creates a record once, UpdateItem
   * moves its notification/publication state, GetItem reads it back. No
   * DeleteItem, Scan or batch writes.
   */
  recordsRequestsIn(table: ITableV2): this {
    this.addEnvironment(ENV.requestsTable, table.tableName);
    // On the table only: `table.grant` would add `<table>/index/*` once the table has indexes,
    // and these item operations never touch an index.
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
    if (table.encryptionKey) {
      this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    }
    return this;
  }

  /**
   * Keeps the app inventory: GetItem/Query to read an entry and count its
   * users, conditional PutItem/UpdateItem to add facts and people,
   * BatchGetItem for the shards' tallies and a person's directory entry.
   * No DeleteItem, no Scan.
   */
  keepsInventoryIn(table: ITableV2): this {
    this.addEnvironment(ENV.inventoryTable, table.tableName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
      }),
    );
    if (table.encryptionKey) {
      this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    }
    return this;
  }

  /** Reads the app inventory for the console pages: GetItem, BatchGetItem and Query only. */
  readsInventoryFrom(table: ITableV2): this {
    this.addEnvironment(ENV.inventoryTable, table.tableName);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], resources: [table.tableArn] }));
    if (table.encryptionKey) this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']);
    return this;
  }

  /**
   * The approvals side of the requests table: what {@link recordsRequestsIn}
   * allows, plus Query on the table (a request's audit trail) and on the two
   * approvals indexes by name, BatchGetItem on the table (the records a
   * keys-only index lists), and DeleteItem only on used-link items
   * (`TOKEN#…`, to give a link back after a failed decision). Records and
   * audit entries can never be deleted by these functions.
   */
  decidesApprovalsIn(table: ITableV2): this {
    this.recordsRequestsIn(table);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn, ...REQUESTS_TABLE_INDEXES.map((i) => `${table.tableArn}/index/${i.indexName}`)],
      }),
    );
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:BatchGetItem'], resources: [table.tableArn] }));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${TOKEN_PK_PREFIX}*`] } },
      }),
    );
    return this;
  }

  /**
   * Reads stored records by arrival time (the IT console's lists, outreach):
   * Scan on the table itself, never an index, and no write. The scan is
   * bounded in code and never runs on the event path.
   */
  readsRecordHistoryIn(table: ITableV2): this {
    this.addEnvironment(ENV.requestsTable, table.tableName);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.tableArn] }));
    if (table.encryptionKey) this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']);
    return this;
  }

  /** Runs the renewal guard: approved contracts by Scan, and giving back a claimed step or day (deletes of renewal items only). */
  guardsRenewalsIn(table: ITableV2): this {
    this.readsRecordHistoryIn(table);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RENEWAL*'] } },
      }),
    );
    return this;
  }

  /**
   * Outreach markers (`OUTREACH#…` items): a conditional put claims a
   * department's week, an update marks it sent, a delete gives a failed
   * claim back. The leading-keys condition keeps these writes off records.
   */
  marksOutreachIn(table: ITableV2): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${OUTREACH_PK_PREFIX}*`] } },
      }),
    );
    if (table.encryptionKey) this.allowKeyUse(table.encryptionKey, 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']);
    return this;
  }

  /** Publishes department outreach to its topic (sns:Publish only); `consoleUrl` is linked from IT's monthly report. */
  notifiesDepartments(topic: ITopic, consoleUrl?: string): this {
    this.addEnvironment(ENV.outreachTopicArn, topic.topicArn);
    if (consoleUrl) this.addEnvironment(ENV.consoleUrl, consoleUrl);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey) this.allowKeyUse(topic.masterKey, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return this;
  }

  /** Publishes requester-facing messages (approved, rejected, more information needed) to their topic. */
  notifiesRequesters(topic: ITopic): this {
    this.addEnvironment(ENV.requesterTopicArn, topic.topicArn);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey) this.allowKeyUse(topic.masterKey, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return this;
  }

  /**
   * Signs (and verifies) decision links: reads the keyring from its secret
   * (GetSecretValue on that one secret, its key only through Secrets Manager
   * for that secret) and knows the approvals app's public URL.
   */
  signsDecisionLinks(options: { secret: ISecret; baseUrl: string; inboxEnabled: boolean }): this {
    this.addEnvironment(ENV.decisionLinkKeySecretArn, options.secret.secretArn);
    this.addEnvironment(ENV.approvalsBaseUrl, options.baseUrl);
    this.addEnvironment(ENV.approvalsInboxEnabled, String(options.inboxEnabled));
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [options.secret.secretArn] }));
    if (options.secret.encryptionKey) {
      this.allowKeyUse(options.secret.encryptionKey, 'secretsmanager', ['kms:Decrypt'], {
        'kms:EncryptionContext:SecretARN': options.secret.secretArn,
      });
    }
    return this;
  }

  /** Which JWT claims name the signed-in approver: their address and their immutable subject (the approvals API only). */
  readsApproverFromClaims(claims: { email: string; subject: string }): this {
    this.addEnvironment(ENV.approverEmailClaim, claims.email);
    this.addEnvironment(ENV.approverSubjectClaim, claims.subject);
    return this;
  }

  /** Publishes IT approver notifications to the topic (sns:Publish only). */
  notifies(topic: ITopic): this {
    this.addEnvironment(ENV.itTopicArn, topic.topicArn);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    // SNS encrypts the message with a data key generated under the topic's key.
    if (topic.masterKey) this.allowKeyUse(topic.masterKey, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return this;
  }

  /**
   * Puts `Guardrail Decision` events on the bus. The condition keys stop this
   * role from forging events of another source or type, such as a purchase
   * request that would re-enter the guardrail's own rules.
   */
  publishesDecisionsTo(bus: IEventBus, detailTypes: readonly string[] = [DETAIL_TYPES.decision]): this {
    this.addEnvironment(ENV.eventBusName, bus.eventBusName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: {
          StringEquals: { 'events:source': GUARDRAIL_SOURCE, 'events:detail-type': [...detailTypes] },
        },
      }),
    );
    return this;
  }

  /**
   * Puts canonical `Purchase Request Submitted` / `App Connected` events on
   * the bus (the ingest functions). Same condition keys: this role cannot
   * forge a `Guardrail Decision`, which procurement tools gate signing on.
   */
  publishesCanonicalEventsTo(bus: IEventBus): this {
    return this.publishesDecisionsTo(bus, [DETAIL_TYPES['purchase-request'], DETAIL_TYPES['app-connected']]);
  }

  /**
   * Reads the per-source ingest secrets: GetSecretValue on that one secret,
   * and its key only through Secrets Manager for that secret (its ARN is the
   * encryption context Secrets Manager uses).
   */
  readsIngestSecretsFrom(secret: ISecret): this {
    this.addEnvironment(ENV.ingestSecretArn, secret.secretArn);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    if (secret.encryptionKey) {
      this.allowKeyUse(secret.encryptionKey, 'secretsmanager', ['kms:Decrypt'], {
        'kms:EncryptionContext:SecretARN': secret.secretArn,
      });
    }
    return this;
  }

  /** Normaliser options per source as JSON (validated at synth by the handlers' own parser); none when empty. */
  withSourceOptions(options: object): this {
    if (Object.keys(options).length > 0) this.addEnvironment(ENV.sourceOptions, JSON.stringify(options));
    return this;
  }

  /**
   * Sends events that fail validation to the dead-letter queue with their
   * reason (sqs:SendMessage only). Lambda's own asynchronous DLQ is the same
   * queue (set at construction), so this also covers its KMS use.
   */
  /**
   * Takes batches of events from a queue and returns only the failed ones
   * (`ReportBatchItemFailures`). Granted by hand rather than by
   * `SqsEventSource`, whose key grant has no `kms:ViaService` condition.
   */
  takesEventsFrom(queue: IQueue, options: { batchSize: number }): this {
    this.addEventSourceMapping(`${queue.node.id}Events`, {
      eventSourceArn: queue.queueArn,
      batchSize: options.batchSize,
      reportBatchItemFailures: true,
    });
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [queue.queueArn],
      }),
    );
    if (queue.encryptionMasterKey) this.allowKeyUse(queue.encryptionMasterKey, 'sqs', ['kms:Decrypt']);
    return this;
  }

  deadLettersTo(queue: IQueue): this {
    this.addEnvironment(ENV.deadLetterQueueUrl, queue.queueUrl);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    if (queue.encryptionMasterKey) this.allowKeyUse(queue.encryptionMasterKey, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return this;
  }

  private allowKeyUse(
    key: IKey,
    service: 'dynamodb' | 'sns' | 'sqs' | 'secretsmanager',
    actions: string[],
    encryptionContext: Record<string, string> = {},
  ): void {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions,
        resources: [key.keyArn],
        // Usable only through that service, never to decrypt data directly.
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(this).region}.amazonaws.com`, ...encryptionContext } },
      }),
    );
  }
}
