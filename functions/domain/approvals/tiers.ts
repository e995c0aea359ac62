/**
 * Approver tiers and their order. The policy's spend tiers name who must sign
 * off; approval rules and escalation compare tiers by rank, so the order lives
 * in one place: none < it-manager < it-director < cio.
 */
import { APPROVER_TIERS, type ApproverTier } from '../policy';
import { APPROVING_TIERS } from './config';

export type { ApproverTier };
export type ApprovingTier = (typeof APPROVING_TIERS)[number];

/** Human names for pages and messages; tier ids are for machines. */
export const TIER_LABELS: Record<ApproverTier, string> = {
  none: 'no approval',
  'it-manager': 'IT manager',
  'it-director': 'IT director',
  cio: 'CIO',
};

/** 0 for `none`, 3 for `cio`. */
export function tierRank(tier: ApproverTier): number {
  return APPROVER_TIERS.indexOf(tier);
}

/** True when `tier` may act where `minimum` is required (a CIO may do what an IT manager may). */
export function isAtLeast(tier: ApproverTier, minimum: ApproverTier): boolean {
  return tierRank(tier) >= tierRank(minimum);
}

export function higherTier(a: ApproverTier, b: ApproverTier): ApproverTier {
  return tierRank(a) >= tierRank(b) ? a : b;
}

/** The tier an escalation goes to; undefined at the top (nobody above the CIO). */
export function nextTierUp(tier: ApproverTier): ApprovingTier | undefined {
  const next = APPROVER_TIERS[tierRank(tier) + 1];
  return next === undefined ? undefined : (next as ApprovingTier);
}

/** The tier below (two-step approval: the tier below signs first); `none` below the lowest. */
export function tierBelow(tier: ApproverTier): ApproverTier {
  return APPROVER_TIERS[Math.max(0, tierRank(tier) - 1)];
}

/** Raises a tier by `levels` steps, stopping at the CIO. */
export function raiseTier(tier: ApproverTier, levels: number): ApproverTier {
  const rank = Math.min(APPROVER_TIERS.length - 1, tierRank(tier) + Math.max(0, Math.floor(levels)));
  return APPROVER_TIERS[rank];
}
