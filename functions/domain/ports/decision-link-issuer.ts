/**
 * Signs decision links for one approver and one request (an adapter holds
 * the key; the domain only asks for links).
 */
import type { DecisionLinks } from '../approvals';

export interface DecisionLinkIssuer {
  linksFor(input: { recordId: string; approverEmail: string; expiresAt: Date; now: Date }): Promise<DecisionLinks>;
  /** The approvers' inbox page, for "All pending requests: …" lines (undefined when there is none). */
  inboxUrl(): string | undefined;
}
