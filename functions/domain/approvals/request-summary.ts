/**
 * One flat, display-ready view of a request, shared by the decision page,
 * the inbox, digests and messages so they all show the same facts. Built
 * from the stored record; holds plain text only (renderers escape it).
 */
import type { Decision, Finding } from '../decision';
import type { GuardrailEvent } from '../events';
import type { RequestRecord } from '../records';
import type { ApproverTier } from '../policy';
import { DEFAULT_ESCALATION_CONFIG, decisionDeadline, type EscalationConfig } from './escalation';
import { formatDecimal } from '../number-format';

export interface RequestSummary {
  recordId: string;
  kind: Decision['kind'];
  /** "Dropbox Business from Dropbox" / "Okta app Dropbox connected". */
  title: string;
  vendor: string;
  product?: string;
  /** Catalogue vendor the name matched, with how sure the match is. */
  vendorMatch?: { name: string; status: string; matchedBy: string; confidence: string };
  requester: { email?: string; name?: string };
  department?: string;
  amount?: { value: number; currency: string; billingPeriod: string };
  annualised?: { value: number; currency: string };
  totalContractValue?: { value: number; currency: string };
  termMonths?: number;
  autoRenew?: boolean;
  seats?: number;
  dataClassification?: string;
  expectedSigningDate?: string;
  /** When an undecided request is marked expired (signing date, or the no-date expiry). ISO. */
  deadline?: string;
  justification?: string;
  /** App events: which identity provider, what happened, which scopes. */
  identitySource?: string;
  connectionKind?: string;
  scopes?: string[];
  adminConsent?: boolean;
  receivedAt: string;
  outcome: Decision['outcome'];
  severity: Decision['severity'];
  summary: string;
  findings: Finding[];
  /** Every distinct suggestion from the findings, in finding order. */
  suggestions: string[];
  requiredApprover?: ApproverTier;
  twoStepApproval?: boolean;
  policyVersion: string;
}

/** The email addresses behind a request (for separation of duties and requester messages). */
export function requesterEmailsOf(event: GuardrailEvent): string[] {
  if (event.kind === 'purchase-request') {
    const { email } = event.detail.requester;
    return email === undefined ? [] : [email];
  }
  const d = event.detail;
  return [d.actor.email, d.subject?.email].filter((e): e is string => typeof e === 'string' && e.length > 0);
}

/**
 * Whether the person behind a request is known, so separation of duties can
 * be checked: a purchase request names its requester; an app event only
 * when a user with an address acted (not a system, an app or nobody, nor a
 * known system account such as Okta's system@okta.com, which the evaluation
 * reports as ACTOR_UNATTRIBUTED).
 */
export function requesterIsIdentified(event: GuardrailEvent, decision?: Pick<Decision, 'findings'>): boolean {
  if (event.kind === 'purchase-request') return (event.detail.requester.email ?? '').trim() !== '';
  const { actor } = event.detail;
  if (actor.type !== 'user' || !actor.email) return false;
  return !(decision?.findings.some((f) => f.code === 'ACTOR_UNATTRIBUTED') ?? false);
}

export function requestSummaryOf(
  record: GuardrailEvent & Pick<RequestRecord, 'recordId' | 'decision' | 'receivedAt'>,
  config: EscalationConfig = DEFAULT_ESCALATION_CONFIG,
): RequestSummary {
  const decision = record.decision;
  const base = {
    recordId: record.recordId,
    kind: record.kind,
    receivedAt: record.receivedAt,
    outcome: decision.outcome,
    severity: decision.severity,
    summary: decision.summary,
    findings: decision.findings,
    suggestions: suggestionsOf(decision.findings),
    policyVersion: decision.policyVersion,
    ...(decision.requiredApprover ? { requiredApprover: decision.requiredApprover } : {}),
    ...(decision.twoStepApproval !== undefined ? { twoStepApproval: decision.twoStepApproval } : {}),
    ...(decision.vendor
      ? {
          vendorMatch: {
            name: decision.vendor.name,
            status: decision.vendor.status,
            matchedBy: decision.vendor.matchedBy,
            confidence: decision.vendor.confidence,
          },
        }
      : {}),
  };
  if (record.kind === 'purchase-request') {
    const d = record.detail;
    const deadline = decisionDeadline({ expectedSigningDate: d.expectedSigningDate, receivedAt: record.receivedAt, config });
    return {
      ...base,
      title: `${d.product ?? 'product not stated'} from ${d.vendor.name ?? d.vendor.domain ?? 'vendor not stated'}`,
      vendor: d.vendor.name ?? d.vendor.domain ?? 'vendor not stated',
      product: d.product,
      requester: { ...(d.requester.email ? { email: d.requester.email } : {}), ...(d.requester.name ? { name: d.requester.name } : {}) },
      department: d.requester.department,
      ...(d.amount
        ? {
            amount: {
              value: d.amount.value,
              currency: d.amount.currency ?? 'currency not stated',
              billingPeriod: d.billingPeriod ?? 'billing period not stated',
            },
          }
        : {}),
      ...(decision.spend
        ? {
            annualised: { value: decision.spend.annualised, currency: decision.spend.currency },
            totalContractValue: { value: decision.spend.totalContractValue, currency: decision.spend.currency },
          }
        : {}),
      ...(d.termMonths !== undefined ? { termMonths: d.termMonths } : {}),
      ...(d.autoRenew !== undefined ? { autoRenew: d.autoRenew } : {}),
      ...(d.seats !== undefined ? { seats: d.seats } : {}),
      dataClassification: d.dataClassification ?? 'not stated',
      ...(d.expectedSigningDate ? { expectedSigningDate: d.expectedSigningDate } : {}),
      ...(deadline ? { deadline: deadline.toISOString() } : {}),
      ...(d.justification ? { justification: d.justification } : {}),
    };
  }
  const d = record.detail;
  const who = d.actor.email ?? d.actor.displayName;
  const deadline = decisionDeadline({ receivedAt: record.receivedAt, config });
  return {
    ...base,
    title: `${d.app.name} connected through ${d.source}`,
    vendor: d.app.name,
    requester: {
      ...(d.actor.email ? { email: d.actor.email } : {}),
      ...(d.actor.displayName ? { name: d.actor.displayName } : who ? {} : { name: `unknown ${d.actor.type} actor` }),
    },
    ...(d.department ? { department: d.department } : {}),
    identitySource: d.source,
    connectionKind: d.connectionKind,
    ...(d.scopes ? { scopes: d.scopes } : {}),
    ...(d.adminConsent !== undefined ? { adminConsent: d.adminConsent } : {}),
    ...(deadline ? { deadline: deadline.toISOString() } : {}),
  };
}

/**
 * The order requests are shown in (inbox, digests): the soonest signing date
 * first and undated ones last, then the sooner deadline, then arrival.
 */
export function bySigningDate(a: RequestSummary, b: RequestSummary): number {
  const da = a.expectedSigningDate;
  const db = b.expectedSigningDate;
  if (da !== db) {
    if (!da) return 1;
    if (!db) return -1;
    return da < db ? -1 : 1;
  }
  const ta = a.deadline ?? '9999';
  const tb = b.deadline ?? '9999';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0;
}

/** Distinct suggestions, in the order findings list them (the most useful first). */
export function suggestionsOf(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of findings) {
    if (f.suggestion && !seen.has(f.suggestion)) {
      seen.add(f.suggestion);
      out.push(f.suggestion);
    }
  }
  return out;
}

/** "12,000.00 USD"; amounts in messages and pages use one format. */
export function formatMoney(value: number, currency: string): string {
  return `${formatDecimal(value, 2, 2)} ${currency}`;
}

/** "2026-12-01 09:00 UTC": one unambiguous format for every reader's time zone. */
export function formatInstant(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
