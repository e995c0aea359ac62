/**
 * The guardrail's purchase-request rules as Cedar policies, the policy
 * language AWS itself uses (Amazon Verified Permissions), so the benchmark
 * can compare our evaluator with it on the same requests.
 *
 * How a Cedar user would write them, and how this does:
 * - Every finding is a `forbid` policy whose id is the finding code; a code
 *   whose severity depends on the case has one policy per severity
 *   (`VENDOR_UNKNOWN/critical`), and each spend tier that needs an approver
 *   is its own policy (`SPEND_APPROVAL_REQUIRED/<tier set>/<tier>`). One
 *   `permit` lets everything else through. Cedar reports every satisfied
 *   forbid in `diagnostics.reason`, so the reasons are the findings; the
 *   severity and approver of each policy are kept beside it (what a Cedar
 *   user keeps in annotations), read when the policy set is built.
 * - The principal is the requester (its department, normalised), the
 *   resource the catalogue vendor (status, security review, DPA, SSO, SCIM,
 *   approved classification, agreement), the rest of the request is context.
 *   Optional facts are optional attributes tested with `has`, as Cedar
 *   intends. Money is in whole cents (Cedar numbers are 64-bit integers),
 *   dates are day numbers.
 * - What Cedar cannot express is computed in code, as for the json-rules-engine
 *   peer: the catalogue lookup (our VendorCatalogue, so both sides match the
 *   same vendor), category inference from keywords, the annualised spend in
 *   the base currency, day differences, department normalisation.
 */
import { DATA_CLASSIFICATIONS, type DataClassification } from '../../../functions/domain/events';
import type { ApproverTier, Severity, SpendTier } from '../../../functions/domain/policy';
import type { PreparedPolicy } from '../../../functions/domain/prepared-policy';
import { nameKey } from '../../../functions/domain/vendor-catalogue';
import { APPROVAL_SEVERITY } from '../decision';

export const NAMESPACE = 'Guardrail';
export const PURCHASE_ACTION = { type: `${NAMESPACE}::Action`, id: 'purchase' };
/** The id of the one permit policy (not a finding). */
export const BASE_POLICY_ID = 'base';

/** What a policy means when Cedar names it among the reasons. */
export interface PolicyMeaning {
  code: string;
  severity: Severity;
  /** Set on spend policies: the approver the tier requires. */
  approver?: ApproverTier;
}

export interface CedarRules {
  /** Policy id → Cedar text. */
  policies: Record<string, string>;
  meanings: Map<string, PolicyMeaning>;
}

/** A Cedar string literal (Cedar escapes like Rust: `\u{…}`, not JSON's `\uXXXX`). */
export function cedarString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}"`;
}

const set = (values: readonly string[]) => `[${values.map(cedarString).join(', ')}]`;

export function compileCedarPolicies(prepared: PreparedPolicy): CedarRules {
  const { policy } = prepared;
  const policies: Record<string, string> = {};
  const meanings = new Map<string, PolicyMeaning>();
  const forbid = (id: string, meaning: PolicyMeaning, ...conditions: string[]) => {
    if (policies[id]) throw new Error(`two Cedar policies with id ${id}`);
    policies[id] = `forbid (principal, action == ${NAMESPACE}::Action::"purchase", resource)\nwhen { ${conditions.join(' && ')} };`;
    meanings.set(id, meaning);
  };
  const known = 'resource.status != "unknown"';
  const classificationIn = (levels: readonly DataClassification[]) => `${set(levels)}.contains(context.classification)`;

  forbid(
    'CATEGORY_UNKNOWN',
    { code: 'CATEGORY_UNKNOWN', severity: 'low' },
    'context has explicitCategory',
    `!${set(policy.categories.map((c) => c.id))}.contains(context.explicitCategory)`,
  );

  // Vendor status.
  forbid('VENDOR_PROHIBITED', { code: 'VENDOR_PROHIBITED', severity: 'critical' }, 'resource.status == "prohibited"');
  forbid('VENDOR_RESTRICTED', { code: 'VENDOR_RESTRICTED', severity: 'high' }, 'resource.status == "restricted"');
  forbid('VENDOR_TOLERATED', { code: 'VENDOR_TOLERATED', severity: 'low' }, 'resource.status == "tolerated"');
  forbid('VENDOR_MATCH_UNCERTAIN', { code: 'VENDOR_MATCH_UNCERTAIN', severity: 'info' }, 'context.vendorConfidence == "medium"');
  // "Did you mean …?": a name a typo away from a catalogue entry, treated as unknown; its severity is the lookup's.
  for (const severity of ['medium', 'high'] as const) {
    forbid(`VENDOR_MATCH_UNCERTAIN/${severity}`, { code: 'VENDOR_MATCH_UNCERTAIN', severity }, `context.suggestionSeverity == "${severity}"`);
  }
  forbid('VENDOR_PRODUCT_MISMATCH', { code: 'VENDOR_PRODUCT_MISMATCH', severity: 'medium' }, 'context.vendorProductMismatch');
  const unknownSeverity = new Map<Severity, DataClassification[]>();
  for (const classification of DATA_CLASSIFICATIONS) {
    const rule = policy.dataClassification[classification];
    const sensitive = classification === 'confidential' || classification === 'restricted';
    const severity: Severity = rule.blockUnknownVendor ? 'critical' : sensitive ? 'high' : 'medium';
    unknownSeverity.set(severity, [...(unknownSeverity.get(severity) ?? []), classification]);
  }
  for (const [severity, levels] of unknownSeverity) {
    forbid(`VENDOR_UNKNOWN/${severity}`, { code: 'VENDOR_UNKNOWN', severity }, 'resource.status == "unknown"', classificationIn(levels));
  }

  // Duplicate capability: the categories that review duplicates and have a sanctioned vendor.
  const duplicates = policy.categories.filter((c) => c.duplicates === 'review' && prepared.catalogue.sanctionedIn(c.id).length > 0).map((c) => c.id);
  if (duplicates.length > 0) {
    forbid(
      'DUPLICATE_CAPABILITY',
      { code: 'DUPLICATE_CAPABILITY', severity: 'medium' },
      'resource.status != "sanctioned"',
      'context has resolvedCategory',
      `${set(duplicates)}.contains(context.resolvedCategory)`,
    );
  }

  // Spend: each tier of the defaults and of every department override that needs an approver.
  forbid('TERM_NOT_STATED', { code: 'TERM_NOT_STATED', severity: 'info' }, 'context.billingPeriod != "one-time"', '!(context has termMonths)');
  const knownCurrencies = [policy.spend.baseCurrency, ...Object.keys(policy.spend.exchangeRates)];
  const overrideKeys: string[] = [];
  const tierSets: { department: string; tiers: SpendTier[] }[] = [];
  for (const override of policy.spend.departmentOverrides) {
    const key = nameKey(override.department);
    if (overrideKeys.includes(key)) continue; // the first override of a department wins, as in preparePolicy
    overrideKeys.push(key);
    tierSets.push({ department: `principal.department == ${cedarString(key)}`, tiers: override.tiers });
  }
  tierSets.push({ department: overrideKeys.length > 0 ? `!${set(overrideKeys)}.contains(principal.department)` : 'true', tiers: policy.spend.tiers });
  tierSets.forEach(({ department, tiers }, s) => {
    const senior = tiers[tiers.length - 1];
    // An unknown currency cannot be converted: the most senior tier decides (as ours does).
    forbid(
      `CURRENCY_UNKNOWN/${s}`,
      { code: 'CURRENCY_UNKNOWN', severity: 'medium', approver: senior.approver },
      department,
      `!${set(knownCurrencies)}.contains(context.currency)`,
    );
    tiers.forEach((tier, t) => {
      if (tier.approver === 'none') return;
      const bounds = ['context has annualisedCents'];
      if (t > 0 && tiers[t - 1].upTo !== undefined) bounds.push(`context.annualisedCents > ${Math.round(tiers[t - 1].upTo! * 100)}`);
      if (t < tiers.length - 1 && tier.upTo !== undefined) bounds.push(`context.annualisedCents <= ${Math.round(tier.upTo * 100)}`);
      forbid(
        `SPEND_APPROVAL_REQUIRED/${s}/${t}`,
        { code: 'SPEND_APPROVAL_REQUIRED', severity: APPROVAL_SEVERITY[tier.approver], approver: tier.approver },
        department,
        ...bounds,
      );
    });
  });
  forbid('EXISTING_AGREEMENT', { code: 'EXISTING_AGREEMENT', severity: 'info' }, 'resource.status == "sanctioned"', 'resource.agreementType == "enterprise"');

  // Data classification: what each level demands of a catalogued vendor.
  const levelsRequiring = (requirement: 'requireSecurityReview' | 'requireDpa' | 'requireSso' | 'requireScim') =>
    DATA_CLASSIFICATIONS.filter((c) => policy.dataClassification[c][requirement]);
  const review = levelsRequiring('requireSecurityReview');
  if (review.length > 0) {
    forbid(
      'SECURITY_REVIEW_MISSING/high',
      { code: 'SECURITY_REVIEW_MISSING', severity: 'high' },
      classificationIn(review),
      known,
      '["none", "rejected"].contains(resource.reviewStatus)',
    );
    forbid(
      'SECURITY_REVIEW_MISSING/medium',
      { code: 'SECURITY_REVIEW_MISSING', severity: 'medium' },
      classificationIn(review),
      known,
      'resource.reviewStatus == "pending"',
    );
    forbid(
      'SECURITY_REVIEW_EXPIRED',
      { code: 'SECURITY_REVIEW_EXPIRED', severity: 'medium' },
      classificationIn(review),
      known,
      'resource.reviewStatus == "approved"',
      'resource has reviewExpiresDay',
      'resource.reviewExpiresDay < context.today',
    );
  }
  const requirement = (code: string, levels: readonly DataClassification[], severity: Severity, attribute: string) => {
    if (levels.length > 0) forbid(code, { code, severity }, classificationIn(levels), known, `resource.${attribute} == false`);
  };
  requirement('DPA_MISSING', levelsRequiring('requireDpa'), 'high', 'dpaSigned');
  requirement('SSO_UNSUPPORTED', levelsRequiring('requireSso'), 'medium', 'ssoSupported');
  requirement('SCIM_UNSUPPORTED', levelsRequiring('requireScim'), 'medium', 'scimSupported');
  forbid(
    'DATA_CLASSIFICATION_EXCEEDS_APPROVAL',
    { code: 'DATA_CLASSIFICATION_EXCEEDS_APPROVAL', severity: 'high' },
    known,
    'resource has approvedRank',
    'context.classificationRank > resource.approvedRank',
  );

  // Contract terms.
  const { contracts } = policy;
  if (contracts.flagAutoRenew) forbid('AUTO_RENEWAL', { code: 'AUTO_RENEWAL', severity: 'low' }, 'context.autoRenew');
  forbid('LONG_TERM', { code: 'LONG_TERM', severity: 'medium' }, 'context has termMonths', `context.termMonths > ${contracts.maxTermMonths}`);
  forbid('SIGNING_DATE_PASSED', { code: 'SIGNING_DATE_PASSED', severity: 'medium' }, 'context has signingInDays', 'context.signingInDays < 0');
  forbid(
    'SIGNING_DATE_SOON',
    { code: 'SIGNING_DATE_SOON', severity: 'low' },
    'context has signingInDays',
    'context.signingInDays >= 0',
    `context.signingInDays < ${contracts.minLeadTimeDays}`,
  );

  policies[BASE_POLICY_ID] = 'permit (principal, action, resource);';
  return { policies, meanings };
}
