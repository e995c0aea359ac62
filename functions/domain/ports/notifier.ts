/**
 * Messages out: to IT approvers (one topic, filtered per recipient) and to
 * requesters (a topic of their own). Messages arrive rendered; adapters only
 * deliver them.
 */
import type { RequesterMessage } from '../approvals';

/** A message for IT approvers, already rendered. */
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
