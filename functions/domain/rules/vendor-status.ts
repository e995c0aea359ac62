/**
 * What the catalogue says about the vendor itself: prohibited, restricted,
 * tolerated, or not known at all. A refusal always comes with the sanctioned
 * alternative when there is one: people route around a "no" that offers nothing.
 */
import type { ConnectionKind, DataClassification } from '../events';
import type { DataRule, Vendor } from '../policy';
import type { PreparedPolicy } from '../prepared-policy';
import type { CatalogueMatch } from '../vendor-catalogue';
import type { ResolvedCategory } from './category';
import { alternativeLabel, categoryLabel, finding, listOf, quoted, type RuleFinding } from './findings';

/** Sanctioned vendors offering the same capability, other than the one asked for. */
export function sanctionedAlternatives(prepared: PreparedPolicy, categoryId: string | undefined, excludeVendorId?: string): Vendor[] {
  if (categoryId === undefined) return [];
  return prepared.catalogue.sanctionedIn(categoryId).filter((v) => v.id !== excludeVendorId);
}

/** Findings for a vendor the catalogue knows; sanctioned vendors raise none. */
export function knownVendorFindings(prepared: PreparedPolicy, match: CatalogueMatch, resolved: ResolvedCategory | undefined, seenAs: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const categoryId = resolved?.category.id ?? match.category;
  const category = resolved?.category ?? prepared.categories.get(match.category);
  const alternatives = sanctionedAlternatives(prepared, categoryId, match.vendorId);
  const names = alternatives.map(alternativeLabel);
  const why = match.vendor.notes ? ` (${match.vendor.notes.trim().replace(/\.$/, '')})` : '';

  switch (match.status) {
    case 'prohibited':
      findings.push(
        finding(
          'VENDOR_PROHIBITED',
          'security',
          'critical',
          `${match.name} is prohibited by policy${why}.`,
          alternatives.length > 0 ? `${match.name} is prohibited — use ${alternatives[0].name} instead` : `${match.name} is prohibited`,
          alternatives.length > 0
            ? `Use ${listOf(names)} instead: sanctioned for ${categoryLabel(category)}.`
            : `No ${categoryLabel(category)} tool is sanctioned yet: ask IT which tool to use.`,
        ),
      );
      break;
    case 'restricted':
      findings.push(
        finding(
          'VENDOR_RESTRICTED',
          'security',
          'high',
          `${match.name} is restricted: it may be used only for uses security has approved${why}.`,
          `${match.name} is restricted and needs security approval`,
          alternatives.length > 0 ? `Consider ${listOf(names)}, sanctioned for ${categoryLabel(category)}.` : undefined,
        ),
      );
      break;
    case 'tolerated':
      findings.push(
        finding(
          'VENDOR_TOLERATED',
          'security',
          'low',
          `${match.name} is tolerated but not sanctioned: no IT support or negotiated terms${why}.`,
          `${match.name} is tolerated, not sanctioned`,
          alternatives.length > 0 ? `Prefer ${listOf(names)}, sanctioned for ${categoryLabel(category)}.` : undefined,
        ),
      );
      break;
    case 'sanctioned':
      break;
  }
  if (match.confidence === 'medium') findings.push(uncertainMatchFinding(match, seenAs));
  return findings;
}

/** A similar-name match is a signal, not proof: say what was seen so a person can confirm it. */
function uncertainMatchFinding(match: CatalogueMatch, seenAs: string): RuleFinding {
  return finding(
    'VENDOR_MATCH_UNCERTAIN',
    'security',
    'info',
    `${quoted(seenAs)} was matched to ${match.name} by a similar name, not an exact name, alias or domain.`,
    `${quoted(seenAs)} taken to be ${match.name}`,
    `If ${quoted(seenAs)} is ${match.name}, ask IT to add it as an alias; if not, ask for a catalogue entry.`,
  );
}

/**
 * A purchase from a vendor nobody has reviewed. How bad depends on the data:
 * confidential or restricted data raises it to high, and a data rule that
 * blocks unknown vendors makes it critical.
 */
export function unknownVendorFinding(vendorName: string, classification: DataClassification, rule: DataRule, alternatives: readonly Vendor[]): RuleFinding {
  const sensitive = classification === 'confidential' || classification === 'restricted';
  const severity = rule.blockUnknownVendor ? 'critical' : sensitive ? 'high' : 'medium';
  const message = rule.blockUnknownVendor
    ? `${vendorName} is not in the catalogue, and ${classification} data may only go to catalogued vendors.`
    : `${vendorName} is not in the catalogue; it needs a security review before ${classification} data is shared with it.`;
  return finding(
    'VENDOR_UNKNOWN',
    'security',
    severity,
    message,
    rule.blockUnknownVendor
      ? `${vendorName} is not in the catalogue, and ${classification} data may only go to catalogued vendors`
      : `${vendorName} is not in the catalogue and needs a security review`,
    alternatives.length > 0
      ? `Use ${listOf(alternatives.map(alternativeLabel))}, already sanctioned, or ask IT for a security review of ${vendorName}.`
      : `Ask IT for a security review of ${vendorName}.`,
  );
}

const CONNECTION_PHRASES: Record<ConnectionKind, string> = {
  'sso-app-created': 'was added to single sign-on',
  'oauth-consent': 'was granted OAuth access',
  'user-assigned': 'was assigned to a user',
};

/**
 * An app nobody catalogued. Creating it or granting it data access is where
 * shadow IT starts (medium); assigning one more user to an existing tile is low.
 */
export function unsanctionedAppFinding(appName: string, connectionKind: ConnectionKind, alternatives: readonly Vendor[]): RuleFinding {
  return finding(
    'UNSANCTIONED_APP',
    'security',
    connectionKind === 'user-assigned' ? 'low' : 'medium',
    `${appName} ${CONNECTION_PHRASES[connectionKind]} but is not in the catalogue; it needs a security review.`,
    `${appName} is not in the catalogue and needs a security review`,
    alternatives.length > 0
      ? `Point users to ${listOf(alternatives.map(alternativeLabel))}, already sanctioned, or catalogue ${appName} after review.`
      : `Review ${appName} and add it to the catalogue.`,
  );
}
