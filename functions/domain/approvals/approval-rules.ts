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
 *   Addresses are compared case-insensitively, without `+tags` and through
 *   known aliases (the approver directory's; later a people directory's).
 * - When the requester cannot be identified (an app event whose actor is a
 *   system, an app or nobody, or names no address), nobody can check that the
 *   approver is not the requester: the request needs two signatures from two
 *   different people (four eyes), whatever its spend tier.
 * - An approver decides only for the departments they cover (see
 *   approver-directory.ts): an IT manager for Marketing cannot approve,
 *   reject or question Engineering's request. Approvers without a department
 *   list (typically the IT director and the CIO) cover every department.
 * - Approving a request with a high or critical finding needs a comment: the
 *   audit trail must say why the risk was accepted.
 * - Escalation adds addressees; it takes nobody's authority away.
 * - A request past its signing date (`expired-undecided`) can still be
 *   decided: the contract may not be signed yet, and a late answer is better
 *   than none. The step is marked `late` and the audit entry says so.
 * - Rejecting and asking for information need a comment: the requester is
 *   owed a reason or a question.
 * - "Ask for more information" pauses reminders (the requester has the ball);
 *   approvers may still approve or reject meanwhile.
 */
import type { Decision, Finding } from '../decision';
import { auditEntry, type AuditActor, type AuditEntry } from './audit';
import { DEFAULT_ESCALATION_CONFIG, nextEscalationDue, type EscalationConfig } from './escalation';
import { MAX_COMMENT_LENGTH, validateComment } from './comments';
import { coversDepartment } from './approver-directory';
import { NO_ALIASES, samePerson, type AliasSource } from './identity';
import { TIER_LABELS, higherTier, isAtLeast, tierBelow, type ApproverTier, type ApprovingTier } from './tiers';
import { ACTION_LABELS, type ApprovalState, type ApprovalStatus, type ApprovalStep, type ApproverAction } from './types';

export interface ApprovalRulesConfig {
  /** Lowest tier that may approve a `review` outcome. */
  reviewMinimumTier: ApprovingTier;
  /** Lowest tier that may override a `block` outcome. */
  blockMinimumTier: ApprovingTier;
  /** Approvers above the tier a request needs cover every department (see approver-directory.ts). */
  seniorTiersCoverAllDepartments: boolean;
}

export const DEFAULT_APPROVAL_RULES: ApprovalRulesConfig = {
  reviewMinimumTier: 'it-manager',
  blockMinimumTier: 'it-director',
  seniorTiersCoverAllDepartments: false,
};

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
  /** False when nobody can tell who raised the request (see {@link requesterIsIdentified}): two signatures are required. Default true. */
  requesterIdentified?: boolean;
}

/**
 * The approval state a fresh decision starts with: `not-required` for
 * `allow`, otherwise `pending` with the tier that must sign and the first
 * escalation check already scheduled (`escalation.nextDueAt`). An
 * unidentified requester makes it a two-signature approval.
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
  const unidentified = options.requesterIdentified === false;
  const twoStep = decision.twoStepApproval === true || unidentified;
  const state: ApprovalState = {
    status: 'pending',
    steps: [],
    requiredApprover: required,
    twoStep,
    ...(unidentified ? { requesterUnidentified: true } : {}),
    escalation: { level: 0, currentTier: firstAddresseeTier(required, twoStep), clockStartedAt: start },
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
  | 'DEPARTMENT_NOT_COVERED'
  | 'TIER_TOO_LOW'
  | 'ALREADY_DECIDED'
  | 'NOT_REQUIRED'
  | 'SAME_APPROVER_TWICE'
  | 'COMMENT_REQUIRED'
  | 'COMMENT_TOO_LONG'
  | 'UNKNOWN_ACTION'
  /** Someone other than the link's approver is signed in (decided by the decision use case, not the rules). */
  | 'WRONG_APPROVER';

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
  /** Departments they decide for, from the directory; absent or empty means every department. */
  departments?: readonly string[];
}

export interface ApproverActionRequest {
  state: ApprovalState;
  /** The requester's address (or every address of the people behind the request). */
  requesterEmail?: string | readonly string[];
  /** The request's department; undefined when it names none (only approvers covering every department may act). */
  department?: string;
  approver: ActingApprover;
  action: ApproverAction | string;
  now: Date;
  /** Other addresses of requesters and approvers (the approver directory's aliases). */
  aliases?: AliasSource;
  /** The policy's rules (only `seniorTiersCoverAllDepartments` matters here). */
  rules?: Partial<ApprovalRulesConfig>;
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
    return refuse(
      'ALREADY_DECIDED',
      `This request was already ${state.status}${by}${state.decidedAt ? ` on ${state.decidedAt.slice(0, 10)}` : ''}; nothing was changed.`,
    );
  }
  const aliases = req.aliases ?? NO_ALIASES;
  const requesters = req.requesterEmail === undefined ? [] : typeof req.requesterEmail === 'string' ? [req.requesterEmail] : req.requesterEmail;
  if (requesters.some((r) => samePerson(r, approver.email, aliases))) {
    return refuse('SELF_APPROVAL', 'You raised this request, so you cannot decide it: another approver must (separation of duties).');
  }
  const coverage = {
    department: req.department,
    requiredTier: state.requiredApprover,
    seniorTiersCoverAllDepartments: req.rules?.seniorTiersCoverAllDepartments === true,
  };
  if (
    approver.tier !== 'none' &&
    !coversDepartment({ tier: approver.tier, departments: approver.departments ? [...approver.departments] : undefined }, coverage)
  ) {
    return refuse('DEPARTMENT_NOT_COVERED', departmentRefusal(req.department, approver.departments ?? []));
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
    if (progress.stage === 'second-signature' && samePerson(progress.firstSigner?.email, approver.email, aliases)) {
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
  req: ApproverActionRequest & { recordId: string; comment?: string; findings?: readonly Pick<Finding, 'severity'>[]; schedule?: EscalationSchedule },
): AppliedApproverAction | ApprovalRefusal {
  const permission = authorizeApproverAction(req);
  if (!permission.ok) return permission;
  const comment = validateComment(permission.action, req.comment, req.findings);
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
  const note = input.note
    ?.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_COMMENT_LENGTH);
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

function departmentRefusal(department: string | undefined, covered: readonly string[]): string {
  const yours = covered.length > 4 ? `${covered.slice(0, 4).join(', ')} and ${covered.length - 4} more` : covered.join(', ');
  return department === undefined
    ? `This request names no department, and you decide only for ${yours}: an approver who covers every department must decide it.`
    : `This request is from ${department}, and you decide for ${yours}: an approver who covers ${department} must decide it.`;
}

function refuse(code: RefusalCode, reason: string): ApprovalRefusal {
  return { ok: false, code, reason };
}

function article(label: string): string {
  return /^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`;
}
