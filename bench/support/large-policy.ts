/**
 * A large, realistic policy for scale figures: thousands of vendors with
 * aliases and domains, every status and security-review state (some lapsed),
 * agreements with spare seats, hundreds of categories with keywords, and
 * dozens of department spend overrides. Deterministic for a seed, so two runs
 * measure the same policy.
 *
 * The rest (exchange rates, data rules, contracts, OAuth, identity provider)
 * comes from a base policy, normally policy/default.yaml.
 */
import type { Category, Policy, SpendTier, Vendor, VendorStatus } from '../../functions/domain/policy';
import { DATA_CLASSIFICATIONS } from '../../functions/domain/events';
import { Prng, capitalise, madeUpWord } from './prng';

export interface LargePolicyShape {
  vendors: number;
  categories: number;
  departmentOverrides: number;
  /**
   * Sanctioned vendors per category (the first ones generated for it). Real
   * catalogues sanction a few tools per capability however long the tail of
   * tolerated and unreviewed ones grows; default 3.
   */
  sanctionedPerCategory?: number;
  seed?: number;
}

/** The shape the issue names: 10,000 vendors, 200 categories, 50 department overrides. */
export const LARGE_POLICY_SHAPE: LargePolicyShape = { vendors: 10_000, categories: 200, departmentOverrides: 50, seed: 20261127 };

const DEPARTMENT_STEMS = [
  'Engineering',
  'Marketing',
  'Sales',
  'Finance',
  'Legal',
  'People',
  'Operations',
  'Customer Support',
  'Security',
  'Data Platform',
  'Design',
  'Product',
  'IT',
  'Procurement',
  'Facilities',
  'Research',
  'Customer Success',
];
const REGIONS = ['', ' EMEA', ' APAC', ' Americas'];

/** Department names for overrides: "Engineering", "Engineering EMEA", … (as many as asked, all distinct). */
export function departmentNames(count: number): string[] {
  const names: string[] = [];
  for (const region of REGIONS) {
    for (const stem of DEPARTMENT_STEMS) {
      if (names.length === count) return names;
      names.push(`${stem}${region}`);
    }
  }
  for (let i = 0; names.length < count; i++) names.push(`Business Unit ${i + 1}`);
  return names;
}

export function generateLargePolicy(base: Policy, shape: LargePolicyShape): Policy {
  const prng = new Prng(shape.seed ?? LARGE_POLICY_SHAPE.seed ?? 1);
  const categories = generateCategories(prng.fork(), shape.categories);
  const vendors = generateVendors(prng.fork(), shape.vendors, categories, shape.sanctionedPerCategory ?? 3);
  const overrides = departmentNames(shape.departmentOverrides).map((department) => ({
    department,
    tiers: generateTiers(prng),
  }));
  return {
    ...structuredClone(base),
    version: `${base.version}-generated-${shape.vendors}v-${shape.categories}c-${shape.departmentOverrides}d`.slice(0, 64),
    description: `Generated for benchmarks: ${shape.vendors} vendors, ${shape.categories} categories, ${shape.departmentOverrides} department overrides (seed ${shape.seed ?? LARGE_POLICY_SHAPE.seed}).`,
    vendors,
    categories,
    spend: { ...structuredClone(base.spend), departmentOverrides: overrides },
  };
}

function generateCategories(prng: Prng, count: number): Category[] {
  const used = new Set<string>();
  const uniqueWord = (): string => {
    for (;;) {
      const word = madeUpWord(prng, prng.int(2, 3));
      if (!used.has(word)) {
        used.add(word);
        return word;
      }
    }
  };
  return Array.from({ length: count }, (_, i) => {
    const head = uniqueWord();
    const keywords = [`${head} ${uniqueWord()}`, uniqueWord(), `${uniqueWord()} management`];
    if (prng.chance(0.5)) keywords.push(`${uniqueWord()} ${uniqueWord()} platform`);
    return {
      id: `${head}-${i}`.slice(0, 64),
      name: `${capitalise(head)} ${i}`,
      keywords,
      duplicates: prng.chance(0.85) ? 'review' : 'allow',
    };
  });
}

/** The long tail: every vendor beyond a category's sanctioned ones. */
const TAIL_STATUS_WEIGHTS: Record<Exclude<VendorStatus, 'sanctioned'>, number> = { tolerated: 55, restricted: 28, prohibited: 17 };

function generateVendors(prng: Prng, count: number, categories: readonly Category[], sanctionedPerCategory: number): Vendor[] {
  const usedNames = new Set<string>();
  const vendors: Vendor[] = [];
  for (let i = 0; i < count; i++) {
    let stem: string;
    do stem = `${capitalise(madeUpWord(prng, prng.int(2, 4)))}${capitalise(madeUpWord(prng, 1))}`;
    while (usedNames.has(stem.toLowerCase()));
    usedNames.add(stem.toLowerCase());
    const slug = stem.toLowerCase();
    // The first vendors of each category are sanctioned, so every category (in a big enough catalogue) has alternatives.
    const category = categories[i % categories.length];
    const status: VendorStatus = i < categories.length * sanctionedPerCategory ? 'sanctioned' : prng.weighted(TAIL_STATUS_WEIGHTS);
    const vendor: Vendor = {
      id: `${slug}-${i}`.slice(0, 64),
      name: stem,
      aliases: aliasesFor(prng, stem),
      domains: prng.chance(0.85) ? [`${slug}.com`, ...(prng.chance(0.3) ? [`${slug}-cdn.net`] : [])] : [],
      category: category.id,
      status,
      dpaSigned: prng.chance(0.7),
      ssoSupported: prng.chance(0.75),
      scimSupported: prng.chance(0.5),
    };
    const review = securityReviewFor(prng);
    if (review) vendor.securityReview = review;
    if (prng.chance(0.8)) vendor.approvedDataClassification = prng.pick(DATA_CLASSIFICATIONS);
    if (status === 'sanctioned' && prng.chance(0.6)) {
      const seats = prng.int(10, 3000);
      vendor.agreement = {
        type: 'enterprise',
        seats,
        seatsUsed: prng.int(Math.floor(seats / 2), seats),
        renewalDate: randomDate(prng, 2026, 2028),
        owner: `${slug}-owner@example.com`,
      };
    } else if (prng.chance(0.2)) {
      vendor.agreement = { type: prng.pick(['team', 'trial'] as const), renewalDate: randomDate(prng, 2026, 2028) };
    }
    if (prng.chance(0.2)) vendor.notes = `${stem} is ${status} for ${category.name}.`;
    vendors.push(vendor);
  }
  return vendors;
}

function aliasesFor(prng: Prng, stem: string): string[] {
  const variants = [`${stem} Cloud`, `${stem} Suite`, `${stem} Workspace`, `${stem} Platform`];
  const count = prng.weighted({ 0: 25, 1: 40, 2: 25, 3: 10 });
  return variants.slice(0, Number(count));
}

function securityReviewFor(prng: Prng): Vendor['securityReview'] {
  const kind = prng.weighted({ none: 20, pending: 10, rejected: 5, approved: 65 });
  if (kind === 'none') return undefined;
  if (kind === 'pending') return { status: 'pending' };
  if (kind === 'rejected') return { status: 'rejected', completedOn: randomDate(prng, 2024, 2026) };
  // Some approvals have lapsed, as in real catalogues (the bench evaluates on 2026-11-27).
  return { status: 'approved', completedOn: randomDate(prng, 2023, 2026), expiresOn: randomDate(prng, 2025, 2028) };
}

function generateTiers(prng: Prng): SpendTier[] {
  const free = prng.pick([250, 500, 1000, 2500, 5000]);
  const manager = free * prng.pick([5, 10, 20]);
  const director = manager * prng.pick([3, 5, 10]);
  return [
    { upTo: free, approver: 'none', twoStep: false },
    { upTo: manager, approver: 'it-manager', twoStep: false },
    { upTo: director, approver: 'it-director', twoStep: prng.chance(0.2) },
    { approver: 'cio', twoStep: prng.chance(0.7) },
  ];
}

function randomDate(prng: Prng, fromYear: number, toYear: number): string {
  const year = prng.int(fromYear, toYear);
  const month = prng.int(1, 12);
  const day = prng.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
