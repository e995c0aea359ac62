/**
 * An approver's decision from the decision page, after the caller checked
 * the link's signature and the form's CSRF value. Order: refuse a spent link,
 * apply the rules (nothing is spent on a refusal or a fixable form problem),
 * spend the link (conditional put: of two concurrent uses exactly one
 * passes), write the state with its effects under the revision condition,
 * then perform the effects.
 */
import { applyApproverAction, auditEntry, requestSummaryOf, requesterEmailsOf, type ApprovalRefusal, type ApprovalState, type ApprovalStep } from '../../approvals';
import { errorMessage } from '../../errors';
import type { RequestRecord } from '../../records';
import type { ApprovalStore } from '../../ports/approval-store';
import type { DecisionLinkStore, DecisionLinkUse } from '../../ports/decision-link-store';
import type { PolicySource } from '../../ports/policy-source';
import { decisionEffects, performEffects, type EffectDeps } from './effects';
import { actingApprover, approvalSettingsOf } from './settings';

export interface DecideDeps extends EffectDeps {
  policy: PolicySource;
  approvals: ApprovalStore;
  usedLinks: DecisionLinkStore;
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
}

export type DecideResult =
  | { status: 'recorded'; record: RequestRecord; state: ApprovalState; step: ApprovalStep; final: boolean; effectsFailed: number }
  | { status: 'not-found' }
  | { status: 'used'; use?: DecisionLinkUse }
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
    const applied = applyApproverAction({
      state: record.approval,
      requesterEmail: requesterEmailsOf(record),
      approver,
      action: input.action,
      now,
      recordId: record.recordId,
      comment: input.comment,
      schedule: { expectedSigningDate: summary.expectedSigningDate, receivedAt: record.receivedAt, escalation: settings.escalation },
    });
    if (!applied.ok) {
      await release();
      if (applied.code === 'COMMENT_REQUIRED' || applied.code === 'COMMENT_TOO_LONG' || applied.code === 'UNKNOWN_ACTION') {
        return { status: 'invalid', refusal: applied, record };
      }
      // Kept for security review (self-approval attempts, tier shopping); no state changes.
      await deps.audit
        .append(
          auditEntry(record.recordId, 'refused', { kind: 'approver', id: approver.email, ...(approver.name ? { name: approver.name } : {}), tier: approver.tier }, now, {
            action: String(input.action).slice(0, 40),
            reason: applied.code,
          }),
        )
        .catch((error: unknown) => deps.logger?.warn('Could not audit a refused decision', { recordId: record.recordId, error: errorMessage(error) }));
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
      await deps.approvals.reschedule(record.recordId, applied.state.revision, deps.clock.now()).catch((error: unknown) =>
        deps.logger?.warn('Could not reschedule after a decision; the sweep will', { recordId: record.recordId, error: errorMessage(error) }),
      );
    }
    return { status: 'recorded', record: updated, state: applied.state, step: applied.step, final: applied.final, effectsFailed: failed };
  }
  await release();
  const latest = await deps.approvals.load(input.recordId);
  return latest ? { status: 'conflict', record: latest.record } : { status: 'not-found' };
}
