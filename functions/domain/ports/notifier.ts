/**
 * Messages out: to IT approvers (one topic, filtered per recipient) and to
 * requesters (a topic of their own). Messages arrive rendered, one body per
 * channel (domain/notifications); adapters only deliver them.
 */
import type { ItMessage, RequesterMessage } from '../notifications';

/** A message for IT approvers, already rendered. */
export type Notification = ItMessage;

/** What one message of several sent together came to: its message id, or the error that stopped it. */
export type SendOutcome = { messageId: string } | { error: unknown };

export interface Notifier {
  notify(notification: Notification): Promise<{ messageId: string }>;
  /**
   * Several messages in as few calls as the channel allows (SNS `PublishBatch`),
   * each answering for itself. Optional: without it they go one by one.
   */
  notifyEach?(notifications: readonly Notification[]): Promise<SendOutcome[]>;
}

/**
 * Tells the requester what IT decided ("approved", "rejected: use Box
 * instead", "needs more information"), on a topic of its own: requesters
 * must never receive approvers' decision links, and approvers need not see
 * every requester message.
 */
export interface RequesterNotifier {
  notifyRequester(message: RequesterMessage): Promise<{ messageId: string }>;
}
