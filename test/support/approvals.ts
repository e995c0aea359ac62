/**
 * The guardrail and approvals services for tests, composed by the same root
 * as the Lambdas' from test edges: dynalite for the tables; the real SNS and
 * EventBridge adapters on aws-sdk-client-mock (every publish inspectable);
 * a fixed random signing key; a clock the test moves.
 */
import { randomBytes } from 'node:crypto';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SnsNotifier, SnsRequesterNotifier } from '../../functions/adapters/notifier/sns-notifier';
import { EventBridgeDecisionPublisher } from '../../functions/adapters/eventbridge/decision-publisher';
import { StaticKeyProvider } from '../../functions/adapters/security/signing-keys';
import { LocalSessions } from '../../functions/adapters/web/local-session';
import { handleApprovalRequest, type ApprovalAppDeps, type ApprovalHttpRequest } from '../../functions/adapters/web/approvals-app';
import type { ApprovalsEdges, GuardrailEdges } from '../../functions/composition/edges';
import { composeGuardrailWithApprovals, type Stores } from '../../functions/composition/root';
import { handleGuardrailEvent, type GuardrailServiceDeps } from '../../functions/domain/use-cases/inventory/app-sightings';
import type { ApprovalDeps } from '../../functions/domain/use-cases/approvals/deps';
import type { GuardrailEvent } from '../../functions/domain/events';
import type { Policy } from '../../functions/domain/policy';
import { TestClock, defaultPolicy } from './fixtures';
import type { TestDynamo } from './dynalite';
import { quietLogger, recordingMetrics } from './observability';

export const IT_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:guardrail-it';
export const REQUESTER_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:guardrail-requesters';
export const BUS = 'guardrail-bus';
export const BASE_URL = 'https://approvals.example.com/';

/** The default policy's approvers (policy/default.yaml). */
export const PEOPLE = {
  priya: 'priya.shah@example.com', // IT manager: Engineering, Product, Data, Security
  marcus: 'marcus.lee@example.com', // IT manager: Marketing, Sales, Finance, Operations…
  dana: 'dana.okafor@example.com', // IT director
  chris: 'chris.morgan@example.com', // CIO
} as const;

export interface ApprovalWorld {
  clock: TestClock;
  tables: { policy: string; requests: string; inventory: string };
  requests: Stores['requests'];
  approvalStore: Stores['approvals'];
  usedLinks: Stores['usedLinks'];
  audit: Stores['audit'];
  policies: Stores['policy'];
  keys: StaticKeyProvider;
  guardrail: GuardrailServiceDeps;
  approvals: ApprovalDeps;
  stores: Stores;
  app: ApprovalAppDeps;
  sns: AwsClientStub<SNSClient>;
  eventBridge: AwsClientStub<EventBridgeClient>;
  /** Every SNS publish so far, per topic. */
  published(topic?: string): PublishCommandInput[];
  /** Every `Guardrail Decision` detail put on the bus so far. */
  busEvents(): Record<string, unknown>[];
  /** Runs an event through the guardrail service. */
  submit(event: GuardrailEvent): Promise<void>;
  /** Calls the approvals app with a URL (absolute or a path) like a browser would. */
  call(request: {
    method?: string;
    url: string;
    cookies?: string[];
    body?: string;
    accept?: string;
    identity?: ApprovalHttpRequest['identity'];
  }): Promise<Awaited<ReturnType<typeof handleApprovalRequest>>>;
  /** Every item of the requests table (to prove a GET wrote nothing). */
  snapshot(): Promise<unknown[]>;
}

let counter = 0;

export interface AwsMocks {
  sns: AwsClientStub<SNSClient>;
  eventBridge: AwsClientStub<EventBridgeClient>;
  /** Clears recorded calls and answers every publish and PutEvents successfully again. */
  reset(): void;
  restore(): void;
}

/** SNS and EventBridge mocks for one test file (they replace the clients' `send` process-wide). */
export function awsMocks(): AwsMocks {
  const sns = mockClient(SNSClient);
  const eventBridge = mockClient(EventBridgeClient);
  const reset = () => {
    sns.reset();
    eventBridge.reset();
    sns.on(PublishCommand).callsFake(() => ({ MessageId: `sns-${++counter}` }));
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 0,
      Entries: (input.Entries ?? []).map(() => ({ EventId: `eb-${++counter}` })),
    }));
  };
  reset();
  return {
    sns,
    eventBridge,
    reset,
    restore() {
      sns.restore();
      eventBridge.restore();
    },
  };
}

/** Builds a fresh world on new tables (the mocks are the file's, reset by the caller). */
export async function approvalWorld(
  dynamo: TestDynamo,
  mocks: AwsMocks,
  options: { policy?: Policy; clock?: TestClock; localSessions?: boolean; inboxEnabled?: boolean; baseUrl?: string | (() => string) } = {},
): Promise<ApprovalWorld> {
  const baseUrl = options.baseUrl ?? BASE_URL;
  const clock = options.clock ?? new TestClock();
  const tables = await dynamo.freshTables();
  const client = dynamo.newDocumentClient();
  const keys = new StaticKeyProvider({ current: { id: 'test-key', key: randomBytes(32) }, previous: [] });
  const { sns, eventBridge } = mocks;
  const snsClient = new SNSClient({ region: 'eu-west-1' });
  const noWait = async () => undefined;
  const edges: GuardrailEdges & ApprovalsEdges = {
    logger: quietLogger().logger,
    metrics: recordingMetrics().metrics,
    clock,
    tables: { documents: client, policyTable: tables.policy, requestsTable: tables.requests, inventoryTable: tables.inventory },
    itApprovers: new SnsNotifier(snsClient, IT_TOPIC),
    requesters: new SnsRequesterNotifier(snsClient, REQUESTER_TOPIC),
    decisions: new EventBridgeDecisionPublisher(new EventBridgeClient({ region: 'eu-west-1' }), BUS, { sleep: noWait }),
    // The world runs the service, not the handler that validates and dead-letters.
    deadLetters: { send: () => Promise.reject(new Error('the approval world never dead-letters: it runs the service, not the handler')) },
    links: { keys, baseUrl, inboxEnabled: options.inboxEnabled !== false },
    signIn: options.localSessions ? { kind: 'local', sessions: new LocalSessions(keys) } : { kind: 'identity-provider', emailClaim: 'email' },
    timing: { sleep: noWait },
  };
  const services = composeGuardrailWithApprovals(edges);
  const { policy: policies, requests, approvals: approvalStore, usedLinks, audit } = services.stores;
  await policies.importPolicy(options.policy ?? defaultPolicy());
  const guardrail: GuardrailServiceDeps = services.guardrail.service;
  const app: ApprovalAppDeps = services.approvals.app;
  const approvals: ApprovalDeps = app;

  return {
    clock,
    tables,
    requests,
    approvalStore,
    usedLinks,
    audit,
    policies,
    keys,
    guardrail,
    approvals,
    stores: services.stores,
    app,
    sns,
    eventBridge,
    published(topic) {
      return sns
        .commandCalls(PublishCommand)
        .map((c) => c.args[0].input as PublishCommandInput)
        .filter((p) => topic === undefined || p.TopicArn === topic);
    },
    busEvents() {
      return eventBridge
        .commandCalls(PutEventsCommand)
        .flatMap((c) => (c.args[0].input as PutEventsCommandInput).Entries ?? [])
        .map((e) => JSON.parse(e.Detail ?? '{}') as Record<string, unknown>);
    },
    async submit(event) {
      await handleGuardrailEvent(guardrail, event);
    },
    async call(request) {
      const url = new URL(request.url, BASE_URL);
      return handleApprovalRequest(app, {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: {
          ...(request.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          accept: request.accept ?? 'text/html',
        },
        cookies: request.cookies,
        body: request.body,
        identity: request.identity,
      });
    },
    async snapshot() {
      const page = await client.send(new ScanCommand({ TableName: tables.requests, ConsistentRead: true }));
      return (page.Items ?? []).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
    },
  };
}

/** The plain-text body SNS email subscribers get. */
export function emailText(publish: PublishCommandInput): string {
  return (JSON.parse(publish.Message ?? '{}') as { email: string }).email;
}

/** The decision links in a notification's text, by action. */
export function linksIn(text: string): { approve: string; reject: string; 'request-info': string } {
  const find = (label: string) => {
    const m = new RegExp(`^\\s*${label}: (https?://\\S+)$`, 'm').exec(text);
    if (!m) throw new Error(`no "${label}" link in:\n${text}`);
    return m[1];
  };
  return { approve: find('Approve'), reject: find('Reject'), 'request-info': find('Ask for more information') };
}

/** `name=value` pairs from Set-Cookie values, for the next request's cookies. */
export function cookiePairs(setCookies: readonly string[] | undefined): string[] {
  return (setCookies ?? []).map((c) => c.split(';')[0]);
}

/** A hidden field's value from a rendered page. */
export function hiddenField(html: string, name: string): string {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!m) throw new Error(`no hidden field ${name}`);
  return m[1]
    .replace(/&#61;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** The form body the decision page's form posts. */
export function decisionForm(fields: { token: string; csrf: string; action: string; comment?: string }): string {
  return new URLSearchParams({ token: fields.token, csrf: fields.csrf, action: fields.action, comment: fields.comment ?? '' }).toString();
}

/** Opens a link (GET) and submits the page's form with an action: what a person does in the browser. */
export async function openAndDecide(world: ApprovalWorld, link: string, action: string, comment = ''): Promise<Awaited<ReturnType<ApprovalWorld['call']>>> {
  const page = await world.call({ url: link });
  if (page.statusCode !== 200) throw new Error(`opening the link answered ${page.statusCode}:\n${page.body.slice(0, 500)}`);
  return world.call({
    method: 'POST',
    url: '/decide',
    cookies: cookiePairs(page.cookies),
    body: decisionForm({ token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action, comment }),
  });
}

/** How every decision-link token (a compact JWS) begins: the base64url of `{"alg":"HS256",`. */
export const DECISION_TOKEN_START = Buffer.from('{"alg":"HS256",').toString('base64url').slice(0, 20);

/** The (unverified) claims of a decision-link token, for tests that tamper with them. */
export function tokenClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The token id (`jti`) of a decision-link token. */
export function jtiOf(token: string): string {
  return tokenClaims(token).jti as string;
}
