/**
 * From findings to a verdict and one line a requester can act on. Critical
 * blocks; anything medium or above, or a required approver, needs review;
 * the rest is allowed so clearly fine purchases are not slower than a card.
 */
import type { Finding, Outcome } from '../decision';
import type { ApproverTier, Severity } from '../policy';
import { compareFindings, maxSeverity, plural, severityRank, type RuleFinding } from './findings';

export function outcomeOf(findings: readonly Finding[], requiredApprover: ApproverTier | undefined): Outcome {
  if (findings.some((f) => f.severity === 'critical')) return 'block';
  if (findings.some((f) => severityRank(f.severity) >= severityRank('medium'))) return 'review';
  if (requiredApprover !== undefined && requiredApprover !== 'none') return 'review';
  return 'allow';
}

export interface Verdict {
  outcome: Outcome;
  severity: Severity;
  findings: Finding[];
  summary: string;
}

/**
 * Orders the findings, decides, and writes the summary. `allowedBecause`
 * phrases why an allowed event is fine ("Slack is sanctioned for Chat").
 */
export function verdictOf(ruleFindings: readonly RuleFinding[], requiredApprover: ApproverTier | undefined, allowedBecause: string): Verdict {
  const sorted = [...ruleFindings].sort(compareFindings);
  const outcome = outcomeOf(sorted, requiredApprover);
  return {
    outcome,
    severity: maxSeverity(sorted),
    findings: sorted.map(withoutHeadline),
    summary: summaryOf(outcome, sorted, allowedBecause),
  };
}

function withoutHeadline(f: RuleFinding): Finding {
  // Spelled out rather than a rest spread: every finding of every decision passes here.
  const { code, dimension, severity, message, suggestion } = f;
  return suggestion === undefined ? { code, dimension, severity, message } : { code, dimension, severity, message, suggestion };
}

const PREFIX: Record<Outcome, string> = { block: 'Blocked', review: 'Review needed', allow: 'Allowed' };

function summaryOf(outcome: Outcome, sorted: readonly RuleFinding[], allowedBecause: string): string {
  const lead = leadFinding(outcome, sorted);
  if (outcome === 'allow') {
    const agreement = sorted.find((f) => f.code === 'EXISTING_AGREEMENT');
    const managed = sorted.find((f) => f.code === 'MANAGED_APP');
    const because = managed ? managed.headline : allowedBecause;
    const extra = agreement ? `; ${agreement.headline}` : '';
    const notes = sorted.filter((f) => f !== agreement && f !== managed).length;
    return `${PREFIX.allow}: ${capitalise(because)}${extra}${notes > 0 ? ` (${plural(notes, 'note')})` : ''}`;
  }
  const others = sorted.filter((f) => f !== lead && severityRank(f.severity) >= severityRank('low')).length;
  const text = lead ? lead.headline : 'approval required';
  return `${PREFIX[outcome]}: ${capitalise(text)}${others > 0 ? ` (+${plural(others, 'more finding')})` : ''}`;
}

/**
 * What the summary leads with. A block names the blocking finding; a review
 * leads with the sanctioned alternative when there is one (the fastest way
 * forward for the requester), else the most severe finding, else the approval.
 */
function leadFinding(outcome: Outcome, sorted: readonly RuleFinding[]): RuleFinding | undefined {
  if (outcome === 'review') {
    return (
      sorted.find((f) => f.code === 'DUPLICATE_CAPABILITY') ??
      sorted.find((f) => severityRank(f.severity) >= severityRank('medium')) ??
      sorted.find((f) => f.code === 'SPEND_APPROVAL_REQUIRED') ??
      sorted[0]
    );
  }
  return sorted[0];
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
