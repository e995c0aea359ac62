/**
 * What the holder of a revision's lease does: send IT the notification (one
 * message per addressed approver, "amended" from revision 2 on), publish the
 * `Guardrail Decision` of this revision, tell the requester when an amendment
 * owes them a message, then record all of it, and give the lease back, in one
 * conditional write. The side effects are independent: a notifier outage must
 * not hold back the decision a procurement tool is waiting on. Several
 * revisions' effects (an SQS batch's events) can go out together: their
 * messages and decision events then share calls, each answering for itself.
 */
import { decisionEventOf, type DecisionEvent } from '../../decision-event';
import { errorMessage } from '../../errors';
import { amendmentMessages, broadcast, decisionNotification, unaddressed } from '../../notifications';
import type { DecisionEventState, NotificationState, RequestRecord } from '../../records';
import type { ApprovalEffect } from '../../ports/approval-store';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import type { DecisionPublisher } from '../../ports/decision-publisher';
import type { Notification, Notifier, RequesterNotifier, SendOutcome } from '../../ports/notifier';
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

/** One revision whose side effects are due, under the lease taken at `leasedAt`. */
export interface RevisionEffectsJob {
  record: RequestRecord;
  leasedAt: string;
  settings: ApprovalSettings;
  /** Effects an amendment owes (a requester message). */
  effects?: readonly ApprovalEffect[];
}

/** How a delivery runs its revision's side effects: at once, or gathered with a batch's (see effects-gathering.ts). */
export type EffectsRunner = (deps: RevisionEffectDeps, job: RevisionEffectsJob) => Promise<EffectsOutcome>;

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

/** One revision's side effects, on their own. */
export async function performRevisionEffects(deps: RevisionEffectDeps, job: RevisionEffectsJob): Promise<EffectsOutcome> {
  const [outcome] = await performEffectsTogether(deps, [job]);
  return outcome;
}

type Failure = EffectsOutcome['failures'][number];
/** Failures are reported in this order, whatever order the sends came back in. */
const STEP_ORDER: readonly GuardrailStep[] = ['notification', 'decision-event', 'requester-message', 'settle'];

/** What one job has done so far, and what its settling write will record. */
interface JobProgress {
  job: RevisionEffectsJob;
  outcome: EffectsOutcome;
  done: { notification?: NotificationState; decisionEvent?: DecisionEventState; appended: RequestRecord['history']; completedEffects: string[] };
}

/**
 * The side effects of several revisions (distinct records), sent together:
 * notifications, decision events and requester messages at the same time,
 * then each revision settled on its own lease. A failure is its own job's.
 */
export async function performEffectsTogether(deps: RevisionEffectDeps, jobs: readonly RevisionEffectsJob[]): Promise<EffectsOutcome[]> {
  const progress: JobProgress[] = jobs.map((job) => ({
    job,
    outcome: { notified: false, decisionPublished: false, failures: [] },
    done: { appended: [], completedEffects: [] },
  }));
  await Promise.all([sendNotifications(deps, progress), publishDecisions(deps, progress), tellRequesters(deps, progress)]);
  for (const p of progress) p.outcome.failures.sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));
  await Promise.all(progress.map((p) => settle(deps, p)));
  return progress.map((p) => p.outcome);
}

async function sendNotifications(deps: RevisionEffectDeps, progress: readonly JobProgress[]): Promise<void> {
  const now = deps.clock.now();
  const due = progress.filter(({ job }) => job.record.notification.state === 'pending' || job.record.notification.state === 'sending');
  const prepared = await Promise.all(
    due.map(async (p) => {
      try {
        return {
          p,
          ...(await notificationMessages(deps, p.job.record, p.job.settings, now)),
          messageIds: [] as string[],
          failed: undefined as Failure | undefined,
        };
      } catch (error) {
        p.outcome.failures.push({ step: 'notification', error });
        return undefined;
      }
    }),
  );
  const sending = prepared.filter((s) => s !== undefined);
  // Round r sends the r-th message of every notification still going: each notification's messages go one
  // after another, so a failure stops the rest of its own and a retry repeats as few messages as possible.
  for (let round = 0; ; round++) {
    const current = sending.filter((s) => s.failed === undefined && round < s.messages.length);
    if (current.length === 0) break;
    const results = await sendEach(
      deps.notifier,
      current.map((s) => s.messages[round]),
    );
    results.forEach((result, i) => {
      if ('error' in result) current[i].failed = { step: 'notification', error: result.error };
      else current[i].messageIds.push(result.messageId);
    });
  }
  for (const { p, messageIds, tier, recipients, failed } of sending) {
    const { record } = p.job;
    if (failed) {
      p.outcome.failures.push(failed);
      continue;
    }
    p.done.notification = { state: 'sent', sentAt: now.toISOString(), messageId: messageIds.join(' ') };
    p.done.appended.push(notifiedEntry(record.recordId, now, { tier, recipients, messageIds, revision: record.revision }));
    p.outcome.notified = true;
    deps.logger?.debug?.('IT notified', { recordId: record.recordId, revision: record.revision, messageIds, recipients });
  }
}

/** Messages through the notifier's batch call when it has one and there is more than one message. */
async function sendEach(notifier: Notifier, messages: readonly Notification[]): Promise<SendOutcome[]> {
  if (messages.length > 1 && notifier.notifyEach) return notifier.notifyEach(messages);
  return Promise.all(
    messages.map((m) =>
      notifier.notify(m).then(
        ({ messageId }) => ({ messageId }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
}

async function publishDecisions(deps: RevisionEffectDeps, progress: readonly JobProgress[]): Promise<void> {
  const due = progress.filter(({ job }) => job.record.decisionEvent.state === 'pending');
  if (due.length === 0) return;
  let errors: unknown[];
  try {
    const events: DecisionEvent[] = due.map(({ job }) => decisionEventOf(job.record));
    errors =
      events.length > 1 && deps.decisions.publishEach
        ? await deps.decisions.publishEach(events)
        : await Promise.all(
            events.map((e) =>
              deps.decisions.publish(e).then(
                () => undefined,
                (error: unknown) => error ?? new Error('publish failed'),
              ),
            ),
          );
  } catch (error) {
    errors = due.map(() => error);
  }
  const publishedAt = deps.clock.now().toISOString();
  due.forEach((p, i) => {
    if (errors[i] !== undefined) {
      p.outcome.failures.push({ step: 'decision-event', error: errors[i] });
      return;
    }
    p.done.decisionEvent = { state: 'published', publishedAt };
    p.outcome.decisionPublished = true;
  });
}

async function tellRequesters(deps: RevisionEffectDeps, progress: readonly JobProgress[]): Promise<void> {
  const requesterNotifier = deps.requesterNotifier;
  // Without a requester topic here, the escalation sweep delivers them (the effects stay pending on the record).
  if (!requesterNotifier) return;
  await Promise.all(
    progress.flatMap((p) =>
      (p.job.effects ?? []).map(async (effect) => {
        if (effect.type !== 'requester-message') return;
        try {
          await requesterNotifier.notifyRequester(effect.message);
          p.done.completedEffects.push(effect.id);
        } catch (error) {
          p.outcome.failures.push({ step: 'requester-message', error });
        }
      }),
    ),
  );
}

/** Records what was done and gives the lease back, in one conditional write. */
async function settle(deps: RevisionEffectDeps, { job, outcome, done }: JobProgress): Promise<void> {
  const { recordId } = job.record;
  try {
    if (!(await deps.requests.settle(recordId, job.leasedAt, done))) {
      // Our lease ran out and a retry took the effects over: it records them; ours may have doubled (the at-least-once window).
      deps.logger?.warn('The side effects lease expired before they were recorded; the delivery that took it over records them', {
        recordId,
        leasedAt: job.leasedAt,
      });
    }
  } catch (error) {
    outcome.failures.push({ step: 'settle', error });
  }
  if (outcome.failures.length > 0) {
    deps.logger?.error('Guardrail step failed; the retry will resume it', {
      recordId,
      steps: outcome.failures.map((f) => f.step),
      errors: outcome.failures.map((f) => errorMessage(f.error)),
    });
  }
}
