/**
 * What the data rules for the request's classification demand of a known
 * vendor: a current security review, a signed DPA, SSO, SCIM, and approval
 * for data this sensitive. Unknown vendors are covered by VENDOR_UNKNOWN:
 * nothing can be checked about a vendor nobody has looked at.
 */
import { DATA_CLASSIFICATIONS, type DataClassification } from '../events';
import type { DataRule, Vendor } from '../policy';
import { finding, utcDate, type RuleFinding } from './findings';

export function dataClassificationFindings(vendor: Vendor, classification: DataClassification, rule: DataRule, now: Date): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (rule.requireSecurityReview) {
    const review = securityReviewFinding(vendor, classification, now);
    if (review) findings.push(review);
  }
  if (rule.requireDpa && !vendor.dpaSigned) {
    findings.push(
      finding(
        'DPA_MISSING',
        'compliance',
        'high',
        `No data processing agreement is signed with ${vendor.name}, and ${classification} data requires one.`,
        `no signed DPA with ${vendor.name}`,
        `Ask legal to sign a DPA with ${vendor.name} before any ${classification} data is shared.`,
      ),
    );
  }
  if (rule.requireSso && !vendor.ssoSupported) {
    findings.push(
      finding(
        'SSO_UNSUPPORTED',
        'integration',
        'medium',
        `${vendor.name} does not support single sign-on, which ${classification} data requires.`,
        `${vendor.name} has no SSO`,
        `Check whether a higher ${vendor.name} plan includes SSO, or choose a tool that supports it.`,
      ),
    );
  }
  if (rule.requireScim && !vendor.scimSupported) {
    findings.push(
      finding(
        'SCIM_UNSUPPORTED',
        'integration',
        'medium',
        `${vendor.name} does not support SCIM provisioning, so leavers would keep access to ${classification} data until removed by hand.`,
        `${vendor.name} has no SCIM provisioning`,
        `Check whether a higher ${vendor.name} plan includes SCIM, or agree a manual deprovisioning owner.`,
      ),
    );
  }
  const exceeds = approvalExceededFinding(vendor, classification);
  if (exceeds) findings.push(exceeds);
  return findings;
}

function securityReviewFinding(vendor: Vendor, classification: DataClassification, now: Date): RuleFinding | undefined {
  const review = vendor.securityReview;
  const ask = `Ask security to review ${vendor.name} for ${classification} data before signing.`;
  if (!review) {
    return finding(
      'SECURITY_REVIEW_MISSING',
      'security',
      'high',
      `${vendor.name} has no security review on record, and ${classification} data requires one.`,
      `${vendor.name} has no security review`,
      ask,
    );
  }
  if (review.status === 'pending') {
    return finding(
      'SECURITY_REVIEW_MISSING',
      'security',
      'medium',
      `The security review of ${vendor.name} is still pending, and ${classification} data requires a completed one.`,
      `security review of ${vendor.name} is pending`,
      `Wait for the security review of ${vendor.name} to finish before signing.`,
    );
  }
  if (review.status === 'rejected') {
    return finding(
      'SECURITY_REVIEW_MISSING',
      'security',
      'high',
      `The security review of ${vendor.name} was rejected${review.completedOn ? ` on ${review.completedOn}` : ''}, and ${classification} data requires an approved one.`,
      `${vendor.name} failed its security review`,
      `Do not share ${classification} data with ${vendor.name}; ask security what would change the outcome.`,
    );
  }
  if (review.expiresOn !== undefined && review.expiresOn < utcDate(now)) {
    return finding(
      'SECURITY_REVIEW_EXPIRED',
      'security',
      'medium',
      `The security review of ${vendor.name} expired on ${review.expiresOn}; ${classification} data requires a current one.`,
      `security review of ${vendor.name} expired on ${review.expiresOn}`,
      `Ask security to renew the review of ${vendor.name}.`,
    );
  }
  return undefined;
}

function approvalExceededFinding(vendor: Vendor, classification: DataClassification): RuleFinding | undefined {
  const approved = vendor.approvedDataClassification;
  if (approved === undefined) return undefined;
  if (DATA_CLASSIFICATIONS.indexOf(classification) <= DATA_CLASSIFICATIONS.indexOf(approved)) return undefined;
  return finding(
    'DATA_CLASSIFICATION_EXCEEDS_APPROVAL',
    'security',
    'high',
    `${vendor.name} is approved for ${approved} data at most, but this request involves ${classification} data.`,
    `${vendor.name} is approved only for ${approved} data`,
    `Keep ${classification} data out of ${vendor.name}, or ask security to review it for ${classification} data.`,
  );
}
