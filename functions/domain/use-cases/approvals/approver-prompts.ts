/**
 * Who is asked to decide, and with which links: the first notification of a
 * request (or of an amendment), reminders, escalations, second-signature
 * requests and the expiry report. The texts come from domain/notifications;
 * this module picks the addressees and signs each one's links, which go in
 * that approver's email body only.
 */
import { requestSummaryOf, samePerson, type Approver, type ApproverTier } from '../../approvals';
import {
  approverReminder,
  broadcast,
  decisionNotification,
  nobodyCoversNote,
  noSecondSignerNote,
  personal,
  unaddressed,
  type ItMessage,
  type MessageDraft,
  type PageLinks,
} from '../../notifications';
import type { RequestRecord } from '../../records';
import type { ApprovalEffect } from '../../ports/approval-store';
import type { DecisionLinkIssuer } from '../../ports/decision-link-issuer';
import { addresseesOf, decisionLinkExpiry, type ApprovalSettings } from './settings';

/** The pages behind sign-in a message about this request may link to (none without an issuer or an inbox). */
export function pageLinksFor(links: DecisionLinkIssuer | undefined, recordId: string): PageLinks {
  const request = links?.requestUrl(recordId);
  const inbox = links?.inboxUrl();
  return { ...(request ? { request } : {}), ...(inbox ? { inbox } : {}) };
}

/** The first notification of a request, addressed like {@link approverMessages}. */
export function initialApproverNotifications(input: {
  record: RequestRecord;
  settings: ApprovalSettings;
  links?: DecisionLinkIssuer;
  now: Date;
}): Promise<{ messages: ItMessage[]; tier?: ApproverTier; recipients: string[] }> {
  const draft = decisionNotification(input.record, pageLinksFor(input.links, input.record.recordId));
  return approverMessages({ ...input, draft });
}

/**
 * A message asking for a decision on a request, one copy per approver
 * addressed, each with that approver's own signed links: a link is a
 * credential for one person, so it never goes to anyone else (the
 * `recipient` attribute lets each subscription receive only its own).
 * Without an issuer the message goes out unaddressed; without a directory,
 * or when nobody covers the request, to every approver without links.
 */
export async function approverMessages(input: {
  record: RequestRecord;
  draft: MessageDraft;
  settings: ApprovalSettings;
  links?: DecisionLinkIssuer;
  now: Date;
}): Promise<{ messages: ItMessage[]; tier?: ApproverTier; recipients: string[] }> {
  const { record, draft, settings, links, now } = input;
  if (!links) return { messages: [unaddressed(draft)], recipients: [] };
  if (!settings.directory) return { messages: [broadcast(draft)], recipients: [] };
  const currentTier = record.approval.escalation.currentTier;
  const addressees = addresseesOf(record, settings, currentTier);
  if (!addressees) return { messages: [broadcast(draft, { note: nobodyCoversNote(currentTier) })], recipients: [] };
  const expiresAt = decisionLinkExpiry(requestSummaryOf(record, settings.escalation).deadline, now, settings.links);
  const messages = await personalCopies(links, draft, { ...addressees, recordId: record.recordId, expiresAt, now });
  return { messages, tier: addressees.tier, recipients: addressees.approvers.map((a) => a.email) };
}

/** Reminder, escalation, second-signature request (personal, with links) or the expiry report (for all approvers). */
export async function approverPrompts(
  links: DecisionLinkIssuer,
  record: RequestRecord,
  effect: Extract<ApprovalEffect, { type: 'approver-notification' }>,
  settings: ApprovalSettings,
  now: Date,
): Promise<ItMessage[]> {
  const summary = requestSummaryOf(record, settings.escalation);
  const pages = pageLinksFor(links, record.recordId);
  const draftFor = (tier: ApproverTier) =>
    approverReminder({ kind: effect.kind, record, summary, tier, ...(effect.fromTier ? { fromTier: effect.fromTier } : {}), now, links: pages });
  if (effect.kind === 'expire') return [broadcast(draftFor(effect.tier), { tier: effect.tier })];
  const addressees = addresseesOf(record, settings, effect.tier);
  if (!addressees) return [broadcast(draftFor(effect.tier), { tier: effect.tier, note: nobodyCoversNote(effect.tier) })];
  // The first signer of a two-step approval cannot give the second signature: do not ask them
  // (the same identity test approval-rules applies when refusing them, so the two cannot disagree).
  const firstSigner = record.approval.steps.find((s) => s.stage === 1)?.by.email;
  const asked = addressees.approvers.filter((a) => effect.kind !== 'second-signature' || !firstSigner || !samePerson(firstSigner, a.email));
  if (asked.length === 0) return [broadcast(draftFor(effect.tier), { tier: addressees.tier, note: noSecondSignerNote(addressees.tier) })];
  const expiresAt = decisionLinkExpiry(summary.deadline, now, settings.links);
  return personalCopies(links, draftFor(addressees.tier), { approvers: asked, tier: addressees.tier, recordId: record.recordId, expiresAt, now });
}

/** One copy per approver, each with their own signed links; the first is the one chat and queues take. */
async function personalCopies(
  links: DecisionLinkIssuer,
  draft: MessageDraft,
  to: { approvers: readonly Approver[]; tier: ApproverTier; fellBack?: boolean; recordId: string; expiresAt: Date; now: Date },
): Promise<ItMessage[]> {
  const { recordId, expiresAt, now } = to;
  const messages: ItMessage[] = [];
  for (const [i, approver] of to.approvers.entries()) {
    const signed = await links.linksFor({ recordId, approverEmail: approver.email, expiresAt, now });
    messages.push(personal(draft, { approver, tier: to.tier, fellBack: to.fellBack, links: { [recordId]: { links: signed, expiresAt } } }, i === 0));
  }
  return messages;
}
