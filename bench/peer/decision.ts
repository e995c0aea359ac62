/**
 * What every evaluation peer returns, and the outcome rule they share with
 * ours (functions/domain/rules/outcome.ts): block on a critical finding,
 * review on a medium or higher one or when spend needs an approver, allow
 * otherwise. Peers compute findings their own way; this only turns them into
 * the comparable decision.
 */
import type { Outcome } from '../../functions/domain/decision';
import type { ApproverTier, Severity } from '../../functions/domain/policy';
import { SEVERITIES } from '../../functions/domain/policy';

export interface PeerDecision {
  outcome: Outcome;
  /** Finding codes, sorted, each once. */
  codes: string[];
  requiredApprover: ApproverTier;
}

/** The severity of the SPEND_APPROVAL_REQUIRED finding for each approver tier. */
export const APPROVAL_SEVERITY: Record<Exclude<ApproverTier, 'none'>, Severity> = { 'it-manager': 'low', 'it-director': 'medium', cio: 'high' };

const rank = (s: Severity) => SEVERITIES.indexOf(s);

export function peerDecision(findings: readonly { code: string; severity: Severity }[], requiredApprover: ApproverTier): PeerDecision {
  const outcome: Outcome = findings.some((f) => f.severity === 'critical')
    ? 'block'
    : findings.some((f) => rank(f.severity) >= rank('medium')) || requiredApprover !== 'none'
      ? 'review'
      : 'allow';
  return { outcome, codes: [...new Set(findings.map((f) => f.code))].sort(), requiredApprover };
}
