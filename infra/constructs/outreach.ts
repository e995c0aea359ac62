/**
 * Department outreach, deployed: the outreach topic (encrypted, TLS only)
 * with one email subscription per department contact, each filtered on the
 * `department` message attribute so a contact reads only its own
 * department's note; the outreach Lambda; and two EventBridge Scheduler
 * schedules invoking it, weekly (Monday 08:00 UTC, the week that ended) and
 * monthly (the 1st, 08:00 UTC, IT's shadow-IT report for the month that
 * ended). The function may scan records, write only `OUTREACH#` markers,
 * and publish to the two topics; the schedules' role may invoke only it.
 */
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GuardrailFunction } from './guardrail-function';

export const OUTREACH_HANDLER_ENTRY = 'functions/handlers/outreach.ts';

/** Monday 08:00 UTC: the note arrives as the working week starts, about the week that just ended. */
export const WEEKLY_OUTREACH = ScheduleExpression.cron({ minute: '0', hour: '8', weekDay: 'MON' });
/** The 1st of each month, 08:00 UTC: IT's report on the month that ended. */
export const MONTHLY_OUTREACH = ScheduleExpression.cron({ minute: '0', hour: '8', day: '1' });

export interface OutreachProps {
  contacts: readonly { department: string; email: string }[];
  encryptionKey: IKey;
  logGroupPrefix: string;
  logRetention: logs.RetentionDays;
  policyTable: ITableV2;
  requestsTable: ITableV2;
  /** The app inventory: what departments started using, and seats used from complete assignment lists (read only). */
  inventoryTable?: ITableV2;
  itApproversTopic: sns.ITopic;
  /** Where a schedule's invocation goes after its retries fail. */
  deadLetterQueue: IQueue;
  /** The console's URL, linked from IT's report (when the console is deployed). */
  consoleUrl?: string;
  serviceName: string;
  metricsNamespace: string;
  logLevel: string;
  policyCacheTtlSeconds: number;
}

export class Outreach extends Construct {
  readonly topic: sns.Topic;
  readonly function: GuardrailFunction;
  readonly weekly: Schedule;
  readonly monthly: Schedule;

  constructor(scope: Construct, id: string, props: OutreachProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Procurement Guardrail - IT outreach to departments',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    for (const { department, email } of props.contacts) {
      this.topic.addSubscription(
        new EmailSubscription(email, { filterPolicy: { department: sns.SubscriptionFilter.stringFilter({ allowlist: [department] }) } }),
      );
    }

    this.function = new GuardrailFunction(this, 'Function', {
      entry: OUTREACH_HANDLER_ENTRY,
      description:
        "Procurement Guardrail: weekly notes to department contacts (what they use or asked for, sanctioned tools with spare seats) and IT's monthly shadow-IT report",
      logGroupName: `${props.logGroupPrefix}outreach`,
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logLevel: props.logLevel,
      policyCacheTtlSeconds: props.policyCacheTtlSeconds,
      // One bounded scan of the records and a message per department.
      timeout: Duration.minutes(2),
    })
      .readsPolicyFrom(props.policyTable)
      .readsRecordHistoryIn(props.requestsTable)
      .marksOutreachIn(props.requestsTable)
      .notifies(props.itApproversTopic)
      .notifiesDepartments(this.topic, props.consoleUrl);
    if (props.inventoryTable) this.function.readsInventoryFrom(props.inventoryTable);

    // The schedules' own role: assumable by EventBridge Scheduler for this account only, allowed to invoke this function.
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'Procurement Guardrail: lets the outreach schedules invoke the outreach function',
    });
    // A failed invocation is dead-lettered to the stack's queue, encrypted with the stack's key.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    const target = (cadence: 'weekly' | 'monthly') =>
      new LambdaInvoke(this.function, {
        role,
        input: ScheduleTargetInput.fromObject({ cadence }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.deadLetterQueue,
      });
    this.weekly = new Schedule(this, 'WeeklySchedule', {
      schedule: WEEKLY_OUTREACH,
      target: target('weekly'),
      description: 'Procurement Guardrail: weekly outreach to department contacts',
    });
    this.monthly = new Schedule(this, 'MonthlySchedule', {
      schedule: MONTHLY_OUTREACH,
      target: target('monthly'),
      description: 'Procurement Guardrail: monthly shadow-IT report to IT',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    const functionId = Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement);
    if (policy) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          "The Scheduler target grants lambda:InvokeFunction on the outreach function and its versions (<arn>:*), as CDK's LambdaInvoke target does: one function, no other resource. The role can be assumed only by EventBridge Scheduler on behalf of this account.",
      });
    }
  }
}
