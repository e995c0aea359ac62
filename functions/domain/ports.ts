/**
 * What the guardrail needs from the outside world, as interfaces. Handlers,
 * the local runtime and the CLI plug in adapters (DynamoDB or dynalite, SNS or
 * the local outbox, EventBridge or the local router); the domain never imports
 * an AWS SDK.
 */
import type { EventKind } from './events';
import type { RequestRecord } from './records';
import type { DecisionEvent } from './decision-event';
import type { PreparedPolicy } from './prepared-policy';
import type { ApprovalState, ApproverAction, ApproverTier, AuditEntry, DecisionLinks, RequesterMessage } from './approvals';

/**
 * The current policy, prepared for lookups (vendor index built once).
 * Implementations cache it: a warm decision reads nothing from storage.
 */
export interface PolicySource {
  current(): Promise<PreparedPolicy>;
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
    /** The approver tier addressed (`it-manager`…), when the message asks a tier to decide. */
    tier?: string;
    /**
     * Who the message is for: an approver's email when it carries that
     * approver's personal decision links, {@link ALL_APPROVERS} when it is for
     * every approver. Subscriptions filter on it so a link reaches only the
     * person it was signed for.
     */
    recipient?: string;
  };
  recordId: string;
}

/** `recipient` of messages meant for every approver (no personal links). */
export const ALL_APPROVERS = 'all-approvers';

export interface Notifier {
  notify(notification: Notification): Promise<{ messageId: string }>;
}

/**
 * Tells the requester what IT decided ("approved", "rejected: use Box
 * instead", "IT needs more information"), on a topic of its own: requesters
 * must never receive approvers' decision links, and approvers need not see
 * every requester message.
 */
export interface RequesterNotifier {
  notifyRequester(message: RequesterMessage): Promise<{ messageId: string }>;
}

/**
 * Signs decision links for one approver and one request (an adapter holds
 * the key; the domain only asks for links).
 */
export interface DecisionLinkIssuer {
  linksFor(input: { recordId: string; approverEmail: string; expiresAt: Date; now: Date }): Promise<DecisionLinks>;
  /** The approvers' inbox page, for "All pending requests: …" lines (undefined when there is none). */
  inboxUrl(): string | undefined;
}

/** The audit trail: append-only, one entry per state change of a request. */
export interface AuditLog {
  /** Appends once: an entry with the same id (see auditEntryId) is not written again. True when written now. */
  append(entry: AuditEntry): Promise<boolean>;
  /** A request's entries, oldest first. */
  list(recordId: string): Promise<AuditEntry[]>;
}

/** One use of a decision link, kept so a link works once. */
export interface DecisionTokenUse {
  tokenId: string;
  recordId: string;
  approverEmail: string;
  action: ApproverAction;
  usedAt: string;
  /** When the link expires anyway: the record can be cleaned up after that (TTL). */
  expiresAt: string;
}

/** What an approval change still has to do outside the store, kept on the record until done. */
export type ApprovalEffect =
  | { id: string; type: 'audit'; entry: AuditEntry }
  | { id: string; type: 'decision-event'; event: DecisionEvent }
  | { id: string; type: 'requester-message'; message: RequesterMessage }
  | {
      id: string;
      type: 'approver-notification';
      /** remind / escalate / expire from escalation; second-signature after the first of two approvals. */
      kind: 'remind' | 'escalate' | 'expire' | 'second-signature';
      tier: ApproverTier;
      fromTier?: ApproverTier;
    };

/**
 * The approval side of the request store. Every change is one conditional
 * write on the record (no transactions): the new approval state together
 * with the side effects it causes ("pending effects"), so a crash after the
 * write loses nothing: whoever wrote them performs them, and the scheduled
 * sweep performs any still pending.
 */
export interface ApprovalStore {
  /** The record with its pending effects, read consistently. */
  loadApproval(recordId: string): Promise<{ record: RequestRecord; effects: ApprovalEffect[] } | undefined>;
  /**
   * Writes `state` and adds `effects` if the stored approval still has
   * `expectedRevision`; false when someone changed it first (nothing written).
   */
  saveApproval(recordId: string, expectedRevision: number, state: ApprovalState, effects: ApprovalEffect[], now: Date): Promise<boolean>;
  /** Removes a performed effect. */
  completeEffect(recordId: string, effectId: string): Promise<void>;
  /**
   * Recomputes when the sweep should look at the record again (or drops it
   * from the queue once decided and without pending effects); ignored when
   * the approval changed meanwhile.
   */
  reschedule(recordId: string, expectedRevision: number, now: Date): Promise<void>;
  /** Records that a link was used; false when it already was (the link is spent). */
  consumeToken(use: DecisionTokenUse): Promise<boolean>;
  /** Gives a link back after the decision it was used for could not be recorded. */
  releaseToken(tokenId: string, usedAt: string): Promise<void>;
  findTokenUse(tokenId: string): Promise<DecisionTokenUse | undefined>;
  /** Every request whose approval is still open (or has effects pending): the inbox. */
  listOpenApprovals(): Promise<RequestRecord[]>;
  /** Ids of requests the sweep should look at now (something due at or before `now`), soonest first. */
  listDueApprovals(now: Date, limit: number): Promise<string[]>;
  /** Takes a claimed notification (`sending`) into the digest queue instead of sending it. */
  holdForDigest(recordId: string, heldAt: Date, digestAt: Date): Promise<void>;
  /** Requests held for a digest due at or before `now`. */
  listHeldForDigest(now: Date): Promise<RequestRecord[]>;
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
