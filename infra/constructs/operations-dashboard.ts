/**
 * The operator's CloudWatch dashboard: at the top the state of every alarm
 * the stack defines, then what flows through (events, decisions by outcome,
 * repeats collapsed), what went wrong (dead letters by path, the dead-letter
 * queue's depth and age, events waiting in the event queues and failures
 * delivered again), how fast each function runs (p99 duration), what
 * reached people (notifications, reminders, escalations, digests) and what
 * waits on approvers (open and overdue approvals, gauges the escalation
 * sweep reports), and at the bottom one graph per alarm with its threshold.
 *
 * Metric names are the handlers' EMF metrics (Powertools, dimension
 * `service`); functions and alarms are found in the stack, so create this
 * construct after them.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GuardrailFunction } from './guardrail-function';

export interface OperationsDashboardProps {
  /** POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME of the functions. */
  metricsNamespace: string;
  serviceName: string;
  deadLetterQueue: sqs.IQueue;
  /** The queues the guardrail functions take their events from. */
  eventQueues?: { label: string; queue: sqs.IQueue }[];
  dashboardName?: string;
}

/** The handlers' metric names the dashboard charts, by widget (test/infra checks them against the handlers). */
export const DASHBOARD_METRICS = {
  flow: ['EventsReceived', 'DecisionsAllow', 'DecisionsReview', 'DecisionsBlock', 'DuplicatesCollapsed', 'EventsRetried'],
  deadLetters: ['DeadLettered', 'IngestDeadLettered', 'NativeEventsDeadLettered'],
  notifications: ['NotificationsSent', 'RemindersSent', 'Escalations', 'DigestsSent', 'UndecidedAtSigningDate', 'RenewalRemindersSent', 'RenewalEscalations'],
  approvals: ['ApprovalsPending', 'ApprovalsOverdue'],
} as const;

const WIDTH = 24;
const PERIOD = Duration.minutes(5);

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const alarms = stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    const functions = stack.node.findAll().filter((c): c is GuardrailFunction => c instanceof GuardrailFunction);
    const metric = (metricName: string, statistic: string = cloudwatch.Stats.SUM, period = PERIOD) =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period,
        label: metricName,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width = WIDTH / 2, extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6, ...extra });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${stack.stackName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Procurement Guardrail\nEvents in, decisions out, and what needs an operator. A red alarm names its runbook in its description; the dead-letter queue keeps every event that could not be decided (inspect, fix, redrive).',
        width: WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: WIDTH, height: Math.max(3, Math.ceil(alarms.length / 4) + 1) }),
    );
    this.dashboard.addWidgets(
      graph(
        'Events and decisions by outcome (per 5 min)',
        DASHBOARD_METRICS.flow.map((name) => metric(name)),
      ),
      graph(
        'Dead letters (per 5 min)',
        DASHBOARD_METRICS.deadLetters.map((name) => metric(name)),
        WIDTH / 4,
      ),
      graph(
        'Dead-letter queue',
        [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.MAXIMUM,
            label: 'Messages waiting',
          }),
        ],
        WIDTH / 4,
        {
          right: [
            props.deadLetterQueue.metricApproximateAgeOfOldestMessage({
              period: Duration.minutes(1),
              statistic: cloudwatch.Stats.MAXIMUM,
              label: 'Oldest (s)',
            }),
          ],
        },
      ),
    );
    const eventQueues = props.eventQueues ?? [];
    if (eventQueues.length > 0) {
      this.dashboard.addWidgets(
        graph(
          'Event queues: events waiting',
          eventQueues.map(({ label, queue }) =>
            queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM, label }),
          ),
        ),
        graph(
          'Event queues: oldest event (s)',
          eventQueues.map(({ label, queue }) =>
            queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM, label }),
          ),
        ),
      );
    }
    this.dashboard.addWidgets(
      graph(
        'Lambda duration p99 (ms)',
        functions.map((fn) => fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period: PERIOD, label: fn.node.id.replace(/Function$/, '') })),
        WIDTH / 2,
      ),
      graph(
        'Notifications, reminders, escalations (per 5 min)',
        DASHBOARD_METRICS.notifications.map((name) => metric(name)),
        WIDTH / 4,
      ),
      // Gauges written by each sweep (every 15 minutes): the latest value is the state.
      graph(
        'Approvals open and overdue',
        DASHBOARD_METRICS.approvals.map((name) => metric(name, cloudwatch.Stats.MAXIMUM, Duration.minutes(15))),
        WIDTH / 4,
      ),
    );
    const alarmGraphs = alarms.map((alarm) => new cloudwatch.AlarmWidget({ alarm, title: alarm.node.id, width: WIDTH / 4, height: 5 }));
    for (let i = 0; i < alarmGraphs.length; i += 4) this.dashboard.addWidgets(...alarmGraphs.slice(i, i + 4));
  }
}
