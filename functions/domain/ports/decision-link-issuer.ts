/**
 * Signs decision links for one approver and one request (an adapter holds
 * the key; the domain only asks for links), and names the pages behind sign-in.
 */
import type { DecisionLinks } from '../approvals';

export interface DecisionLinkIssuer {
  linksFor(input: { recordId: string; approverEmail: string; expiresAt: Date; now: Date }): Promise<DecisionLinks>;
  /** The approvers' inbox page, for "All pending requests: …" lines (undefined when there is none). */
  inboxUrl(): string | undefined;
  /**
   * A request's page (sign-in required): what chat and queue messages link to
   * instead of decision links. Undefined when the inbox is not deployed.
   */
  requestUrl(recordId: string): string | undefined;
}
