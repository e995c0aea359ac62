/**
 * Spend: what the purchase costs per year in the policy's base currency, what
 * the whole contract commits, and who must approve it. Tiers compare the
 * annualised figure so a monthly and an annual quote for one thing land in
 * the same tier.
 */
import type { PurchaseRequest } from '../events';
import type { ApproverTier, SpendTier, Vendor } from '../policy';
import { spendTiersFor, type PreparedPolicy } from '../prepared-policy';
import type { CatalogueMatch } from '../vendor-catalogue';
import {
  approverBelow,
  approverLabel,
  daysBetween,
  finding,
  formatMoney,
  plural,
  unusedSeats,
  utcDate,
  type RuleFinding,
} from './findings';

const DEFAULT_TERM_MONTHS = 12;

export interface SpendAssessment {
  /** Absent when the currency has no exchange rate: no number is better than a wrong one. */
  spend?: { annualised: number; totalContractValue: number; currency: string };
  requiredApprover: ApproverTier;
  twoStepApproval: boolean;
  findings: RuleFinding[];
}

/** Yearly cost in the quoted currency: one-time counts once, monthly twelve times. */
export function annualise(value: number, billingPeriod: PurchaseRequest['billingPeriod']): number {
  return billingPeriod === 'monthly' ? value * 12 : value;
}

/**
 * Total contract value: a one-time purchase costs its price whatever the term;
 * recurring billing runs for the term (12 months assumed when none is given).
 */
export function totalContractValue(annualised: number, request: PurchaseRequest): number {
  if (request.billingPeriod === 'one-time') return annualised;
  return (annualised * (request.termMonths ?? DEFAULT_TERM_MONTHS)) / 12;
}

/** The first tier whose inclusive bound covers the amount; the last tier has none. */
export function tierFor(tiers: readonly SpendTier[], annualised: number): SpendTier {
  return tiers.find((t) => t.upTo === undefined || annualised <= t.upTo) ?? tiers[tiers.length - 1];
}

export function assessSpend(
  prepared: PreparedPolicy,
  request: PurchaseRequest,
  match: CatalogueMatch | undefined,
  now: Date,
): SpendAssessment {
  const { baseCurrency, exchangeRates } = prepared.policy.spend;
  const { tiers, overrideFor } = spendTiersFor(prepared, request.requester.department);
  const findings: RuleFinding[] = [];
  const quoted = request.amount;
  const rate = quoted.currency === baseCurrency ? 1 : exchangeRates[quoted.currency];

  if (request.billingPeriod !== 'one-time' && request.termMonths === undefined) {
    findings.push(termAssumedFinding());
  }

  let spend: SpendAssessment['spend'];
  let tier: SpendTier;
  if (rate === undefined) {
    // Unconvertible: route to the most senior tier rather than size it from a number in another currency.
    tier = tiers[tiers.length - 1];
    findings.push(unknownCurrencyFinding(quoted.value, quoted.currency, baseCurrency, tier));
  } else {
    const annualised = round2(annualise(quoted.value, request.billingPeriod) * rate);
    spend = { annualised, totalContractValue: round2(totalContractValue(annualised, request)), currency: baseCurrency };
    tier = tierFor(tiers, annualised);
    if (tier.approver !== 'none') findings.push(approvalFinding(spend, tier, request, overrideFor));
  }

  const agreement = match ? existingAgreementFinding(match.vendor, request, prepared, now) : undefined;
  if (agreement) findings.push(agreement);

  return {
    spend,
    requiredApprover: tier.approver,
    twoStepApproval: tier.approver !== 'none' && tier.twoStep,
    findings,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const APPROVAL_SEVERITY = { 'it-manager': 'low', 'it-director': 'medium', cio: 'high' } as const;

function approvalFinding(
  spend: NonNullable<SpendAssessment['spend']>,
  tier: SpendTier,
  request: PurchaseRequest,
  overrideFor: string | undefined,
): RuleFinding {
  const approver = tier.approver as Exclude<ApproverTier, 'none'>;
  const who = tier.twoStep
    ? `${approverLabel(approverBelow(approver))} then ${approverLabel(approver)} approval`
    : `${approverLabel(approver)} approval`;
  const term =
    request.billingPeriod === 'one-time'
      ? 'one-time purchase'
      : `total contract value ${formatMoney(spend.totalContractValue, spend.currency)} over ${plural(request.termMonths ?? DEFAULT_TERM_MONTHS, 'month')}`;
  const limits = overrideFor === undefined ? 'the standard spend limits' : `${overrideFor}'s spend limits`;
  return finding(
    'SPEND_APPROVAL_REQUIRED',
    'cost',
    APPROVAL_SEVERITY[approver],
    `Annualised spend of ${formatMoney(spend.annualised, spend.currency)} (${term}) needs ${who} under ${limits}.`,
    `${who} needed for ${formatMoney(spend.annualised, spend.currency)} a year`,
  );
}

function unknownCurrencyFinding(value: number, currency: string, base: string, tier: SpendTier): RuleFinding {
  return finding(
    'CURRENCY_UNKNOWN',
    'cost',
    'medium',
    `The policy has no exchange rate from ${currency} to ${base}, so ${formatMoney(value, currency)} cannot be sized; it goes to the most senior tier (${approverLabel(tier.approver)}) rather than a guess.`,
    `no exchange rate for ${currency}; sent to ${approverLabel(tier.approver)}`,
    `Quote the price in ${base}, or ask IT to add a ${currency} rate to the policy.`,
  );
}

function termAssumedFinding(): RuleFinding {
  return finding(
    'TERM_NOT_STATED',
    'cost',
    'info',
    `No contract term was given; the total contract value assumes ${DEFAULT_TERM_MONTHS} months.`,
    `term assumed to be ${DEFAULT_TERM_MONTHS} months`,
    'State the term in months so the commitment is known before signing.',
  );
}

/** Buying more of a sanctioned tool under its enterprise agreement beats a second contract. */
function existingAgreementFinding(
  vendor: Vendor,
  request: PurchaseRequest,
  prepared: PreparedPolicy,
  now: Date,
): RuleFinding | undefined {
  const agreement = vendor.agreement;
  if (vendor.status !== 'sanctioned' || agreement?.type !== 'enterprise') return undefined;
  const unused = unusedSeats(vendor);
  const parts: string[] = [];
  if (agreement.seats !== undefined) parts.push(`${plural(agreement.seats, 'seat')}`);
  if (unused !== undefined) parts.push(`${unused} unused`);
  const seatText = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  const owner = agreement.owner ? `; owner ${agreement.owner}` : '';

  let renewal = '';
  if (agreement.renewalDate) {
    const days = daysBetween(utcDate(now), agreement.renewalDate);
    const soon = days >= 0 && days <= prepared.policy.contracts.renewalNoticeDays;
    renewal = `; it renews on ${agreement.renewalDate}${soon ? ` (in ${plural(days, 'day')}: align this purchase with the renewal)` : ''}`;
  }
  const covered =
    request.seats !== undefined && unused !== undefined && request.seats <= unused
      ? ` The ${unused} unused seats already cover the ${request.seats} requested.`
      : '';
  return finding(
    'EXISTING_AGREEMENT',
    'cost',
    'info',
    `${vendor.name} already has an enterprise agreement${seatText}.${covered}`,
    `add seats under the existing ${vendor.name} enterprise agreement`,
    `Add seats under the existing ${vendor.name} enterprise agreement instead of signing a new contract${owner}${renewal}.`,
  );
}
