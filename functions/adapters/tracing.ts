/**
 * X-Ray tracing without the X-Ray SDK. The stack turns active tracing on for every Lambda, so Lambda records each
 * invocation itself; this module adds what the Powertools Tracer added: a `## <handler>` subsegment annotated
 * `ColdStart` and `Service`, and one subsegment per AWS SDK call (service, operation, table or topic, request id,
 * retries, status), sent as segment documents over UDP to the X-Ray daemon Lambda runs beside the function. The
 * Tracer loaded aws-xray-sdk-core and cls-hooked (about 125 KiB, and an async hook on every promise): most of what a
 * cold start cost over an SDK-only bundle. Responses are never recorded (decision pages carry link tokens).
 * Off outside Lambda (tests, `npm start`, the CLI): `traced` hands clients back untouched.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { HandlerExecutionContext, InitializeHandlerArguments, InitializeHandlerOutput, MetadataBearer, ResponseMetadata } from '@smithy/types';

/** One segment document as the X-Ray daemon accepts it (a subsegment sent on its own). */
export interface SegmentDocument {
  id: string;
  name: string;
  trace_id: string;
  parent_id: string;
  type: 'subsegment';
  start_time: number;
  end_time: number;
  namespace?: 'aws';
  annotations?: Record<string, string | number | boolean>;
  aws?: Record<string, string | number>;
  http?: { response: { status: number } };
  error?: true;
  throttle?: true;
  fault?: true;
  cause?: { exceptions: { id: string; type: string; message: string; remote?: true }[] };
}

/** Where documents go: the daemon's UDP port in Lambda, a list in tests. */
export interface SegmentSink {
  send(document: SegmentDocument): void;
  /** Resolves once everything sent so far has left the process (before Lambda freezes it). */
  flush(): Promise<void>;
}

/** `Root=1-…;Parent=…;Sampled=1`, as Lambda hands it to the function. */
export interface TraceHeader {
  root: string;
  parent?: string;
  sampled: boolean;
}

export function parseTraceHeader(value: string | undefined): TraceHeader | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const field of value.split(';')) {
    const at = field.indexOf('=');
    if (at > 0) fields.set(field.slice(0, at).trim(), field.slice(at + 1).trim());
  }
  const root = fields.get('Root');
  if (!root) return undefined;
  return { root, parent: fields.get('Parent'), sampled: fields.get('Sampled') === '1' };
}

/** The daemon's UDP address from `AWS_XRAY_DAEMON_ADDRESS` (`host:port`, or `udp:host:port tcp:host:port`). */
export function daemonAddress(value: string | undefined): { host: string; port: number } {
  const udp = (value ?? '').split(/\s+/).find((part) => part.startsWith('udp:')) ?? (value ?? '').split(/\s+/)[0];
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp ?? '');
  return match ? { host: match[1], port: Number(match[2]) } : { host: '127.0.0.1', port: 2000 };
}

const DAEMON_HEADER = '{"format":"json","version":1}\n';

/** Sends each document as one UDP datagram to the daemon. */
export class DaemonSink implements SegmentSink {
  private socket?: Socket;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly address: { host: string; port: number }) {}

  send(document: SegmentDocument): void {
    if (!this.socket) {
      this.socket = createSocket('udp4');
      // A lost datagram costs a subsegment, never the invocation: errors are dropped, and the socket keeps no process alive.
      this.socket.on('error', () => undefined);
      this.socket.unref();
    }
    const payload = Buffer.from(DAEMON_HEADER + JSON.stringify(document), 'utf8');
    const sent = new Promise<void>((resolve) => this.socket?.send(payload, this.address.port, this.address.host, () => resolve()));
    this.inFlight.add(sent);
    void sent.then(() => this.inFlight.delete(sent));
  }

  async flush(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

const newId = (): string => randomBytes(8).toString('hex');
const seconds = (): number => Date.now() / 1000;
/** Error text kept short: a cause names the failure, the logs hold the rest. */
const MESSAGE_LIMIT = 300;

interface Invocation {
  traceId: string;
  parentId: string;
  id: string;
  start: number;
  coldStart: boolean;
}

export interface TracerSettings {
  enabled: boolean;
  serviceName: string;
  /** The handler as Lambda names it (`_HANDLER`, e.g. `index.handler`). */
  handlerName: string;
  sink: SegmentSink;
  /** The current invocation's trace header (read when an invocation begins). */
  traceHeader: () => string | undefined;
}

/**
 * Opens a subsegment per invocation and records SDK calls under it. One invocation at a time per process, as a
 * Lambda execution environment runs them; an invocation that is not sampled records nothing.
 */
export class InvocationTracer {
  private current?: Invocation;
  private coldStart = true;

  constructor(private readonly settings: TracerSettings) {}

  isTracingEnabled(): boolean {
    return this.settings.enabled;
  }

  begin(): void {
    const coldStart = this.coldStart;
    this.coldStart = false;
    this.current = undefined;
    if (!this.settings.enabled) return;
    const header = parseTraceHeader(this.settings.traceHeader());
    if (!header?.sampled || !header.parent) return;
    this.current = { traceId: header.root, parentId: header.parent, id: newId(), start: seconds(), coldStart };
  }

  /** Closes the invocation's subsegment (a fault when it failed) and waits until the documents have left. */
  async end(error?: unknown): Promise<void> {
    const invocation = this.current;
    this.current = undefined;
    if (!invocation) return;
    this.settings.sink.send({
      id: invocation.id,
      name: `## ${this.settings.handlerName}`,
      trace_id: invocation.traceId,
      parent_id: invocation.parentId,
      type: 'subsegment',
      start_time: invocation.start,
      end_time: seconds(),
      annotations: { ColdStart: invocation.coldStart, Service: this.settings.serviceName },
      ...(error === undefined ? {} : { fault: true as const, cause: causeOf(error, false) }),
    });
    await this.settings.sink.flush();
  }

  /** Times one SDK call (all its retries) as a subsegment of the current invocation. */
  async call<Output extends MetadataBearer>(
    context: HandlerExecutionContext,
    input: Record<string, unknown>,
    next: () => Promise<InitializeHandlerOutput<Output>>,
  ): Promise<InitializeHandlerOutput<Output>> {
    const invocation = this.current;
    if (!invocation) return next();
    const start = seconds();
    try {
      const result = await next();
      this.sendCall(invocation, context, input, start, result.output.$metadata);
      return result;
    } catch (error) {
      this.sendCall(invocation, context, input, start, (error as { $metadata?: ResponseMetadata }).$metadata, error);
      throw error;
    }
  }

  private sendCall(
    invocation: Invocation,
    context: HandlerExecutionContext,
    input: Record<string, unknown>,
    start: number,
    metadata: ResponseMetadata | undefined,
    error?: unknown,
  ): void {
    const status = metadata?.httpStatusCode;
    const flags =
      error === undefined
        ? {}
        : status === 429 || /throttl/i.test((error as Error).name ?? '')
          ? { error: true as const, throttle: true as const }
          : status !== undefined && status < 500
            ? { error: true as const }
            : { fault: true as const };
    this.settings.sink.send({
      id: newId(),
      name: serviceOf(context.clientName),
      trace_id: invocation.traceId,
      parent_id: invocation.id,
      type: 'subsegment',
      namespace: 'aws',
      start_time: start,
      end_time: seconds(),
      aws: {
        operation: (context.commandName ?? '').replace(/Command$/, ''),
        ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}),
        ...(metadata?.requestId ? { request_id: metadata.requestId } : {}),
        retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
        ...resourceOf(input),
      },
      ...(status === undefined ? {} : { http: { response: { status } } }),
      ...flags,
      ...(error === undefined ? {} : { cause: causeOf(error, true) }),
    });
  }
}

/** `DynamoDBClient` → `DynamoDB`: the names X-Ray's service map uses for AWS services. */
function serviceOf(clientName: string | undefined): string {
  return (clientName ?? 'AWS').replace(/Client$/, '');
}

/** The resource a call touched, where the input names one (never a secret's value: only names and ARNs). */
function resourceOf(input: Record<string, unknown>): Record<string, string> {
  const resource: Record<string, string> = {};
  if (typeof input.TableName === 'string') resource.table_name = input.TableName;
  if (typeof input.TopicArn === 'string') resource.topic_arn = input.TopicArn;
  if (typeof input.QueueUrl === 'string') resource.queue_url = input.QueueUrl;
  return resource;
}

function causeOf(error: unknown, remote: boolean): NonNullable<SegmentDocument['cause']> {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  return { exceptions: [{ id: newId(), type: name, message: message.slice(0, MESSAGE_LIMIT), ...(remote ? { remote: true as const } : {}) }] };
}

/** In Lambda unless `POWERTOOLS_TRACE_ENABLED=false` (the switch the Powertools Tracer honoured). */
export const tracer = new InvocationTracer({
  enabled: Boolean(process.env.AWS_EXECUTION_ENV) && process.env.POWERTOOLS_TRACE_ENABLED !== 'false',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'service_undefined',
  handlerName: process.env._HANDLER ?? 'handler',
  sink: new DaemonSink(daemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS)),
  traceHeader: () =>
    (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?(): string | undefined } } }).awslambda?.InvokeStore?.getXRayTraceId?.() ??
    process.env._X_AMZN_TRACE_ID,
});

/** Name of the SDK middleware that records calls. */
export const TRACING_MIDDLEWARE = 'xrayCallTracing';

interface TraceableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: InitializeHandlerArguments<object>) => Promise<InitializeHandlerOutput<MetadataBearer>>,
        context: HandlerExecutionContext,
      ) => (args: InitializeHandlerArguments<object>) => Promise<InitializeHandlerOutput<MetadataBearer>>,
      options: { step: 'initialize'; name: string; priority: 'high' },
    ): void;
  };
}

/** The client, with its calls recorded as X-Ray subsegments when tracing is on. */
export function traced<Client>(client: Client, recorder: InvocationTracer = tracer): Client {
  if (!recorder.isTracingEnabled()) return client;
  (client as unknown as TraceableClient).middlewareStack.add(
    (next, context) => (args) => recorder.call(context, args.input as Record<string, unknown>, () => next(args)),
    { step: 'initialize', name: TRACING_MIDDLEWARE, priority: 'high' },
  );
  return client;
}

/** The middy middleware that opens and closes the invocation's subsegment. */
export function traceInvocation(recorder: InvocationTracer = tracer): {
  before: () => void;
  after: () => Promise<void>;
  onError: (request: { error?: unknown }) => Promise<void>;
} {
  return {
    before: () => recorder.begin(),
    after: () => recorder.end(),
    onError: (request) => recorder.end(request.error ?? new Error('invocation failed')),
  };
}
