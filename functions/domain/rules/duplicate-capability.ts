/**
 * Duplicate capability: buying or connecting a second tool for something a
 * sanctioned tool already does. The finding names the sanctioned tool and its
 * spare seats, because "use Box, 120 seats are free" answers faster than a card.
 */
import { seatsUsedOf } from '../inventory/seat-counts';
import type { PreparedPolicy } from '../prepared-policy';
import type { CatalogueMatch } from '../vendor-catalogue';
import { describeCategorySource, type ResolvedCategory } from './category';
import { alternativeLabel, finding, listOf, plural, unusedSeats, type RuleFinding } from './findings';
import { sanctionedAlternatives } from './vendor-status';

/**
 * Raised when the category allows no silent duplicates, has sanctioned
 * vendors, and the requested one is not itself sanctioned (more seats of a
 * sanctioned tool are never a duplicate).
 */
export function duplicateCapabilityFindings(
  prepared: PreparedPolicy,
  subjectName: string,
  match: CatalogueMatch | undefined,
  resolved: ResolvedCategory | undefined,
): RuleFinding[] {
  if (!resolved || resolved.category.duplicates !== 'review') return [];
  if (match?.status === 'sanctioned') return [];
  const sanctioned = sanctionedAlternatives(prepared, resolved.category.id, match?.vendorId);
  if (sanctioned.length === 0) return [];

  const categoryName = resolved.category.name;
  const verb = sanctioned.length === 1 ? 'is' : 'are';
  const names = listOf(sanctioned.map((v) => v.name));
  const spare = sanctioned.map((v) => ({ vendor: v, unused: unusedSeats(v) })).find((s) => s.unused !== undefined && s.unused > 0);
  const spareText =
    spare === undefined
      ? ''
      : sanctioned.length === 1
        ? `, ${plural(spare.unused ?? 0, 'seat')} unused`
        : `, ${spare.vendor.name} has ${plural(spare.unused ?? 0, 'seat')} unused`;
  const headline = `${names} ${verb} already sanctioned for ${categoryName}${spareText.replace(/^,/, ' —')}`;
  // The message says where the seat count came from: the inventory's complete assignment list, or the policy.
  const basis = spare ? ` (${seatsUsedOf(spare.vendor, prepared.seatCounts)?.from ?? 'from the policy'})` : '';

  // A guess from one word is worth saying, not worth a review on its own.
  const weak = resolved.source.by === 'keywords' && resolved.source.weak;
  return [
    finding(
      'DUPLICATE_CAPABILITY',
      'integration',
      weak ? 'low' : 'medium',
      `${names} ${verb} already sanctioned for ${categoryName}${spareText}${basis}; ${subjectName} would duplicate that capability (${describeCategorySource(resolved.source)}).`,
      headline,
      `Use ${listOf(sanctioned.map(alternativeLabel))} instead${spare ? ': ask IT to assign a seat' : ''}; if ${subjectName} is needed for something ${names} cannot do, say what in the justification.`,
    ),
  ];
}
