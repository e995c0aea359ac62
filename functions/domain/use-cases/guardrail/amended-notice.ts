/**
 * "Amended: …" for IT and for the requester, built on the existing renderers:
 * the new revision's notification (or requester message) with what changed and
 * what that did to the approval in front. Kept to one small module so the
 * notification texts' own builder can replace it as a whole.
 */
import { escapeChatText, requestFacts, snsSafeSubject, type RequesterMessage, type RequestSummary } from '../../approvals';
import { escapeMarkdown, type RenderedNotification } from '../../notification';
import type { RequestRecord } from '../../records';
import type { ApprovalEffectOfRevision } from '../../revisions';

export interface Amendment {
  revision: number;
  /** "amount 12,000 → 900,000 USD", in the order revisions.ts lists them. */
  changes: readonly string[];
  effect?: ApprovalEffectOfRevision;
}

const FOR_IT: Record<ApprovalEffectOfRevision, string> = {
  voided: 'The earlier approver decision no longer applies: the request is back in review.',
  restarted: 'Please review this revision.',
  resumed: 'The requester answered with this revision: the review resumes.',
  released: 'The policy now allows it: no approval is needed.',
  kept: 'Nothing material changed: the approval stands.',
};

function amendedLine(a: Amendment): string {
  return `Amended (revision ${a.revision}): ${a.changes.length > 0 ? a.changes.join('; ') : 'content changed'}.`;
}

/** IT's notification of an amended request: the usual one, marked amended, with the changes first. */
export function amendedNotification(rendered: RenderedNotification, amendment: Amendment): RenderedNotification {
  const lead = [amendedLine(amendment), amendment.effect ? FOR_IT[amendment.effect] : ''].filter(Boolean).join(' ');
  const chat = rendered.chat;
  const description = `${escapeMarkdown(lead)}\n\n${chat.content.description}`;
  return {
    ...rendered,
    subject: snsSafeSubject(`Amended: ${rendered.subject}`),
    text: `${lead}\n\n${rendered.text}`,
    chat: {
      ...chat,
      id: `${chat.id}:r${amendment.revision}`,
      content: {
        ...chat.content,
        title: `Amended: ${chat.content.title}`.slice(0, 250),
        description: description.length > 4000 ? `${description.slice(0, 3999)}…` : description,
      },
    },
  };
}

/** The requester's "amended" message: their change was seen and what it means for signing. */
export function amendedRequesterMessage(record: RequestRecord, summary: RequestSummary, amendment: Amendment): RequesterMessage {
  const state = record.approval;
  const what =
    amendment.effect === 'voided'
      ? 'Because it changed materially, the earlier decision by IT no longer applies and IT reviews it again. Do not sign until IT decides.'
      : state.status === 'not-required'
        ? 'The guardrail allows the amended request; no approval is needed.'
        : 'IT reviews the amended request. Do not sign until IT decides.';
  const body = [`Your request was amended (revision ${amendment.revision}): ${amendment.changes.join('; ') || 'content changed'}.`, what];
  const headline = `Amended: ${summary.title}`;
  const subject = snsSafeSubject(headline);
  return {
    recordId: record.recordId,
    ...(summary.requester.email ? { to: summary.requester.email } : {}),
    subject,
    text: [...body, '', ...requestFacts(summary), '', `Reference: ${record.recordId}`].join('\n'),
    chat: {
      version: '1.0',
      source: 'custom',
      id: `${record.recordId}:requester:amended:r${amendment.revision}`,
      content: { textType: 'client-markdown', title: escapeChatText(headline), description: escapeChatText(body.join('\n')) },
      metadata: {
        threadId: record.recordId,
        summary: escapeChatText(subject),
        eventType: 'request-amended',
        additionalContext: { recordId: record.recordId, status: state.status, revision: String(amendment.revision) },
      },
    },
    attributes: { status: state.status, kind: record.kind, ...(summary.department ? { department: summary.department } : {}) },
  };
}
