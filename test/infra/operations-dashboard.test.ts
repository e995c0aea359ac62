/**
 * The operations dashboard is in the stack, charts the metrics the handlers
 * really emit (under the namespace and service the functions are given),
 * shows every Lambda's p99 duration and the dead-letter queue, and shows
 * every alarm the stack defines.
 */
import { DASHBOARD_METRICS } from '../../infra/constructs/operations-dashboard';
import { METRIC_NAMES } from '../../functions/handlers/shared/guardrail-handler';
import { INGEST_METRIC_NAMES } from '../../functions/handlers/shared/ingest-handler';
import { NATIVE_SOURCE_METRIC_NAMES } from '../../functions/handlers/shared/native-source-handler';
import { SWEEP_METRICS } from '../../functions/handlers/escalation-sweep';
import { DIGEST_METRICS } from '../../functions/handlers/digest';
import { synthGuardrail } from './support';

/** The dashboard body with CloudFormation references written as `{ref:LogicalId}`. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  const join = (body as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`unexpected dashboard body ${JSON.stringify(body).slice(0, 200)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      const att = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      return ref ? `{ref:${ref}}` : att ? `{ref:${att[0]}}` : '{token}';
    })
    .join(join[0]);
}

describe('operations dashboard', () => {
  const g = synthGuardrail();
  const dashboards = g.template.findResources('AWS::CloudWatch::Dashboard');
  const body = bodyText(Object.values(dashboards)[0]?.Properties?.DashboardBody);
  const widgets = (JSON.parse(body.replace(/\{ref:[^}]+\}|\{token\}/g, 'X')) as { widgets: { properties: Record<string, unknown> }[] }).widgets;

  it('exists once in the stack', () => {
    expect(Object.keys(dashboards)).toHaveLength(1);
  });

  it("charts the handlers' own metric names, in the functions' namespace and service", () => {
    const emitted = new Set<string>([
      METRIC_NAMES.received,
      ...Object.values(METRIC_NAMES.decision),
      METRIC_NAMES.duplicate,
      METRIC_NAMES.notified,
      METRIC_NAMES.deadLettered,
      METRIC_NAMES.retried,
      INGEST_METRIC_NAMES.deadLettered,
      NATIVE_SOURCE_METRIC_NAMES.deadLettered,
      ...Object.values(SWEEP_METRICS),
      ...Object.values(DIGEST_METRICS),
    ]);
    const charted = Object.values(DASHBOARD_METRICS).flat();
    expect(charted.filter((name) => !emitted.has(name))).toEqual([]);
    for (const name of charted) expect(body).toContain(`"ProcurementGuardrail","${name}","service","procurement-guardrail"`);
    // Events and decisions by outcome, dead letters, notifications, approvals pending and overdue.
    for (const name of ['DecisionsAllow', 'DecisionsReview', 'DecisionsBlock', 'DeadLettered', 'NotificationsSent', 'ApprovalsPending', 'ApprovalsOverdue']) {
      expect(charted).toContain(name);
    }
  });

  it("shows the dead-letter queue's depth and every function's p99 duration", () => {
    expect(body).toContain(`"AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","{ref:${g.logicalId(g.stack.deadLetterQueue)}`);
    const functions = Object.keys(g.template.findResources('AWS::Lambda::Function')).filter(
      (id) => !id.startsWith('CustomResource') && !id.includes('Provider') && !id.startsWith('LogRetention'),
    );
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const id of functions) expect(body).toMatch(new RegExp(`"AWS/Lambda","Duration","FunctionName","\\{ref:${id}\\}"[^\\]]*"stat":"p99"`));
  });

  it('shows every alarm the stack defines, in the status widget and as its own graph', () => {
    const alarms = Object.keys(g.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(18);
    const status = widgets.find((w) => w.properties.title === 'Alarms');
    expect((status?.properties.alarms as unknown[]).length).toBe(alarms.length);
    for (const id of alarms) expect(body.split(`{ref:${id}}`).length - 1).toBeGreaterThanOrEqual(2);
  });
});
