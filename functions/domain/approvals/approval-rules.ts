/**
 * Who may decide a request, and what a decision does to it. Separation of
 * duties (nobody approves their own request), the tier the policy demands,
 * and two-step approval by two different people are enforced here, in one
 * pure place, so the decision page, the API and the CLI cannot disagree.
 *
 * Decisions made here (documented for approvers and auditors):
 * - A `review` needs at least an IT manager, a `block` at least an IT
 *   director: a block is the policy saying "no", and overriding it is a
 *   bigger call. The spend tier raises either (a CIO-tier amount needs the
 *   CIO). Both minimums are configurable.
 * - Two-step: signature 1 from the tier below the required one or higher
 *   (never below IT manager), signature 2 from the required tier, by a
 *   different person. A rejection by anyone entitled to sign either step ends
 *   the request.
 * - The requester cannot act on their own request at all (approve, reject or
 *   ask for information): withdrawing goes through the procurement tool.
 *   Addresses are compared case-insensitively and without `+tags`.
 * - Escalation adds addressees; it takes nobody's authority away.
 * - A request past its signing date (`expired-undecided`) can still be
 *   decided: the contract may not be signed yet, and a late answer is better
 *   than none. The step is marked `late` and the audit entry says so.
 * - Rejecting and asking for information need a comment: the requester is
 *   owed a reason or a question.
 * - "Ask for more information" pauses reminders (the requester has the ball);
 *   approvers may still approve or reject meanwhile.
 */
import type { Decision } from '../decision';
import { auditEntry, type AuditActor, type AuditEntry } from './audit';
import { DEFAULT_ESCALATION_CONFIG, nextEscalationDue, type EscalationConfig } from './escalation';
import { samePerson } from './identity';
import { TIER_LABELS, higherTier, isAtLeast, tierBelow, type ApproverTier, type ApprovingTier } from './tiers';
import { ACTION_LABELS, type ApprovalState, type ApprovalStatus, type ApprovalStep, type ApproverAction } from './types';

export interface ApprovalRulesConfig {
  /** Lowest tier that may approve a `review` outcome. */
  reviewMinimumTier: ApprovingTier;
  /** Lowest tier that may override a `block` outcome. */
  blockMinimumTier: ApprovingTier;
}

export const DEFAULT_APPROVAL_RULES: ApprovalRulesConfig = {
  reviewMinimumTier: 'it-manager',
  blockMinimumTier: 'it-director',
};

/** Longest comment kept (the page's textarea says so too). */
export const MAX_COMMENT_LENGTH = 2000;

/** What escalation timing needs to know about a request besides its approval state. */
export interface EscalationSchedule {
  expectedSigningDate?: string;
  receivedAt: Date | string;
  escalation?: EscalationConfig;
}

export interface InitialApprovalOptions {
  expectedSigningDate?: string;
  /** When the event arrived; the escalation clock starts here (defaults to `now`). */
  receivedAt?: Date;
  escalation?: EscalationConfig;
  rules?: Partial<ApprovalRulesConfig>;
}

/**
 * The approval state a fresh decision starts with: `not-required` for
 * `allow`, otherwise `pending` with the tier that must sign and the first
 * escalation check already scheduled (`escalation.nextDueAt`).
 */
export function initialApprovalState(decision: Decision, now: Date, options: InitialApprovalOptions = {}): ApprovalState {
  const rules = { ...DEFAULT_APPROVAL_RULES, ...options.rules };
  const start = (options.receivedAt ?? now).toISOString();
  if (decision.outcome === 'allow') {
    return {
      status: 'not-required',
      steps: [],
      requiredApprover: 'none',
      twoStep: false,
      escalation: { level: 0, currentTier: 'none', clockStartedAt: start },
      revision: 0,
    };
  }
  const minimum = decision.outcome === 'block' ? rules.blockMinimumTier : rules.reviewMinimumTier;
  const required = higherTier(decision.requiredApprover ?? 'none', minimum);
  const state: ApprovalState = {
    status: 'pending',
    steps: [],
    requiredApprover: required,
    twoStep: decision.twoStepApproval === true,
    escalation: { level: 0, currentTier: firstAddresseeTier(required, decision.twoStepApproval === true), clockStartedAt: start },
    revision: 0,
  };
  const nextDueAt = nextEscalationDue({
    state,
    expectedSigningDate: options.expectedSigningDate,
    receivedAt: start,
    config: options.escalation ?? DEFAULT_ESCALATION_CONFIG,
  });
  return nextDueAt ? { ...state, escalation: { ...state.escalation, nextDueAt } } : state;
}

/** Lowest tier that may give signature 1 of a two-step approval. */
export function firstSignatureTier(required: ApproverTier): ApprovingTier {
  return higherTier(tierBelow(required), 'it-manager') as ApprovingTier;
}

/** Who is asked first: in two-step approval the first signer's tier, otherwise the required tier. */
function firstAddresseeTier(required: ApproverTier, twoStep: boolean): ApproverTier {
  return twoStep ? firstSignatureTier(required) : higherTier(required, 'it-manager');
}

export type RefusalCode =
  | 'SELF_APPROVAL'
  | 'TIER_TOO_LOW'
  | 'ALREADY_DECIDED'
  | 'NOT_REQUIRED'
  | 'SAME_APPROVER_TWICE'
  | 'COMMENT_REQUIRED'
  | 'COMMENT_TOO_LONG'
  | 'UNKNOWN_ACTION';

export interface ApprovalRefusal {
  ok: false;
  code: RefusalCode;
  /** A sentence for the person who tried (pages show it as is, escaped). */
  reason: string;
}

export interface ApprovalPermission {
  ok: true;
  action: ApproverAction;
  /** Two-step approvals: which signature an `approve` gives. */
  stage?: 1 | 2;
  /** True when this action ends the approval (approved or rejected). */
  final: boolean;
  /** Decided after the signing date had passed. */
  late: boolean;
  statusAfter: ApprovalStatus;
}

export interface ActingApprover {
  email: string;
  name?: string;
  /** The tier from the approver directory; `none` for someone who is not in it. */
  tier: ApproverTier;
}

export interface ApproverActionRequest {
  state: ApprovalState;
  /** The requester's address (or every address of the people behind the request). */
  requesterEmail?: string | readonly string[];
  approver: ActingApprover;
  action: ApproverAction | string;
  now: Date;
}

/** Where a request is in its approval, for pages and messages. */
export interface ApprovalProgress {
  stage: 'not-required' | 'single' | 'first-signature' | 'second-signature' | 'done';
  /** Lowest tier that may give the next approval (undefined when done). */
  neededTier?: ApproverTier;
  firstSigner?: ApprovalStep['by'];
}

export function approvalProgress(state: ApprovalState): ApprovalProgress {
  if (state.status === 'not-required') return { stage: 'not-required' };
  if (state.status === 'approved' || state.status === 'rejected') return { stage: 'done' };
  if (!state.twoStep) return { stage: 'single', neededTier: state.requiredApprover };
  const first = state.steps.find((s) => s.action === 'approve');
  return first
    ? { stage: 'second-signature', neededTier: state.requiredApprover, firstSigner: first.by }
    : { stage: 'first-signature', neededTier: firstSignatureTier(state.requiredApprover) };
}

/**
 * Whether this approver may take this action now. Pure and side-effect free:
 * pages call it to show what is possible, the decision API calls it (through
 * {@link applyApproverAction}) before anything is written.
 */
export function authorizeApproverAction(req: ApproverActionRequest): ApprovalPermission | ApprovalRefusal {
  const { state, approver } = req;
  const action = req.action;
  if (!isApproverAction(action)) {
    return refuse('UNKNOWN_ACTION', `"${String(action).slice(0, 40)}" is not an action; use approve, reject or request-info.`);
  }
  if (state.status === 'not-required') {
    return refuse('NOT_REQUIRED', 'The policy allowed this request; it needs no approval.');
  }
  if (state.status === 'approved' || state.status === 'rejected') {
    const last = [...state.steps].reverse().find((s) => s.action !== 'request-info');
    const by = last ? ` by ${last.by.name ?? last.by.email}` : '';
    return refuse('ALREADY_DECIDED', `This request was already ${state.status}${by}${state.decidedAt ? ` on ${state.decidedAt.slice(0, 10)}` : ''}; nothing was changed.`);
  }
  const requesters = req.requesterEmail === undefined ? [] : typeof req.requesterEmail === 'string' ? [req.requesterEmail] : req.requesterEmail;
  if (requesters.some((r) => samePerson(r, approver.email))) {
    return refuse('SELF_APPROVAL', 'You raised this request, so you cannot decide it: another approver must (separation of duties).');
  }

  const progress = approvalProgress(state);
  const late = state.status === 'expired-undecided' || state.escalation.expiredAt !== undefined;
  const keepOpen: ApprovalStatus = state.escalation.expiredAt ? 'expired-undecided' : 'pending';

  if (action === 'approve') {
    const needed = progress.neededTier ?? state.requiredApprover;
    if (!isAtLeast(approver.tier, needed) || approver.tier === 'none') {
      return refuse(
        'TIER_TOO_LOW',
        `${progress.stage === 'first-signature' ? 'The first signature' : progress.stage === 'second-signature' ? 'The second signature' : 'This approval'} needs ${article(TIER_LABELS[needed])} or higher; you are ${approver.tier === 'none' ? 'not an approver' : article(TIER_LABELS[approver.tier])}.`,
      );
    }
    if (progress.stage === 'second-signature' && samePerson(progress.firstSigner?.email, approver.email)) {
      return refuse('SAME_APPROVER_TWICE', 'You gave the first signature; the second must come from a different person.');
    }
    if (progress.stage === 'first-signature') {
      return { ok: true, action, stage: 1, final: false, late, statusAfter: keepOpen };
    }
    return {
      ok: true,
      action,
      stage: progress.stage === 'second-signature' ? 2 : undefined,
      final: true,
      late,
      statusAfter: 'approved',
    };
  }

  // Reject or ask for information: anyone entitled to sign any step.
  const minimum = state.twoStep ? firstSignatureTier(state.requiredApprover) : higherTier(state.requiredApprover, 'it-manager');
  if (!isAtLeast(approver.tier, minimum) || approver.tier === 'none') {
    return refuse(
      'TIER_TOO_LOW',
      `${action === 'reject' ? 'Rejecting' : 'Asking for information on'} this request needs ${article(TIER_LABELS[minimum])} or higher; you are ${approver.tier === 'none' ? 'not an approver' : article(TIER_LABELS[approver.tier])}.`,
    );
  }
  return action === 'reject'
    ? { ok: true, action, final: true, late, statusAfter: 'rejected' }
    : { ok: true, action, final: false, late, statusAfter: 'info-requested' };
}

/** Checks a comment for an action; returns a refusal or the cleaned comment. */
export function validateComment(action: ApproverAction, comment: string | undefined): ApprovalRefusal | { ok: true; comment?: string } {
  // Normalise line endings and drop control characters other than newline and tab: comments reach pages and messages.
  const cleaned = (comment ?? '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (cleaned.length > MAX_COMMENT_LENGTH) {
    return refuse('COMMENT_TOO_LONG', `The comment is ${cleaned.length} characters; keep it to ${MAX_COMMENT_LENGTH}.`);
  }
  if (!cleaned && action === 'reject') return refuse('COMMENT_REQUIRED', 'Say why you reject it (and what to use instead): the requester gets your comment.');
  if (!cleaned && action === 'request-info') return refuse('COMMENT_REQUIRED', 'Say what information you need: the requester gets your comment.');
  return cleaned ? { ok: true, comment: cleaned } : { ok: true };
}

export interface AppliedApproverAction {
  ok: true;
  state: ApprovalState;
  step: ApprovalStep;
  audit: AuditEntry;
  /** True when the approval ended (approved or rejected). */
  final: boolean;
}

/**
 * Authorises and applies one approver action: the new state (revision
 * bumped, so the store's conditional write detects a concurrent change) and
 * the audit entry to append. Refuses without changing anything otherwise.
 */
export function applyApproverAction(
  req: ApproverActionRequest & { recordId: string; comment?: string; schedule?: EscalationSchedule },
): AppliedApproverAction | ApprovalRefusal {
  const permission = authorizeApproverAction(req);
  if (!permission.ok) return permission;
  const comment = validateComment(permission.action, req.comment);
  if (!comment.ok) return comment;

  const { state, approver, now } = req;
  const at = now.toISOString();
  const step: ApprovalStep = {
    action: permission.action,
    by: { email: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier },
    ...(comment.comment ? { comment: comment.comment } : {}),
    at,
    ...(permission.stage ? { stage: permission.stage } : {}),
    ...(permission.late ? { late: true } : {}),
  };
  const escalation = { ...state.escalation };
  if (permission.stage === 1) {
    // The second signer is asked now: their clock starts fresh.
    escalation.currentTier = higherTier(escalation.currentTier, state.requiredApprover);
    escalation.clockStartedAt = at;
    escalation.clockResetBy = 'first-signature';
    delete escalation.remindedAt;
  }
  const next: ApprovalState = {
    ...state,
    status: permission.statusAfter,
    steps: [...state.steps, step],
    escalation,
    ...(permission.final ? { decidedAt: at } : {}),
    revision: state.revision + 1,
  };
  if (permission.final) {
    delete next.escalation.nextDueAt;
  } else {
    // Still open: the scheduler must look again (reminders, or the expiry while information is awaited).
    const due = req.schedule ? nextEscalationDue({ state: next, ...req.schedule, now }) : at;
    if (due) next.escalation.nextDueAt = due;
    else delete next.escalation.nextDueAt;
  }
  const actor: AuditActor = { kind: 'approver', id: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier };
  const audit = auditEntry(req.recordId, permission.action === 'request-info' ? 'info-requested' : 'decided', actor, now, {
    action: permission.action,
    comment: comment.comment,
    stage: permission.stage !== undefined ? String(permission.stage) : undefined,
    late: permission.late || undefined,
    statusBefore: state.status,
    statusAfter: permission.statusAfter,
    requiredApprover: state.requiredApprover,
  });
  return { ok: true, state: next, step, audit, final: permission.final };
}

/**
 * The requester answered an information request: back to `pending` (or
 * `expired-undecided` if the date passed meanwhile) with a fresh escalation
 * clock. `nextDueAt` is recomputed by the caller with {@link nextEscalationDue}
 * or the next scheduler run; here it is set for the new clock.
 */
export function resumeAfterInformation(input: {
  state: ApprovalState;
  recordId: string;
  now: Date;
  actor: AuditActor;
  note?: string;
  expectedSigningDate?: string;
  receivedAt: Date | string;
  escalation?: EscalationConfig;
}): { changed: true; state: ApprovalState; audit: AuditEntry } | { changed: false; state: ApprovalState; reason: string } {
  const { state, now } = input;
  if (state.status !== 'info-requested') {
    return { changed: false, state, reason: `no information was requested (the request is ${state.status})` };
  }
  const at = now.toISOString();
  const resumed: ApprovalState = {
    ...state,
    status: state.escalation.expiredAt ? 'expired-undecided' : 'pending',
    escalation: { ...state.escalation, clockStartedAt: at, clockResetBy: 'info-provided' },
    revision: state.revision + 1,
  };
  delete resumed.escalation.remindedAt;
  delete resumed.escalation.nextDueAt;
  const nextDueAt = nextEscalationDue({
    state: resumed,
    expectedSigningDate: input.expectedSigningDate,
    receivedAt: input.receivedAt,
    config: input.escalation,
    now,
  });
  if (nextDueAt) resumed.escalation.nextDueAt = nextDueAt;
  const note = input.note?.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim().slice(0, MAX_COMMENT_LENGTH);
  return {
    changed: true,
    state: resumed,
    audit: auditEntry(input.recordId, 'info-provided', input.actor, now, { note: note || undefined, statusAfter: resumed.status }),
  };
}

/** True for actions an approver can take (guards form input). */
export function isApproverAction(value: unknown): value is ApproverAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_LABELS, value);
}

/** Open statuses: the request still awaits a decision. */
export function isUndecided(state: ApprovalState): boolean {
  return state.status === 'pending' || state.status === 'info-requested' || state.status === 'expired-undecided';
}

function refuse(code: RefusalCode, reason: string): ApprovalRefusal {
  return { ok: false, code, reason };
}

function article(label: string): string {
  return /^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`;
}
