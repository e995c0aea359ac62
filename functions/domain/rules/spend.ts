/**
 * Spend: what the purchase costs per year in the policy's base currency, what
 * the whole contract commits, and who must approve it. Tiers compare the
 * annualised figure so a monthly and an annual quote for one thing land in
 * the same tier.
 */
import { notesFor, type PurchaseRequest } from '../events';
import type { ApproverTier, SpendTier, Vendor } from '../policy';
import { spendTiersFor, type PreparedPolicy } from '../prepared-policy';
import type { CatalogueMatch } from '../vendor-catalogue';
import { approverBelow, approverLabel, daysBetween, finding, formatMoney, plural, unusedSeats, utcDate, type RuleFinding } from './findings';

const DEFAULT_TERM_MONTHS = 12;

export interface SpendAssessment {
  /** Absent when the currency has no exchange rate: no number is better than a wrong one. */
  spend?: { annualised: number; totalContractValue: number; currency: string };
  requiredApprover: ApproverTier;
  twoStepApproval: boolean;
  findings: RuleFinding[];
}

const PERIODS_PER_YEAR = { monthly: 12, quarterly: 4, annual: 1, 'one-time': 1 } as const;

/**
 * Yearly cost in the quoted currency: one-time counts once, monthly twelve
 * times. An unknown billing period counts the amount once: it is taken as the
 * contract's total, all of it committed this year (the strict reading).
 */
export function annualise(value: number, billingPeriod: PurchaseRequest['billingPeriod']): number {
  return billingPeriod === undefined ? value : value * PERIODS_PER_YEAR[billingPeriod];
}

/**
 * Total contract value: a one-time purchase (or an amount of unknown billing
 * period) costs its price whatever the term; recurring billing runs for the
 * term (12 months assumed when none is given).
 */
export function totalContractValue(annualised: number, request: PurchaseRequest): number {
  if (request.billingPeriod === 'one-time' || request.billingPeriod === undefined) return annualised;
  return (annualised * (request.termMonths ?? DEFAULT_TERM_MONTHS)) / 12;
}

/** The first tier whose inclusive bound covers the amount; the last tier has none. */
export function tierFor(tiers: readonly SpendTier[], annualised: number): SpendTier {
  return tiers.find((t) => t.upTo === undefined || annualised <= t.upTo) ?? tiers[tiers.length - 1];
}

export function assessSpend(prepared: PreparedPolicy, request: PurchaseRequest, match: CatalogueMatch | undefined, now: Date): SpendAssessment {
  const { baseCurrency, exchangeRates } = prepared.policy.spend;
  const { tiers, overrideFor } = spendTiersFor(prepared, request.requester.department);
  const findings: RuleFinding[] = [];
  const quoted = request.amount;
  const currency = quoted?.currency;
  const rate = currency === undefined ? undefined : currency === baseCurrency ? 1 : exchangeRates[currency];

  if (quoted !== undefined && request.billingPeriod === undefined)
    findings.push(billingNotStatedFinding(quoted.value, currency, notesFor(request.intakeNotes, 'billingPeriod', 'unrecognised')[0]?.stated));
  else if (quoted !== undefined && request.billingPeriod !== 'one-time' && request.termMonths === undefined) {
    findings.push(termAssumedFinding());
  }

  let spend: SpendAssessment['spend'];
  let tier: SpendTier;
  if (quoted === undefined || rate === undefined) {
    // Unsized: route to the most senior tier rather than guess, and say why.
    tier = tiers[tiers.length - 1];
    findings.push(quoted === undefined ? amountNotStatedFinding(tier) : unknownCurrencyFinding(quoted.value, currency, baseCurrency, tier));
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
  const who = tier.twoStep ? `${approverLabel(approverBelow(approver))} then ${approverLabel(approver)} approval` : `${approverLabel(approver)} approval`;
  const term =
    request.billingPeriod === undefined
      ? "the amount taken as the contract's total"
      : request.billingPeriod === 'one-time'
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

function unknownCurrencyFinding(value: number, currency: string | undefined, base: string, tier: SpendTier): RuleFinding {
  if (currency === undefined) {
    return finding(
      'CURRENCY_UNKNOWN',
      'cost',
      'medium',
      `The request gives an amount of ${formatMoney(value, '').trim()} but no currency, so it cannot be sized; it goes to the most senior tier (${approverLabel(tier.approver)}) rather than a guess.`,
      `no currency given; sent to ${approverLabel(tier.approver)}`,
      `State the currency (e.g. ${base}).`,
    );
  }
  return finding(
    'CURRENCY_UNKNOWN',
    'cost',
    'medium',
    `The policy has no exchange rate from ${currency} to ${base}, so ${formatMoney(value, currency)} cannot be sized; it goes to the most senior tier (${approverLabel(tier.approver)}) rather than a guess.`,
    `no exchange rate for ${currency}; sent to ${approverLabel(tier.approver)}`,
    `Quote the price in ${base}, or ask IT to add a ${currency} rate to the policy.`,
  );
}

function amountNotStatedFinding(tier: SpendTier): RuleFinding {
  return finding(
    'AMOUNT_NOT_STATED',
    'cost',
    'medium',
    `The request states no amount, so the spend cannot be sized; it goes to the most senior tier (${approverLabel(tier.approver)}) rather than a guess.`,
    `no amount given; sent to ${approverLabel(tier.approver)}`,
    'Ask the requester for the price and how often it is billed.',
  );
}

function billingNotStatedFinding(value: number, currency: string | undefined, stated: string | undefined): RuleFinding {
  const amount = currency === undefined ? formatMoney(value, '').trim() : formatMoney(value, currency);
  const said =
    stated === undefined ? `The request does not say how often ${amount} is billed` : `The billing period ${JSON.stringify(stated)} was not understood`;
  return finding(
    'BILLING_PERIOD_NOT_STATED',
    'cost',
    'low',
    `${said}; ${amount} was taken as the contract's total and counted in full against this year's spend limits.`,
    `billing period not given; ${amount} taken as the total`,
    'Ask whether the amount is monthly, yearly or one-time: a recurring price would make the commitment larger.',
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
function existingAgreementFinding(vendor: Vendor, request: PurchaseRequest, prepared: PreparedPolicy, now: Date): RuleFinding | undefined {
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
