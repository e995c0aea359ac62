/**
 * The Procurement Guardrail in one stack: a custom EventBridge bus whose two
 * rules (patterns from `domain/event-routes.ts`) invoke one Lambda per event
 * kind; the policy and requests tables; the IT approvers topic; a dead-letter
 * queue that keeps every event that could not be decided; alarms on it and on
 * the functions. Native payloads come in through the ingest HTTP API
 * (`IngestApi`) and, for Okta's partner bus and aws.sso, through rules on
 * those buses (`NativeSourceRules`); both put canonical events on the bus.
 * One customer-managed key encrypts tables, topics, queue, secret and logs
 * so access to guardrail data is governed (and audited) in one place.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LEGACY_APPROVALS_INDEX, PARTITION_KEY, REQUESTS_TABLE_INDEXES, SORT_KEY, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/tables';
import { ALL_APPROVERS } from '../functions/domain/notifications/message';
import type { EventKind } from '../functions/domain/events';
import { EVENT_BATCH_SIZE, EVENT_PATTERNS, GUARDRAIL_SOURCE } from '../functions/domain/event-routes';
import type { DeploymentConfig } from './config';
import { GuardrailFunction } from './constructs/guardrail-function';
import { IngestApi } from './constructs/ingest-api';
import { ApprovalsApi } from './constructs/approvals-api';
import { NativeSourceRules } from './constructs/native-source-rules';
import { OperationsDashboard } from './constructs/operations-dashboard';
import { Outreach } from './constructs/outreach';
import { TARGET_RETRY, toCdkEventPattern } from './event-rules';

// Kept importable from the stack module, where tests and older callers look for them.
export { TARGET_RETRY, toCdkEventPattern };

export interface GuardrailStackProps extends StackProps {
  config: DeploymentConfig;
}

/** Handler entry per event kind (agreed with the handlers' owner). */
export const HANDLER_ENTRIES: Record<EventKind, string> = {
  'purchase-request': 'functions/handlers/purchase-request.ts',
  'app-connected': 'functions/handlers/app-connected.ts',
};

const EVENT_KINDS = Object.keys(HANDLER_ENTRIES) as EventKind[];

/** PascalCase construct ids per kind: `PurchaseRequest`, `AppConnected`. */
export const KIND_IDS: Record<EventKind, string> = {
  'purchase-request': 'PurchaseRequest',
  'app-connected': 'AppConnected',
};

/** A batch's time: ten events, and a redelivery that may wait up to two seconds for a concurrent holder. */
export const EVENT_BATCH_TIMEOUT = Duration.seconds(30);
/** Six times the batch timeout, and longer than the side-effect lease (functions/domain/use-cases/guardrail/once.ts). */
export const EVENT_QUEUE_VISIBILITY = Duration.minutes(3);
/** Receives before an event is parked in the dead-letter queue. */
export const EVENT_QUEUE_MAX_RECEIVES = 5;

export const SERVICE_NAME = 'procurement-guardrail';
export const METRICS_NAMESPACE = 'ProcurementGuardrail';

export class GuardrailStack extends Stack {
  readonly key: kms.Key;
  readonly bus: events.EventBus;
  readonly policyTable: TableV2;
  readonly requestsTable: TableV2;
  /** The app inventory (one entry per app, its users sharded over 16 partitions) and the people directory. */
  readonly inventoryTable: TableV2;
  readonly itApproversTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly deadLetterQueue: sqs.Queue;
  /** Per event kind, the queue its rule delivers to and its function takes batches from. */
  readonly eventQueues: Record<EventKind, sqs.Queue>;
  readonly functions: Record<EventKind, GuardrailFunction>;
  readonly rules: Record<EventKind, events.Rule>;
  readonly ingest: IngestApi;
  readonly nativeSources: NativeSourceRules;
  readonly approvals: ApprovalsApi;
  readonly outreach: Outreach;

  constructor(scope: Construct, id: string, props: GuardrailStackProps) {
    super(scope, id, {
      description: 'Procurement Guardrail: checks SaaS purchase requests and new app connections against IT policy before contracts are signed',
      ...props,
    });
    const { config } = props;
    const logGroupPrefix = `/procurement-guardrail/${this.stackName}/`;

    // --- Encryption ---------------------------------------------------------
    this.key = new kms.Key(this, 'GuardrailKey', {
      description: `Procurement Guardrail (${this.stackName}): tables, topics, dead-letter queue and logs`,
      enableKeyRotation: true,
      // Retained with the tables: data encrypted under a deleted key is lost for good.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
      alias: `alias/${this.stackName}`,
    });
    // CloudWatch Logs encrypts the functions' log groups; only groups under our prefix.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForGuardrailLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${logGroupPrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // CloudWatch alarms publish to the KMS-encrypted alarm topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // EventBridge sends undeliverable events to the KMS-encrypted DLQ; only our bus's rules.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowGuardrailRulesToUseDeadLetterQueue',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'aws:SourceArn': this.formatArn({ service: 'events', resource: 'rule', resourceName: `${config.busName}/*` }),
          },
        },
      }),
    );

    // --- Dead-letter queue ---------------------------------------------------
    // One queue for everything that could not be decided: events the handlers reject as
    // malformed (with their reason), Lambda invocations that failed after retries, and
    // events EventBridge could not deliver. Its alarm is the "something was not decided" signal.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- Tables ----------------------------------------------------------------
    const tableProps = {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.policyTable = new TableV2(this, 'PolicyTable', tableProps);
    this.requestsTable = new TableV2(this, 'RequestsTable', {
      ...tableProps,
      // The approvals side: what the sweep must look at, and what waits for the digest (functions/adapters/dynamodb/tables.ts).
      globalSecondaryIndexes: [...REQUESTS_TABLE_INDEXES, ...(config.legacyApprovalsIndex ? [LEGACY_APPROVALS_INDEX] : [])].map((i) => ({
        indexName: i.indexName,
        partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
        sortKey: { name: i.sortKey, type: AttributeType.STRING },
        projectionType: i.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      })),
      // Only used decision-link items carry it: they can go once the link could not verify anyway.
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    this.inventoryTable = new TableV2(this, 'InventoryTable', tableProps);

    // --- Topics ----------------------------------------------------------------
    this.itApproversTopic = new sns.Topic(this, 'ItApproversTopic', {
      displayName: 'Procurement Guardrail - IT approvals',
      masterKey: this.key,
      enforceSSL: true,
    });
    // Messages with decision links are personal (a link is a credential for one approver): each approver's
    // subscription takes only its own and those for every approver (`recipient` attribute).
    for (const email of config.approverEmails) {
      this.itApproversTopic.addSubscription(
        new EmailSubscription(email, {
          filterPolicy: { recipient: sns.SubscriptionFilter.stringFilter({ allowlist: [email, ALL_APPROVERS] }) },
        }),
      );
    }

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Procurement Guardrail - operational alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy enforceSSL creates replaces SNS's default one: let this account's alarms in explicitly.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    // --- Bus, functions, rules -------------------------------------------------
    this.bus = new events.EventBus(this, 'GuardrailBus', {
      eventBusName: config.busName,
      description: `Procurement Guardrail: canonical purchase-request and app-connected events in, "${GUARDRAIL_SOURCE}" decisions out`,
    });

    // --- Approvals: decision pages, inbox, signing key, requester topic, schedules ---------
    // What the approvals API and outreach share: the key, logs, the tables and the IT topic.
    const shared = {
      encryptionKey: this.key,
      logGroupPrefix,
      logRetention: RetentionDays.THREE_MONTHS,
      policyTable: this.policyTable,
      requestsTable: this.requestsTable,
      inventoryTable: this.inventoryTable,
      itApproversTopic: this.itApproversTopic,
      serviceName: SERVICE_NAME,
      metricsNamespace: METRICS_NAMESPACE,
      logLevel: config.logLevel,
      policyCacheTtlSeconds: config.policyCacheTtlSeconds,
    };
    this.approvals = new ApprovalsApi(this, 'Approvals', { ...shared, config: config.approvals, bus: this.bus });

    // --- Outreach: weekly notes to departments, IT's monthly shadow-IT report ---------
    this.outreach = new Outreach(this, 'Outreach', {
      ...shared,
      contacts: config.outreachContacts,
      deadLetterQueue: this.deadLetterQueue,
      ...(this.approvals.inboxEnabled ? { consoleUrl: this.approvals.baseUrl } : {}),
    });

    const functions = {} as Record<EventKind, GuardrailFunction>;
    const rules = {} as Record<EventKind, events.Rule>;
    const eventQueues = {} as Record<EventKind, sqs.Queue>;
    for (const kind of EVENT_KINDS) {
      const kindId = KIND_IDS[kind];
      const fn = new GuardrailFunction(this, `${kindId}Function`, {
        entry: HANDLER_ENTRIES[kind],
        description: `Procurement Guardrail: evaluates ${kind} events against policy, records the decision, notifies IT`,
        encryptionKey: this.key,
        logGroupName: `${logGroupPrefix}${kind}`,
        logRetention: RetentionDays.THREE_MONTHS,
        serviceName: SERVICE_NAME,
        metricsNamespace: METRICS_NAMESPACE,
        logLevel: config.logLevel,
        policyCacheTtlSeconds: config.policyCacheTtlSeconds,
        timeout: EVENT_BATCH_TIMEOUT,
      })
        .readsPolicyFrom(this.policyTable)
        .recordsRequestsIn(this.requestsTable)
        .keepsInventoryIn(this.inventoryTable)
        .notifies(this.itApproversTopic)
        // An amendment that voids a decision tells the requester at once.
        .notifiesRequesters(this.approvals.requesterTopic)
        .publishesDecisionsTo(this.bus)
        .deadLettersTo(this.deadLetterQueue)
        // Each addressed approver's own decision links go into the notification.
        .signsDecisionLinks({ secret: this.approvals.signingKeySecret, baseUrl: this.approvals.baseUrl, inboxEnabled: this.approvals.inboxEnabled });
      functions[kind] = fn;

      // The rule delivers to a queue and the function takes up to ten events an invocation: their
      // notifications and decision events share calls, and a failed event alone is delivered again.
      const queue = new sqs.Queue(this, `${kindId}Queue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        // Six times the function's timeout, as Lambda advises; and longer than the side-effect lease
        // (two minutes), so a redelivery after a crash finds the lease expired and takes it over.
        visibilityTimeout: EVENT_QUEUE_VISIBILITY,
        retentionPeriod: Duration.days(4),
        // Five receives span about a quarter of an hour of retries; after them the event is parked in
        // the alarmed dead-letter queue as it was sent (an EventBridge event), ready for a redrive.
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EVENT_QUEUE_MAX_RECEIVES },
      });
      eventQueues[kind] = queue;
      // No batching window: at low traffic each event is taken at once; batches form under load.
      fn.takesEventsFrom(queue, { batchSize: EVENT_BATCH_SIZE });

      rules[kind] = new events.Rule(this, `${kindId}Rule`, {
        eventBus: this.bus,
        description: `Routes ${kind} events to ${kindId}Queue, which ${kindId}Function reads`,
        eventPattern: toCdkEventPattern(EVENT_PATTERNS[kind]),
        targets: [new SqsQueue(queue, { deadLetterQueue: this.deadLetterQueue, ...TARGET_RETRY })],
      });
    }
    this.functions = functions;
    this.eventQueues = eventQueues;
    this.rules = rules;

    // --- Native payloads in --------------------------------------------------------
    const ingestProps = {
      encryptionKey: this.key,
      logGroupPrefix,
      logRetention: RetentionDays.THREE_MONTHS,
      bus: this.bus,
      deadLetterQueue: this.deadLetterQueue,
      sourceOptions: config.sourceOptions,
      serviceName: SERVICE_NAME,
      metricsNamespace: METRICS_NAMESPACE,
      logLevel: config.logLevel,
    };
    this.ingest = new IngestApi(this, 'Ingest', { ...ingestProps, throttle: config.ingestThrottle });
    this.nativeSources = new NativeSourceRules(this, 'NativeSources', { ...ingestProps, oktaEventSourceName: config.oktaEventSourceName });
    // The native rules live on other buses (default, Okta partner), outside the statement above.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowNativeSourceRulesToUseDeadLetterQueue',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': this.nativeSources.ruleArns } },
      }),
    );

    // --- Alarms ------------------------------------------------------------------
    const alarmAction = new SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, id, {
        alarmName: `${this.stackName}-${id}`,
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(alarmAction);
      a.addOkAction(alarmAction);
      return a;
    };
    alarm(
      'DeadLetterQueueNotEmpty',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      'An event could not be decided (malformed, failed after retries, or undeliverable). Inspect the dead-letter queue, fix the cause, then redrive.',
    );
    for (const kind of EVENT_KINDS) {
      // A failed event goes back to its queue without failing the invocation: the queue's age is what shows it.
      const backlog = new cloudwatch.Alarm(this, `${KIND_IDS[kind]}QueueBacklog`, {
        alarmName: `${this.stackName}-${KIND_IDS[kind]}QueueBacklog`,
        alarmDescription: `A ${kind} event has waited over ten minutes in its queue: decisions are late (events failing and delivered again, or the function throttled). Check the function's logs for "Guardrail event failed".`,
        metric: this.eventQueues[kind].metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 600,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      backlog.addAlarmAction(alarmAction);
      backlog.addOkAction(alarmAction);
    }
    const functionAlarms: Array<{ id: string; fn: GuardrailFunction; errors: string; throttles: string }> = [
      ...EVENT_KINDS.map((kind) => ({
        id: KIND_IDS[kind],
        fn: functions[kind],
        errors: `The ${kind} function failed a whole batch (a setting, a crash). The queue delivers its events again, five times at most, then parks them in the dead-letter queue; check the function's logs.`,
        throttles: `The ${kind} function was throttled: decisions are delayed. Check account concurrency.`,
      })),
      {
        id: 'Ingest',
        fn: this.ingest.function,
        errors: "The ingest function crashed (the API answered 500; senders retry). Usually a missing setting: check the function's logs.",
        throttles: 'The ingest function was throttled: senders get 5xx and must retry. Check account concurrency and the API throttling.',
      },
      {
        id: 'NativeSource',
        fn: this.nativeSources.function,
        errors:
          'The native-source function failed (bus or queue unavailable). Lambda retries twice, then the Okta / IAM Identity Center event goes to the dead-letter queue.',
        throttles: 'The native-source function was throttled: Okta / IAM Identity Center events are delayed. Check account concurrency.',
      },
    ];
    functionAlarms.push(
      {
        id: 'ApprovalsApi',
        fn: this.approvals.apiFunction,
        errors: 'The approvals API function crashed: approvers saw an error page and nothing was recorded. Check its logs.',
        throttles: 'The approvals API function was throttled: approvers got errors. Check account concurrency.',
      },
      {
        id: 'ApprovalsSweep',
        fn: this.approvals.sweepFunction,
        errors:
          'The escalation sweep failed as a whole (e.g. the requests index could not be read): reminders and escalations are late. The next run (15 min) retries; check its logs.',
        throttles: 'The escalation sweep was throttled: reminders and escalations are late.',
      },
      {
        id: 'ApprovalsDigest',
        fn: this.approvals.digestFunction,
        errors: 'The approvals digest failed: low-risk reviews stay held until a run succeeds. Check its logs.',
        throttles: 'The approvals digest was throttled.',
      },
    );
    for (const { id, fn, errors, throttles } of functionAlarms) {
      alarm(`${id}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), errors);
      alarm(`${id}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), throttles);
    }
    alarm(
      'IngestApiServerErrors',
      this.ingest.metricServerErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      "The ingest API answered 5xx: the bus, the dead-letter queue or the ingest secret was unavailable, or the function failed. Senders were told to retry; check the ingest function's logs.",
    );

    alarm(
      'ApprovalsApiServerErrors',
      this.approvals.metricServerErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      "The approvals API answered 5xx: an approver could not open a decision page or record a decision. Check the approvals API function's logs.",
    );
    const approvalMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        period: Duration.minutes(15),
        statistic: cloudwatch.Stats.SUM,
      });
    alarm(
      'ApprovalEffectsFailing',
      approvalMetric('ApprovalEffectsFailed'),
      "A decision event, requester message, audit entry or approver message could not be delivered; it stays pending and every sweep retries it. Check the sweep's logs for the cause (SNS, EventBridge or DynamoDB).",
    );
    alarm(
      'EscalationSweepRequestFailures',
      approvalMetric('SweepFailures'),
      "The escalation sweep could not handle some requests; they stay due and the next run retries. Check the sweep's logs.",
    );

    // --- Operations dashboard (after the functions and alarms it shows) ----------
    const operations = new OperationsDashboard(this, 'Operations', {
      metricsNamespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      deadLetterQueue: this.deadLetterQueue,
      eventQueues: EVENT_KINDS.map((kind) => ({ label: KIND_IDS[kind], queue: this.eventQueues[kind] })),
    });
    new CfnOutput(this, 'OperationsDashboardName', {
      value: operations.dashboard.dashboardName,
      description: 'CloudWatch dashboard: alarms, events and decisions, dead letters, p99 durations, approvals',
    });

    // --- Outputs and tags --------------------------------------------------------
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'Publish canonical events here' });
    new CfnOutput(this, 'ItApproversTopicArn', { value: this.itApproversTopic.topicArn, description: 'IT approver notifications' });
    new CfnOutput(this, 'OutreachTopicArn', {
      value: this.outreach.topic.topicArn,
      description: 'Department outreach; subscriptions filter on the department attribute',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Operational alarms' });
    new CfnOutput(this, 'PolicyTableName', { value: this.policyTable.tableName, description: 'Import policy versions here' });
    new CfnOutput(this, 'RequestsTableName', { value: this.requestsTable.tableName, description: 'One record per decided event' });
    new CfnOutput(this, 'InventoryTableName', {
      value: this.inventoryTable.tableName,
      description: 'App inventory and people directory (guardrail directory import --table)',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl, description: 'Events that could not be decided' });
    new CfnOutput(this, 'IngestUrl', {
      value: this.ingest.ingestUrl,
      description:
        'POST native payloads to this URL followed by the source name (okta, entra-id, google-workspace, iam-identity-center, coupa, servicenow, generic-form)',
    });
    new CfnOutput(this, 'IngestSecretArn', {
      value: this.ingest.secret.secretArn,
      description: 'Per-source ingest secrets: {"<source>": "<secret>" | ["<new>", "<old>"]}',
    });

    new CfnOutput(this, 'ApprovalsUrl', {
      value: this.approvals.baseUrl,
      description: 'Decision links point here (GET/POST /decide); set guardrail:approvalsBaseUrl to use a custom domain',
    });
    new CfnOutput(this, 'ApproverInbox', {
      value: this.approvals.inboxEnabled
        ? `${this.approvals.baseUrl}inbox`
        : 'not deployed: set the CDK context guardrail:approverIdpIssuer and guardrail:approverIdpAudience (the company identity provider) to deploy GET /inbox and GET /requests/{id}',
      description: "Approvers' inbox (behind the identity provider's JWT authorizer)",
    });
    new CfnOutput(this, 'DecisionLinkKeySecretArn', {
      value: this.approvals.signingKeySecret.secretArn,
      description: 'Decision-link signing keyring ({"id","key"} as generated; rotate to {"current","previous"})',
    });
    new CfnOutput(this, 'RequesterTopicArn', {
      value: this.approvals.requesterTopic.topicArn,
      description: 'Approval outcomes for requesters (attribute "requester" = their address, "status" = approved/rejected/…)',
    });

    Tags.of(this).add('project', SERVICE_NAME);
    Tags.of(this).add('managed-by', 'aws-cdk');
  }
}
