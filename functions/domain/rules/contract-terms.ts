/**
 * Contract terms worth a second look before signing: auto-renewal without an
 * owner, commitments beyond a budget year, and signing dates that leave IT no
 * time (or have already passed).
 */
import type { PurchaseRequest } from '../events';
import type { Policy } from '../policy';
import { daysBetween, finding, plural, utcDate, type RuleFinding } from './findings';

export function contractTermFindings(request: PurchaseRequest, contracts: Policy['contracts'], now: Date): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (request.autoRenew === true && contracts.flagAutoRenew) {
    findings.push(
      finding(
        'AUTO_RENEWAL',
        'cost',
        'low',
        'The contract renews automatically unless cancelled in time.',
        'the contract renews automatically',
        `Name a renewal owner and set a reminder ${contracts.renewalNoticeDays} days before the renewal date, or negotiate renewal on request.`,
      ),
    );
  }
  if (request.termMonths !== undefined && request.termMonths > contracts.maxTermMonths) {
    findings.push(
      finding(
        'LONG_TERM',
        'cost',
        'medium',
        `A ${request.termMonths}-month term exceeds the ${contracts.maxTermMonths}-month limit and commits money beyond one budget cycle.`,
        `${request.termMonths}-month term exceeds the ${contracts.maxTermMonths}-month limit`,
        `Ask for a ${contracts.maxTermMonths}-month term, or justify the multi-year discount.`,
      ),
    );
  }
  const signing = signingDateFinding(request.expectedSigningDate, contracts.minLeadTimeDays, now);
  if (signing) findings.push(signing);
  return findings;
}

function signingDateFinding(date: string | undefined, minLeadTimeDays: number, now: Date): RuleFinding | undefined {
  if (date === undefined) return undefined;
  const days = daysBetween(utcDate(now), date);
  if (days < 0) {
    return finding(
      'SIGNING_DATE_PASSED',
      'compliance',
      'medium',
      `The expected signing date ${date} has already passed; the contract may have been signed without IT's checks.`,
      `signing date ${date} has passed`,
      'Confirm whether the contract is signed; if not, give a new signing date.',
    );
  }
  if (days < minLeadTimeDays) {
    return finding(
      'SIGNING_DATE_SOON',
      'compliance',
      'low',
      `Signing is planned for ${date}, ${days === 0 ? 'today' : `in ${plural(days, 'day')}`}; IT needs ${plural(minLeadTimeDays, 'day')} for its checks.`,
      `signing on ${date} leaves IT under ${plural(minLeadTimeDays, 'day')}`,
      `Move signing to ${plural(minLeadTimeDays, 'day')} from now or later if the checks are not done in time.`,
    );
  }
  return undefined;
}
