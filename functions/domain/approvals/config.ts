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
import { z } from 'zod';

/** Tiers a person in the approver directory can hold (`none` is "nobody needs to sign"). */
export const APPROVING_TIERS = ['it-manager', 'it-director', 'cio'] as const;

const noControlCharacters = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const ApproverSchema = z.object({
  email: z.email('must be an email address').max(254),
  name: z.string().trim().min(1, 'must not be empty').max(200).refine(noControlCharacters, 'must not contain control characters'),
  tier: z.enum(APPROVING_TIERS),
  /**
   * Departments this approver decides for; absent or empty means every
   * department. A listed approver cannot decide another department's request
   * (see approval-rules.ts), nor a request that names no department.
   */
  departments: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
  /**
   * The person's other addresses (an old domain, a short alias): a request
   * raised from any of them is still theirs (no self-approval), and signing
   * in with a verified alias finds them.
   */
  aliases: z.array(z.email('must be an email address').max(254)).max(20).optional(),
  /**
   * The identity provider's immutable id for this person (the `sub` claim;
   * Entra ID's `oid`; Okta access tokens' `uid`): when set, signing in
   * matches on it alone, so a renamed or re-used address cannot take over
   * this approver. Without it, sign-in matches a verified email address.
   */
  subject: z.string().trim().min(1, 'must not be empty').max(256).refine(noControlCharacters, 'must not contain control characters').optional(),
});

export const ApproverDirectoryConfigSchema = z.object({
  approvers: z.array(ApproverSchema).min(1, 'must name at least one approver').max(5000),
});
export type ApproverDirectoryConfig = z.infer<typeof ApproverDirectoryConfigSchema>;

const hours = (max: number) => z.number().finite().nonnegative('must not be negative').max(max);

export const EscalationConfigSchema = z
  .object({
    reminderLeadHours: hours(24 * 365).default(120),
    escalationLeadHours: hours(24 * 365).default(72),
    noDateWaitHours: hours(24 * 365).positive('must be more than 0').default(48),
    afterEscalationWaitHours: hours(24 * 365).positive('must be more than 0').default(8),
    noDateExpireAfterHours: hours(24 * 3650).default(720),
    minimumGapHours: hours(24 * 30).default(2),
  })
  .refine((c) => c.escalationLeadHours < c.reminderLeadHours, {
    message: 'must be less than reminderLeadHours (the reminder comes before the escalation)',
    path: ['escalationLeadHours'],
  });
export type EscalationConfig = z.infer<typeof EscalationConfigSchema>;
export type EscalationConfigInput = z.input<typeof EscalationConfigSchema>;

export const DigestConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** The most severe finding a digested request may have. */
  maxSeverity: z.enum(['info', 'low']).default('low'),
  /** Hour of the day (UTC) the digest goes out. */
  sendAtHourUtc: z.number().int().min(0).max(23).default(8),
});
export type DigestConfig = z.infer<typeof DigestConfigSchema>;

export const ApprovalRulesSchema = z.object({
  /** Lowest tier that may approve a `review` outcome. */
  reviewMinimumTier: z.enum(APPROVING_TIERS).default('it-manager'),
  /** Lowest tier that may override a `block` outcome. */
  blockMinimumTier: z.enum(APPROVING_TIERS).default('it-director'),
  /**
   * Whether an approver whose tier is above what a request needs may decide
   * it outside their listed departments (an IT director for Engineering
   * stepping in on a Marketing request an IT manager could approve). Off by
   * default: listed departments bind. Approvers without a list cover every
   * department either way.
   */
  seniorTiersCoverAllDepartments: z.boolean().default(false),
});

export const DecisionLinkConfigSchema = z.object({
  /** Links expire at the signing deadline, but never later than this many days after they were sent. */
  maxLifetimeDays: z.number().int().min(1).max(30).default(14),
  /** A link sent close to (or after) the deadline still lives this long: late decisions are allowed. */
  minLifetimeHours: z.number().int().min(1).max(24 * 14).default(24),
});
export type DecisionLinkConfig = z.infer<typeof DecisionLinkConfigSchema>;

/** `approvals:` in the policy document. Absent: notifications carry no decision links. */
export const ApprovalsPolicySchema = z.object({
  approvers: ApproverDirectoryConfigSchema.shape.approvers,
  rules: ApprovalRulesSchema.default({ reviewMinimumTier: 'it-manager', blockMinimumTier: 'it-director', seniorTiersCoverAllDepartments: false }),
  escalation: EscalationConfigSchema.default(() => EscalationConfigSchema.parse({})),
  digest: DigestConfigSchema.default(() => DigestConfigSchema.parse({})),
  links: DecisionLinkConfigSchema.default(() => DecisionLinkConfigSchema.parse({})),
});
export type ApprovalsPolicy = z.infer<typeof ApprovalsPolicySchema>;
export type ApprovalsPolicyInput = z.input<typeof ApprovalsPolicySchema>;

export const DEFAULT_DECISION_LINK_CONFIG: DecisionLinkConfig = DecisionLinkConfigSchema.parse({});
