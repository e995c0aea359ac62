/**
 * An approver's decision from the decision page, after the caller checked
 * the link's signature and the form's CSRF value. Order: refuse a spent link,
 * check who is signed in (where anyone is: the link's approver must be the
 * person signed in), apply the rules (nothing is spent on a refusal or a
 * fixable form problem),
 * spend the link (conditional put: of two concurrent uses exactly one
 * passes), write the state with its effects under the revision condition,
 * then perform the effects.
 */
import {
  applyApproverAction,
  auditEntry,
  requestSummaryOf,
  samePerson,
  type ActingApprover,
  type ApprovalRefusal,
  type ApprovalState,
  type ApprovalStep,
  type AuditActor,
} from '../../approvals';
import { errorMessage } from '../../errors';
import type { RequestRecord } from '../../records';
import type { ApprovalStore } from '../../ports/approval-store';
import type { DecisionLinkStore, DecisionLinkUse } from '../../ports/decision-link-store';
import type { PolicySource } from '../../ports/policy-source';
import { decisionEffects, performEffects, type EffectDeps } from './effects';
import type { PeopleDirectory } from '../../ports/app-inventory';
import { recordAliases } from './directory-aliases';
import { actingApprover, aliasesOf, approvalSettingsOf, ruleContextOf } from './settings';

export interface DecideDeps extends EffectDeps {
  policy: PolicySource;
  approvals: ApprovalStore;
  usedLinks: DecisionLinkStore;
  /** The people directory: its aliases recognise a requester or first signer under another address (never widen who may approve). */
  people?: PeopleDirectory;
}

export interface DecideInput {
  recordId: string;
  /** Who the link was signed for: the decision is theirs. */
  approverEmail: string;
  action: string;
  comment?: string;
  /** The link's unique id and expiry: recorded so the link works once. */
  tokenId: string;
  tokenExpiresAt: Date;
  /**
   * Who is signed in, where the deployment can tell (identity provider, or a
   * local session): the directory address of the approver they are
   * (undefined when they are not one) and how to name them in the audit
   * trail. When present, it must be the link's approver. Absent: nobody is
   * signed in, and the link alone decides unless `signInRequired`.
   */
  signedIn?: { approverEmail?: string; shownAs: string };
  /** Deployed with an identity provider: a decision needs a signed-in approver matching the link. */
  signInRequired?: boolean;
}

export type DecideResult =
  | { status: 'recorded'; record: RequestRecord; state: ApprovalState; step: ApprovalStep; final: boolean; effectsFailed: number }
  | { status: 'not-found' }
  | { status: 'used'; use?: DecisionLinkUse }
  /** An identity provider is configured and nobody is signed in: nothing recorded, the link still works after sign-in. */
  | { status: 'sign-in-required' }
  /** Someone other than the link's approver is signed in: nothing recorded (audited once per link). */
  | { status: 'wrong-approver'; refusal: ApprovalRefusal }
  /** A fixable problem with the form (comment missing or too long): nothing recorded, the link still works. */
  | { status: 'invalid'; refusal: ApprovalRefusal; record: RequestRecord }
  /** The rules refuse this approver this action (self-approval, tier, already decided…). */
  | { status: 'refused'; refusal: ApprovalRefusal; record: RequestRecord }
  /** The approval kept changing under us; nothing recorded, the link still works. */
  | { status: 'conflict'; record: RequestRecord };

/** Writes of one decision compete with other approvers and the sweep; a few rereads settle it. */
const MAX_DECIDE_ATTEMPTS = 4;

export async function decideRequest(deps: DecideDeps, input: DecideInput): Promise<DecideResult> {
  const spent = await deps.usedLinks.find(input.tokenId);
  if (spent) return { status: 'used', use: spent };
  const settings = approvalSettingsOf((await deps.policy.current()).policy);
  const approver = actingApprover(settings, input.approverEmail);
  if (!input.signedIn && input.signInRequired) return { status: 'sign-in-required' };
  // Who may act with this link: the policy's approver aliases only (a directory import never makes someone an approver).
  if (input.signedIn && !samePerson(input.signedIn.approverEmail, approver.email, aliasesOf(settings))) {
    const refusal: ApprovalRefusal = {
      ok: false,
      code: 'WRONG_APPROVER',
      reason: `This link is ${approver.name ?? approver.email}'s, and you are signed in as ${input.signedIn.shownAs}: a decision link works only for the approver it was sent to.`,
    };
    const actor: AuditActor = { kind: 'approver', id: input.signedIn.approverEmail ?? input.signedIn.shownAs };
    await auditRefusal(deps, input, actor, refusal, deps.clock.now(), { linkFor: approver.email });
    return { status: 'wrong-approver', refusal };
  }
  let consumed: DecisionLinkUse | undefined;
  const release = async () => {
    if (!consumed) return;
    await deps.usedLinks.release(consumed.tokenId, consumed.usedAt).catch((error: unknown) =>
      deps.logger?.warn('Could not give a decision link back after a failed decision; it stays spent', {
        recordId: input.recordId,
        error: errorMessage(error),
      }),
    );
  };

  for (let attempt = 0; attempt < MAX_DECIDE_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const loaded = await deps.approvals.load(input.recordId);
    if (!loaded) {
      await release();
      return { status: 'not-found' };
    }
    const { record } = loaded;
    const summary = requestSummaryOf(record, settings.escalation);
    const aliases = await recordAliases(deps.people, settings, record, approver.email, deps.logger);
    const applied = applyApproverAction({
      ...ruleContextOf(record, settings, approver, aliases),
      action: input.action,
      now,
      recordId: record.recordId,
      comment: input.comment,
      findings: record.decision.findings,
      schedule: { expectedSigningDate: summary.expectedSigningDate, receivedAt: record.receivedAt, escalation: settings.escalation },
    });
    if (!applied.ok) {
      await release();
      if (applied.code === 'COMMENT_REQUIRED' || applied.code === 'COMMENT_TOO_LONG' || applied.code === 'UNKNOWN_ACTION') {
        return { status: 'invalid', refusal: applied, record };
      }
      // Kept for security review (self-approval attempts, tier or department shopping); no state changes.
      await auditRefusal(deps, input, actorOf(approver), applied, now);
      return { status: 'refused', refusal: applied, record };
    }

    if (!consumed) {
      const use: DecisionLinkUse = {
        tokenId: input.tokenId,
        recordId: record.recordId,
        approverEmail: input.approverEmail,
        action: applied.step.action,
        usedAt: now.toISOString(),
        expiresAt: input.tokenExpiresAt.toISOString(),
      };
      if (!(await deps.usedLinks.consume(use))) return { status: 'used', use: await deps.usedLinks.find(input.tokenId) };
      consumed = use;
    }

    const effects = decisionEffects(record, applied, summary, now);
    let saved: boolean;
    try {
      saved = await deps.approvals.save(record.recordId, record.approval.revision, applied.state, effects, now);
    } catch (error) {
      await release();
      throw error;
    }
    if (!saved) continue; // someone decided or the sweep moved it: reread and judge again
    const updated = { ...record, approval: applied.state };
    deps.logger?.info('Approver decision recorded', {
      recordId: record.recordId,
      action: applied.step.action,
      status: applied.state.status,
      approver: approver.email,
      revision: applied.state.revision,
    });
    const { failed } = await performEffects(deps, updated, effects, settings);
    // Everything done: take the record off "due now" (the sweep would otherwise look once for nothing).
    if (failed === 0) {
      await deps.approvals
        .reschedule(record.recordId, applied.state.revision, deps.clock.now())
        .catch((error: unknown) =>
          deps.logger?.warn('Could not reschedule after a decision; the sweep will', { recordId: record.recordId, error: errorMessage(error) }),
        );
    }
    return { status: 'recorded', record: updated, state: applied.state, step: applied.step, final: applied.final, effectsFailed: failed };
  }
  await release();
  const latest = await deps.approvals.load(input.recordId);
  return latest ? { status: 'conflict', record: latest.record } : { status: 'not-found' };
}

function actorOf(approver: ActingApprover): AuditActor {
  return { kind: 'approver', id: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier };
}

/**
 * One audit entry per link and reason, however often it is tried: the
 * entry's id comes from the link's id and the reason (auditEntryId), so the
 * log's conditional put keeps the first attempt and drops the repeats.
 */
async function auditRefusal(
  deps: DecideDeps,
  input: DecideInput,
  actor: AuditActor,
  refusal: ApprovalRefusal,
  now: Date,
  extra: { [key: string]: string } = {},
): Promise<void> {
  const entry = auditEntry(input.recordId, 'refused', actor, now, { action: String(input.action).slice(0, 40), reason: refusal.code, ...extra });
  await deps.audit
    .append({ ...entry, onceKey: `${input.tokenId}#${refusal.code}` })
    .catch((error: unknown) => deps.logger?.warn('Could not audit a refused decision', { recordId: input.recordId, error: errorMessage(error) }));
}
