/**
 * The domain's DecisionLinkIssuer over the signer: decision-page URLs for one
 * approver and one request, signed with the current key from the provider
 * (Secrets Manager or SSM deployed, a local key file for `npm start`).
 */
import type { DecisionLinks } from '../../domain/approvals';
import type { DecisionLinkIssuer } from '../../domain/ports/decision-link-issuer';
import { DecisionLinkSigner, decisionBaseUrl, issueDecisionLinks, type KeyringSource } from './decision-link-signer';

export interface SignedDecisionLinkIssuerOptions {
  keys: KeyringSource;
  /**
   * The approvals app's public base URL (the HTTP API's URL deployed, the
   * local runtime's URL under `npm start`). A function when it is known only
   * later (the local server's port).
   */
  baseUrl: string | (() => string);
  /** False when the deployment has no inbox (no identity provider configured): messages then do not point to one. */
  inbox?: boolean;
}

/** Env var with the approvals app's public base URL (the CDK stack sets it). */
export const APPROVALS_BASE_URL_ENV = 'APPROVALS_BASE_URL';
/** Env var: "true" when the approvers' inbox is deployed (an identity provider is configured). */
export const APPROVALS_INBOX_ENABLED_ENV = 'APPROVALS_INBOX_ENABLED';

export class SignedDecisionLinkIssuer implements DecisionLinkIssuer {
  constructor(private readonly options: SignedDecisionLinkIssuerOptions) {}

  /** The normalised base URL (https, or http on localhost; trailing slash). */
  baseUrl(): URL {
    const base = this.options.baseUrl;
    return decisionBaseUrl(typeof base === 'function' ? base() : base);
  }

  async linksFor(input: { recordId: string; approverEmail: string; expiresAt: Date; now: Date }): Promise<DecisionLinks> {
    const signer = await DecisionLinkSigner.fromProvider(this.options.keys);
    return issueDecisionLinks(signer, this.baseUrl().toString(), input);
  }

  inboxUrl(): string | undefined {
    if (this.options.inbox === false) return undefined;
    return new URL('inbox', this.baseUrl()).toString();
  }

  /** `<base>requests/<id>`: served with the inbox (sign-in required), so absent without it. */
  requestUrl(recordId: string): string | undefined {
    if (this.options.inbox === false) return undefined;
    return new URL(`requests/${encodeURIComponent(recordId)}`, this.baseUrl()).toString();
  }
}

/** Env var: ARN of the Secrets Manager secret holding the decision-link keyring JSON. */
export const DECISION_LINK_KEY_SECRET_ENV = 'DECISION_LINK_KEY_SECRET_ARN';
/** Env var (alternative): name of an SSM SecureString parameter holding the keyring JSON or one base64 key. */
export const DECISION_LINK_KEY_PARAMETER_ENV = 'DECISION_LINK_KEY_PARAMETER_NAME';
/**
 * Env var: the versions of that parameter the deployment accepts (`3,4`: 4
 * signs, 3 still verifies during a rotation). Unset: the latest version alone.
 */
export const DECISION_LINK_KEY_PARAMETER_VERSIONS_ENV = 'DECISION_LINK_KEY_PARAMETER_VERSIONS';
