/**
 * The policy document: everything a decision depends on, kept as data so IT can
 * change it without a deploy. `policy/default.yaml` is the starting point; the
 * stores keep it versioned in DynamoDB and every decision records the version.
 */
import * as z from './zod-mini';
import { DATA_CLASSIFICATIONS } from './events';
import { ApprovalsPolicySchema } from './approvals/config';
import { approverDirectoryProblems, hasCioForEveryDepartment } from './approvals/directory-problems';

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lower-case id such as file-sharing (letters, digits, "-")'));
const isoDate = z.iso.date('must be a date such as 2027-03-31');

export const VENDOR_STATUSES = ['sanctioned', 'tolerated', 'restricted', 'prohibited'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VendorSchema = z.object({
  id,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  /** Other names requesters and IdPs use ("Dropbox Business", "Okta SSO login"). */
  aliases: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(200))), []),
  /**
   * The company that sells it, when that differs from the product's name or
   * several catalogue entries share one (Atlassian for Jira, Confluence and
   * Trello). A request naming the publisher as vendor may then name any of its products.
   */
  publisher: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Domains that identify the vendor (`dropbox.com`); subdomains match too. */
  domains: z._default(z.array(z.string().check(z.minLength(3), z.maxLength(253))), []),
  category: id,
  status: z.enum(VENDOR_STATUSES),
  securityReview: z.optional(
    z.object({
      status: z.enum(['approved', 'pending', 'rejected']),
      completedOn: z.optional(isoDate),
      expiresOn: z.optional(isoDate),
    }),
  ),
  dpaSigned: z._default(z.boolean(), false),
  ssoSupported: z._default(z.boolean(), false),
  scimSupported: z._default(z.boolean(), false),
  /** Highest data classification the security review approved this vendor for. */
  approvedDataClassification: z.optional(z.enum(DATA_CLASSIFICATIONS)),
  agreement: z.optional(
    z.object({
      type: z.enum(['enterprise', 'team', 'trial']),
      seats: z.optional(z.int().check(z.nonnegative())),
      seatsUsed: z.optional(z.int().check(z.nonnegative())),
      renewalDate: z.optional(isoDate),
      owner: z.optional(z.string().check(z.maxLength(254))),
      /** Days of notice the contract asks for before the renewal date; default `contracts.renewalNoticeDays`. */
      noticeDays: z.optional(z.int().check(z.gte(0), z.lte(730))),
      /** Renews for another term unless cancelled by the notice deadline. */
      autoRenews: z.optional(z.boolean()),
      /** Length of one term, to roll the renewal date forward once it has passed (default 12). */
      termMonths: z.optional(z.int().check(z.gte(1), z.lte(120))),
      /** What the last term cost, shown to the owner deciding the renewal. */
      annualPrice: z.optional(z.object({ amount: z.number().check(z.nonnegative()), currency: z.string().check(z.regex(/^[A-Z]{3}$/)) })),
    }),
  ),
  notes: z.optional(z.string().check(z.maxLength(2000))),
});
export type Vendor = z.infer<typeof VendorSchema>;

export const CategorySchema = z.object({
  id,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Words in a product name or description that point to this category. */
  keywords: z._default(z.array(z.string().check(z.minLength(2), z.maxLength(60))), []),
  /**
   * Whether a second tool in a category that already has a sanctioned one is
   * worth a review (`review`, the default) or is normal here (`allow`).
   */
  duplicates: z._default(z.enum(['review', 'allow']), 'review'),
});
export type Category = z.infer<typeof CategorySchema>;

export const APPROVER_TIERS = ['none', 'it-manager', 'it-director', 'cio'] as const;
export type ApproverTier = (typeof APPROVER_TIERS)[number];

const SpendTierSchema = z.object({
  /** Inclusive upper bound of annualised spend in the base currency; absent means no bound. */
  upTo: z.optional(z.number().check(z.nonnegative())),
  approver: z.enum(APPROVER_TIERS),
  /** Two-step approval: the tier below signs first. */
  twoStep: z._default(z.boolean(), false),
});
export type SpendTier = z.infer<typeof SpendTierSchema>;

const spendTiers = z.array(SpendTierSchema).check(
  z.minLength(1),
  z.refine(
    (tiers) => tiers.every((t, i) => (i === tiers.length - 1 ? t.upTo === undefined : t.upTo !== undefined && (i === 0 || t.upTo > (tiers[i - 1].upTo ?? 0)))),
    'tiers must be in ascending order of upTo, and only the last may leave upTo out',
  ),
);

export const DataRuleSchema = z.object({
  requireSecurityReview: z._default(z.boolean(), false),
  requireDpa: z._default(z.boolean(), false),
  requireSso: z._default(z.boolean(), false),
  requireScim: z._default(z.boolean(), false),
  /** A vendor not in the catalogue cannot be used at this level at all. */
  blockUnknownVendor: z._default(z.boolean(), false),
});
export type DataRule = z.infer<typeof DataRuleSchema>;

export const RiskyScopeSchema = z.object({
  /** Matched case-insensitively against the whole scope, or as a prefix when it ends in `*`. */
  scope: z.string().check(z.minLength(1), z.maxLength(512)),
  severity: z.enum(SEVERITIES),
  reason: z.string().check(z.minLength(1), z.maxLength(300)),
});
export type RiskyScope = z.infer<typeof RiskyScopeSchema>;

/**
 * How requests that leave a fact out, or say it in other words, are read.
 * A gap is never refused: it is treated as written here and raises a
 * finding that asks for the fact.
 */
export const IntakePolicySchema = z.object({
  /** What a request that states no data classification is treated as. */
  unstatedDataClassification: z._default(z.enum(DATA_CLASSIFICATIONS), 'confidential'),
  /** Other words people and tools use for each classification, compared case-insensitively. */
  classificationSynonyms: z._default(
    z.partialRecord(z.enum(DATA_CLASSIFICATIONS), z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(50))),
    {},
  ),
});
export type IntakePolicy = z.infer<typeof IntakePolicySchema>;

/**
 * A business department IT reaches out to: its weekly outreach goes to
 * `contact` (a shared mailbox or its head). `aliases` are other spellings
 * sources use for it ("Mktg", "Marketing & Brand"), compared case-insensitively.
 */
export const DepartmentSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  contact: z.email('must be an email address such as marketing-leads@example.com'),
  aliases: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(20)), []),
});
export type Department = z.infer<typeof DepartmentSchema>;

export const PolicySchema = z.object({
  /** Monotonic and human-readable, e.g. `2026-11-27.1`; recorded with every decision. */
  version: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._-]+$/)),
  description: z.optional(z.string().check(z.maxLength(2000))),
  vendors: z.array(VendorSchema),
  categories: z.array(CategorySchema),
  spend: z.object({
    baseCurrency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    /** Units of base currency per one unit of the keyed currency. */
    exchangeRates: z._default(z.record(z.string().check(z.regex(/^[A-Z]{3}$/)), z.number().check(z.positive())), {}),
    tiers: spendTiers,
    departmentOverrides: z._default(z.array(z.object({ department: z.string().check(z.minLength(1), z.maxLength(100)), tiers: spendTiers })), []),
  }),
  dataClassification: z.object({
    public: DataRuleSchema,
    internal: DataRuleSchema,
    confidential: DataRuleSchema,
    restricted: DataRuleSchema,
  }),
  contracts: z.object({
    /** Terms longer than this need a review (money committed beyond a budget year). */
    maxTermMonths: z._default(z.int().check(z.positive()), 12),
    /** Auto-renewing contracts are flagged so someone owns the renewal date. */
    flagAutoRenew: z._default(z.boolean(), true),
    /** IT needs this many days before signing to do its checks. */
    minLeadTimeDays: z._default(z.int().check(z.nonnegative()), 5),
    /**
     * The notice an agreement needs unless it says otherwise (`agreement.noticeDays`): the owner must cancel or
     * renegotiate this many days before the renewal date (the notice deadline).
     */
    renewalNoticeDays: z._default(z.int().check(z.nonnegative()), 120),
    /**
     * Renewal guard (domain/renewals): days before the notice deadline the owner is reminded, reminded again,
     * and the renewal escalated to IT when nobody has recorded a decision.
     */
    renewalReminders: z._default(
      z
        .object({
          remindDaysBefore: z._default(z.int().check(z.gte(0), z.lte(365)), 30),
          remindAgainDaysBefore: z._default(z.int().check(z.gte(0), z.lte(365)), 14),
          escalateDaysBefore: z._default(z.int().check(z.gte(0), z.lte(365)), 7),
        })
        .check(
          z.refine(
            (r) => r.remindDaysBefore > r.remindAgainDaysBefore && r.remindAgainDaysBefore > r.escalateDaysBefore,
            'must be in order: remindDaysBefore > remindAgainDaysBefore > escalateDaysBefore',
          ),
        ),
      { remindDaysBefore: 30, remindAgainDaysBefore: 14, escalateDaysBefore: 7 },
    ),
  }),
  oauth: z.object({
    riskyScopes: z._default(z.array(RiskyScopeSchema), []),
    /** Admin consent grants the app access for the whole organisation. */
    adminConsentSeverity: z._default(z.enum(SEVERITIES), 'high'),
  }),
  identityProvider: z._default(
    z.object({
      /** Apps that platforms create for themselves (AWS managed apps): never shadow IT. */
      managedAppAllowList: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(200))), []),
      /**
       * AWS service principals (`grafana.amazonaws.com`) whose own calls create
       * managed apps. Their instances carry generated names ("Amazon
       * Grafana-g-3f2e…"), so the name list alone cannot recognise them.
       */
      managedAppServicePrincipals: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(254))), []),
      /** Actors that are systems, not people (Okta's `system@okta.com`). */
      systemActors: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(254))), []),
    }),
    { managedAppAllowList: [], managedAppServicePrincipals: [], systemActors: [] },
  ),
  intake: z._default(IntakePolicySchema, { unstatedDataClassification: 'confidential', classificationSynonyms: {} }),
  /**
   * Who approves and how approvals run (see approvals/config.ts): the approver
   * directory, approval rules, escalation timing, the daily digest and how
   * long decision links live. Without it, notifications carry no decision links.
   */
  approvals: z.optional(ApprovalsPolicySchema),
  /** How outreach tells departments to reach IT. */
  outreach: z._default(
    z.object({
      /** Where departments ask IT for help (a shared mailbox). */
      itContact: z.optional(z.email()),
      /** Where they raise a purchase request (the procurement tool's intake form). */
      requestUrl: z.optional(z.url({ protocol: /^https?$/ })),
    }),
    {},
  ),
  /** Departments IT reaches out to each week (see use-cases/outreach); none means no outreach. */
  departments: z._default(z.array(DepartmentSchema).check(z.maxLength(200)), []),
});
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;

/**
 * Cross-references zod cannot express: ids unique, every vendor's category
 * exists. Returns the problems, each naming where it is.
 */
export function policyConsistencyProblems(policy: Policy): string[] {
  const problems: string[] = [];
  const categoryIds = new Set<string>();
  for (const c of policy.categories) {
    if (categoryIds.has(c.id)) problems.push(`categories: id "${c.id}" appears twice`);
    categoryIds.add(c.id);
  }
  const vendorIds = new Set<string>();
  policy.vendors.forEach((v, i) => {
    if (vendorIds.has(v.id)) problems.push(`vendors[${i}].id: "${v.id}" appears twice`);
    vendorIds.add(v.id);
    if (!categoryIds.has(v.category)) problems.push(`vendors[${i}].category: "${v.category}" is not a category id`);
  });
  problems.push(...synonymProblems(policy.intake));
  problems.push(...departmentProblems(policy.departments));
  if (policy.approvals) problems.push(...approvalsProblems(policy.approvals.approvers));
  return problems;
}

/** A department name or alias names one department only. */
function departmentProblems(departments: readonly Department[]): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  departments.forEach((d, i) => {
    [d.name, ...d.aliases].forEach((name, j) => {
      const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
      const held = owner.get(key);
      const where = j === 0 ? `departments[${i}].name` : `departments[${i}].aliases[${j - 1}]`;
      if (held !== undefined && held !== d.name) problems.push(`${where}: "${name}" already names department ${held}`);
      else if (held !== undefined && j > 0) problems.push(`${where}: "${name}" appears twice`);
      else if (held !== undefined) problems.push(`${where}: department "${name}" appears twice`);
      owner.set(key, d.name);
    });
  });
  return problems;
}

/** A word may stand for one classification only, and never for another classification's own name. */
function synonymProblems(intake: IntakePolicy): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>(DATA_CLASSIFICATIONS.map((c) => [c, c]));
  for (const level of DATA_CLASSIFICATIONS) {
    (intake.classificationSynonyms[level] ?? []).forEach((word, i) => {
      const key = word.trim().toLowerCase().replace(/\s+/g, ' ');
      const held = owner.get(key);
      if (held !== undefined && held !== level) {
        problems.push(`intake.classificationSynonyms.${level}[${i}]: "${word}" already means ${held}`);
      } else owner.set(key, level);
    });
  }
  return problems;
}

/**
 * One entry per person (addresses and aliases compared as mail systems do:
 * case and `+tags` ignored, so nobody holds two tiers), and somebody at the
 * top tier for every department: escalation and CIO-tier requests must
 * always reach a person.
 */
function approvalsProblems(approvers: NonNullable<Policy['approvals']>['approvers']): string[] {
  const problems = approverDirectoryProblems(approvers, 'approvals.approvers');
  if (!hasCioForEveryDepartment(approvers)) {
    problems.push(
      'approvals.approvers: nobody holds tier cio for every department; requests that reach the CIO (by spend or by escalation) would reach nobody',
    );
  }
  return problems;
}
