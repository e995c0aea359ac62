/**
 * Vendors and categories: entries matched by id, then every field that
 * differs in words (a vendor's status change reads "Dropbox: tolerated →
 * prohibited"). Fields added to the schema later are still reported, under
 * their own key.
 */
import type { Category, Policy, Vendor } from '../policy';
import { addedAndRemoved, fieldChange, leafDifferences, matchByKey, show, words, type PolicyChange } from './model';

const VENDOR_FIELDS: Record<string, string> = {
  name: 'name',
  aliases: 'aliases',
  domains: 'domains',
  category: 'category',
  status: 'status',
  'securityReview.status': 'security review',
  'securityReview.completedOn': 'security review completed on',
  'securityReview.expiresOn': 'security review expires on',
  dpaSigned: 'DPA signed',
  ssoSupported: 'SSO supported',
  scimSupported: 'SCIM supported',
  approvedDataClassification: 'approved for data up to',
  'agreement.type': 'agreement',
  'agreement.seats': 'seats',
  'agreement.seatsUsed': 'seats used',
  'agreement.renewalDate': 'renewal date',
  'agreement.owner': 'agreement owner',
  'agreement.noticeDays': 'notice before renewal (days)',
  'agreement.autoRenews': 'renews by itself',
  'agreement.termMonths': 'term (months)',
  'agreement.annualPrice.amount': "last year's price",
  'agreement.annualPrice.currency': "last year's price currency",
  notes: 'notes',
};

const CATEGORY_FIELDS: Record<string, string> = {
  name: 'name',
  keywords: 'keywords',
  duplicates: 'second tool in the category',
};

export function vendorChanges(before: Policy, after: Policy): PolicyChange[] {
  const { added, removed, kept } = matchByKey(before.vendors, after.vendors, (v) => v.id);
  return [
    ...kept.flatMap((pair) => changedVendor(pair.before, pair.after)),
    ...addedAndRemoved(
      { added, removed },
      {
        path: (v) => `vendors.${v.id}`,
        subject: (v) => v.name,
        added: (v) =>
          `${v.name} added: ${v.status}, category ${v.category}${v.approvedDataClassification ? `, approved for data up to ${v.approvedDataClassification}` : ''}`,
        removed: (v) => `${v.name} removed (was ${v.status}): it is now an unknown vendor`,
      },
    ),
  ];
}

function changedVendor(before: Vendor, after: Vendor): PolicyChange[] {
  // A review or agreement that appears or goes is read field by field ("renewal date (none) → 2027-03-31").
  const open = (v: Vendor) => ({ ...v, securityReview: v.securityReview ?? {}, agreement: v.agreement ?? {} });
  return leafDifferences(open(before), open(after)).map((leaf) => {
    const change = fieldChange(`vendors.${after.id}`, after.name, leaf, (keys) => VENDOR_FIELDS[keys.join('.')] ?? words(keys.join(' ')));
    // The status is what a vendor is: "Dropbox: tolerated → prohibited".
    if (leaf.keys.join('.') === 'status') change.text = `${after.name}: ${show(leaf.before)} → ${show(leaf.after)}`;
    return change;
  });
}

export function categoryChanges(before: Policy, after: Policy): PolicyChange[] {
  const { added, removed, kept } = matchByKey(before.categories, after.categories, (c) => c.id);
  const vendorsIn = (policy: Policy, id: string) => policy.vendors.filter((v) => v.category === id).length;
  return [
    ...kept.flatMap(({ before: b, after: a }: { before: Category; after: Category }) =>
      leafDifferences(b, a).map((leaf) => fieldChange(`categories.${a.id}`, a.name, leaf, (keys) => CATEGORY_FIELDS[keys.join('.')] ?? words(keys.join(' ')))),
    ),
    ...addedAndRemoved(
      { added, removed },
      {
        path: (c) => `categories.${c.id}`,
        subject: (c) => c.name,
        added: (c) => `${c.name} (${c.id}) added${c.keywords.length ? `, keywords ${show(c.keywords)}` : ''}`,
        removed: (c) => `${c.name} (${c.id}) removed${vendorsIn(before, c.id) ? ` (held ${vendorsIn(before, c.id)} vendors)` : ''}`,
      },
    ),
  ];
}
