/**
 * Used decision links, kept so each link works once: the link's id is
 * recorded with a conditional put before the decision is written, and a
 * second use finds it.
 */
import type { ApproverAction } from '../approvals';

/** One use of a decision link. */
export interface DecisionLinkUse {
  /** The link's unique id (its `jti`). */
  tokenId: string;
  recordId: string;
  approverEmail: string;
  action: ApproverAction;
  usedAt: string;
  /** When the link expires anyway: the record can be cleaned up after that (TTL). */
  expiresAt: string;
}

export interface DecisionLinkStore {
  /** Records that a link was used; false when it already was (the link is spent). */
  consume(use: DecisionLinkUse): Promise<boolean>;
  /** Gives a link back after the decision it was used for could not be recorded. */
  release(tokenId: string, usedAt: string): Promise<void>;
  find(tokenId: string): Promise<DecisionLinkUse | undefined>;
}
