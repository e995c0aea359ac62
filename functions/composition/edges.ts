/**
 * The edges: what differs between the places the services run. Lambdas pass
 * AWS edges (aws-edges.ts), `npm start` local ones (local-edges.ts), the
 * bench and the tests their fakes or mocked SDK clients. Everything the
 * edges do not name is decided once, in the root (root.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SourceOptions } from '../adapters/sources';
import type { KeyringSource } from '../adapters/security/decision-link-signer';
import type { LocalSessions } from '../adapters/web/local-session';
import type { IngestPublish, IngestSecretProvider } from '../domain/ingest';
import type { Clock } from '../domain/ports/clock';
import type { DeadLetterSink } from '../domain/ports/dead-letter';
import type { DecisionPublisher } from '../domain/ports/decision-publisher';
import type { Notifier, RequesterNotifier } from '../domain/ports/notifier';
import type { DepartmentNotifier } from '../domain/ports/outreach';
import type { GuardrailDeps } from '../domain/use-cases/guardrail/process';

/** Every service's logger, metrics and clock. */
export interface RuntimeEdges {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
}

/** The two DynamoDB tables and the client that reaches them (AWS, dynalite, or a fake transport). */
export interface TableEdges {
  documents: DynamoDBDocumentClient;
  policyTable: string;
  requestsTable: string;
  /** The app inventory and people directory; without it events are decided without the inventory (one review per event). */
  inventoryTable?: string;
  /** How long a container keeps the prepared policy (default 60 s; 0 reads it on every event). */
  policyCacheTtlSeconds?: number;
}

/** Signed decision links: the keyring that signs them and the approvals app they point at. */
export interface LinkEdges {
  keys: KeyringSource;
  /** The approvals app's public base URL; a function when known only later (the local server's port). */
  baseUrl: string | (() => string);
  /** Whether the approvers' inbox is served (deployed only with an identity provider). */
  inboxEnabled: boolean;
}

export interface GuardrailEdges extends RuntimeEdges {
  tables: TableEdges;
  /** Where messages to IT approvers go (SNS topic, local outbox). */
  itApprovers: Notifier;
  /** Where an amendment's message to the requester goes at once; without it the escalation sweep sends it. */
  requesters?: RequesterNotifier;
  /** Where `Guardrail Decision` events go (EventBridge, the local decision log and bus). */
  decisions: DecisionPublisher;
  /** Where malformed events are kept with their reason (SQS, a local file). */
  deadLetters: DeadLetterSink;
  /** Without links (no approvals API configured) notifications go out without decision links or digests. */
  links?: LinkEdges;
  /** Claim and wait timings: the reliability suite scales them to its simulated time. */
  timing?: Pick<GuardrailDeps, 'claimLeaseMs' | 'inFlightWaitMs' | 'sleep'>;
}

export interface ApprovalsEdges extends RuntimeEdges {
  tables: TableEdges;
  itApprovers: Notifier;
  /** Where messages to requesters go (their SNS topic, the local outbox). */
  requesters: RequesterNotifier;
  decisions: DecisionPublisher;
  links: LinkEdges;
  /** How approvers sign in to the web app. */
  signIn: ApproverSignIn;
}

/** Department outreach (weekly notes, the monthly shadow-IT report). */
export interface OutreachEdges extends RuntimeEdges {
  tables: TableEdges;
  /** The monthly report goes to the IT approvers' topic. */
  itApprovers: Notifier;
  /** Where department notes go (the outreach SNS topic, the local outbox). */
  departments: DepartmentNotifier;
  /** The console's home page, linked from the monthly report (with an identity provider or locally). */
  consoleUrl?: string | (() => string);
}

export type ApproverSignIn =
  /**
   * Deployed: the identity provider's JWT authorizer; `emailClaim` names the
   * claim with the approver's email, `subjectClaim` the one with their
   * immutable id; with `decisionsNeedSignIn` a link decides only for the
   * signed-in approver it was issued to.
   */
  | { kind: 'identity-provider'; emailClaim: string; subjectClaim?: string; decisionsNeedSignIn?: boolean }
  /**
   * `npm start`: the local development sign-in (an email from the policy's
   * approver directory, no password), and its inspection routes are open,
   * so a request's JSON is served without a session too.
   */
  | { kind: 'local'; sessions: LocalSessions };

export interface NativeSourceEdges extends RuntimeEdges {
  /** Puts canonical events on the guardrail bus (EventBridge, or the local bus). */
  publish: IngestPublish;
  deadLetters: DeadLetterSink;
  /** Normaliser options per source (app names, a form's field mapping…). */
  sourceOptions?: Partial<SourceOptions>;
}

export interface IngestEdges extends NativeSourceEdges {
  /** The per-source secrets that authenticate senders (Secrets Manager, a local file). */
  secrets: IngestSecretProvider;
}

/** Every edge: an environment that runs all the services in one process (`npm start`). */
export type Edges = GuardrailEdges & ApprovalsEdges & IngestEdges & OutreachEdges;
