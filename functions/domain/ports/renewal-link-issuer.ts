/** Signed links an agreement's owner records a renewal decision with, and the calendar page's address. */
import type { RenewalAction } from '../renewals/schedule';

export interface RenewalLinkIssuer {
  linksFor(input: { key: string; renewalDate: string; owner: string; expiresAt: Date; now: Date }): Promise<Record<RenewalAction, string>>;
  /** `<base>renewals` when the console (sign-in) is deployed. */
  calendarUrl(): string | undefined;
}
