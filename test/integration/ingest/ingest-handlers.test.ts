/**
 * The two ingest Lambdas as the composition root builds them from the AWS
 * edges (from the env vars the stack sets) and the AWS SDK replaced by
 * aws-sdk-client-mock: what reaches PutEvents, SQS and Secrets Manager for
 * API Gateway v2 requests and for the native EventBridge samples.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../../functions/domain/event-routes';
import { INGEST_DEAD_LETTER_REASONS } from '../../../functions/domain/ingest';
import { signRequestBody } from '../../../functions/adapters/ingest/request-signature';
import { INGEST_SECRET_ARN_ENV } from '../../../functions/adapters/ingest/secrets-manager-ingest-secrets';
import { SOURCE_OPTIONS_ENV } from '../../../functions/adapters/ingest/source-options';
import { EVENT_BUS_NAME_ENV } from '../../../functions/adapters/eventbridge/decision-publisher';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../../functions/adapters/dead-letter/sqs-dead-letter-sink';
import { MissingConfigurationError } from '../../../functions/handlers/shared/config';
import { createIngestLambdaHandler } from '../../../functions/handlers/ingest';
import { createNativeSourceLambdaHandler } from '../../../functions/handlers/native-source';
import { createIngestHandler, INGEST_METRIC_NAMES } from '../../../functions/handlers/shared/ingest-handler';
import { NATIVE_SOURCE_METRIC_NAMES } from '../../../functions/handlers/shared/native-source-handler';
import { readIngestConfig, readNativeSourceConfig } from '../../../functions/handlers/shared/ingest-config';
import { awsIngestEdges, awsNativeSourceEdges } from '../../../functions/composition/aws-ingest-edges';
import { ingestServices, nativeSourceServices } from '../../../functions/composition/ingest';
import { lambdaContext, quietLogger, recordingMetrics } from '../../support/observability';

const ROOT = join(__dirname, '..', '..', '..');
const BUS_NAME = 'procurement-guardrail';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/guardrail-dlq';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guardrail-ingest-AbCdEf';
const OKTA_SECRET = 'okta-hook-secret-9f8e7d6c5b4a3210';
const FORM_SECRET = 'form-hmac-secret-0a1b2c3d4e5f6789';
const ENV = {
  [INGEST_SECRET_ARN_ENV]: SECRET_ARN,
  [EVENT_BUS_NAME_ENV]: BUS_NAME,
  [DEAD_LETTER_QUEUE_URL_ENV]: DLQ_URL,
};

const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
const secretsManager = mockClient(SecretsManagerClient);
const savedRegion = process.env.AWS_REGION;

let counter = 0;
beforeAll(() => {
  process.env.AWS_REGION = 'eu-west-1';
});
afterAll(() => {
  eventBridge.restore();
  sqs.restore();
  secretsManager.restore();
  if (savedRegion === undefined) delete process.env.AWS_REGION;
  else process.env.AWS_REGION = savedRegion;
});
beforeEach(() => {
  eventBridge.reset();
  sqs.reset();
  secretsManager.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++counter}` })),
  }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ okta: OKTA_SECRET, 'generic-form': [FORM_SECRET] }) });
});

const sample = (path: string) => readFileSync(join(ROOT, 'events', path), 'utf8');
const sampleJson = (path: string) => JSON.parse(sample(path));
const putEntries = () => eventBridge.commandCalls(PutEventsCommand).flatMap((c) => (c.args[0].input as PutEventsCommandInput).Entries ?? []);
const deadLetters = () =>
  sqs.commandCalls(SendMessageCommand).map((c) => {
    const input = c.args[0].input as SendMessageCommandInput;
    return { queueUrl: input.QueueUrl, reason: input.MessageAttributes?.reason?.StringValue, body: JSON.parse(input.MessageBody ?? 'null') };
  });

/** The ingest Lambda as deployed (default wiring from env), with quiet observability. */
function ingestLambda(env: Record<string, string> = ENV) {
  const { logger, errors } = quietLogger();
  const { metrics, counts } = recordingMetrics();
  const handler = createIngestLambdaHandler(ingestServices(awsIngestEdges(readIngestConfig(env), { logger, metrics })));
  return {
    errors,
    counts,
    invoke: (event: APIGatewayProxyEventV2) => handler(event, lambdaContext('ingest')) as Promise<APIGatewayProxyStructuredResultV2>,
  };
}

/** An API Gateway HTTP API (payload format 2.0) event, as the stack's route delivers it. */
function apiEvent(options: {
  method?: string;
  source?: string;
  body?: string;
  headers?: Record<string, string>;
  base64?: boolean;
  timeEpoch?: number;
}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const source = options.source ?? 'okta';
  const timeEpoch = options.timeEpoch ?? Date.now();
  return {
    version: '2.0',
    routeKey: `${method} /ingest/{source}`,
    rawPath: `/ingest/${source}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    pathParameters: { source },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: `/ingest/${source}`, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'Okta Event Hook' },
      requestId: `req-${++counter}`,
      routeKey: `${method} /ingest/{source}`,
      stage: '$default',
      time: new Date(timeEpoch).toISOString(),
      timeEpoch,
    },
    body: options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body, 'utf8').toString('base64') : options.body,
    isBase64Encoded: options.base64 === true,
  };
}

/** Headers that sign `body` the way a sender does. */
function signature(body: string, secret: string, at = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  return { 'x-guardrail-timestamp': timestamp, 'x-guardrail-signature': signRequestBody({ rawBody: body, secret, timestamp }) };
}

const json = (response: APIGatewayProxyStructuredResultV2) => JSON.parse(response.body as string);

describe('ingest Lambda (HTTP API, payload v2)', () => {
  test('a signed Okta hook delivery: canonical events put on the guardrail bus, 202 with their record ids', async () => {
    const body = sample('okta/event-hook-user-assigned.json');
    const lambda = ingestLambda();
    const response = await lambda.invoke(apiEvent({ body, headers: signature(body, OKTA_SECRET) }));
    expect(response.statusCode).toBe(202);
    const [expected] = sampleJson('okta/event-hook-user-assigned.expected.json').events;
    expect(json(response)).toMatchObject({ accepted: 1, ids: [`okta:${expected.detail.sourceEventId}`], eventIds: [expect.stringMatching(/^eb-/)] });
    expect(putEntries()).toEqual([
      { EventBusName: BUS_NAME, Source: GUARDRAIL_SOURCE, DetailType: DETAIL_TYPES['app-connected'], Detail: JSON.stringify(expected.detail) },
    ]);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    expect(lambda.counts()).toMatchObject({ [INGEST_METRIC_NAMES.requests]: 1, [INGEST_METRIC_NAMES.eventsAccepted]: 1 });
  });

  test("Okta's own scheme: the hook's Authorization header", async () => {
    const body = sample('okta/event-hook-user-assigned.json');
    const response = await ingestLambda().invoke(apiEvent({ body, headers: { authorization: OKTA_SECRET } }));
    expect(response.statusCode).toBe(202);
    expect(putEntries()).toHaveLength(1);
  });

  test('a base64-encoded body is decoded to its bytes, which the signature covers', async () => {
    const body = JSON.stringify({ ...sampleJson('generic-form/flat-form.json'), vendor: 'Ærø & Søn <b>CRM</b> — 日本語' });
    const response = await ingestLambda().invoke(apiEvent({ source: 'generic-form', body, base64: true, headers: signature(body, FORM_SECRET) }));
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(putEntries()[0].Detail as string).vendor.name).toBe('Ærø & Søn <b>CRM</b> — 日本語');
  });

  test('25 events reach PutEvents in calls of at most 10 entries', async () => {
    const hook = sampleJson('okta/event-hook-user-assigned.json');
    const [template] = hook.data.events;
    hook.data.events = Array.from({ length: 25 }, (_, i) => ({ ...structuredClone(template), uuid: `uuid-${i}` }));
    const body = JSON.stringify(hook);
    const response = await ingestLambda().invoke(apiEvent({ body, headers: signature(body, OKTA_SECRET) }));
    expect(response.statusCode).toBe(202);
    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length);
    expect(calls).toEqual([10, 10, 5]);
    expect(json(response).accepted).toBe(25);
  });

  test.each([
    ['a forged signature', (body: string) => signature(body, 'not-the-okta-secret-at-all-000')],
    ['no signature', () => ({})],
    ['an expired signature', (body: string) => signature(body, OKTA_SECRET, Date.now() - 10 * 60_000)],
    ['a wrong Authorization header', () => ({ authorization: 'Bearer something-else-entirely' })],
  ])('%s → 401 with nothing put on the bus and nothing dead-lettered', async (_label, headers) => {
    const body = sample('okta/event-hook-user-assigned.json');
    const lambda = ingestLambda();
    const response = await lambda.invoke(apiEvent({ body, headers: headers(body) }));
    expect(response.statusCode).toBe(401);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(lambda.counts()[INGEST_METRIC_NAMES.refused.unauthenticated!]).toBe(1);
  });

  test("answers Okta's verification GET", async () => {
    const response = await ingestLambda().invoke(apiEvent({ method: 'GET', headers: { 'x-okta-verification-challenge': 'c7a4Bq-9' } }));
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({ verification: 'c7a4Bq-9' });
  });

  test('the secret is read once per container, not per request', async () => {
    const body = sample('okta/event-hook-user-assigned.json');
    const lambda = ingestLambda();
    for (let i = 0; i < 3; i++) expect((await lambda.invoke(apiEvent({ body, headers: signature(body, OKTA_SECRET) }))).statusCode).toBe(202);
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: SECRET_ARN }]);
  });

  test('a malformed payload → 422 and one SQS dead letter with its reason and problems', async () => {
    const body = JSON.stringify({ ...sampleJson('generic-form/flat-form.json'), seats: 'several' });
    const lambda = ingestLambda();
    const response = await lambda.invoke(apiEvent({ source: 'generic-form', body, headers: signature(body, FORM_SECRET) }));
    expect(response.statusCode).toBe(422);
    expect(json(response).problems).toEqual([expect.stringContaining('seats')]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(deadLetters()).toEqual([
      {
        queueUrl: DLQ_URL,
        reason: INGEST_DEAD_LETTER_REASONS.payload,
        body: expect.objectContaining({ kind: 'purchase-request', event: { source: 'generic-form', payload: JSON.parse(body) } }),
      },
    ]);
    expect(lambda.counts()).toMatchObject({ [INGEST_METRIC_NAMES.refused.malformed!]: 1, [INGEST_METRIC_NAMES.deadLettered]: 1 });
  });

  test('EventBridge refusing an entry for good → 503, so the sender retries', async () => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'not authorized' }] });
    const body = sample('okta/event-hook-user-assigned.json');
    const lambda = ingestLambda();
    const response = await lambda.invoke(apiEvent({ body, headers: signature(body, OKTA_SECRET) }));
    expect(response.statusCode).toBe(503);
    expect(json(response).accepted).toBe(0);
    expect(lambda.counts()[INGEST_METRIC_NAMES.unavailable]).toBe(1);
  });

  test('an unknown source is a 404 and reads no secret', async () => {
    const lambda = ingestLambda();
    const response = await lambda.invoke(apiEvent({ source: 'jira', body: '{}' }));
    expect(response.statusCode).toBe(404);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('a missing environment variable fails every invocation naming it (a deployment mistake, alarmed as Errors)', async () => {
    // The deps factory throws before its logger exists: keep the handler's fallback Powertools output quiet.
    const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, metrics: process.env.POWERTOOLS_METRICS_DISABLED };
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    try {
      const handler = createIngestHandler(() => ingestServices(awsIngestEdges(readIngestConfig({ [EVENT_BUS_NAME_ENV]: BUS_NAME }))));
      await expect(handler(apiEvent({ body: '{}' }), lambdaContext())).rejects.toThrow(MissingConfigurationError);
      await expect(handler(apiEvent({ body: '{}' }), lambdaContext())).rejects.toThrow(/INGEST_SECRET_ARN, DEAD_LETTER_QUEUE_URL/);
    } finally {
      for (const [name, value] of [
        ['POWERTOOLS_LOG_LEVEL', saved.level],
        ['POWERTOOLS_METRICS_DISABLED', saved.metrics],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test('SOURCE_OPTIONS reaches the normaliser (an Okta consent app named by its client id)', async () => {
    const options = readFileSync(join(ROOT, 'events/okta/eventbridge-consent-system-actor.options.json'), 'utf8');
    const envelope = sampleJson('okta/eventbridge-consent-system-actor.json');
    const body = JSON.stringify({ data: { events: [envelope.detail] } });
    const response = await ingestLambda({ ...ENV, [SOURCE_OPTIONS_ENV]: JSON.stringify({ okta: JSON.parse(options) }) }).invoke(
      apiEvent({ body, headers: signature(body, OKTA_SECRET) }),
    );
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(putEntries()[0].Detail as string).app.name).toBe('Zoom');
  });
});

describe('native-source Lambda (Okta partner bus, aws.sso)', () => {
  function nativeLambda(options?: unknown) {
    const { logger, errors } = quietLogger();
    const { metrics, counts } = recordingMetrics();
    const env: Record<string, string> = { [EVENT_BUS_NAME_ENV]: BUS_NAME, [DEAD_LETTER_QUEUE_URL_ENV]: DLQ_URL };
    if (options) env[SOURCE_OPTIONS_ENV] = JSON.stringify(options);
    const handler = createNativeSourceLambdaHandler(nativeSourceServices(awsNativeSourceEdges(readNativeSourceConfig(env), { logger, metrics })));
    return { errors, counts, invoke: (event: unknown) => handler(event, lambdaContext('native-source')) };
  }

  /** The EventBridge-envelope samples of a source, with their expected results and options. */
  function envelopeSamples(dir: string) {
    return readdirSync(join(ROOT, 'events', dir))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json') && !f.endsWith('.options.json'))
      .map((file) => {
        const event = sampleJson(`${dir}/${file}`);
        const base = file.replace(/\.json$/, '');
        const optionsFile = join(ROOT, 'events', dir, `${base}.options.json`);
        return {
          file: `${dir}/${file}`,
          event,
          expected: sampleJson(`${dir}/${base}.expected.json`),
          options: existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : undefined,
        };
      })
      .filter((s) => typeof s.event === 'object' && s.event !== null && 'detail-type' in s.event);
  }

  const samples = [
    ...envelopeSamples('okta').map((s) => ({ ...s, source: 'okta' })),
    ...envelopeSamples('iam-identity-center').map((s) => ({ ...s, source: 'iam-identity-center' })),
  ];

  test('there are EventBridge samples of both native sources', () => {
    expect(samples.filter((s) => s.source === 'okta').length).toBeGreaterThanOrEqual(4);
    expect(samples.filter((s) => s.source === 'iam-identity-center').length).toBeGreaterThanOrEqual(5);
  });

  test.each(samples.map((s) => [s.file, s] as const))('%s → exactly its expected canonical events on the guardrail bus', async (_file, s) => {
    const lambda = nativeLambda(s.options ? { [s.source]: s.options } : undefined);
    const result = await lambda.invoke(s.event);
    if (s.expected.status === 'ok') {
      expect(result).toMatchObject({ status: 'published', source: s.source, accepted: s.expected.events.length });
      expect(putEntries()).toEqual(
        s.expected.events.map((e: { kind: 'app-connected'; detail: unknown }) => ({
          EventBusName: BUS_NAME,
          Source: GUARDRAIL_SOURCE,
          DetailType: DETAIL_TYPES[e.kind],
          Detail: JSON.stringify(e.detail),
        })),
      );
      expect(lambda.counts()[NATIVE_SOURCE_METRIC_NAMES.eventsPublished]).toBe(s.expected.events.length);
    } else {
      expect(s.expected.status).toBe('ignored');
      expect(result).toEqual({ status: 'ignored', source: s.source, reason: s.expected.reason });
      expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
      expect(lambda.counts()[NATIVE_SOURCE_METRIC_NAMES.ignored]).toBe(1);
    }
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('a malformed event is dead-lettered with its problems and the invocation succeeds (no retry of bad input)', async () => {
    const event = sampleJson('okta/eventbridge-application-created.json');
    delete event.detail.uuid;
    const lambda = nativeLambda();
    const result = await lambda.invoke(event);
    expect(result).toEqual({ status: 'dead-lettered', source: 'okta', reason: INGEST_DEAD_LETTER_REASONS.payload, problems: ['detail.uuid: is required'] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(deadLetters()).toEqual([
      {
        queueUrl: DLQ_URL,
        reason: INGEST_DEAD_LETTER_REASONS.payload,
        body: expect.objectContaining({ problems: ['detail.uuid: is required'], event: { source: 'okta', payload: event } }),
      },
    ]);
    expect(lambda.errors.map((e) => e.message)).toEqual(['Malformed native event: kept in the dead-letter queue']);
  });

  test('an event from another source (a misrouted rule) is dead-lettered, not thrown', async () => {
    const result = await nativeLambda().invoke({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} });
    expect(result).toMatchObject({ status: 'dead-lettered', reason: INGEST_DEAD_LETTER_REASONS.unexpectedSource });
    expect(deadLetters()[0].reason).toBe(INGEST_DEAD_LETTER_REASONS.unexpectedSource);
  });

  test('the bus being unavailable throws, so Lambda retries (and the DLQ keeps it after)', async () => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).rejects(new Error('ServiceUnavailable'));
    await expect(nativeLambda().invoke(sampleJson('iam-identity-center/create-application.json'))).rejects.toThrow('ServiceUnavailable');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('the dead-letter queue being unavailable throws too: a malformed event is never dropped', async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).rejects(new Error('QueueUnavailable'));
    const event = sampleJson('okta/eventbridge-application-created.json');
    event.detail.published = 'yesterday';
    await expect(nativeLambda().invoke(event)).rejects.toThrow('QueueUnavailable');
  });

  test('a missing environment variable fails every invocation naming it', async () => {
    expect(() => nativeSourceServices(awsNativeSourceEdges(readNativeSourceConfig({})))).toThrow(/EVENT_BUS_NAME, DEAD_LETTER_QUEUE_URL/);
  });
});
