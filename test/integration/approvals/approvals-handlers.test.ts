/**
 * The approvals Lambdas as Lambda runs them: the exported `handler`s with
 * dependencies built from the environment (the signing key read from a
 * Secrets Manager secret, never from the environment), DynamoDB on dynalite,
 * SNS / EventBridge / Secrets Manager mocked. A purchase request goes through
 * the guardrail handler, its notification's link is opened and decided
 * through API Gateway (HTTP API, payload v2) events, and the scheduled sweep
 * runs.
 */
import { randomBytes } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { DynamoDbPolicyStore } from '../../../functions/adapters/dynamodb/policy-store';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import type { ApprovalsApiHandler } from '../../../functions/handlers/approvals-api';
import type { ScheduledHandler } from '../../../functions/handlers/escalation-sweep';
import type { DigestHandler } from '../../../functions/handlers/digest';
import type { GuardrailLambdaHandler } from '../../../functions/handlers/shared/guardrail-handler';
import { readApprovalsConfig, readOptionalLinkConfig } from '../../../functions/handlers/shared/approvals-config';
import { MissingConfigurationError } from '../../../functions/handlers/shared/config';
import { awsApprovalsEdges } from '../../../functions/composition/aws-edges';
import { SsmParameterKeyProvider } from '../../../functions/adapters/security/ssm-parameter-keys';
import { defaultPolicy, sampleEnvelope } from '../../support/fixtures';
import { lambdaContext } from '../../support/observability';
import { startTestDynamo, type TestDynamo, type TestTables } from '../../support/dynalite';
import { PEOPLE, cookiePairs, decisionForm, hiddenField, linksIn } from '../../support/approvals';

type Stub = ReturnType<typeof mockClient>;

let dynamo: TestDynamo;
let tables: TestTables;
const savedEnv = { ...process.env };
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardrail-decision-links-AbCdEf';
const KEYRING = JSON.stringify({ current: { id: 'k-2026-11', key: randomBytes(64).toString('base64') }, previous: [] });

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tables = await dynamo.freshTables();
  await new DynamoDbPolicyStore(dynamo.documents, tables.policy).importPolicy(defaultPolicy());
});
afterAll(async () => {
  await dynamo.teardown();
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const env = () => ({
  POLICY_TABLE_NAME: tables.policy,
  REQUESTS_TABLE_NAME: tables.requests,
  IT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:it',
  REQUESTER_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:requesters',
  EVENT_BUS_NAME: 'guardrail-bus',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
  DECISION_LINK_KEY_SECRET_ARN: SECRET_ARN,
  APPROVALS_BASE_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com/',
  APPROVALS_INBOX_ENABLED: 'true',
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  AWS_REGION: 'eu-west-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'ProcurementGuardrail',
  POWERTOOLS_SERVICE_NAME: 'procurement-guardrail',
});

interface Loaded {
  guardrail: GuardrailLambdaHandler;
  api: ApprovalsApiHandler;
  sweep: ScheduledHandler;
  digest: DigestHandler;
  sns: Stub;
  eventBridge: Stub;
  secrets: Stub;
}

/** A fresh module registry (a new container) with the environment and the AWS clients mocked in it. */
function load(environment: Record<string, string>): Loaded {
  process.env = { ...savedEnv, ...environment };
  let loaded: Loaded | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const snsModule = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    const ebModule = require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
    const smModule = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
    let n = 0;
    const sns = mockClient(snsModule.SNSClient);
    sns.on(snsModule.PublishCommand).callsFake(() => ({ MessageId: `sns-${++n}` }));
    const eventBridge = mockClient(ebModule.EventBridgeClient);
    eventBridge.on(ebModule.PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++n}` })),
    }));
    const secrets = mockClient(smModule.SecretsManagerClient);
    secrets.on(smModule.GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: KEYRING });
    loaded = {
      guardrail: require('../../../functions/handlers/purchase-request').handler,
      api: require('../../../functions/handlers/approvals-api').handler,
      sweep: require('../../../functions/handlers/escalation-sweep').handler,
      digest: require('../../../functions/handlers/digest').handler,
      sns,
      eventBridge,
      secrets,
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  return loaded!;
}

/** An HTTP API (payload 2.0) event as API Gateway sends it. */
function apiEvent(input: { method: string; url: string; cookies?: string[]; body?: string; claims?: Record<string, unknown> }): APIGatewayProxyEventV2 {
  const url = new URL(input.url, 'https://abc123.execute-api.eu-west-1.amazonaws.com');
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: `${input.method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(input.cookies ? { cookies: input.cookies } : {}),
    headers: {
      host: url.host,
      accept: 'text/html,application/xhtml+xml',
      ...(input.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: url.host,
      domainPrefix: 'abc123',
      http: { method: input.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      requestId: `r-${Math.random()}`,
      routeKey: `${input.method} ${url.pathname}`,
      stage: '$default',
      time: '27/Nov/2026:12:00:00 +0000',
      timeEpoch: Date.now(),
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: [] } } } : {}),
    },
    ...(input.body !== undefined ? { body: Buffer.from(input.body).toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

const publishes = (stub: Stub) => stub.calls().map((c) => (c.args[0] as { input: PublishCommandInput }).input);

describe('approvals handlers built from the environment', () => {
  it('a notification from the guardrail handler carries a link the API opens and decides; the same link then says used', async () => {
    const { guardrail, api, sns, eventBridge, secrets } = load(env());
    const result = await guardrail(sampleEnvelope('purchase-request/dropbox-marketing-confidential.json'), lambdaContext());
    expect(result).toMatchObject({ status: 'processed', outcome: 'review', notified: true });
    const notification = publishes(sns)[0];
    expect(notification.MessageAttributes?.recipient?.StringValue).toBe(PEOPLE.marcus);
    const link = linksIn(JSON.parse(notification.Message!).email).approve;
    expect(link).toMatch(/^https:\/\/abc123\.execute-api\.eu-west-1\.amazonaws\.com\/decide\?token=eyJhbGciOiJIUzI1NiIs/);

    // Deployed with an identity provider, /decide sits behind the JWT authorizer: claims as API Gateway passes them (strings).
    const marcus = { sub: '00u1marcus', email: PEOPLE.marcus, email_verified: 'true', name: 'Marcus Lee' };
    const page = (await api(apiEvent({ method: 'GET', url: link, claims: marcus }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['Content-Security-Policy']).toContain("default-src 'none'");
    expect(page.cookies?.[0]).toMatch(/^__Host-guardrail-csrf-/);
    const body = decisionForm({
      token: hiddenField(page.body!, 'token'),
      csrf: hiddenField(page.body!, 'csrf'),
      action: 'approve',
      comment: 'OK for the agency.',
    });
    const cookies = cookiePairs(page.cookies);
    // The link alone is not enough, nor the link in someone else's hands (a forwarded email, a shared channel).
    const anonymous = (await api(apiEvent({ method: 'POST', url: '/decide', cookies, body }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(anonymous.statusCode).toBe(401);
    const priya = { sub: '00u1priya', email: PEOPLE.priya, email_verified: 'true', name: 'Priya Shah' };
    const forwarded = (await api(
      apiEvent({ method: 'POST', url: '/decide', cookies, body, claims: priya }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(forwarded.statusCode).toBe(403);
    expect(forwarded.body).toContain('This link belongs to another approver');
    // An unverified address names nobody.
    const unverified = (await api(
      apiEvent({ method: 'POST', url: '/decide', cookies, body, claims: { ...marcus, sub: 'someone-else', email_verified: 'false' } }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(unverified.statusCode).toBe(403);
    const decided = (await api(
      apiEvent({ method: 'POST', url: '/decide', cookies, body, claims: marcus }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(decided.statusCode).toBe(200);
    expect(decided.body).toContain('<h1>Approved</h1>');
    expect(publishes(sns).some((p) => p.TopicArn?.endsWith(':requesters') && p.Subject?.startsWith('Approved'))).toBe(true);
    const approvals = eventBridge
      .calls()
      .flatMap((c) => ((c.args[0] as { input: PutEventsCommandInput }).input.Entries ?? []).map((e) => JSON.parse(e.Detail!)))
      .filter((d) => d.approval);
    expect(approvals).toEqual([expect.objectContaining({ outcome: 'allow', approval: expect.objectContaining({ status: 'approved' }) })]);
    const again = (await api(apiEvent({ method: 'GET', url: link, claims: marcus }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(again.statusCode).toBe(409);
    // The keyring was read from the secret (and cached by the container).
    expect(secrets.calls().length).toBeGreaterThanOrEqual(1);
    expect(secrets.calls().length).toBeLessThanOrEqual(2);
  });

  it('serves the inbox to the approver named by the verified JWT claims', async () => {
    const { api } = load(env());
    const anonymous = (await api(apiEvent({ method: 'GET', url: '/inbox' }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(anonymous.statusCode).toBe(401);
    // Entra ID sends an unverified `email` (and no email_verified): it names nobody.
    const unverified = (await api(
      apiEvent({ method: 'GET', url: '/inbox', claims: { email: PEOPLE.dana, name: 'Dana Okafor' } }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(unverified.statusCode).toBe(403);
    expect(unverified.body).toContain('Not an approver');
    const inbox = (await api(
      apiEvent({ method: 'GET', url: '/inbox', claims: { email: PEOPLE.dana, email_verified: 'true', name: 'Dana Okafor' } }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Pending requests');
    expect(inbox.body).toContain('Signed in as Dana Okafor');
  });

  it('runs the sweep and the digest on schedule', async () => {
    const { sweep, digest } = load(env());
    expect(await sweep({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, lambdaContext())).toMatchObject({ failures: [] });
    expect(await digest({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, lambdaContext())).toMatchObject({ failures: [] });
  });

  it('names every missing variable: a 500 page from the API, a failed run from the sweep', async () => {
    const environment: Record<string, string> = env();
    delete environment.REQUESTER_TOPIC_ARN;
    delete environment.DECISION_LINK_KEY_SECRET_ARN;
    const { api, sweep, sns } = load(environment);
    const answer = (await api(apiEvent({ method: 'GET', url: '/decide?token=x' }), lambdaContext())) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toContain('REQUESTER_TOPIC_ARN');
    await expect(sweep({}, lambdaContext())).rejects.toThrow(
      'missing environment variables REQUESTER_TOPIC_ARN, DECISION_LINK_KEY_SECRET_ARN (or DECISION_LINK_KEY_PARAMETER_NAME)',
    );
    expect(sns.calls()).toHaveLength(0);
  });

  it('without a signing key and base URL the guardrail handler still notifies, without links', async () => {
    const environment: Record<string, string> = env();
    delete environment.DECISION_LINK_KEY_SECRET_ARN;
    const { guardrail, sns } = load(environment);
    const event = sampleEnvelope('purchase-request/monday-auto-renew-long-term.json');
    expect(await guardrail(event, lambdaContext())).toMatchObject({ status: 'processed', notified: true });
    const text = JSON.parse(publishes(sns)[0].Message!).email as string;
    expect(text).not.toContain('/decide?token=');
    expect(publishes(sns)[0].MessageAttributes?.recipient).toBeUndefined();
    // The record still carries its approval state and audit trail.
    const stored = await new DynamoDbRequestStore(dynamo.documents, tables.requests).get('coupa:PR-2026-1047');
    expect(stored?.approval.status).toBe('pending');
  });
});

describe('readApprovalsConfig', () => {
  it('reads the key source, base URL and claim name', () => {
    expect(readApprovalsConfig(env())).toMatchObject({
      signingKey: { kind: 'secrets-manager', secretId: SECRET_ARN },
      baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/',
      inboxEnabled: true,
      approverEmailClaim: 'email',
    });
    expect(
      readApprovalsConfig({ ...env(), DECISION_LINK_KEY_SECRET_ARN: '', DECISION_LINK_KEY_PARAMETER_NAME: '/guardrail/links', APPROVER_EMAIL_CLAIM: 'upn' }),
    ).toMatchObject({
      signingKey: { kind: 'ssm', parameterName: '/guardrail/links' },
      approverEmailClaim: 'upn',
    });
  });

  it('refuses a plain-http base URL and two key sources', () => {
    expect(() => readApprovalsConfig({ ...env(), APPROVALS_BASE_URL: 'http://approvals.example.com/' })).toThrow(/APPROVALS_BASE_URL: .*must use https/);
    expect(() => readApprovalsConfig({ ...env(), DECISION_LINK_KEY_PARAMETER_NAME: '/x' })).toThrow(/set only one of/);
    expect(() => readApprovalsConfig({ ...env(), APPROVALS_BASE_URL: ' ' })).toThrow(MissingConfigurationError);
  });

  it('names every missing and invalid variable in one error, one "NAME: problem" line each', () => {
    const environment: Record<string, string> = { ...env(), APPROVALS_INBOX_ENABLED: 'maybe', POLICY_CACHE_TTL_SECONDS: 'soon', APPROVALS_BASE_URL: 'ftp://x' };
    delete environment.REQUESTER_TOPIC_ARN;
    delete environment.DECISION_LINK_KEY_SECRET_ARN;
    let error: MissingConfigurationError | undefined;
    try {
      readApprovalsConfig(environment);
    } catch (e) {
      error = e as MissingConfigurationError;
    }
    expect(error).toBeInstanceOf(MissingConfigurationError);
    expect(error?.missing).toEqual(['REQUESTER_TOPIC_ARN', 'DECISION_LINK_KEY_SECRET_ARN (or DECISION_LINK_KEY_PARAMETER_NAME)']);
    expect(error?.problems).toEqual([
      'POLICY_CACHE_TTL_SECONDS: must be a number of seconds ≥ 0',
      'REQUESTER_TOPIC_ARN: is not set',
      expect.stringMatching(/^APPROVALS_BASE_URL: decision link base URL must use https/),
      'APPROVALS_INBOX_ENABLED: must be true or false',
      'DECISION_LINK_KEY_SECRET_ARN: is not set (nor DECISION_LINK_KEY_PARAMETER_NAME): one of them names the decision-link key',
    ]);
    expect(error?.message).toMatch(
      /^missing environment variables REQUESTER_TOPIC_ARN, DECISION_LINK_KEY_SECRET_ARN \(or DECISION_LINK_KEY_PARAMETER_NAME\): .*; invalid environment: POLICY_CACHE_TTL_SECONDS: .*APPROVALS_BASE_URL: /,
    );
  });

  it('reads the SSM key versions the deployment accepts', () => {
    const ssm = { ...env(), DECISION_LINK_KEY_SECRET_ARN: '', DECISION_LINK_KEY_PARAMETER_NAME: '/guardrail/links' };
    expect(readApprovalsConfig({ ...ssm, DECISION_LINK_KEY_PARAMETER_VERSIONS: '3, 4' }).signingKey).toEqual({
      kind: 'ssm',
      parameterName: '/guardrail/links',
      versions: [3, 4],
    });
    expect(readApprovalsConfig(ssm).signingKey).toEqual({ kind: 'ssm', parameterName: '/guardrail/links' });
    expect(() => readApprovalsConfig({ ...ssm, DECISION_LINK_KEY_PARAMETER_VERSIONS: 'latest' })).toThrow(
      /DECISION_LINK_KEY_PARAMETER_VERSIONS: must list parameter versions/,
    );
  });

  it('reads SSM keys unbundled, and says so when the bundle was built for Secrets Manager keys only', () => {
    const config = readApprovalsConfig({ ...env(), DECISION_LINK_KEY_SECRET_ARN: '', DECISION_LINK_KEY_PARAMETER_NAME: '/guardrail/links' });
    expect(awsApprovalsEdges(config).links.keys).toBeInstanceOf(SsmParameterKeyProvider);
    // What the stack's esbuild define makes of the expression (the branch itself is then gone from the bundle).
    process.env.DECISION_LINK_KEY_PROVIDERS = 'secrets-manager';
    try {
      expect(() => awsApprovalsEdges(config)).toThrow(
        /DECISION_LINK_KEY_PARAMETER_NAME: this bundle reads decision-link keys from Secrets Manager only; set DECISION_LINK_KEY_SECRET_ARN/,
      );
    } finally {
      delete process.env.DECISION_LINK_KEY_PROVIDERS;
    }
  });

  it('gives the guardrail functions links only with both a key source and a base URL', () => {
    expect(readOptionalLinkConfig({})).toBeUndefined();
    expect(readOptionalLinkConfig({ APPROVALS_BASE_URL: 'https://a.example.com/' })).toBeUndefined();
    expect(
      readOptionalLinkConfig({ APPROVALS_BASE_URL: 'https://a.example.com/', DECISION_LINK_KEY_SECRET_ARN: 'arn:s', APPROVALS_INBOX_ENABLED: 'TRUE' }),
    ).toEqual({
      signingKey: { kind: 'secrets-manager', secretId: 'arn:s' },
      baseUrl: 'https://a.example.com/',
      inboxEnabled: true,
    });
    expect(() => readOptionalLinkConfig({ APPROVALS_BASE_URL: 'http://a.example.com/', DECISION_LINK_KEY_SECRET_ARN: 'arn:s' })).toThrow(
      /APPROVALS_BASE_URL: .*https/,
    );
  });
});
