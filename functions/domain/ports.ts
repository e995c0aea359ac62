/**
 * What the guardrail needs from the outside world, as interfaces. Handlers,
 * the local runtime and the CLI plug in adapters (DynamoDB or dynalite, SNS or
 * the local outbox, EventBridge or the local router); the domain never imports
 * an AWS SDK.
 */
import type { AppConnected, EventKind, PurchaseRequest } from './events';
import type { Decision } from './decision';
import type { PreparedPolicy } from './prepared-policy';

/**
 * The current policy, prepared for lookups (vendor index built once).
 * Implementations cache it: a warm decision reads nothing from storage.
 */
export interface PolicySource {
  current(): Promise<PreparedPolicy>;
}

/** Where the notifier stands for one request; the claim stops a second copy. */
export type NotificationState =
  | { state: 'not-needed' }
  | { state: 'pending' }
  | { state: 'sending'; claimedAt: string }
  | { state: 'sent'; sentAt: string; messageId: string };

export interface RequestRecord {
  recordId: string;
  kind: EventKind;
  detail: PurchaseRequest | AppConnected;
  decision: Decision;
  policyVersion: string;
  receivedAt: string;
  notification: NotificationState;
  decisionEvent: { state: 'pending' } | { state: 'published'; publishedAt: string };
}

export interface RequestStore {
  /**
   * Writes the record unless one with the same id exists (a conditional put):
   * at-least-once delivery must never produce a second record.
   */
  createIfAbsent(record: RequestRecord): Promise<{ created: boolean; record: RequestRecord }>;
  get(recordId: string): Promise<RequestRecord | undefined>;
  /**
   * Takes the right to send the notification: succeeds when the state is
   * `pending`, or `sending` with a claim older than `leaseMs` (a crashed sender).
   */
  claimNotification(recordId: string, now: Date, leaseMs: number): Promise<boolean>;
  markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void>;
  markDecisionPublished(recordId: string, publishedAt: Date): Promise<void>;
}

/**
 * The request store as the service uses it: the port, plus a lease on the
 * decision event and a way to hand back a claim after a failed send. Without
 * them two concurrent deliveries could both publish the decision, and a
 * notifier error would keep the notification locked until the lease ran out.
 */
export interface GuardrailRequestStore extends RequestStore {
  /**
   * Takes the right to publish the decision event: succeeds when it is still
   * `pending` and nobody holds a live claim (older than `leaseMs` is dead).
   */
  claimDecisionEvent(recordId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives a notification claim back (`sending` → `pending`) if it is still the one taken at `claimedAt`. */
  releaseNotificationClaim(recordId: string, claimedAt: Date): Promise<void>;
  /** Gives a decision-event claim back if it is still the one taken at `claimedAt`. */
  releaseDecisionEventClaim(recordId: string, claimedAt: Date): Promise<void>;
}

/** A message for IT approvers, already rendered; adapters only deliver it. */
export interface Notification {
  subject: string;
  /** Readable plain text (email subscriptions, the local outbox). */
  text: string;
  /** Structured payload for chat integrations (AWS Chatbot custom notification). */
  chat?: unknown;
  /** For subscription filter policies. */
  attributes: {
    outcome: string;
    severity: string;
    kind: string;
    department?: string;
  };
  recordId: string;
}

export interface Notifier {
  notify(notification: Notification): Promise<{ messageId: string }>;
}

/** The `Guardrail Decision` event a procurement tool gates its signature step on. */
export interface DecisionEvent {
  recordId: string;
  kind: EventKind;
  outcome: Decision['outcome'];
  severity: Decision['severity'];
  summary: string;
  findings: Decision['findings'];
  requiredApprover?: Decision['requiredApprover'];
  policyVersion: string;
  decidedAt: string;
  /** `policy` for the automatic evaluation; approvals add `approver` decisions later. */
  decidedBy: 'policy' | { approver: string };
  /** Echo of the source's ids so the caller can correlate. */
  sourceRef: { source?: string; id: string };
}

export interface DecisionPublisher {
  publish(event: DecisionEvent): Promise<void>;
}

/** An event that cannot be processed, kept with its reason so nothing is lost. */
export interface DeadLetter {
  reason: string;
  /** Field-level problems, each naming the field (`detail.amount.currency: …`). */
  problems: string[];
  kind?: EventKind;
  receivedAt: string;
  event: unknown;
}

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
