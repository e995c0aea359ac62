/**
 * X-Ray tracing: off (and the clients untouched) in tests, `npm start` and the CLI; on in Lambda, where each sampled
 * invocation sends a `## handler` subsegment and one subsegment per AWS SDK call to the X-Ray daemon.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the first cases reload the modules inside jest.isolateModules */
import { createSocket } from 'node:dgram';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { FakeSnsTransport, type FaultPlan } from '../../../bench/support/fake-aws';
import {
  DaemonSink,
  InvocationTracer,
  TRACING_MIDDLEWARE,
  daemonAddress,
  parseTraceHeader,
  traceInvocation,
  traced,
  type SegmentDocument,
  type SegmentSink,
} from '../../../functions/adapters/tracing';

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().join(' ');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:it-approvers';
const ROOT = '1-6751a9c0-a006649127e371903a2de979';

class MemorySink implements SegmentSink {
  readonly documents: SegmentDocument[] = [];
  flushes = 0;
  send(document: SegmentDocument): void {
    this.documents.push(document);
  }
  flush(): Promise<void> {
    this.flushes++;
    return Promise.resolve();
  }
}

function tracerWith(header: string | undefined) {
  const sink = new MemorySink();
  return { tracer: tracerSending(header, sink), sink };
}

function tracerSending(header: string | undefined, sink: SegmentSink) {
  return new InvocationTracer({ enabled: true, serviceName: 'procurement-guardrail', handlerName: 'index.handler', sink, traceHeader: () => header });
}

function snsClient(tracer: InvocationTracer, plan?: FaultPlan, maxAttempts = 1) {
  const client = new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    requestHandler: new FakeSnsTransport(plan),
    maxAttempts,
  });
  return traced(client, tracer);
}

describe('tracing', () => {
  describe('the process-wide tracer', () => {
    const saved = process.env.AWS_EXECUTION_ENV;
    afterEach(() => {
      if (saved === undefined) delete process.env.AWS_EXECUTION_ENV;
      else process.env.AWS_EXECUTION_ENV = saved;
      jest.resetModules();
    });

    it('is off outside Lambda: clients come back as they were, with no tracing middleware', () => {
      delete process.env.AWS_EXECUTION_ENV;
      jest.isolateModules(() => {
        const tracing = require('../../../functions/adapters/tracing') as typeof import('../../../functions/adapters/tracing');
        const { snsClient: processSns } = require('../../../functions/adapters/clients') as typeof import('../../../functions/adapters/clients');
        const { dynamoDbDocumentClient } =
          require('../../../functions/adapters/dynamodb/document-client') as typeof import('../../../functions/adapters/dynamodb/document-client');
        expect(tracing.tracer.isTracingEnabled()).toBe(false);
        const client = new SNSClient({ region: 'eu-west-1' });
        expect(tracing.traced(client)).toBe(client);
        expect(middlewareNames(processSns())).not.toContain(TRACING_MIDDLEWARE);
        expect(middlewareNames(dynamoDbDocumentClient())).not.toContain(TRACING_MIDDLEWARE);
      });
    });

    it('is on in Lambda: every process-wide client, the document client included, records its calls', () => {
      process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
      jest.isolateModules(() => {
        const { tracer } = require('../../../functions/adapters/tracing') as typeof import('../../../functions/adapters/tracing');
        const clients = require('../../../functions/adapters/clients') as typeof import('../../../functions/adapters/clients');
        const { dynamoDbDocumentClient } =
          require('../../../functions/adapters/dynamodb/document-client') as typeof import('../../../functions/adapters/dynamodb/document-client');
        const { ssmClient } =
          require('../../../functions/adapters/security/ssm-parameter-keys') as typeof import('../../../functions/adapters/security/ssm-parameter-keys');
        expect(tracer.isTracingEnabled()).toBe(true);
        for (const client of [
          clients.snsClient(),
          clients.eventBridgeClient(),
          clients.sqsClient(),
          clients.secretsManagerClient(),
          ssmClient(),
          dynamoDbDocumentClient(),
        ]) {
          expect(middlewareNames(client)).toContain(TRACING_MIDDLEWARE);
        }
      });
    });

    it('is off in Lambda when POWERTOOLS_TRACE_ENABLED is false', () => {
      process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
      process.env.POWERTOOLS_TRACE_ENABLED = 'false';
      try {
        jest.isolateModules(() => {
          const { tracer } = require('../../../functions/adapters/tracing') as typeof import('../../../functions/adapters/tracing');
          expect(tracer.isTracingEnabled()).toBe(false);
        });
      } finally {
        delete process.env.POWERTOOLS_TRACE_ENABLED;
      }
    });
  });

  it('reads the trace header Lambda hands over, and the daemon address in both of its forms', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0`)).toEqual({
      root: ROOT,
      parent: '53995c3f42cd8ad8',
      sampled: true,
    });
    expect(parseTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`)?.sampled).toBe(false);
    expect(parseTraceHeader('')).toBeUndefined();
    expect(parseTraceHeader('Parent=53995c3f42cd8ad8')).toBeUndefined();
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(daemonAddress('tcp:127.0.0.1:2000 udp:127.0.0.2:2001')).toEqual({ host: '127.0.0.2', port: 2001 });
    expect(daemonAddress(undefined)).toEqual({ host: '127.0.0.1', port: 2000 });
  });

  it('sends a sampled invocation as a handler subsegment with its SDK calls beneath it, cold start only the first time', async () => {
    const { tracer, sink } = tracerWith(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    const sns = snsClient(tracer);
    const middleware = traceInvocation(tracer);
    middleware.before();
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hello' }));
    await middleware.after();
    middleware.before();
    await middleware.after();

    const [call, first, second] = sink.documents;
    expect(first).toMatchObject({
      name: '## index.handler',
      trace_id: ROOT,
      parent_id: '53995c3f42cd8ad8',
      type: 'subsegment',
      annotations: { ColdStart: true, Service: 'procurement-guardrail' },
    });
    expect(first.fault).toBeUndefined();
    expect(second.annotations).toEqual({ ColdStart: false, Service: 'procurement-guardrail' });
    expect(call).toMatchObject({
      name: 'SNS',
      namespace: 'aws',
      trace_id: ROOT,
      parent_id: first.id,
      type: 'subsegment',
      aws: { operation: 'Publish', topic_arn: TOPIC, retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(call.aws?.request_id).toEqual(expect.any(String));
    expect(call.id).toMatch(/^[0-9a-f]{16}$/);
    expect(call.end_time).toBeGreaterThanOrEqual(call.start_time);
    expect(call.error ?? call.fault ?? call.throttle).toBeUndefined();
    // Nothing of the message leaves in a subsegment.
    expect(JSON.stringify(sink.documents)).not.toContain('hello');
    expect(sink.flushes).toBe(2);
  });

  it('records nothing for an invocation X-Ray did not sample, or without a trace header', async () => {
    for (const header of [`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`, undefined]) {
      const { tracer, sink } = tracerWith(header);
      const middleware = traceInvocation(tracer);
      middleware.before();
      await snsClient(tracer).send(new PublishCommand({ TopicArn: TOPIC, Message: 'hello' }));
      await middleware.after();
      expect(sink.documents).toEqual([]);
    }
  });

  it('marks a throttled call, a refused call and a failed service call the way X-Ray does, with retries counted', async () => {
    const { tracer, sink } = tracerWith(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`);
    const middleware = traceInvocation(tracer);
    middleware.before();
    const publish = (plan: FaultPlan, attempts = 1) => snsClient(tracer, plan, attempts).send(new PublishCommand({ TopicArn: TOPIC, Message: 'x' }));
    await expect(publish(() => 'throttle')).rejects.toThrow();
    await expect(publish(() => 'server-error')).rejects.toThrow();
    await publish(({ attempt }) => (attempt === 1 ? 'server-error' : undefined), 2);
    await middleware.onError({ error: new Error('the record could not be written') });

    const [throttled, failed, retried, handler] = sink.documents;
    expect(throttled).toMatchObject({ error: true, throttle: true, cause: { exceptions: [{ remote: true }] } });
    expect(throttled.fault).toBeUndefined();
    expect(failed).toMatchObject({ fault: true, http: { response: { status: 500 } } });
    expect(retried).toMatchObject({ aws: { retries: 1 }, http: { response: { status: 200 } } });
    expect(retried.fault).toBeUndefined();
    expect(handler).toMatchObject({
      name: '## index.handler',
      fault: true,
      cause: { exceptions: [{ type: 'Error', message: 'the record could not be written' }] },
    });
  });

  it('sends documents to the daemon as one UDP datagram each, with the daemon header, and flushes before the invocation ends', async () => {
    const daemon = createSocket('udp4');
    const received: string[] = [];
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const arrived = new Promise<void>((resolve) =>
      daemon.on('message', (message) => {
        received.push(message.toString('utf8'));
        resolve();
      }),
    );
    try {
      const sink = new DaemonSink({ host: '127.0.0.1', port: daemon.address().port });
      const tracer = tracerSending(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, sink);
      tracer.begin();
      await tracer.end();
      await arrived;
      const [header, body] = received[0].split('\n');
      expect(JSON.parse(header)).toEqual({ format: 'json', version: 1 });
      expect(JSON.parse(body)).toMatchObject({ name: '## index.handler', trace_id: ROOT, parent_id: '53995c3f42cd8ad8' });
    } finally {
      daemon.close();
    }
  });
});
