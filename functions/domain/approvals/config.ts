/**
 * The approvals section of the policy document, as schemas: who may approve
 * (the approver directory), the approval rules, escalation timing, the daily
 * digest and how long decision links live.
 *
 * It is policy, so it lives in the policy document (`approvals:` in
 * policy/default.yaml), is validated with the rest of it (misspelt keys named
 * by path), is versioned with it, and changes with a policy import rather
 * than a deploy: people join and leave IT without anyone touching code or
 * infrastructure. Every decision records the policy version, so the audit
 * trail also tells which directory was in force.
 *
 * A leaf module (it imports only zod): `policy.ts` includes this section,
 * and the approvals modules import their schemas from here, so neither
 * depends on the other in a cycle.
 */
import * as z from '../zod-mini';

/** Tiers a person in the approver directory can hold (`none` is "nobody needs to sign"). */
export const APPROVING_TIERS = ['it-manager', 'it-director', 'cio'] as const;

const noControlCharacters = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const ApproverSchema = z.object({
  email: z.email('must be an email address').check(z.maxLength(254)),
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200), z.refine(noControlCharacters, 'must not contain control characters')),
  tier: z.enum(APPROVING_TIERS),
  /**
   * Departments this approver decides for; absent or empty means every
   * department. A listed approver cannot decide another department's request
   * (see approval-rules.ts), nor a request that names no department.
   */
  departments: z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(200))),
  /**
   * The person's other addresses (an old domain, a short alias): a request
   * raised from any of them is still theirs (no self-approval), and signing
   * in with a verified alias finds them.
   */
  aliases: z.optional(z.array(z.email('must be an email address').check(z.maxLength(254))).check(z.maxLength(20))),
  /**
   * The identity provider's immutable id for this person (the `sub` claim;
   * Entra ID's `oid`; Okta access tokens' `uid`): when set, signing in
   * matches on it alone, so a renamed or re-used address cannot take over
   * this approver. Without it, sign-in matches a verified email address.
   */
  subject: z.optional(
    z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(256), z.refine(noControlCharacters, 'must not contain control characters')),
  ),
});

export const ApproverDirectoryConfigSchema = z.object({
  approvers: z.array(ApproverSchema).check(z.minLength(1, 'must name at least one approver'), z.maxLength(5000)),
});
export type ApproverDirectoryConfig = z.infer<typeof ApproverDirectoryConfigSchema>;

const hours = (max: number, ...more: z.core.$ZodCheck<number>[]) => z.number().check(z.nonnegative('must not be negative'), z.lte(max), ...more);

export const EscalationConfigSchema = z
  .object({
    reminderLeadHours: z._default(hours(24 * 365), 120),
    escalationLeadHours: z._default(hours(24 * 365), 72),
    noDateWaitHours: z._default(hours(24 * 365, z.positive('must be more than 0')), 48),
    afterEscalationWaitHours: z._default(hours(24 * 365, z.positive('must be more than 0')), 8),
    noDateExpireAfterHours: z._default(hours(24 * 3650), 720),
    minimumGapHours: z._default(hours(24 * 30), 2),
  })
  .check(
    z.refine((c) => c.escalationLeadHours < c.reminderLeadHours, {
      message: 'must be less than reminderLeadHours (the reminder comes before the escalation)',
      path: ['escalationLeadHours'],
    }),
  );
export type EscalationConfig = z.infer<typeof EscalationConfigSchema>;
export type EscalationConfigInput = z.input<typeof EscalationConfigSchema>;

export const DigestConfigSchema = z.object({
  enabled: z._default(z.boolean(), false),
  /** The most severe finding a digested request may have. */
  maxSeverity: z._default(z.enum(['info', 'low']), 'low'),
  /** Hour of the day (UTC) the digest goes out. */
  sendAtHourUtc: z._default(z.int().check(z.gte(0), z.lte(23)), 8),
});
export type DigestConfig = z.infer<typeof DigestConfigSchema>;

export const ApprovalRulesSchema = z.object({
  /** Lowest tier that may approve a `review` outcome. */
  reviewMinimumTier: z._default(z.enum(APPROVING_TIERS), 'it-manager'),
  /** Lowest tier that may override a `block` outcome. */
  blockMinimumTier: z._default(z.enum(APPROVING_TIERS), 'it-director'),
  /**
   * Whether an approver whose tier is above what a request needs may decide
   * it outside their listed departments (an IT director for Engineering
   * stepping in on a Marketing request an IT manager could approve). Off by
   * default: listed departments bind. Approvers without a list cover every
   * department either way.
   */
  seniorTiersCoverAllDepartments: z._default(z.boolean(), false),
});

export const DecisionLinkConfigSchema = z.object({
  /** Links expire at the signing deadline, but never later than this many days after they were sent. */
  maxLifetimeDays: z._default(z.int().check(z.gte(1), z.lte(30)), 14),
  /** A link sent close to (or after) the deadline still lives this long: late decisions are allowed. */
  minLifetimeHours: z._default(z.int().check(z.gte(1), z.lte(24 * 14)), 24),
});
export type DecisionLinkConfig = z.infer<typeof DecisionLinkConfigSchema>;

/** `approvals:` in the policy document. Absent: notifications carry no decision links. */
export const ApprovalsPolicySchema = z.object({
  approvers: ApproverDirectoryConfigSchema.shape.approvers,
  rules: z._default(ApprovalRulesSchema, { reviewMinimumTier: 'it-manager', blockMinimumTier: 'it-director', seniorTiersCoverAllDepartments: false }),
  escalation: z._default(EscalationConfigSchema, () => EscalationConfigSchema.parse({})),
  digest: z._default(DigestConfigSchema, () => DigestConfigSchema.parse({})),
  links: z._default(DecisionLinkConfigSchema, () => DecisionLinkConfigSchema.parse({})),
});
export type ApprovalsPolicy = z.infer<typeof ApprovalsPolicySchema>;
export type ApprovalsPolicyInput = z.input<typeof ApprovalsPolicySchema>;

export const DEFAULT_DECISION_LINK_CONFIG: DecisionLinkConfig = DecisionLinkConfigSchema.parse({});
