/**
 * Which catalogue entry a request is about, and how sure that is.
 *
 * The vendor's name and domain choose the entry; the product only refines
 * within that vendor (Atlassian → Confluence; Salesforce → Slack, when the
 * catalogue records the publisher or a shared domain). When vendor and
 * product point to different companies, the vendor decides, the confidence
 * drops and a finding says so: a product name can never make a prohibited or
 * unknown vendor allowed ("WeTransfer" selling "Box Business", "LastPass"
 * selling "Teams"). A typo match (`low`) is a suggestion only: the request is
 * treated as from an unknown vendor, and the finding asks "did you mean …?".
 */
import type { MatchConfidence } from '../vendor-catalogue';
import type { CatalogueMatch, VendorCatalogue } from '../vendor-catalogue';
import { finding, quoted, type RuleFinding } from './findings';

const CONFIDENCE_ORDER: readonly MatchConfidence[] = ['low', 'medium', 'high', 'exact'];
const rank = (c: MatchConfidence) => CONFIDENCE_ORDER.indexOf(c);
const lower = (c: MatchConfidence): MatchConfidence => CONFIDENCE_ORDER[Math.max(0, rank(c) - 1)];
const weaker = (a: MatchConfidence, b: MatchConfidence): MatchConfidence => (rank(a) <= rank(b) ? a : b);

export interface VendorIdentity {
  /** The entry the rules apply (absent: treated as an unknown vendor). */
  match?: CatalogueMatch;
  /** A near entry the rules do not apply, only suggest (a typo match). */
  suggestion?: CatalogueMatch;
  findings: RuleFinding[];
}

/** What a purchase request names, for matching. */
export interface NamedPurchase {
  vendor: { name?: string; domain?: string };
  product?: string;
}

/** The catalogue entry of a purchase request: chosen by the vendor, refined by the product. */
export function purchaseVendorIdentity(catalogue: VendorCatalogue, request: NamedPurchase): VendorIdentity {
  const { name, domain } = request.vendor;
  const stated = name !== undefined || domain !== undefined;
  const byVendor = stated ? catalogue.match(name ?? '', domain) : undefined;
  // A product's typo only matters when nothing else names the vendor: not guessed otherwise.
  const byProduct = request.product === undefined ? undefined : catalogue.match(request.product, undefined, { guess: !stated });
  const product = byProduct?.confidence === 'low' ? undefined : byProduct;
  const vendorText = name ?? domain ?? '';

  if (byVendor && byVendor.confidence !== 'low') {
    if (!product || product.vendorId === byVendor.vendorId) return { match: byVendor, findings: [] };
    if (catalogue.samePublisher(byVendor.vendor, product.vendor)) {
      return { match: { ...product, confidence: weaker(byVendor.confidence, product.confidence) }, findings: [] };
    }
    const lowered = lower(byVendor.confidence);
    const match = { ...byVendor, confidence: lowered };
    const findings = [mismatchFinding(vendorText, byVendor, request.product ?? '', product)];
    return lowered === 'low' ? { suggestion: match, findings } : { match, findings };
  }

  if (!stated) {
    if (product) return { match: product, findings: [] };
    return byProduct ? { suggestion: byProduct, findings: [didYouMeanFinding(request.product ?? '', byProduct)] } : { findings: [] };
  }

  // A vendor name a typo away that the product names too: the two agree, as sure as a normalised name.
  if (byVendor && product && product.vendorId === byVendor.vendorId) return { match: { ...byVendor, confidence: 'medium' }, findings: [] };

  // The vendor is not (confidently) in the catalogue: a publisher's name still lets its products through.
  const published = name === undefined ? undefined : catalogue.publishedBy(name);
  if (published && product && published.some((v) => v.id === product.vendorId)) {
    return { match: { ...product, confidence: weaker(product.confidence, 'high') }, findings: [] };
  }
  const findings: RuleFinding[] = [];
  if (product) findings.push(productOfAnotherVendorFinding(vendorText, request.product ?? '', product));
  if (byVendor) findings.push(didYouMeanFinding(vendorText, byVendor));
  return { suggestion: byVendor ?? product, findings };
}

/** The catalogue entry of an app an identity provider reports: its name and domain, typos suggested only. */
export function appVendorIdentity(catalogue: VendorCatalogue, name: string, domain?: string): VendorIdentity {
  const match = catalogue.match(name, domain);
  if (!match || match.confidence !== 'low') return { match, findings: [] };
  return { suggestion: match, findings: [didYouMeanFinding(name, match)] };
}

/**
 * A name a typo away from a catalogue entry: not treated as it, but asked
 * about. Stricter when the near entry is restricted or prohibited: then it
 * needs a person (high), though a spelling alone does not block.
 */
function didYouMeanFinding(seenAs: string, near: CatalogueMatch): RuleFinding {
  const others = near.alsoLike && near.alsoLike.length > 0 ? ` or ${near.alsoLike.join(' or ')}` : '';
  const risky = near.status === 'prohibited' || near.status === 'restricted';
  return finding(
    'VENDOR_MATCH_UNCERTAIN',
    'security',
    risky ? 'high' : 'medium',
    `${quoted(seenAs)} is not in the catalogue; it looks like ${near.name} (${near.status})${others}, but a similar spelling is not proof, so it was treated as an unknown vendor${risky ? `, and checked as possibly ${near.status}` : ''}.`,
    `did you mean ${near.name}${others}?`,
    `Did you mean ${near.name}${others}? If so, correct the name (or ask IT to add ${quoted(seenAs)} as an alias); if not, ask for a catalogue entry.`,
  );
}

function mismatchFinding(vendorText: string, byVendor: CatalogueMatch, productText: string, product: CatalogueMatch): RuleFinding {
  return finding(
    'VENDOR_PRODUCT_MISMATCH',
    'security',
    'medium',
    `The vendor ${quoted(vendorText)} is ${byVendor.name} (${byVendor.status}), but the product ${quoted(productText)} is ${product.name} (${product.status}) in the catalogue; the decision follows the vendor, who is paid and holds the data.`,
    `vendor ${byVendor.name} and product ${product.name} do not match`,
    `Check what is being bought and from whom; if ${byVendor.name} sells ${product.name}, ask IT to record the publisher in the catalogue.`,
  );
}

function productOfAnotherVendorFinding(vendorText: string, productText: string, product: CatalogueMatch): RuleFinding {
  return finding(
    'VENDOR_PRODUCT_MISMATCH',
    'security',
    'medium',
    `The product ${quoted(productText)} is ${product.name} (${product.status}) in the catalogue, but the vendor ${quoted(vendorText)} is not ${product.name}'s; the vendor was treated as unknown rather than taken for ${product.name}.`,
    `${quoted(vendorText)} is not the vendor of ${product.name}`,
    `If ${quoted(vendorText)} resells ${product.name}, ask IT to add it to the catalogue; otherwise check what is being bought.`,
  );
}
