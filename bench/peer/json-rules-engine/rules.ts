/**
 * The guardrail's purchase-request rules written for json-rules-engine, the
 * JSON rules engine a Node team would reach for, so the benchmark can say how
 * our evaluator compares with the obvious alternative on the same requests.
 *
 * How a team would do it, and how this does it (the peer's best shot):
 * - Rules are generated from the policy once and the Engine is built once
 *   and reused for every request (building it per request would be unfair).
 * - Everything that is a condition on values is a rule: vendor status, the
 *   unknown-vendor severity per data classification, duplicate capability,
 *   every spend tier of the default and of each department override, unknown
 *   currencies, each data-classification requirement, approval level,
 *   auto-renewal, term length, signing dates.
 * - What json-rules-engine cannot express is computed in the facts, as a
 *   team would: the catalogue lookup (name, alias, domain and normalised-name
 *   matching is a Map lookup, not a condition; it uses our VendorCatalogue so
 *   both sides match the same vendor), category inference from keywords, the
 *   annualised spend in the base currency (arithmetic), day differences for
 *   signing and review dates, and string normalisation of department names.
 *   Absent optional numbers become sentinels (term 0, signing in 1e9 days)
 *   because JSON has no `undefined` to compare with.
 * - Conditions that rule most rules out (department, classification) carry a
 *   higher condition priority, so the engine short-circuits on them first.
 *
 * The peer produces outcome, finding codes and the required approver; ours
 * also writes every message, suggestion and the summary (more work). The
 * benchmark asserts both decide the same for every request.
 */
import { Engine, type Event, type NestedCondition, type RuleProperties } from 'json-rules-engine';
import { DATA_CLASSIFICATIONS, type PurchaseRequest } from '../../../functions/domain/events';
import type { ApproverTier, Policy, Severity, SpendTier } from '../../../functions/domain/policy';
import type { PreparedPolicy } from '../../../functions/domain/prepared-policy';
import { purchaseVendorIdentity } from '../../../functions/domain/rules/vendor-identity';
import { resolveCategory } from '../../../functions/domain/rules/category';
import { annualise } from '../../../functions/domain/rules/spend';
import { nameKey } from '../../../functions/domain/vendor-catalogue';
import { APPROVAL_SEVERITY, peerDecision, type PeerDecision } from '../decision';

export type { PeerDecision };

/** Facts a rule reads; see the module comment for which are computed in code and why. */
export interface PurchaseFacts {
  vendorStatus: 'sanctioned' | 'tolerated' | 'restricted' | 'prohibited' | 'unknown';
  vendorConfidence: 'exact' | 'high' | 'medium' | 'low' | 'none';
  /** Severity of a "did you mean …?" (a typo match treated as unknown), else none. */
  suggestionSeverity: Severity | 'none';
  /** Vendor and product point to different catalogue companies. */
  vendorProductMismatch: boolean;
  vendorReviewStatus: 'approved' | 'pending' | 'rejected' | 'none';
  vendorReviewExpiresDay: number;
  vendorDpaSigned: boolean;
  vendorSsoSupported: boolean;
  vendorScimSupported: boolean;
  vendorApprovedRank: number;
  vendorAgreementType: string;
  resolvedCategory: string;
  explicitCategoryKey: string;
  classification: string;
  classificationRank: number;
  currency: string;
  annualised?: number;
  departmentKey: string;
  billingPeriod: string;
  termMonths: number;
  autoRenew: boolean;
  signingInDays: number;
  todayDay: number;
}

const NEVER = 1e9;
const DAY_MS = 86_400_000;
/** Department/classification conditions decide whether a rule can apply at all: evaluate them first. */
const SELECTIVE = 10;

type Condition = NestedCondition;

const fact = (name: keyof PurchaseFacts, operator: string, value: unknown, priority?: number): Condition =>
  (priority === undefined ? { fact: name, operator, value } : { fact: name, operator, value, priority }) as Condition;

function findingRule(name: string, code: string, severity: Severity, all: Condition[]): RuleProperties {
  return { name, conditions: { all }, event: { type: 'finding', params: { code, severity } } };
}

/** The rules for one policy. Exported so tests can count and inspect them. */
export function compilePolicyRules(prepared: PreparedPolicy): RuleProperties[] {
  const { policy } = prepared;
  const rules: RuleProperties[] = [];
  const known = fact('vendorStatus', 'notEqual', 'unknown', SELECTIVE);

  // Category named in the request but not defined by the policy.
  rules.push(
    findingRule('category-unknown', 'CATEGORY_UNKNOWN', 'low', [
      fact('explicitCategoryKey', 'notEqual', ''),
      fact(
        'explicitCategoryKey',
        'notIn',
        policy.categories.map((c) => c.id),
      ),
    ]),
  );

  // Vendor status.
  rules.push(findingRule('vendor-prohibited', 'VENDOR_PROHIBITED', 'critical', [fact('vendorStatus', 'equal', 'prohibited')]));
  rules.push(findingRule('vendor-restricted', 'VENDOR_RESTRICTED', 'high', [fact('vendorStatus', 'equal', 'restricted')]));
  rules.push(findingRule('vendor-tolerated', 'VENDOR_TOLERATED', 'low', [fact('vendorStatus', 'equal', 'tolerated')]));
  rules.push(findingRule('vendor-uncertain', 'VENDOR_MATCH_UNCERTAIN', 'info', [fact('vendorConfidence', 'equal', 'medium')]));
  for (const severity of ['medium', 'high'] as const) {
    rules.push(findingRule(`vendor-did-you-mean-${severity}`, 'VENDOR_MATCH_UNCERTAIN', severity, [fact('suggestionSeverity', 'equal', severity)]));
  }
  rules.push(findingRule('vendor-product-mismatch', 'VENDOR_PRODUCT_MISMATCH', 'medium', [fact('vendorProductMismatch', 'equal', true)]));
  for (const classification of DATA_CLASSIFICATIONS) {
    const rule = policy.dataClassification[classification];
    const sensitive = classification === 'confidential' || classification === 'restricted';
    const severity: Severity = rule.blockUnknownVendor ? 'critical' : sensitive ? 'high' : 'medium';
    rules.push(
      findingRule(`vendor-unknown-${classification}`, 'VENDOR_UNKNOWN', severity, [
        fact('classification', 'equal', classification, SELECTIVE),
        fact('vendorStatus', 'equal', 'unknown'),
      ]),
    );
  }

  // Duplicate capability: the categories that review duplicates and have a sanctioned vendor.
  const duplicateCategories = policy.categories.filter((c) => c.duplicates === 'review' && prepared.catalogue.sanctionedIn(c.id).length > 0).map((c) => c.id);
  rules.push(
    findingRule('duplicate-capability', 'DUPLICATE_CAPABILITY', 'medium', [
      fact('vendorStatus', 'notEqual', 'sanctioned'),
      fact('resolvedCategory', 'in', duplicateCategories),
    ]),
  );

  // Spend: a rule per tier of the defaults and of every department override.
  rules.push(findingRule('term-not-stated', 'TERM_NOT_STATED', 'info', [fact('billingPeriod', 'notEqual', 'one-time'), fact('termMonths', 'equal', 0)]));
  const knownCurrencies = [policy.spend.baseCurrency, ...Object.keys(policy.spend.exchangeRates)];
  const overrideKeys: string[] = [];
  const tierSets: { label: string; department: Condition; tiers: SpendTier[] }[] = [];
  for (const override of policy.spend.departmentOverrides) {
    const key = nameKey(override.department);
    if (overrideKeys.includes(key)) continue; // the first override of a department wins, as in preparePolicy
    overrideKeys.push(key);
    tierSets.push({ label: key, department: fact('departmentKey', 'equal', key, SELECTIVE), tiers: override.tiers });
  }
  tierSets.push({ label: 'default', department: fact('departmentKey', 'notIn', overrideKeys, SELECTIVE), tiers: policy.spend.tiers });
  for (const set of tierSets) {
    const senior = set.tiers[set.tiers.length - 1];
    rules.push({
      name: `currency-unknown-${set.label}`,
      conditions: { all: [set.department, fact('currency', 'notIn', knownCurrencies)] },
      event: { type: 'spend', params: { code: 'CURRENCY_UNKNOWN', severity: 'medium', approver: senior.approver, twoStep: senior.twoStep } },
    });
    set.tiers.forEach((tier, i) => {
      const bounds: Condition[] = [i === 0 ? fact('annualised', 'greaterThanInclusive', 0) : fact('annualised', 'greaterThan', set.tiers[i - 1].upTo)];
      if (tier.upTo !== undefined) bounds.push(fact('annualised', 'lessThanInclusive', tier.upTo));
      rules.push({
        name: `spend-${set.label}-${i}`,
        conditions: { all: [set.department, ...bounds] },
        event: { type: 'spend', params: { approver: tier.approver, twoStep: tier.twoStep } },
      });
    });
  }
  rules.push(
    findingRule('existing-agreement', 'EXISTING_AGREEMENT', 'info', [
      fact('vendorStatus', 'equal', 'sanctioned', SELECTIVE),
      fact('vendorAgreementType', 'equal', 'enterprise'),
    ]),
  );

  // Data classification: what each level demands of a catalogued vendor.
  for (const classification of DATA_CLASSIFICATIONS) {
    const rule = policy.dataClassification[classification];
    const level = fact('classification', 'equal', classification, SELECTIVE);
    const at = (name: string) => `${name}-${classification}`;
    if (rule.requireSecurityReview) {
      rules.push(findingRule(at('review-none'), 'SECURITY_REVIEW_MISSING', 'high', [level, known, fact('vendorReviewStatus', 'equal', 'none')]));
      rules.push(findingRule(at('review-pending'), 'SECURITY_REVIEW_MISSING', 'medium', [level, known, fact('vendorReviewStatus', 'equal', 'pending')]));
      rules.push(findingRule(at('review-rejected'), 'SECURITY_REVIEW_MISSING', 'high', [level, known, fact('vendorReviewStatus', 'equal', 'rejected')]));
      rules.push(
        findingRule(at('review-expired'), 'SECURITY_REVIEW_EXPIRED', 'medium', [
          level,
          known,
          fact('vendorReviewStatus', 'equal', 'approved'),
          fact('vendorReviewExpiresDay', 'lessThan', { fact: 'todayDay' }),
        ]),
      );
    }
    if (rule.requireDpa) rules.push(findingRule(at('dpa'), 'DPA_MISSING', 'high', [level, known, fact('vendorDpaSigned', 'equal', false)]));
    if (rule.requireSso) rules.push(findingRule(at('sso'), 'SSO_UNSUPPORTED', 'medium', [level, known, fact('vendorSsoSupported', 'equal', false)]));
    if (rule.requireScim) rules.push(findingRule(at('scim'), 'SCIM_UNSUPPORTED', 'medium', [level, known, fact('vendorScimSupported', 'equal', false)]));
  }
  rules.push(
    findingRule('approval-exceeded', 'DATA_CLASSIFICATION_EXCEEDS_APPROVAL', 'high', [
      known,
      fact('vendorApprovedRank', 'greaterThanInclusive', 0),
      fact('classificationRank', 'greaterThan', { fact: 'vendorApprovedRank' }),
    ]),
  );

  // Contract terms.
  const { contracts } = policy;
  if (contracts.flagAutoRenew) rules.push(findingRule('auto-renewal', 'AUTO_RENEWAL', 'low', [fact('autoRenew', 'equal', true)]));
  rules.push(findingRule('long-term', 'LONG_TERM', 'medium', [fact('termMonths', 'greaterThan', contracts.maxTermMonths)]));
  rules.push(findingRule('signing-passed', 'SIGNING_DATE_PASSED', 'medium', [fact('signingInDays', 'lessThan', 0)]));
  rules.push(
    findingRule('signing-soon', 'SIGNING_DATE_SOON', 'low', [
      fact('signingInDays', 'greaterThanInclusive', 0),
      fact('signingInDays', 'lessThan', contracts.minLeadTimeDays),
    ]),
  );
  return rules;
}

/** The facts for one request: the catalogue lookup, category, spend and dates computed in code. */
export function purchaseFacts(prepared: PreparedPolicy, request: PurchaseRequest, now: Date): PurchaseFacts {
  const stated = statedFacts(request);
  // Which entry a request is about is a lookup, not a condition: computed in code, as a team would.
  const identity = purchaseVendorIdentity(prepared.catalogue, request);
  const match = identity.match;
  const uncertain = identity.findings.find((f) => f.code === 'VENDOR_MATCH_UNCERTAIN');
  const category = resolveCategory(prepared, {
    explicit: request.category,
    match,
    keywordText: `${request.product} ${request.vendor.name}`,
  });
  const vendor = match?.vendor;
  const { baseCurrency, exchangeRates } = prepared.policy.spend;
  const rate = stated.currency === baseCurrency ? 1 : exchangeRates[stated.currency];
  const today = dayNumber(now.toISOString().slice(0, 10));
  const facts: PurchaseFacts = {
    vendorStatus: match?.status ?? 'unknown',
    vendorConfidence: match?.confidence ?? 'none',
    suggestionSeverity: uncertain?.severity ?? 'none',
    vendorProductMismatch: identity.findings.some((f) => f.code === 'VENDOR_PRODUCT_MISMATCH'),
    vendorReviewStatus: vendor?.securityReview?.status ?? 'none',
    vendorReviewExpiresDay: vendor?.securityReview?.expiresOn ? dayNumber(vendor.securityReview.expiresOn) : NEVER,
    vendorDpaSigned: vendor?.dpaSigned ?? false,
    vendorSsoSupported: vendor?.ssoSupported ?? false,
    vendorScimSupported: vendor?.scimSupported ?? false,
    vendorApprovedRank: vendor?.approvedDataClassification ? DATA_CLASSIFICATIONS.indexOf(vendor.approvedDataClassification) : -1,
    vendorAgreementType: vendor?.agreement?.type ?? 'none',
    resolvedCategory: category.resolved?.category.id ?? '',
    explicitCategoryKey: request.category?.trim().toLowerCase() ?? '',
    classification: stated.classification,
    classificationRank: DATA_CLASSIFICATIONS.indexOf(stated.classification),
    currency: stated.currency,
    departmentKey: nameKey(stated.department),
    billingPeriod: stated.billingPeriod,
    termMonths: request.termMonths ?? 0,
    autoRenew: request.autoRenew === true,
    signingInDays: request.expectedSigningDate ? dayNumber(request.expectedSigningDate) - today : NEVER,
    todayDay: today,
  };
  if (rate !== undefined) facts.annualised = Math.round(annualise(stated.value, stated.billingPeriod) * rate * 100) / 100;
  return facts;
}

/**
 * The peer covers requests that state every fact (the benchmark generates
 * only those); the rules for missing facts are ours alone.
 */
function statedFacts(request: PurchaseRequest) {
  const { amount, dataClassification, billingPeriod, requester } = request;
  if (!amount?.currency || !dataClassification || !billingPeriod || !requester.department) {
    throw new Error(`peer: request ${request.requestId} leaves a fact out; the peer compares only complete requests`);
  }
  return { value: amount.value, currency: amount.currency, classification: dataClassification, billingPeriod, department: requester.department };
}

/** Outcome, codes and approver from the events the engine fired (the same outcome rule as ours). */
export function decisionFromEvents(events: readonly Event[]): PeerDecision {
  const findings: { code: string; severity: Severity }[] = [];
  let requiredApprover: ApproverTier = 'none';
  for (const event of events) {
    const params = event.params as { code?: string; severity?: Severity; approver?: ApproverTier };
    if (event.type === 'spend') {
      requiredApprover = params.approver ?? 'none';
      if (params.code) findings.push({ code: params.code, severity: params.severity ?? 'info' });
      else if (requiredApprover !== 'none') findings.push({ code: 'SPEND_APPROVAL_REQUIRED', severity: APPROVAL_SEVERITY[requiredApprover] });
    } else if (params.code && params.severity) {
      findings.push({ code: params.code, severity: params.severity });
    }
  }
  return peerDecision(findings, requiredApprover);
}

/** The peer evaluator: one Engine per policy, reused for every request. */
export class JsonRulesEnginePeer {
  private readonly engine: Engine;
  readonly ruleCount: number;

  constructor(private readonly prepared: PreparedPolicy) {
    const rules = compilePolicyRules(prepared);
    this.ruleCount = rules.length;
    this.engine = new Engine(rules, { allowUndefinedFacts: true });
  }

  async evaluate(request: PurchaseRequest, now: Date): Promise<PeerDecision> {
    const { events } = await this.engine.run(purchaseFacts(this.prepared, request, now) as unknown as Record<string, unknown>);
    return decisionFromEvents(events);
  }
}

function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

/** For documentation: the policy a peer was compiled from has this many override departments. */
export function overrideCount(policy: Policy): number {
  return new Set(policy.spend.departmentOverrides.map((o) => nameKey(o.department))).size;
}
