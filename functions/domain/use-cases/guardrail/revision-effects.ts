/**
 * What the holder of a revision's lease does: send IT the notification (one
 * message per addressed approver, "amended" from revision 2 on), publish the
 * `Guardrail Decision` of this revision, tell the requester when an amendment
 * owes them a message, then record all of it, and give the lease back, in one
 * conditional write. The side effects are independent: a notifier outage must
 * not hold back the decision a procurement tool is waiting on.
 */
import { decisionEventOf } from '../../decision-event';
import { errorMessage } from '../../errors';
import { amendmentMessages, broadcast, decisionNotification, unaddressed } from '../../notifications';
import type { DecisionEventState, NotificationState, RequestRecord } from '../../records';
import type { ApprovalEffect } from '../../ports/approval-store';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import type { DecisionPublisher } from '../../ports/decision-publisher';
import type { Notifier, RequesterNotifier } from '../../ports/notifier';
import type { RequestStore } from '../../ports/request-store';
import type { ApprovalSettings } from '../approvals/settings';
import { approverMessages, pageLinksFor } from '../approvals/approver-prompts';
import { latestAmendment, notifiedEntry } from './history';
import type { GuardrailStep, OnceDeps } from './once';

export interface RevisionEffectDeps extends OnceDeps {
  requests: Pick<RequestStore, 'get' | 'settle'>;
  notifier: Notifier;
  decisions: DecisionPublisher;
  links?: DecisionLinkIssuer;
  requesterNotifier?: RequesterNotifier;
}

export interface EffectsOutcome {
  notified: boolean;
  decisionPublished: boolean;
  failures: { step: GuardrailStep; error: unknown }[];
}

/** The messages of this revision's notification: personal ones with links for a review, one for every approver otherwise. */
async function notificationMessages(deps: RevisionEffectDeps, record: RequestRecord, settings: ApprovalSettings, now: Date) {
  const links = pageLinksFor(deps.links, record.recordId);
  const amendment = record.revision > 1 ? latestAmendment(record) : undefined;
  const draft = amendment
    ? amendmentMessages({
        after: record,
        previousOutcome: amendment.previousOutcome ?? record.decision.outcome,
        changes: amendment.changes,
        approvalVoided: amendment.effect === 'voided',
        reviewResumed: amendment.effect === 'resumed',
        revision: record.revision,
        links,
      }).it
    : decisionNotification(record, links);
  if (record.approval.status === 'not-required') {
    // An amendment that needs no approval any more: IT is told, nobody gets links to decide.
    return { messages: [deps.links ? broadcast(draft) : unaddressed(draft)], recipients: [] as string[], tier: undefined };
  }
  return approverMessages({ record, draft, settings, links: deps.links, now });
}

export async function performRevisionEffects(
  deps: RevisionEffectDeps,
  record: RequestRecord,
  leasedAt: string,
  settings: ApprovalSettings,
  effects: readonly ApprovalEffect[] = [],
): Promise<EffectsOutcome> {
  const outcome: EffectsOutcome = { notified: false, decisionPublished: false, failures: [] };
  const done: { notification?: NotificationState; decisionEvent?: DecisionEventState; appended: RequestRecord['history']; completedEffects: string[] } = {
    appended: [],
    completedEffects: [],
  };

  type Failure = EffectsOutcome['failures'][number];
  // Independent of each other and all under the lease: sent together; each step answers its own failure.
  const notify = async (): Promise<Failure | undefined> => {
    const n = record.notification.state;
    if (n !== 'pending' && n !== 'sending') return undefined;
    try {
      const now = deps.clock.now();
      const { messages, tier, recipients } = await notificationMessages(deps, record, settings, now);
      // One after another: a failure stops the rest, so a retry repeats as few messages as possible.
      const messageIds: string[] = [];
      for (const message of messages) messageIds.push((await deps.notifier.notify(message)).messageId);
      done.notification = { state: 'sent', sentAt: now.toISOString(), messageId: messageIds.join(' ') };
      done.appended.push(notifiedEntry(record.recordId, now, { tier, recipients, messageIds, revision: record.revision }));
      outcome.notified = true;
      deps.logger?.debug?.('IT notified', { recordId: record.recordId, revision: record.revision, messageIds, recipients });
      return undefined;
    } catch (error) {
      return { step: 'notification', error };
    }
  };
  const publish = async (): Promise<Failure | undefined> => {
    if (record.decisionEvent.state !== 'pending') return undefined;
    try {
      await deps.decisions.publish(decisionEventOf(record));
      done.decisionEvent = { state: 'published', publishedAt: deps.clock.now().toISOString() };
      outcome.decisionPublished = true;
      return undefined;
    } catch (error) {
      return { step: 'decision-event', error };
    }
  };
  const tellRequester = async (effect: ApprovalEffect): Promise<Failure | undefined> => {
    // Without a requester topic here, the escalation sweep delivers it (the effect stays pending on the record).
    if (effect.type !== 'requester-message' || !deps.requesterNotifier) return undefined;
    try {
      await deps.requesterNotifier.notifyRequester(effect.message);
      done.completedEffects.push(effect.id);
      return undefined;
    } catch (error) {
      return { step: 'requester-message', error };
    }
  };
  const failures = await Promise.all([notify(), publish(), ...effects.map(tellRequester)]);
  outcome.failures.push(...failures.filter((f): f is Failure => f !== undefined));

  try {
    if (!(await deps.requests.settle(record.recordId, leasedAt, done))) {
      // Our lease ran out and a retry took the effects over: it records them; ours may have doubled (the at-least-once window).
      deps.logger?.warn('The side effects lease expired before they were recorded; the delivery that took it over records them', {
        recordId: record.recordId,
        leasedAt,
      });
    }
  } catch (error) {
    outcome.failures.push({ step: 'settle', error });
  }
  if (outcome.failures.length > 0) {
    deps.logger?.error('Guardrail step failed; the retry will resume it', {
      recordId: record.recordId,
      steps: outcome.failures.map((f) => f.step),
      errors: outcome.failures.map((f) => errorMessage(f.error)),
    });
  }
  return outcome;
}
