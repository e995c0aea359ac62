/**
 * Escalation before the signing date. Approvals stall ("nobody answers"), so
 * an undecided request gets a reminder, then goes to the next tier up, each
 * escalation restarting the clock for the new addressee; a request that
 * reaches its signing date undecided is marked `expired-undecided` and
 * reported, never silently dropped.
 *
 * Timeline of one level (all times configurable):
 * - With an expected signing date D (the start of that day, UTC: the contract
 *   may be signed any time that day, so IT must be done before it starts):
 *   level 0 is reminded at D − reminderLeadHours (default 120 h) and escalated
 *   at D − escalationLeadHours (default 72 h), so the next tier still has
 *   three days. A request that arrives with less than escalationLeadHours
 *   (plus minimumGapHours) left skips the reminder and is escalated at once. After a reset (an escalation, or the requester
 *   answering an information request) the new addressee gets
 *   afterEscalationWaitHours before a reminder and twice that before the next
 *   escalation, but never earlier than the lead times.
 * - Without a date: reminded noDateWaitHours after the clock started,
 *   escalated after twice that; undecided requests expire
 *   noDateExpireAfterHours after they were received (0 = never).
 * - Always: a reminder comes first, an escalation at least minimumGapHours
 *   after the reminder, and nothing sooner than minimumGapHours after the
 *   addressee was first asked (a late request does not get a reminder a
 *   second after its notification).
 * - At the CIO there is nobody to escalate to: after its reminder the request
 *   waits for a decision or its expiry.
 *
 * Pure: `now` is passed in, so tests drive the clock.
 */
import { SCHEDULER_ACTOR, auditEntry, type AuditActor, type AuditEntry } from './audit';
import { EscalationConfigSchema, type EscalationConfig } from './config';
import { describeIssues } from '../problems';

export type { EscalationConfig };
import { nextTierUp, type ApproverTier } from './tiers';
import type { ApprovalState } from './types';

export const DEFAULT_ESCALATION_CONFIG: EscalationConfig = EscalationConfigSchema.parse({});

/** Validates escalation settings (from CDK context or a config file); throws naming each bad field. */
export function parseEscalationConfig(input: unknown): EscalationConfig {
  const parsed = EscalationConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new Error(`escalation config is invalid: ${describeIssues(parsed.error.issues).join('; ')}`);
  }
  return parsed.data;
}

const HOUR = 3_600_000;

/** The instant a signing date begins (UTC): after it, the request counts as expired-undecided. */
export function signingDeadline(expectedSigningDate: string): Date {
  const d = new Date(`${expectedSigningDate}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}$/.test(expectedSigningDate)) {
    throw new Error(`expectedSigningDate: "${expectedSigningDate}" is not a date such as 2026-12-31`);
  }
  return d;
}

/**
 * When an undecided request will be marked expired: its signing date, or for
 * requests without one, `noDateExpireAfterHours` after receipt (undefined when
 * that is switched off). Pages show it as the deadline.
 */
export function decisionDeadline(input: { expectedSigningDate?: string; receivedAt: Date | string; config?: EscalationConfig }): Date | undefined {
  if (input.expectedSigningDate) return signingDeadline(input.expectedSigningDate);
  const config = input.config ?? DEFAULT_ESCALATION_CONFIG;
  if (config.noDateExpireAfterHours <= 0) return undefined;
  return new Date(new Date(input.receivedAt).getTime() + config.noDateExpireAfterHours * HOUR);
}

export type EscalationAction = 'remind' | 'escalate' | 'expire' | 'none';

export interface EscalationPlan {
  action: EscalationAction;
  /** Who is asked now (for `remind`), or will be (for `escalate`: the tier escalated to). */
  tier: ApproverTier;
  /** For `escalate`: the tier escalated from. */
  fromTier?: ApproverTier;
  /** When the action became due (for `none`: undefined). */
  dueAt?: string;
  /** When the scheduler should look again after doing this action; undefined when nothing more can fall due. */
  nextCheckAt?: string;
  /** Why, for logs and the audit trail. */
  reason: string;
}

export interface EscalationInput {
  state: ApprovalState;
  expectedSigningDate?: string;
  receivedAt: Date | string;
  config?: EscalationConfig;
  now: Date;
}

/** What is due for a request now, and when to look next. */
export function planEscalation(input: EscalationInput): EscalationPlan {
  const config = input.config ?? DEFAULT_ESCALATION_CONFIG;
  const { state, now } = input;
  const esc = state.escalation;
  const t = now.getTime();
  const tier = esc.currentTier;

  if (state.status !== 'pending' && state.status !== 'info-requested') {
    return { action: 'none', tier, reason: `nothing to escalate: the request is ${state.status}` };
  }
  if (esc.expiredAt) {
    return { action: 'none', tier, reason: 'already marked expired-undecided and reported' };
  }
  const expireAt = decisionDeadline({ ...input, config })?.getTime();
  if (expireAt !== undefined && t >= expireAt) {
    return {
      action: 'expire',
      tier,
      dueAt: iso(expireAt),
      reason: input.expectedSigningDate
        ? `the expected signing date ${input.expectedSigningDate} has come without a decision`
        : `no decision ${config.noDateExpireAfterHours} hours after the request was received`,
    };
  }
  if (state.status === 'info-requested') {
    return {
      action: 'none',
      tier,
      nextCheckAt: opt(expireAt),
      reason: 'waiting for the requester to provide more information',
    };
  }

  const tl = timeline(state, input, config);
  if (!tl.reminded) {
    if (t >= tl.remindAt) {
      const after = timeline({ ...state, escalation: { ...esc, remindedAt: now.toISOString() } }, input, config);
      const next = nextTierUp(tier) ? after.escalateAt : undefined;
      return {
        action: 'remind',
        tier,
        dueAt: iso(tl.remindAt),
        nextCheckAt: opt(earliest(next, expireAt)),
        reason: `undecided ${describeWait(tl, input.expectedSigningDate)}`,
      };
    }
    return { action: 'none', tier, nextCheckAt: opt(earliest(tl.remindAt, expireAt)), reason: 'reminder not due yet' };
  }

  const toTier = nextTierUp(tier);
  if (!toTier) {
    return {
      action: 'none',
      tier,
      nextCheckAt: opt(expireAt),
      reason: 'the top tier has been reminded; waiting for a decision or the deadline',
    };
  }
  if (t >= tl.escalateAt) {
    const escalated: ApprovalState = {
      ...state,
      escalation: {
        ...esc,
        level: esc.level + 1,
        currentTier: toTier,
        clockStartedAt: now.toISOString(),
        escalatedAt: now.toISOString(),
        remindedAt: undefined,
      },
    };
    const after = timeline(escalated, input, config);
    return {
      action: 'escalate',
      tier: toTier,
      fromTier: tier,
      dueAt: iso(tl.escalateAt),
      nextCheckAt: opt(earliest(after.remindAt, expireAt)),
      reason: tl.tooClose
        ? `arrived with less than ${config.escalationLeadHours} hours before the signing date ${input.expectedSigningDate}: no time for a reminder to ${tier} first`
        : `still undecided after a reminder to ${tier}`,
    };
  }
  return { action: 'none', tier, nextCheckAt: opt(earliest(tl.escalateAt, expireAt)), reason: 'escalation not due yet' };
}

/**
 * When the scheduler should first look at a new (or changed) approval state,
 * for `nextDueAt`: the store's due-items query keys on it.
 */
export function nextEscalationDue(input: Omit<EscalationInput, 'now'> & { now?: Date }): string | undefined {
  const now = input.now ?? new Date(input.state.escalation.clockStartedAt);
  const plan = planEscalation({ ...input, now });
  // Something is already due: look at it straight away.
  if (plan.action !== 'none') return plan.dueAt ?? now.toISOString();
  return plan.nextCheckAt;
}

export interface EscalationOutcome {
  state: ApprovalState;
  /** The entry to append; undefined when nothing happened. */
  audit?: AuditEntry;
  plan: EscalationPlan;
  /** Whether the state must be written (a new nextDueAt counts). */
  changed: boolean;
}

/**
 * Plans and applies in one step: the new state (revision bumped) and the
 * audit entry. The caller writes both, then notifies the plan's tier.
 */
export function runEscalation(input: EscalationInput & { recordId: string; actor?: AuditActor }): EscalationOutcome {
  const plan = planEscalation(input);
  return applyEscalationPlan(input.state, plan, {
    recordId: input.recordId,
    now: input.now,
    actor: input.actor,
    expectedSigningDate: input.expectedSigningDate,
  });
}

export function applyEscalationPlan(
  state: ApprovalState,
  plan: EscalationPlan,
  ctx: { recordId: string; now: Date; actor?: AuditActor; expectedSigningDate?: string },
): EscalationOutcome {
  const now = ctx.now.toISOString();
  const actor = ctx.actor ?? SCHEDULER_ACTOR;
  const esc = state.escalation;
  const bump = (s: ApprovalState): ApprovalState => ({ ...s, revision: state.revision + 1 });
  switch (plan.action) {
    case 'remind': {
      const next = bump({ ...state, escalation: { ...esc, remindedAt: now, nextDueAt: plan.nextCheckAt } });
      return {
        plan,
        changed: true,
        state: stripUndefined(next),
        audit: auditEntry(ctx.recordId, 'reminded', actor, ctx.now, {
          tier: plan.tier,
          level: esc.level,
          nextDueAt: plan.nextCheckAt ?? null,
          reason: plan.reason,
        }),
      };
    }
    case 'escalate': {
      const next = bump({
        ...state,
        escalation: {
          ...esc,
          level: esc.level + 1,
          currentTier: plan.tier,
          clockStartedAt: now,
          escalatedAt: now,
          remindedAt: undefined,
          nextDueAt: plan.nextCheckAt,
        },
      });
      return {
        plan,
        changed: true,
        state: stripUndefined(next),
        audit: auditEntry(ctx.recordId, 'escalated', actor, ctx.now, {
          fromTier: plan.fromTier ?? esc.currentTier,
          toTier: plan.tier,
          level: esc.level + 1,
          nextDueAt: plan.nextCheckAt ?? null,
          reason: plan.reason,
        }),
      };
    }
    case 'expire': {
      const next = bump({
        ...state,
        status: 'expired-undecided',
        escalation: { ...esc, expiredAt: now, nextDueAt: undefined },
      });
      return {
        plan,
        changed: true,
        state: stripUndefined(next),
        audit: auditEntry(ctx.recordId, 'expired', actor, ctx.now, {
          signingDate: ctx.expectedSigningDate ?? null,
          tier: esc.currentTier,
          level: esc.level,
          statusBefore: state.status,
          reason: plan.reason,
        }),
      };
    }
    case 'none': {
      if (esc.nextDueAt === plan.nextCheckAt) return { plan, changed: false, state };
      return { plan, changed: true, state: stripUndefined(bump({ ...state, escalation: { ...esc, nextDueAt: plan.nextCheckAt } })) };
    }
  }
}

interface Timeline {
  remindAt: number;
  escalateAt: number;
  reminded: boolean;
  clockStart: number;
  /** Arrived inside the escalation lead: escalated without a reminder first. */
  tooClose?: boolean;
}

function timeline(state: ApprovalState, input: Omit<EscalationInput, 'now' | 'config'>, config: EscalationConfig): Timeline {
  const esc = state.escalation;
  const clockStart = Date.parse(esc.clockStartedAt) || new Date(input.receivedAt).getTime();
  const gap = config.minimumGapHours * HOUR;
  const reset = esc.level > 0 || esc.clockResetBy !== undefined;
  let remindAt: number;
  let escalateAt: number;
  if (input.expectedSigningDate) {
    const d = signingDeadline(input.expectedSigningDate).getTime();
    const wait = reset ? config.afterEscalationWaitHours * HOUR : 0;
    remindAt = Math.max(d - config.reminderLeadHours * HOUR, clockStart + wait);
    escalateAt = Math.max(d - config.escalationLeadHours * HOUR, clockStart + 2 * wait);
  } else {
    remindAt = clockStart + config.noDateWaitHours * HOUR;
    escalateAt = clockStart + 2 * config.noDateWaitHours * HOUR;
  }
  remindAt = Math.max(remindAt, clockStart + gap);
  const remindedAt = esc.remindedAt ? Date.parse(esc.remindedAt) : undefined;
  const reminded = remindedAt !== undefined && remindedAt >= clockStart;
  // A first addressee asked with less than the escalation lead (and a reminder's gap) left has no
  // time for a reminder first: the next tier is asked at once, while it still has the lead time.
  if (
    input.expectedSigningDate &&
    !reset &&
    !reminded &&
    nextTierUp(esc.currentTier) &&
    clockStart + gap >= signingDeadline(input.expectedSigningDate).getTime() - config.escalationLeadHours * HOUR
  ) {
    return { remindAt, escalateAt: clockStart, reminded: true, clockStart, tooClose: true };
  }
  escalateAt = Math.max(escalateAt, (reminded ? remindedAt : remindAt) + gap);
  return { remindAt, escalateAt, reminded, clockStart };
}

function describeWait(tl: Timeline, signingDate: string | undefined): string {
  return signingDate
    ? `with the signing date ${signingDate} approaching`
    : `${Math.round((tl.remindAt - tl.clockStart) / HOUR)} hours after the approver was asked`;
}

function earliest(...times: (number | undefined)[]): number | undefined {
  const defined = times.filter((x): x is number => x !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

const iso = (t: number) => new Date(t).toISOString();
const opt = (t: number | undefined) => (t === undefined ? undefined : iso(t));

/** Removes keys set to undefined so the state stays clean JSON (the store would drop them anyway). */
function stripUndefined(state: ApprovalState): ApprovalState {
  const escalation = { ...state.escalation };
  for (const k of Object.keys(escalation) as (keyof typeof escalation)[]) {
    if (escalation[k] === undefined) delete escalation[k];
  }
  return { ...state, escalation };
}
