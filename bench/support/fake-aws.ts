/**
 * AWS without AWS, one layer down: real SDK v3 clients (SNS, EventBridge,
 * SQS) whose HTTP transport is an in-process fake. Everything above the
 * socket runs for real (serialisation, signing, the standard retry strategy
 * and its backoff, error parsing), so benchmarks pay the CPU a Lambda pays and
 * the reliability suite sees exactly the retries the SDK really makes. No
 * network: the fake answers as the service would, records what it accepted,
 * and can fail a share of calls the ways AWS does (throttling, 5xx, and
 * timeouts before or after the service acted).
 *
 * DynamoDB stays real (dynalite); {@link injectDynamoDbFaults} fails a share
 * of its calls with a middleware inside the SDK's retry loop.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HttpRequest, HttpResponse } from '@smithy/types';

export type FaultKind =
  /** The service refused: HTTP 400 throttling error (the SDK retries with throttling backoff). */
  | 'throttle'
  /** HTTP 500 from the service (the SDK retries as transient). */
  | 'server-error'
  /** The client gave up before the service saw the call (nothing happened). */
  | 'timeout-before'
  /** The service acted, then the response was lost: the caller cannot know it succeeded. */
  | 'timeout-after';

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'timeout-before', 'timeout-after'];

/** Decides, per attempt, whether and how it fails. */
export type FaultPlan = (call: { service: string; action: string; attempt: number }) => FaultKind | undefined;

export interface AcceptedCall {
  action: string;
  input: Record<string, unknown>;
  /** The id the service returned (SNS MessageId, EventBridge EventId, SQS MessageId). */
  id: string;
  /** The service acted but the caller never got the answer (a `timeout-after` fault). */
  answerLost?: boolean;
}

/** Counts what reached the transport, what failed and how, and what the service accepted. */
export interface TransportStats {
  attempts: number;
  faults: Record<FaultKind, number>;
  accepted: AcceptedCall[];
}

const QUIET_CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' };

function emptyStats(): TransportStats {
  return { attempts: 0, faults: { throttle: 0, 'server-error': 0, 'timeout-before': 0, 'timeout-after': 0 }, accepted: [] };
}

/** A record whose fields are computed on first read (then kept), so a fake service does no work nobody looks at. */
function lazyRecord(compute: () => Record<string, unknown>): Record<string, unknown> {
  let fields: Record<string, unknown> | undefined;
  const resolve = () => (fields ??= compute());
  return new Proxy({} as Record<string, unknown>, {
    get: (_target, key) => (typeof key === 'string' ? resolve()[key] : undefined),
    has: (_target, key) => key in resolve(),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(resolve(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

function timeoutError(what: string): Error {
  // What @smithy/node-http-handler throws when requestTimeout elapses; the retry strategy treats it as transient.
  return Object.assign(new Error(`${what}: connection timed out (injected fault)`), { name: 'TimeoutError' });
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // Read the bytes as bytes: the SDK's JSON body is a Uint8Array subclass whose string methods warn.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error('the fake AWS transport expects a buffered request body');
}

function response(statusCode: number, contentType: string, body: string): { response: HttpResponse } {
  return {
    response: {
      statusCode,
      headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID(), date: new Date().toUTCString() },
      body: Buffer.from(body, 'utf8'),
    },
  };
}

/**
 * The transport of one service. `accept` performs the service's effect (record
 * the message) and returns the success body; faults are applied around it.
 */
abstract class FakeTransport {
  readonly stats: TransportStats = emptyStats();
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    readonly service: string,
    private readonly plan: FaultPlan | undefined,
  ) {}

  protected abstract actionOf(request: HttpRequest, body: string): string;
  protected abstract accept(action: string, body: string): { body: string; accepted?: AcceptedCall | AcceptedCall[] };
  protected abstract errorResponse(kind: 'throttle' | 'server-error'): { response: HttpResponse };

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const body = bodyText(request.body);
    const action = this.actionOf(request, body);
    const attempt = Number(String(request.headers['amz-sdk-request'] ?? '').match(/attempt=(\d+)/)?.[1] ?? '1');
    this.stats.attempts++;
    const fault = this.plan?.({ service: this.service, action, attempt });
    if (fault) this.stats.faults[fault]++;
    if (fault === 'timeout-before') throw timeoutError(`${this.service} ${action}`);
    if (fault === 'throttle' || fault === 'server-error') return this.errorResponse(fault);
    const result = this.accept(action, body);
    for (const accepted of result.accepted === undefined ? [] : [result.accepted].flat()) {
      this.stats.accepted.push(fault === 'timeout-after' ? { ...accepted, answerLost: true } : accepted);
    }
    if (fault === 'timeout-after') throw timeoutError(`${this.service} ${action}`);
    return response(200, this.contentType(), result.body);
  }

  protected abstract contentType(): string;

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }
  destroy(): void {}
}

/** SNS speaks the AWS query protocol: form-encoded requests, XML answers. */
export class FakeSnsTransport extends FakeTransport {
  constructor(plan?: FaultPlan) {
    super('sns', plan);
  }
  protected contentType(): string {
    return 'text/xml';
  }
  protected actionOf(_request: HttpRequest, body: string): string {
    // Only the action is needed to answer: the SDK writes it first, so this never reads the rest of a large body.
    const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1];
    return action === undefined ? 'Unknown' : decodeURIComponent(action);
  }
  protected accept(action: string, body: string) {
    if (action === 'PublishBatch') return this.acceptBatch(body);
    if (action !== 'Publish') throw new Error(`the fake SNS supports Publish and PublishBatch only, got ${action}`);
    // Decoding the form is the service's work, not the caller's: done when a test reads it, off the measured path.
    const input = lazyRecord(() => Object.fromEntries(new URLSearchParams(body)));
    const id = randomUUID();
    return {
      body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      accepted: { action, input, id },
    };
  }
  /** Every entry accepted, recorded as its own publish (its fields decoded only when read, like a single publish's). */
  private acceptBatch(body: string) {
    const ids = [...body.matchAll(/(?:^|&)PublishBatchRequestEntries\.member\.(\d+)\.Id=([^&]*)/g)].map((m) => ({
      member: m[1],
      id: decodeURIComponent(m[2]),
    }));
    const form = lazyRecord(() => Object.fromEntries(new URLSearchParams(body)));
    const accepted = ids.map(({ member }) => ({
      action: 'Publish',
      input: lazyRecord(() => {
        const prefix = `PublishBatchRequestEntries.member.${member}.`;
        const fields: Record<string, unknown> = { TopicArn: form.TopicArn };
        for (const [key, value] of Object.entries(form)) if (key.startsWith(prefix)) fields[key.slice(prefix.length)] = value;
        return fields;
      }),
      id: randomUUID(),
    }));
    const members = ids.map(({ id }, i) => `<member><Id>${id}</Id><MessageId>${accepted[i].id}</MessageId></member>`).join('');
    return {
      body: `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${members}</Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishBatchResponse>`,
      accepted,
    };
  }
  protected errorResponse(kind: 'throttle' | 'server-error') {
    const [status, type, code, message] =
      kind === 'throttle' ? [400, 'Sender', 'Throttling', 'Rate exceeded'] : [500, 'Receiver', 'InternalError', 'Internal error'];
    return response(
      status,
      'text/xml',
      `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  }
}

/** Services on the AWS JSON protocol (EventBridge 1.1, SQS 1.0): the action is in X-Amz-Target. */
abstract class FakeJsonTransport extends FakeTransport {
  protected abstract readonly jsonVersion: string;
  protected contentType(): string {
    return `application/x-amz-json-${this.jsonVersion}`;
  }
  protected actionOf(request: HttpRequest): string {
    const target = String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '');
    return target.split('.').pop() ?? 'Unknown';
  }
  protected errorResponse(kind: 'throttle' | 'server-error') {
    return kind === 'throttle'
      ? response(400, this.contentType(), JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }))
      : response(500, this.contentType(), JSON.stringify({ __type: 'InternalException', message: 'Internal error' }));
  }
}

export class FakeEventBridgeTransport extends FakeJsonTransport {
  protected readonly jsonVersion = '1.1';
  constructor(plan?: FaultPlan) {
    super('eventbridge', plan);
  }
  protected accept(action: string, body: string) {
    if (action !== 'PutEvents') throw new Error(`the fake EventBridge supports PutEvents only, got ${action}`);
    const input = JSON.parse(body) as { Entries?: unknown[] };
    const ids = (input.Entries ?? []).map(() => randomUUID());
    return {
      body: JSON.stringify({ FailedEntryCount: 0, Entries: ids.map((EventId) => ({ EventId })) }),
      accepted: { action, input, id: ids.join(',') },
    };
  }
}

export class FakeSqsTransport extends FakeJsonTransport {
  protected readonly jsonVersion = '1.0';
  constructor(plan?: FaultPlan) {
    super('sqs', plan);
  }
  protected accept(action: string, body: string) {
    if (action !== 'SendMessage') throw new Error(`the fake SQS supports SendMessage only, got ${action}`);
    const input = JSON.parse(body) as { MessageBody?: string };
    const id = randomUUID();
    // The SQS client checks the body's MD5 in the answer, as it would with the real service.
    const md5 = createHash('md5')
      .update(input.MessageBody ?? '', 'utf8')
      .digest('hex');
    return { body: JSON.stringify({ MessageId: id, MD5OfMessageBody: md5 }), accepted: { action, input, id } };
  }
}

const clientConfig = { region: 'us-east-1', credentials: QUIET_CREDENTIALS };

export function fakeSnsClient(transport: FakeSnsTransport): SNSClient {
  return new SNSClient({ ...clientConfig, requestHandler: transport });
}

export function fakeEventBridgeClient(transport: FakeEventBridgeTransport): EventBridgeClient {
  return new EventBridgeClient({ ...clientConfig, requestHandler: transport });
}

export function fakeSqsClient(transport: FakeSqsTransport): SQSClient {
  return new SQSClient({ ...clientConfig, requestHandler: transport });
}

/** DynamoDB faults applied, counted by kind and by operation. */
export interface DynamoFaultStats {
  attempts: number;
  faults: Record<FaultKind, number>;
  byCommand: Record<string, number>;
}

/**
 * Fails a share of a DocumentClient's calls the ways DynamoDB does. The
 * middleware sits at the deserialize step, inside the SDK's retry loop and
 * next to the HTTP handler, so each fault is one attempt the standard retry
 * strategy sees and may retry: a throttle or a 500 is a real error response
 * the SDK parses; `timeout-before` never reaches dynalite; `timeout-after`
 * lets dynalite apply the write and then loses the answer (the ambiguous
 * failure that makes a retried conditional put fail its condition).
 */
export function injectDynamoDbFaults(client: DynamoDBDocumentClient, plan: FaultPlan): DynamoFaultStats {
  const stats: DynamoFaultStats = { attempts: 0, faults: { throttle: 0, 'server-error': 0, 'timeout-before': 0, 'timeout-after': 0 }, byCommand: {} };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const action = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const request = args.request as HttpRequest;
      const attempt = Number(String(request.headers?.['amz-sdk-request'] ?? '').match(/attempt=(\d+)/)?.[1] ?? '1');
      stats.attempts++;
      const fault = plan({ service: 'dynamodb', action, attempt });
      if (!fault) return next(args);
      stats.faults[fault]++;
      stats.byCommand[action] = (stats.byCommand[action] ?? 0) + 1;
      if (fault === 'timeout-before') throw timeoutError(`DynamoDB ${action}`);
      if (fault === 'timeout-after') {
        const result = await next(args);
        drain((result.response as HttpResponse | undefined)?.body);
        throw timeoutError(`DynamoDB ${action}`);
      }
      const [status, type, message] =
        fault === 'throttle'
          ? [400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.']
          : [500, 'InternalServerError', 'Internal server error'];
      return response(status, 'application/x-amz-json-1.0', JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message })) as never;
    },
    { step: 'deserialize', priority: 'low', name: `injectDynamoDbFaults-${randomUUID()}` },
  );
  return stats;
}

/**
 * Counts the operations a DocumentClient sends (each SDK call once, however
 * many attempts it takes) and, separately, those that succeeded.
 */
export function countDynamoDbCalls(client: DynamoDBDocumentClient): { sent: Record<string, number>; succeeded: Record<string, number> } {
  const sent: Record<string, number> = {};
  const succeeded: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      sent[name] = (sent[name] ?? 0) + 1;
      const result = await next(args);
      succeeded[name] = (succeeded[name] ?? 0) + 1;
      return result;
    },
    { step: 'initialize', name: `countDynamoDbCalls-${randomUUID()}` },
  );
  return { sent, succeeded };
}

function drain(body: unknown): void {
  const stream = body as Readable | undefined;
  if (stream && typeof stream.resume === 'function') stream.resume();
}

/** A seeded fault plan: each attempt fails with `rate`, the kind chosen by weight. */
export function randomFaults(
  random: () => number,
  rate: number,
  weights: Partial<Record<FaultKind, number>>,
  only?: (call: { service: string; action: string }) => boolean,
): FaultPlan {
  const entries = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as [FaultKind, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return (call) => {
    if (only && !only(call)) return undefined;
    if (random() >= rate) return undefined;
    let roll = random() * total;
    for (const [kind, weight] of entries) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return entries[entries.length - 1]?.[0];
  };
}
