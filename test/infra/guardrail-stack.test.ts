/**
 * What the synthesised template must say: encryption and recovery on the
 * data, the functions' runtime and configuration, the rules' patterns taken
 * from the domain contract, least-privilege IAM, alarms, and a clean
 * AwsSolutions (cdk-nag) report.
 */
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PARTITION_KEY, SORT_KEY } from '../../functions/adapters/dynamodb/tables';
import { DETAIL_TYPES, EVENT_PATTERNS, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import type { EventKind } from '../../functions/domain/events';
import { DEFAULT_CLAIM_LEASE_MS } from '../../functions/domain/use-cases/guardrail/once';
import { readGuardrailConfig } from '../../functions/handlers/shared/config';
import { ENV } from '../../infra/constructs/guardrail-function';
import { METRICS_NAMESPACE, SERVICE_NAME, TARGET_RETRY } from '../../infra/guardrail-stack';
import { resolvedEnv, synthGuardrail, TEST_REGION, type SynthesisedGuardrail } from './support';

const KINDS: EventKind[] = ['purchase-request', 'app-connected'];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

/** Every statement of every IAM policy in the template, with the policy's logical id. */
function iamStatements(g: SynthesisedGuardrail): Array<Statement & { policy: string }> {
  const policies = g.template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([policy, res]) => (res.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ ...s, policy })));
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const ref = (logicalId: string) => ({ Ref: logicalId });

describe('GuardrailStack template', () => {
  let g: SynthesisedGuardrail;
  let keyArn: unknown;

  beforeAll(() => {
    g = synthGuardrail({
      'guardrail:approverEmails': ['it-approvals@example.com', 'security@example.com'],
      'guardrail:alarmEmail': 'oncall@example.com',
      'guardrail:policyCacheTtlSeconds': 120,
    });
    keyArn = getAtt(g.logicalId(g.stack.key));
  });

  test('is pinned to an explicit region (TableV2 with a customer-managed key needs one)', () => {
    expect(g.stack.region).toBe(TEST_REGION);
  });

  describe('encryption key', () => {
    test('is customer-managed, rotated and retained with the data', () => {
      g.template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('lets CloudWatch Logs use it only for the guardrail log groups', () => {
      g.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: `logs.${TEST_REGION}.amazonaws.com` },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
          ]),
        },
      });
    });

    test('lets EventBridge use it for the DLQ only on behalf of rules of the guardrail bus', () => {
      const key = Object.values(g.template.findResources('AWS::KMS::Key'))[0];
      const statement = (key.Properties.KeyPolicy.Statement as Statement[]).find(
        (s) => (s as unknown as { Principal: { Service?: string } }).Principal.Service === 'events.amazonaws.com',
      );
      expect(statement).toBeDefined();
      expect(JSON.stringify(g.stack.resolve(statement!.Condition))).toContain(':rule/procurement-guardrail/*');
    });
  });

  describe('tables', () => {
    test.each([['PolicyTable'], ['RequestsTable']])('%s: pk/sk strings, on-demand, PITR, CMK encryption, deletion protection, retained', (id) => {
      const table = g.stack.node.findChild(id);
      const resource = g.template.toJSON().Resources[g.logicalId(table)];
      expect(resource.Type).toBe('AWS::DynamoDB::GlobalTable');
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: SORT_KEY, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: expect.arrayContaining([
          { AttributeName: PARTITION_KEY, AttributeType: 'S' },
          { AttributeName: SORT_KEY, AttributeType: 'S' },
        ]),
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
      expect(resource.Properties.Replicas).toEqual([
        expect.objectContaining({
          Region: TEST_REGION,
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: keyArn },
        }),
      ]);
    });
  });

  describe('topics', () => {
    test('all four topics (IT approvers, requesters, department outreach, alarms) are encrypted with the key and refuse non-TLS publishing', () => {
      const topics = g.template.findResources('AWS::SNS::Topic');
      expect(Object.keys(topics)).toHaveLength(4);
      for (const topic of Object.values(topics)) expect(topic.Properties.KmsMasterKeyId).toEqual(keyArn);
      const policies = g.template.findResources('AWS::SNS::TopicPolicy');
      expect(Object.keys(policies)).toHaveLength(4);
      for (const policy of Object.values(policies)) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    test('each approver email from context is subscribed to the IT topic (only its own personal links), the alarm email to the alarm topic', () => {
      const itTopic = ref(g.logicalId(g.stack.itApproversTopic));
      const alarmTopic = ref(g.logicalId(g.stack.alarmTopic));
      for (const email of ['it-approvals@example.com', 'security@example.com']) {
        g.template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: email,
          TopicArn: itTopic,
          FilterPolicy: { recipient: [email, 'all-approvers'] },
        });
      }
      g.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: alarmTopic });
      g.template.resourceCountIs('AWS::SNS::Subscription', 3);
    });

    test('the alarm topic accepts CloudWatch alarms of this account (its SSL policy replaces the default)', () => {
      g.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(g.logicalId(g.stack.alarmTopic))],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' })]),
        },
      });
    });

    test('no subscriptions when the context lists no emails (the cdk.json defaults)', () => {
      synthGuardrail().template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('dead-letter queue', () => {
    test('is KMS-encrypted, keeps messages 14 days, is retained, and refuses non-TLS access', () => {
      const queueId = g.logicalId(g.stack.deadLetterQueue);
      g.template.hasResource('AWS::SQS::Queue', {
        Properties: { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 14 * 24 * 3600 },
        DeletionPolicy: 'Retain',
      });
      g.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queueId)],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    test("accepts EventBridge's undeliverable events only from the guardrail's own rules (its bus and the native sources)", () => {
      const policy = Object.values(g.template.findResources('AWS::SQS::QueuePolicy'))[0];
      const allows = (policy.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
      expect(allows.map((s) => s.Condition)).toEqual(
        [...KINDS.map((kind) => g.stack.rules[kind]), g.stack.nativeSources.iamIdentityCenterRule].map((rule) => ({
          ArnEquals: { 'aws:SourceArn': getAtt(g.logicalId(rule)) },
        })),
      );
    });
  });

  describe.each(KINDS)('%s function', (kind) => {
    let fnId: string;
    let props: Record<string, any>;

    beforeAll(() => {
      fnId = g.logicalId(g.stack.functions[kind]);
      props = g.template.toJSON().Resources[fnId].Properties;
    });

    test('runs nodejs24.x on arm64 with 512 MB, 30 s (a batch of ten), X-Ray and JSON logs', () => {
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 30,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(g.logicalId(g.stack.functions[kind].functionLogGroup)) },
      });
    });

    test('gets every environment variable the handlers read, pointing at the right resources', () => {
      expect(props.Environment.Variables).toEqual({
        [ENV.decisionLinkKeySecretArn]: ref(g.logicalId(g.stack.approvals.signingKeySecret)),
        [ENV.approvalsBaseUrl]: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [g.logicalId(g.stack.approvals.api), 'ApiEndpoint'] }, '/']] },
        [ENV.approvalsInboxEnabled]: 'false',
        [ENV.policyTable]: ref(g.logicalId(g.stack.policyTable)),
        [ENV.requestsTable]: ref(g.logicalId(g.stack.requestsTable)),
        [ENV.inventoryTable]: ref(g.logicalId(g.stack.inventoryTable)),
        [ENV.itTopicArn]: ref(g.logicalId(g.stack.itApproversTopic)),
        [ENV.requesterTopicArn]: ref(g.logicalId(g.stack.approvals.requesterTopic)),
        [ENV.eventBusName]: ref(g.logicalId(g.stack.bus)),
        [ENV.deadLetterQueueUrl]: ref(g.logicalId(g.stack.deadLetterQueue)),
        [ENV.policyCacheTtlSeconds]: '120',
        [ENV.serviceName]: SERVICE_NAME,
        [ENV.metricsNamespace]: METRICS_NAMESPACE,
        [ENV.logLevel]: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    test("satisfies the handler's own environment schema", () => {
      expect(() => readGuardrailConfig(resolvedEnv(props.Environment.Variables))).not.toThrow();
    });

    test('takes batches of up to ten from its queue, returning only the failed events', () => {
      const queueId = g.logicalId(g.stack.eventQueues[kind]);
      g.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: ref(fnId),
        EventSourceArn: getAtt(queueId),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // Not invoked asynchronously any more: nothing for Lambda's own DLQ to park.
      expect(props.DeadLetterConfig).toBeUndefined();
    });

    test('its queue is encrypted with the stack key, redelivers after the side-effect lease, and parks an event after five receives', () => {
      const queue = g.template.toJSON().Resources[g.logicalId(g.stack.eventQueues[kind])];
      expect(queue.Properties).toMatchObject({
        KmsMasterKeyId: keyArn,
        // Longer than the two-minute lease (a redelivery takes over a crashed holder's), six times the 30 s timeout.
        VisibilityTimeout: 180,
        RedrivePolicy: { deadLetterTargetArn: getAtt(g.logicalId(g.stack.deadLetterQueue)), maxReceiveCount: 5 },
      });
      expect(180 * 1000).toBeGreaterThan(DEFAULT_CLAIM_LEASE_MS);
    });

    test('logs to its own KMS-encrypted log group with bounded retention', () => {
      const logGroup = g.template.toJSON().Resources[g.logicalId(g.stack.functions[kind].functionLogGroup)];
      expect(logGroup.Properties).toMatchObject({
        LogGroupName: `/procurement-guardrail/${g.stack.stackName}/${kind}`,
        KmsKeyId: keyArn,
        RetentionInDays: 90,
      });
    });

    test('has an explicit role with no managed policies (no AWSLambdaBasicExecutionRole)', () => {
      const role = g.template.toJSON().Resources[g.logicalId(g.stack.functions[kind].executionRole)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ]);
    });

    test('may call exactly the APIs its adapters use, each on its own resource', () => {
      const policyId = g.logicalId(g.stack.functions[kind].executionRole.node.findChild('DefaultPolicy'));
      const statements = iamStatements(g).filter((s) => s.policy === policyId);
      const grantsOn = (resource: unknown) =>
        statements
          .filter((s) => JSON.stringify(s.Resource) === JSON.stringify(resource))
          .flatMap(actionsOf)
          .sort();

      expect(grantsOn(getAtt(g.logicalId(g.stack.functions[kind].functionLogGroup)))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(grantsOn(getAtt(g.logicalId(g.stack.policyTable)))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(grantsOn(getAtt(g.logicalId(g.stack.requestsTable)))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      // IT's topic and the requesters' (an amendment that voids a decision tells the requester), nothing else.
      const publishTo = statements.filter((s) => actionsOf(s).includes('sns:Publish')).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
      expect(publishTo.map((r) => JSON.stringify(r)).sort()).toEqual(
        [ref(g.logicalId(g.stack.itApproversTopic)), ref(g.logicalId(g.stack.approvals.requesterTopic))].map((r) => JSON.stringify(r)).sort(),
      );
      expect(statements.filter((s) => actionsOf(s).includes('sns:Publish')).flatMap(actionsOf)).toEqual(['sns:Publish']);
      expect(grantsOn(getAtt(g.logicalId(g.stack.bus)))).toEqual(['events:PutEvents']);
      expect([...new Set(grantsOn(getAtt(g.logicalId(g.stack.deadLetterQueue))))]).toEqual(['sqs:SendMessage']);
      expect(grantsOn(ref(g.logicalId(g.stack.approvals.signingKeySecret)))).toEqual(['secretsmanager:GetSecretValue']);
      expect(grantsOn('*')).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });

    test('may put only "Guardrail Decision" events of its own source on the bus', () => {
      const policyId = g.logicalId(g.stack.functions[kind].executionRole.node.findChild('DefaultPolicy'));
      const putEvents = iamStatements(g).filter((s) => s.policy === policyId && actionsOf(s).includes('events:PutEvents'));
      expect(putEvents).toHaveLength(1);
      expect(putEvents[0].Condition).toEqual({
        StringEquals: { 'events:source': GUARDRAIL_SOURCE, 'events:detail-type': [DETAIL_TYPES.decision] },
      });
    });
  });

  describe('IAM across the stack', () => {
    test('no service-wide wildcards: no "*" action, no "<service>:*", no dynamodb wildcard', () => {
      for (const s of iamStatements(g)) {
        for (const action of actionsOf(s)) {
          expect(action).not.toBe('*');
          expect(action).not.toMatch(/:\*$/);
          if (action.startsWith('dynamodb:')) expect(action).not.toContain('*');
          // Exact KMS actions only; CDK's grant helpers would add kms:GenerateDataKey* and kms:ReEncrypt*.
          if (action.startsWith('kms:')) expect(action).not.toContain('*');
        }
      }
    });

    test('Resource "*" appears only for X-Ray, whose actions have no resource-level permissions', () => {
      const onStar = iamStatements(g).filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      expect(onStar.length).toBeGreaterThan(0);
      for (const s of onStar) for (const action of actionsOf(s)) expect(action).toMatch(/^xray:/);
    });

    test('KMS use is limited to the guardrail key and to one service per statement (Secrets Manager: one secret)', () => {
      for (const s of iamStatements(g).filter((st) => actionsOf(st).some((a) => a.startsWith('kms:')))) {
        expect(s.Resource).toEqual(keyArn);
        const via = s.Condition!.StringEquals['kms:ViaService'] as string;
        expect(via).toMatch(new RegExp(`^(dynamodb|sns|sqs|secretsmanager)\\.${TEST_REGION}\\.amazonaws\\.com$`));
        if (via.startsWith('secretsmanager.')) {
          expect([ref(g.logicalId(g.stack.ingest.secret)), ref(g.logicalId(g.stack.approvals.signingKeySecret))]).toContainEqual(
            s.Condition!.StringEquals['kms:EncryptionContext:SecretARN'],
          );
          expect(Object.keys(s.Condition!.StringEquals).sort()).toEqual(['kms:EncryptionContext:SecretARN', 'kms:ViaService']);
          expect(actionsOf(s)).toEqual(['kms:Decrypt']);
        } else {
          expect(Object.keys(s.Condition!.StringEquals)).toEqual(['kms:ViaService']);
        }
      }
    });

    test('no IAM users, groups or managed policies are created', () => {
      g.template.resourceCountIs('AWS::IAM::User', 0);
      g.template.resourceCountIs('AWS::IAM::Group', 0);
      g.template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    });
  });

  describe('bus and rules', () => {
    test('the custom bus takes its name from context', () => {
      g.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'procurement-guardrail' });
      synthGuardrail({ 'guardrail:busName': 'guardrail-staging' }).template.hasResourceProperties('AWS::Events::EventBus', {
        Name: 'guardrail-staging',
      });
    });

    test.each(KINDS)('the %s rule uses exactly the domain pattern and targets its queue with DLQ and retry policy', (kind) => {
      const rule = g.template.toJSON().Resources[g.logicalId(g.stack.rules[kind])];
      expect(rule.Properties.EventBusName).toEqual(ref(g.logicalId(g.stack.bus)));
      expect(rule.Properties.EventPattern).toEqual(EVENT_PATTERNS[kind]);
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: getAtt(g.logicalId(g.stack.eventQueues[kind])),
          DeadLetterConfig: { Arn: getAtt(g.logicalId(g.stack.deadLetterQueue)) },
          RetryPolicy: { MaximumRetryAttempts: TARGET_RETRY.retryAttempts, MaximumEventAgeInSeconds: TARGET_RETRY.maxEventAge.toSeconds() },
        }),
      ]);
      // EventBridge may send to the queue from this account only (CDK's grant for an encrypted queue); the key
      // policy narrows it to rules on the guardrail's bus. Nothing invokes the function but the queue's event source.
      g.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(g.logicalId(g.stack.eventQueues[kind]))],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['sqs:SendMessage']),
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
      expect(g.template.findResources('AWS::Lambda::Permission', { Properties: { FunctionName: getAtt(g.logicalId(g.stack.functions[kind])) } })).toEqual({});
    });

    test('there are no other rules than those, the native-source ones and the two approvals schedules', () => {
      g.template.resourceCountIs('AWS::Events::Rule', KINDS.length + 1 + 2);
    });
  });

  describe('alarms', () => {
    const alarmTopicAction = () => [ref(g.logicalId(g.stack.alarmTopic))];

    test('the DLQ alarms as soon as one message is visible', () => {
      g.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [g.logicalId(g.stack.deadLetterQueue), 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: alarmTopicAction(),
        OKActions: alarmTopicAction(),
      });
    });

    test.each(
      KINDS.flatMap((kind) => [
        [kind, 'Errors'],
        [kind, 'Throttles'],
      ]),
    )('%s %s > 0 alarms to the alarm topic', (kind, metric) => {
      g.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: ref(g.logicalId(g.stack.functions[kind as EventKind])) }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: alarmTopicAction(),
      });
    });

    test.each([
      ['Ingest', () => g.stack.ingest.function],
      ['NativeSource', () => g.stack.nativeSources.function],
    ])('the %s function alarms on Errors and Throttles', (_id, fn) => {
      for (const metric of ['Errors', 'Throttles']) {
        g.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: ref(g.logicalId(fn())) }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: alarmTopicAction(),
        });
      }
    });

    test('the ingest API alarms on any 5xx answer', () => {
      g.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: Match.arrayWith([{ Name: 'ApiId', Value: ref(g.logicalId(g.stack.ingest.api)) }]),
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: alarmTopicAction(),
      });
    });

    test("twenty-one alarms in all: DLQ, seven functions × (errors, throttles), ingest and approvals API 5xx, approval effects and sweep failures, each event queue's backlog", () => {
      g.template.resourceCountIs('AWS::CloudWatch::Alarm', 1 + 2 * (KINDS.length + 2 + 3) + 2 + 2 + KINDS.length);
    });
  });

  test('outputs the names operators and publishers need', () => {
    const outputs = g.template.toJSON().Outputs;
    expect(outputs).toMatchObject({
      EventBusName: { Value: ref(g.logicalId(g.stack.bus)) },
      ItApproversTopicArn: { Value: ref(g.logicalId(g.stack.itApproversTopic)) },
      PolicyTableName: { Value: ref(g.logicalId(g.stack.policyTable)) },
      RequestsTableName: { Value: ref(g.logicalId(g.stack.requestsTable)) },
      DeadLetterQueueUrl: { Value: ref(g.logicalId(g.stack.deadLetterQueue)) },
    });
  });

  test('tags every taggable resource with the project', () => {
    g.template.hasResourceProperties('AWS::Lambda::Function', { Tags: Match.arrayWith([{ Key: 'project', Value: SERVICE_NAME }]) });
    g.template.hasResourceProperties('AWS::SQS::Queue', { Tags: Match.arrayWith([{ Key: 'project', Value: SERVICE_NAME }]) });
  });

  describe('cdk-nag AwsSolutions', () => {
    test('reports no unacknowledged finding', () => {
      expect(new AwsSolutionsChecks(g.app).validateScope(g.app).violations).toEqual([]);
    });

    test('the only acknowledgements: X-Ray\'s Resource "*" per execution role, no rotation Lambda for shared sender secrets or the link keyring, HMAC or signed links (decision links, renewal links for owners) instead of an authorizer', () => {
      const acknowledged: Array<{ path: string; id: string }> = [];
      for (const construct of g.app.node.findAll()) {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
          for (const id of Object.keys(entry.data as object)) acknowledged.push({ path: construct.node.path, id: id.replace(/^annotation::/i, '') });
        }
      }
      expect(acknowledged.sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id))).toEqual([
        { path: 'ProcurementGuardrail/AppConnectedFunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Approvals/Api/GET--decide', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Approvals/Api/GET--renewals--act', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Approvals/Api/POST--decide', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Approvals/Api/POST--renewals--act', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Approvals/ApiFunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Approvals/DecisionLinkKey', id: 'AwsSolutions-SMG4' },
        { path: 'ProcurementGuardrail/Approvals/DigestFunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Approvals/SweepFunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Ingest/Api/GET--ingest--{source}', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Ingest/Api/POST--ingest--{source}', id: 'AwsSolutions-APIG4' },
        { path: 'ProcurementGuardrail/Ingest/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Ingest/Secret', id: 'AwsSolutions-SMG4' },
        { path: 'ProcurementGuardrail/NativeSources/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'ProcurementGuardrail/Outreach/FunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
        {
          path: 'ProcurementGuardrail/Outreach/ScheduleRole/DefaultPolicy',
          id: `AwsSolutions-IAM5[Resource::<${g.logicalId(g.stack.outreach.function)}.Arn>:*]`,
        },
        { path: 'ProcurementGuardrail/PurchaseRequestFunctionRole/DefaultPolicy', id: 'AwsSolutions-IAM5[Resource::*]' },
      ]);
    });
  });
});
