/**
 * What the guardrail concludes about one event. Every finding says which
 * dimension it concerns and, where the catalogue knows one, what to do instead:
 * requesters act on suggestions, approvers on severities.
 */
import type { ApproverTier, Severity, VendorStatus } from './policy';
import type { EventKind } from './events';

export const OUTCOMES = ['allow', 'review', 'block'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DIMENSIONS = ['security', 'cost', 'integration', 'compliance'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Finding {
  /** Stable, machine-readable (`DUPLICATE_CAPABILITY`); filters and dashboards key on it. */
  code: string;
  dimension: Dimension;
  severity: Severity;
  /** One sentence for a person. Plain text: renderers escape it. */
  message: string;
  /** What to do instead, when the catalogue knows ("Box is already sanctioned for File sharing, 120 seats unused"). */
  suggestion?: string;
}

export interface VendorMatch {
  vendorId: string;
  name: string;
  status: VendorStatus;
  category: string;
  /** How the name was recognised; approvers weigh a domain match above a fuzzy one. */
  matchedBy: 'name' | 'alias' | 'domain' | 'normalised-name' | 'similar-name';
  /** `low`: a typo away, a suggestion only; never the reason anything is allowed. */
  confidence: 'exact' | 'high' | 'medium' | 'low';
}

export interface Decision {
  kind: EventKind;
  recordId: string;
  outcome: Outcome;
  /** Most severe finding's severity (`info` when there are none). */
  severity: Severity;
  findings: Finding[];
  /** One line a requester can act on. */
  summary: string;
  vendor?: VendorMatch;
  category?: string;
  /** Purchase requests only: spend normalised to a year in the policy's base currency. */
  spend?: {
    annualised: number;
    totalContractValue: number;
    currency: string;
  };
  /** Who must sign off, from the spend tiers (purchase requests only). */
  requiredApprover?: ApproverTier;
  twoStepApproval?: boolean;
  policyVersion: string;
  evaluatedAt: string;
}
