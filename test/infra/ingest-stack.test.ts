/**
 * What the template must say about getting native payloads in: the ingest
 * HTTP API (route, throttling, JSON access logs to an encrypted group), the
 * per-source secret (CMK, fail-closed placeholder), the two functions'
 * environment and least-privilege grants, the native-source rules (aws.sso
 * always, Okta only with its context key), the key policy that lets those
 * rules dead-letter, and a clean cdk-nag report with Okta configured too.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { IAM_IDENTITY_CENTER_EVENT_PATTERN, oktaEventPattern } from '../../functions/adapters/sources';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import { parseIngestSecrets } from '../../functions/adapters/ingest/ingest-secrets';
import { readIngestConfig, readNativeSourceConfig } from '../../functions/handlers/shared/ingest-config';
import { ENV } from '../../infra/constructs/guardrail-function';
import { METRICS_NAMESPACE, SERVICE_NAME, TARGET_RETRY } from '../../infra/guardrail-stack';
import { resolvedEnv, synthGuardrail, TEST_REGION, type SynthesisedGuardrail } from './support';

const OKTA_SOURCE = 'aws.partner/okta.com/example-org/okta-system-log';

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
  Sid?: string;
};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
const ref = (logicalId: string) => ({ Ref: logicalId });

/** The statements of one role's default policy, as [resource, sorted actions, condition] rows. */
function grants(g: SynthesisedGuardrail, role: { node: { findChild(id: string): any } }) {
  const policy = g.template.toJSON().Resources[g.logicalId(role.node.findChild('DefaultPolicy'))];
  return (policy.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({
    resource: s.Resource,
    actions: [...actionsOf(s)].sort(),
    ...(s.Condition ? { condition: s.Condition } : {}),
  }));
}

describe('ingest API and native sources (default context: no Okta source)', () => {
  let g: SynthesisedGuardrail;
  let resources: Record<string, any>;
  let keyArn: unknown;
  beforeAll(() => {
    g = synthGuardrail();
    resources = g.template.toJSON().Resources;
    keyArn = getAtt(g.logicalId(g.stack.key));
  });

  describe('HTTP API', () => {
    test('POST and GET /ingest/{source} go to the ingest function (Lambda proxy, payload format 2.0), nothing else is routed', () => {
      // Two HTTP APIs in the stack: this one and the approvals API (test/infra/approvals-stack.test.ts).
      g.template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
      expect(resources[g.logicalId(g.stack.ingest.api)].Properties.ProtocolType).toBe('HTTP');
      const routes = Object.values(g.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: { Ref: g.logicalId(g.stack.ingest.api) } } }))
        .map((r) => r.Properties.RouteKey)
        .sort();
      expect(routes).toEqual(['GET /ingest/{source}', 'POST /ingest/{source}']);
      g.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: getAtt(g.logicalId(g.stack.ingest.function)),
      });
    });

    test('no CORS: only servers post here', () => {
      expect(resources[g.logicalId(g.stack.ingest.api)].Properties.CorsConfiguration).toBeUndefined();
    });

    test('API Gateway may invoke the function only for the ingest route', () => {
      const permissions = Object.values(g.template.findResources('AWS::Lambda::Permission')).filter(
        (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(getAtt(g.logicalId(g.stack.ingest.function))),
      );
      expect(permissions.length).toBeGreaterThan(0);
      for (const p of permissions) {
        expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
        expect(JSON.stringify(p.Properties.SourceArn)).toContain('/*/*/ingest/{source}');
      }
    });

    test('the $default stage auto-deploys and is throttled (50 rps, burst 100 by default)', () => {
      g.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    test('throttling follows context', () => {
      synthGuardrail({ 'guardrail:ingestRateLimit': 5, 'guardrail:ingestBurstLimit': '20' }).template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
      });
    });

    test('access logs: one JSON line per request to a KMS-encrypted group, without headers or body', () => {
      const stage = resources[g.logicalId(g.stack.ingest.stage)];
      expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual(getAtt(g.logicalId(g.stack.ingest.accessLogGroup)));
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', sourceIp: '$context.identity.sourceIp' });
      expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/header|body|authorization/i);
      expect(resources[g.logicalId(g.stack.ingest.accessLogGroup)].Properties).toMatchObject({
        LogGroupName: `/procurement-guardrail/${g.stack.stackName}/ingest-api-access`,
        KmsKeyId: keyArn,
        RetentionInDays: 90,
      });
    });
  });

  describe('ingest secret', () => {
    test('is encrypted with the guardrail key and retained', () => {
      const secret = resources[g.logicalId(g.stack.ingest.secret)];
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secret.Properties.KmsKeyId).toEqual(keyArn);
      expect(secret.DeletionPolicy).toBe('Retain');
    });

    test('starts as a document that configures no source (every sender is refused until the operator sets its secret)', () => {
      const generate = resources[g.logicalId(g.stack.ingest.secret)].Properties.GenerateSecretString;
      expect(generate.GenerateStringKey).toBe('_generated');
      expect(generate.PasswordLength).toBeGreaterThanOrEqual(32);
      const placeholder = { ...JSON.parse(generate.SecretStringTemplate), [generate.GenerateStringKey]: 'x'.repeat(48) };
      const parsed = parseIngestSecrets(JSON.stringify(placeholder), 'placeholder');
      expect(parsed.secrets.size).toBe(0);
      expect(parsed.problems).toEqual([]);
    });

    test('has no rotation schedule (its values are shared with outside senders)', () => {
      g.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    });
  });

  describe('ingest function', () => {
    let props: Record<string, any>;
    beforeAll(() => {
      props = resources[g.logicalId(g.stack.ingest.function)].Properties;
    });

    test('runs like the other functions: nodejs24.x, arm64, X-Ray, JSON logs to its own encrypted group', () => {
      expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(props.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: ref(g.logicalId(g.stack.ingest.function.functionLogGroup)) });
      expect(resources[g.logicalId(g.stack.ingest.function.functionLogGroup)].Properties).toMatchObject({
        LogGroupName: `/procurement-guardrail/${g.stack.stackName}/ingest`,
        KmsKeyId: keyArn,
      });
    });

    test('gets exactly the variables its wiring reads', () => {
      expect(props.Environment.Variables).toEqual({
        [ENV.ingestSecretArn]: ref(g.logicalId(g.stack.ingest.secret)),
        [ENV.eventBusName]: ref(g.logicalId(g.stack.bus)),
        [ENV.deadLetterQueueUrl]: ref(g.logicalId(g.stack.deadLetterQueue)),
        [ENV.serviceName]: SERVICE_NAME,
        [ENV.metricsNamespace]: METRICS_NAMESPACE,
        [ENV.logLevel]: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(() => readIngestConfig(resolvedEnv(props.Environment.Variables))).not.toThrow();
    });

    test('is invoked synchronously: no asynchronous DLQ or retry configuration', () => {
      expect(props.DeadLetterConfig).toBeUndefined();
      const invokeConfigs = Object.values(g.template.findResources('AWS::Lambda::EventInvokeConfig'));
      expect(invokeConfigs.map((c) => c.Properties.FunctionName)).not.toContainEqual(ref(g.logicalId(g.stack.ingest.function)));
    });

    test('may read only its secret, put only canonical events of its own source, and dead-letter', () => {
      expect(grants(g, g.stack.ingest.function.executionRole)).toEqual(
        expect.arrayContaining([
          { resource: getAtt(g.logicalId(g.stack.ingest.function.functionLogGroup)), actions: ['logs:CreateLogStream', 'logs:PutLogEvents'] },
          { resource: '*', actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] },
          { resource: ref(g.logicalId(g.stack.ingest.secret)), actions: ['secretsmanager:GetSecretValue'] },
          {
            resource: keyArn,
            actions: ['kms:Decrypt'],
            condition: {
              StringEquals: {
                'kms:ViaService': `secretsmanager.${TEST_REGION}.amazonaws.com`,
                'kms:EncryptionContext:SecretARN': ref(g.logicalId(g.stack.ingest.secret)),
              },
            },
          },
          {
            resource: getAtt(g.logicalId(g.stack.bus)),
            actions: ['events:PutEvents'],
            condition: {
              StringEquals: {
                'events:source': GUARDRAIL_SOURCE,
                'events:detail-type': [DETAIL_TYPES['purchase-request'], DETAIL_TYPES['app-connected']],
              },
            },
          },
          { resource: getAtt(g.logicalId(g.stack.deadLetterQueue)), actions: ['sqs:SendMessage'] },
          {
            resource: keyArn,
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            condition: { StringEquals: { 'kms:ViaService': `sqs.${TEST_REGION}.amazonaws.com` } },
          },
        ]),
      );
      expect(grants(g, g.stack.ingest.function.executionRole)).toHaveLength(7);
    });

    test('cannot put a Guardrail Decision (procurement tools gate signing on those)', () => {
      const statement = grants(g, g.stack.ingest.function.executionRole).find((s) => s.actions.includes('events:PutEvents'));
      expect(JSON.stringify(statement)).not.toContain(DETAIL_TYPES.decision);
    });
  });

  describe('native-source function and rules', () => {
    let props: Record<string, any>;
    beforeAll(() => {
      props = resources[g.logicalId(g.stack.nativeSources.function)].Properties;
    });

    test('gets exactly the variables its wiring reads', () => {
      expect(props.Environment.Variables).toEqual({
        [ENV.eventBusName]: ref(g.logicalId(g.stack.bus)),
        [ENV.deadLetterQueueUrl]: ref(g.logicalId(g.stack.deadLetterQueue)),
        [ENV.serviceName]: SERVICE_NAME,
        [ENV.metricsNamespace]: METRICS_NAMESPACE,
        [ENV.logLevel]: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(() => readNativeSourceConfig(resolvedEnv(props.Environment.Variables))).not.toThrow();
    });

    test('is invoked asynchronously: failed invocations go to the DLQ after two retries', () => {
      expect(props.DeadLetterConfig).toEqual({ TargetArn: getAtt(g.logicalId(g.stack.deadLetterQueue)) });
      g.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(g.logicalId(g.stack.nativeSources.function)),
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 2 * 3600,
      });
    });

    test('may put canonical events and dead-letter, nothing else', () => {
      const rows = grants(g, g.stack.nativeSources.function.executionRole);
      expect(rows.flatMap((r) => r.actions).sort()).toEqual([
        'events:PutEvents',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      expect(rows.find((r) => r.actions.includes('events:PutEvents'))?.condition).toEqual({
        StringEquals: { 'events:source': GUARDRAIL_SOURCE, 'events:detail-type': [DETAIL_TYPES['purchase-request'], DETAIL_TYPES['app-connected']] },
      });
    });

    test("the aws.sso rule listens on the default bus with the normaliser's pattern, named for the key policy", () => {
      const rule = resources[g.logicalId(g.stack.nativeSources.iamIdentityCenterRule)].Properties;
      expect(rule.EventBusName).toBeUndefined();
      expect(rule.EventPattern).toEqual(IAM_IDENTITY_CENTER_EVENT_PATTERN);
      expect(rule.Name).toBe(`${g.stack.stackName}-IamIdentityCenter`);
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: getAtt(g.logicalId(g.stack.nativeSources.function)),
          DeadLetterConfig: { Arn: getAtt(g.logicalId(g.stack.deadLetterQueue)) },
          RetryPolicy: { MaximumRetryAttempts: TARGET_RETRY.retryAttempts, MaximumEventAgeInSeconds: TARGET_RETRY.maxEventAge.toSeconds() },
        }),
      ]);
    });

    test('no Okta rule without guardrail:oktaEventSourceName', () => {
      expect(g.stack.nativeSources.oktaRule).toBeUndefined();
      const patterns = Object.values(g.template.findResources('AWS::Events::Rule')).map((r) => JSON.stringify(r.Properties.EventPattern));
      expect(patterns.join('\n')).not.toContain('okta');
    });

    test('the key lets EventBridge dead-letter for exactly these rules', () => {
      const key = resources[g.logicalId(g.stack.key)];
      const statement = (key.Properties.KeyPolicy.Statement as Statement[]).find((s) => s.Sid === 'AllowNativeSourceRulesToUseDeadLetterQueue')!;
      expect(statement.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(actionsOf(statement)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      const arns = g.stack.resolve(statement.Condition!.ArnEquals['aws:SourceArn']);
      expect(JSON.stringify(arns)).toContain(`:rule/${g.stack.stackName}-IamIdentityCenter`);
      expect(arns).toHaveLength(1);
    });
  });

  test('outputs the ingest URL and the secret operators fill', () => {
    expect(g.template.toJSON().Outputs).toMatchObject({
      IngestUrl: { Value: { 'Fn::Join': ['', [getAtt(g.logicalId(g.stack.ingest.api), 'ApiEndpoint'), '/ingest/']] } },
      IngestSecretArn: { Value: ref(g.logicalId(g.stack.ingest.secret)) },
    });
  });
});

describe('with guardrail:oktaEventSourceName and guardrail:sourceOptions set', () => {
  let g: SynthesisedGuardrail;
  const sourceOptions = { okta: { appNames: { '0oa4zp9tuvWXyz1AB0h7': 'Zoom' } } };
  beforeAll(() => {
    g = synthGuardrail({ 'guardrail:oktaEventSourceName': OKTA_SOURCE, 'guardrail:sourceOptions': sourceOptions });
  });

  test("an Okta rule on the partner event bus (imported by name, no lookup) with the normaliser's pattern", () => {
    const rule = g.template.toJSON().Resources[g.logicalId(g.stack.nativeSources.oktaRule!)].Properties;
    expect(rule.EventBusName).toBe(OKTA_SOURCE);
    expect(rule.EventPattern).toEqual(oktaEventPattern(OKTA_SOURCE));
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: getAtt(g.logicalId(g.stack.nativeSources.function)),
        DeadLetterConfig: { Arn: getAtt(g.logicalId(g.stack.deadLetterQueue)) },
        RetryPolicy: { MaximumRetryAttempts: TARGET_RETRY.retryAttempts, MaximumEventAgeInSeconds: TARGET_RETRY.maxEventAge.toSeconds() },
      }),
    ]);
    g.template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  test('the key policy names the Okta rule on its bus too', () => {
    const key = g.template.toJSON().Resources[g.logicalId(g.stack.key)];
    const statement = (key.Properties.KeyPolicy.Statement as Statement[]).find((s) => s.Sid === 'AllowNativeSourceRulesToUseDeadLetterQueue')!;
    const arns = JSON.stringify(g.stack.resolve(statement.Condition!.ArnEquals['aws:SourceArn']));
    expect(arns).toContain(`:rule/${OKTA_SOURCE}/${g.stack.stackName}-OktaSystemLog`);
    expect(arns).toContain(`:rule/${g.stack.stackName}-IamIdentityCenter`);
  });

  test('both ingest functions get the normaliser options as SOURCE_OPTIONS', () => {
    for (const fn of [g.stack.ingest.function, g.stack.nativeSources.function]) {
      const variables = g.template.toJSON().Resources[g.logicalId(fn)].Properties.Environment.Variables;
      expect(JSON.parse(variables[ENV.sourceOptions])).toEqual(sourceOptions);
    }
  });

  test('cdk-nag still reports nothing unacknowledged', () => {
    expect(new AwsSolutionsChecks(g.app).validateScope(g.app).violations).toEqual([]);
  });
});
