/**
 * The Procurement Guardrail in one stack: a custom EventBridge bus whose two
 * rules (patterns from `domain/event-routes.ts`) invoke one Lambda per event
 * kind; the policy and requests tables; the IT approvers topic; a dead-letter
 * queue that keeps every event that could not be decided; alarms on it and on
 * the functions. One customer-managed key encrypts tables, topics, queue and
 * logs so access to guardrail data is governed (and audited) in one place.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { compileEventPattern } from '../functions/adapters/eventbridge/event-pattern';
import { PARTITION_KEY, SORT_KEY } from '../functions/adapters/dynamodb/tables';
import type { EventKind } from '../functions/domain/events';
import { EVENT_PATTERNS, GUARDRAIL_SOURCE, type EventPattern } from '../functions/domain/event-routes';
import type { DeploymentConfig } from './config';
import { GuardrailFunction } from './constructs/guardrail-function';

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

export const SERVICE_NAME = 'procurement-guardrail';
export const METRICS_NAMESPACE = 'ProcurementGuardrail';

/**
 * EventBridge retry policy for the rules' Lambda targets. Delivery to Lambda
 * only fails on throttling of the invoke API or a missing permission; two
 * hours of backoff outlasts a throttling episode, and after that the event is
 * parked in the DLQ (alarmed) rather than dropped or retried silently all day.
 */
export const TARGET_RETRY = { retryAttempts: 10, maxEventAge: Duration.hours(2) } as const;

export class GuardrailStack extends Stack {
  readonly key: kms.Key;
  readonly bus: events.EventBus;
  readonly policyTable: TableV2;
  readonly requestsTable: TableV2;
  readonly itApproversTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly deadLetterQueue: sqs.Queue;
  readonly functions: Record<EventKind, GuardrailFunction>;
  readonly rules: Record<EventKind, events.Rule>;

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
    this.requestsTable = new TableV2(this, 'RequestsTable', tableProps);

    // --- Topics ----------------------------------------------------------------
    this.itApproversTopic = new sns.Topic(this, 'ItApproversTopic', {
      displayName: 'Procurement Guardrail - IT approvals',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of config.approverEmails) this.itApproversTopic.addSubscription(new EmailSubscription(email));

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
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
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

    const functions = {} as Record<EventKind, GuardrailFunction>;
    const rules = {} as Record<EventKind, events.Rule>;
    for (const kind of EVENT_KINDS) {
      const kindId = KIND_IDS[kind];
      const fn = new GuardrailFunction(this, `${kindId}Function`, {
        entry: HANDLER_ENTRIES[kind],
        description: `Procurement Guardrail: evaluates ${kind} events against policy, records the decision, notifies IT`,
        encryptionKey: this.key,
        logGroupName: `${logGroupPrefix}${kind}`,
        logRetention: RetentionDays.THREE_MONTHS,
        deadLetterQueue: this.deadLetterQueue,
        serviceName: SERVICE_NAME,
        metricsNamespace: METRICS_NAMESPACE,
        logLevel: config.logLevel,
        policyCacheTtlSeconds: config.policyCacheTtlSeconds,
      })
        .readsPolicyFrom(this.policyTable)
        .recordsRequestsIn(this.requestsTable)
        .notifies(this.itApproversTopic)
        .publishesDecisionsTo(this.bus)
        .deadLettersTo(this.deadLetterQueue);
      functions[kind] = fn;

      rules[kind] = new events.Rule(this, `${kindId}Rule`, {
        eventBus: this.bus,
        description: `Routes ${kind} events to ${kindId}Function`,
        eventPattern: toCdkEventPattern(EVENT_PATTERNS[kind]),
        targets: [new LambdaFunction(fn, { deadLetterQueue: this.deadLetterQueue, ...TARGET_RETRY })],
      });
    }
    this.functions = functions;
    this.rules = rules;

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
      const fn = functions[kind];
      alarm(
        `${KIND_IDS[kind]}Errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        `The ${kind} function failed. Lambda retries twice, then the event goes to the dead-letter queue; check the function's logs.`,
      );
      alarm(
        `${KIND_IDS[kind]}Throttles`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        `The ${kind} function was throttled: decisions are delayed. Check account concurrency.`,
      );
    }

    // --- Outputs and tags --------------------------------------------------------
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName, description: 'Publish canonical events here' });
    new CfnOutput(this, 'ItApproversTopicArn', { value: this.itApproversTopic.topicArn, description: 'IT approver notifications' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Operational alarms' });
    new CfnOutput(this, 'PolicyTableName', { value: this.policyTable.tableName, description: 'Import policy versions here' });
    new CfnOutput(this, 'RequestsTableName', { value: this.requestsTable.tableName, description: 'One record per decided event' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl, description: 'Events that could not be decided' });

    Tags.of(this).add('project', SERVICE_NAME);
    Tags.of(this).add('managed-by', 'aws-cdk');
  }
}

/**
 * The domain keeps patterns in EventBridge's JSON form (`detail-type`); CDK's
 * EventPattern spells that key `detailType` and renders every other key
 * verbatim. The pattern is validated by the same matcher the tests and the
 * local runtime use, so a pattern EventBridge would reject fails the synth.
 */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  compileEventPattern(pattern);
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}
