/**
 * Department outreach in the template: the topic (encrypted, one email
 * subscription per contact filtered on its department), the function's
 * least-privilege role (Scan on the table, writes only to OUTREACH# markers,
 * Publish on its two topics), the weekly and monthly Scheduler schedules and
 * their role, cdk-nag clean; and the approvals API may Scan only where the
 * console is served.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { readOutreachConfig } from '../../functions/handlers/shared/outreach-config';
import { resolvedEnv, synthGuardrail, type SynthesisedGuardrail } from './support';

const CONTACTS = ['Marketing=marketing-ops@example.com', 'Customer Success=cs-ops@example.com'];
const IDP = {
  'guardrail:approverIdpIssuer': 'https://example.okta.com/oauth2/default',
  'guardrail:approverIdpAudience': ['api://guardrail'],
  'guardrail:approvalsBaseUrl': 'https://approvals.example.com',
};

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function statementsOf(g: SynthesisedGuardrail, roleLogicalIdPrefix: string): Statement[] {
  const policies = g.template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([id]) => id.startsWith(roleLogicalIdPrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('department outreach in the template', () => {
  let g: SynthesisedGuardrail;
  beforeAll(() => {
    g = synthGuardrail({ 'guardrail:outreachContacts': CONTACTS, ...IDP });
  });

  test('each contact subscribes by email to the outreach topic, filtered on its own department', () => {
    const topicId = g.logicalId(g.stack.outreach.topic);
    const subscriptions = Object.values(g.template.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: topicId } } }));
    expect(subscriptions.map((s) => [s.Properties.Protocol, s.Properties.Endpoint, s.Properties.FilterPolicy]).sort()).toEqual([
      ['email', 'cs-ops@example.com', { department: ['Customer Success'] }],
      ['email', 'marketing-ops@example.com', { department: ['Marketing'] }],
    ]);
  });

  test('weekly on Monday and monthly on the 1st, each naming its cadence, retried, then dead-lettered', () => {
    const schedules = Object.values(g.template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(schedules.map((s) => [s.ScheduleExpression, JSON.parse(s.Target.Input)]).sort()).toEqual([
      ['cron(0 8 1 * ? *)', { cadence: 'monthly' }],
      ['cron(0 8 ? * MON *)', { cadence: 'weekly' }],
    ]);
    for (const s of schedules) {
      expect(s.Target.Arn).toEqual({ 'Fn::GetAtt': [g.logicalId(g.stack.outreach.function), 'Arn'] });
      expect(s.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 3 });
      expect(s.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [g.logicalId(g.stack.deadLetterQueue), 'Arn'] });
    }
  });

  test('the schedules role is assumable only by EventBridge Scheduler for this account and may only invoke the function', () => {
    const roles = g.template.findResources('AWS::IAM::Role');
    const [, role] = Object.entries(roles).find(([id]) => id.startsWith('OutreachScheduleRole'))!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    const actions = statementsOf(g, 'OutreachScheduleRoleDefaultPolicy').flatMap(actionsOf);
    expect(new Set(actions)).toEqual(new Set(['lambda:InvokeFunction', 'sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt']));
  });

  test('the function scans the requests table, writes only OUTREACH# markers and publishes to the IT and outreach topics', () => {
    const statements = statementsOf(g, 'OutreachFunctionRoleDefaultPolicy');
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const writes = dynamo.filter((s) => actionsOf(s).some((a) => /Put|Update|Delete|Write/.test(a)));
    expect(writes).toHaveLength(1);
    expect([...actionsOf(writes[0])].sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(writes[0].Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTREACH#*'] } });
    expect(dynamo.flatMap(actionsOf)).toContain('dynamodb:Scan');
    const publish = statements.filter((s) => actionsOf(s).includes('sns:Publish')).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(publish).toEqual(expect.arrayContaining([{ Ref: g.logicalId(g.stack.outreach.topic) }, { Ref: g.logicalId(g.stack.itApproversTopic) }]));
    expect(publish).toHaveLength(2);
  });

  test("the function's environment satisfies its own schema and links IT's report to the console", () => {
    const vars = g.template.toJSON().Resources[g.logicalId(g.stack.outreach.function)].Properties.Environment.Variables;
    expect(readOutreachConfig(resolvedEnv(vars))).toMatchObject({ consoleUrl: 'https://approvals.example.com/' });
  });

  test('reads the inventory (what departments started using, seats used) and never writes it', () => {
    const vars = g.template.toJSON().Resources[g.logicalId(g.stack.outreach.function)].Properties.Environment.Variables;
    expect(readOutreachConfig(resolvedEnv(vars))).toMatchObject({ inventoryTableName: expect.any(String) });
    const inventoryArn = { 'Fn::GetAtt': [g.logicalId(g.stack.inventoryTable), 'Arn'] };
    const onInventory = statementsOf(g, 'OutreachFunctionRoleDefaultPolicy').filter((st) => JSON.stringify(st.Resource) === JSON.stringify(inventoryArn));
    expect(onInventory.flatMap(actionsOf).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
  });

  test('the approvals API may Scan the requests table (the console; the renewal pages read approved contracts, console or not), in one statement', () => {
    const scans = (s: SynthesisedGuardrail) => statementsOf(s, 'ApprovalsApiFunctionRoleDefaultPolicy').filter((st) => actionsOf(st).includes('dynamodb:Scan'));
    expect(scans(g)).toHaveLength(1);
    expect(scans(synthGuardrail())).toHaveLength(1);
  });

  test('reports no unacknowledged cdk-nag finding', () => {
    expect(new AwsSolutionsChecks(g.app).validateScope(g.app).violations).toEqual([]);
  });
});
