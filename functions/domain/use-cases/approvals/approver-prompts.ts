/**
 * The messages that ask approvers to decide: the first notification with
 * each approver's personal links, reminders, escalations, second-signature
 * requests, the expiry report and the daily digest. Assembly only: the texts
 * come from notification.ts and approvals/messages.ts, the state logic
 * lives in the use cases that send them.
 */
import {
  TIER_LABELS,
  decisionLinksChatSteps,
  decisionLinksText,
  formatInstant,
  renderApproverReminder,
  renderDigest,
  requestSummaryOf,
  samePerson,
  type Approver,
  type ApproverTier,
  type DecisionLinks,
  type DigestItem,
} from '../../approvals';
import { escapeMarkdown, type RenderedNotification } from '../../notification';
import type { RequestRecord } from '../../records';
import type { ApprovalEffect } from '../../ports/approval-store';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import { ALL_APPROVERS, type Notification } from '../../ports/notifier';
import { addresseesOf, decisionLinkExpiry, type ApprovalSettings } from './settings';

/** A message for every approver on the topic (it carries no personal links), with a note for them when there is one. */
function forAllApprovers(message: Notification, options: { tier?: ApproverTier; note?: string } = {}): Notification {
  return {
    ...message,
    text: options.note ? `${message.text}\n\n${options.note}` : message.text,
    attributes: { ...message.attributes, ...(options.tier ? { tier: options.tier } : {}), recipient: ALL_APPROVERS },
  };
}

function nobodyCoversNote(tier: ApproverTier): string {
  return `No approver in the directory covers this request at ${TIER_LABELS[tier]} level or above: update approvals.approvers in the policy.`;
}

/**
 * The first notification of a request, one message per approver addressed,
 * each with that approver's own signed links: a link is a credential for one
 * person, so it never goes to anyone else (the `recipient` attribute lets
 * each subscription receive only its own). Without a directory or a link
 * issuer, the plain notification goes out as before.
 */
export async function initialApproverNotifications(input: {
  record: RequestRecord;
  rendered: RenderedNotification;
  settings: ApprovalSettings;
  links?: DecisionLinkIssuer;
  now: Date;
}): Promise<{ messages: Notification[]; tier?: ApproverTier; recipients: string[] }> {
  const { record, rendered, settings, links, now } = input;
  if (!links) return { messages: [rendered], recipients: [] };
  // Links are wired but the policy names no approvers: everyone on the topic gets it, without links.
  if (!settings.directory) return { messages: [forAllApprovers(rendered)], recipients: [] };
  const currentTier = record.approval.escalation.currentTier;
  const addressees = addresseesOf(record, settings, currentTier);
  if (!addressees) return { messages: [forAllApprovers(rendered, { note: nobodyCoversNote(currentTier) })], recipients: [] };
  const expiresAt = decisionLinkExpiry(requestSummaryOf(record, settings.escalation).deadline, now, settings.links);
  const inboxUrl = links.inboxUrl();
  const messages: Notification[] = [];
  for (const approver of addressees.approvers) {
    const personal = await links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now });
    messages.push(withDecisionLinks(rendered, { approver, tier: addressees.tier, fellBack: addressees.fellBack, links: personal, expiresAt, inboxUrl }));
  }
  return { messages, tier: addressees.tier, recipients: addressees.approvers.map((a) => a.email) };
}

/** Adds one approver's links to a rendered notification: a block in the text, the first chat step. */
export function withDecisionLinks(
  rendered: RenderedNotification,
  input: { approver: Approver; tier: ApproverTier; fellBack?: boolean; links: DecisionLinks; expiresAt: Date; inboxUrl?: string },
): Notification {
  const { approver, links, expiresAt } = input;
  const block = [
    '',
    `For ${approver.name} (${TIER_LABELS[input.tier]})${input.fellBack ? ', asked because nobody at the required tier covers this department' : ''}:`,
    decisionLinksText(links, expiresAt),
    ...(input.inboxUrl ? [`All pending requests: ${input.inboxUrl}`] : []),
  ].join('\n');
  const chat = rendered.chat;
  const decide = `Decide (${escapeMarkdown(approver.name)}, until ${formatInstant(expiresAt)}): ${decisionLinksChatSteps(links).join(' · ')}`;
  return {
    ...rendered,
    text: `${rendered.text}\n${block}`,
    chat: { ...chat, content: { ...chat.content, nextSteps: [decide, ...chat.content.nextSteps].slice(0, 5) } },
    attributes: { ...rendered.attributes, tier: input.tier, recipient: approver.email },
  };
}

/** Reminder, escalation, second-signature request (personal, with links) or the expiry report (for all approvers). */
export async function approverPrompts(
  links: DecisionLinkIssuer,
  record: RequestRecord,
  effect: Extract<ApprovalEffect, { type: 'approver-notification' }>,
  settings: ApprovalSettings,
  now: Date,
): Promise<Notification[]> {
  const summary = requestSummaryOf(record, settings.escalation);
  const inboxUrl = links.inboxUrl();
  const state = record.approval;
  if (effect.kind === 'expire') {
    return [forAllApprovers(renderApproverReminder({ kind: 'expire', summary, state, tier: effect.tier, now, inboxUrl }), { tier: effect.tier })];
  }
  const addressees = addresseesOf(record, settings, effect.tier);
  if (!addressees) {
    const message = renderApproverReminder({ kind: effect.kind, summary, state, tier: effect.tier, fromTier: effect.fromTier, now, inboxUrl });
    return [forAllApprovers(message, { tier: effect.tier, note: nobodyCoversNote(effect.tier) })];
  }
  const expiresAt = decisionLinkExpiry(summary.deadline, now, settings.links);
  // The first signer of a two-step approval cannot give the second signature: do not ask them
  // (the same identity test approval-rules applies when refusing them, so the two cannot disagree).
  const firstSigner = state.steps.find((s) => s.stage === 1)?.by.email;
  const asked = addressees.approvers.filter((a) => effect.kind !== 'second-signature' || !firstSigner || !samePerson(firstSigner, a.email));
  if (asked.length === 0) {
    const tier = TIER_LABELS[addressees.tier];
    const message = renderApproverReminder({ kind: effect.kind, summary, state, tier: effect.tier, now, inboxUrl });
    const note = `The only ${tier} in the directory gave the first signature, so nobody can give the second: add another ${tier} to approvals.approvers in the policy.`;
    return [forAllApprovers(message, { tier: addressees.tier, note })];
  }
  const messages: Notification[] = [];
  for (const approver of asked) {
    const personal = await links.linksFor({ recordId: record.recordId, approverEmail: approver.email, expiresAt, now });
    const message = renderApproverReminder({
      kind: effect.kind,
      summary,
      state,
      tier: addressees.tier,
      fromTier: effect.fromTier,
      links: personal,
      linksExpireAt: expiresAt,
      inboxUrl,
      now,
    });
    messages.push({ ...message, attributes: { ...message.attributes, tier: addressees.tier, recipient: approver.email } });
  }
  return messages;
}

/** One approver's daily digest: every low-risk request held for them, each with its own links. */
export function digestNotification(input: { approver: Approver; tier: ApproverTier; items: readonly DigestItem[]; now: Date; inboxUrl?: string }): Notification {
  const { approver, tier, items, now } = input;
  const digest = renderDigest(items, now, { inboxUrl: input.inboxUrl });
  const severity = items.some((i) => i.summary.severity === 'low') ? 'low' : 'info';
  return {
    subject: digest.subject,
    text: `For ${approver.name} (${TIER_LABELS[tier]}):\n\n${digest.text}`,
    chat: digest.chat,
    attributes: { outcome: 'review', severity, kind: 'digest', tier, recipient: approver.email },
    recordId: `digest:${now.toISOString().slice(0, 10)}`,
  };
}
