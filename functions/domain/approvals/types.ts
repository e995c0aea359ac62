/**
 * The approval side of a request: where it stands, who acted, and where the
 * escalation clock is. Everything here is plain JSON so the store can keep it
 * on the request record and pages can show it without translation.
 */
import type { ApproverTier } from '../policy';
import type { ApprovingTier } from './tiers';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'info-requested', 'expired-undecided', 'not-required'] as const;
/**
 * - `pending`: waiting for an approver (in two-step approval, also after the first approval).
 * - `info-requested`: an approver asked the requester for more; reminders pause, the signing date still counts.
 * - `expired-undecided`: the expected signing date came with no decision; still decidable, and reported.
 * - `not-required`: the policy allowed the request; nobody needs to sign.
 */
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
/** Statuses after which nobody decides any more. */
export const FINAL_STATUSES: readonly ApprovalStatus[] = ['approved', 'rejected', 'not-required'];

export const APPROVER_ACTIONS = ['approve', 'reject', 'request-info'] as const;
export type ApproverAction = (typeof APPROVER_ACTIONS)[number];

export const ACTION_LABELS: Record<ApproverAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  'request-info': 'Ask for more information',
};

/** One link per action; each opens the decision page with that action preselected. */
export type DecisionLinks = Record<ApproverAction, string>;

/** A person allowed to approve, as configured by IT. */
export interface Approver {
  email: string;
  name: string;
  tier: ApprovingTier;
  /** Departments this approver decides for; absent or empty means every department. */
  departments?: string[];
  /** The person's other addresses (self-approval and "a different person" compare through them). */
  aliases?: string[];
  /** The identity provider's immutable id for the person (`sub`, Entra `oid`): sign-in matches on it when set. */
  subject?: string;
}

/** One approver action, as recorded. */
export interface ApprovalStep {
  action: ApproverAction;
  by: { email: string; name?: string; tier: ApproverTier };
  comment?: string;
  at: string;
  /** Two-step approval: which signature this approval was (1 or 2). */
  stage?: 1 | 2;
  /** Recorded after the expected signing date had passed (the request was `expired-undecided`). */
  late?: boolean;
}

export interface EscalationState {
  /** 0 = the required tier is being asked; each escalation adds one. */
  level: number;
  /** Who is being asked now: the required tier raised by `level`, capped at the CIO. */
  currentTier: ApproverTier;
  /** When the current addressee was first asked (received, escalated, or information provided): reminders count from here. */
  clockStartedAt: string;
  /** Reminder sent to the current addressee (cleared by an escalation). */
  remindedAt?: string;
  escalatedAt?: string;
  /**
   * Why the clock last restarted other than by escalation: the requester
   * answered an information request, or the first of two signatures came in
   * and the second signer is now being asked. A restarted clock gives the
   * addressee a fresh wait before reminders.
   */
  clockResetBy?: 'info-provided' | 'first-signature';
  /** When the scheduler should look at this request again; absent when nothing more is due. */
  nextDueAt?: string;
  /** When the request was marked `expired-undecided` and reported; set once, so it is reported once. */
  expiredAt?: string;
}

export interface ApprovalState {
  status: ApprovalStatus;
  /** Every approver action in order, including information requests. */
  steps: ApprovalStep[];
  /** The tier whose signature completes the approval. */
  requiredApprover: ApproverTier;
  /** Two signatures from two different people: the tier below (or above) first, then the required tier. */
  twoStep: boolean;
  /** The requester could not be identified (a system or unknown actor): why two signatures are needed even below the two-step spend tier. */
  requesterUnidentified?: boolean;
  escalation: EscalationState;
  /** When the status became final (approved, rejected). */
  decidedAt?: string;
  /**
   * Incremented by every change. The store writes with a condition on the
   * previous revision so two approvers clicking at once cannot both win.
   */
  revision: number;
}
