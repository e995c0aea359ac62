/**
 * The first notification of a request: the policy's decision, what was
 * asked, every finding, the requester's justification (quoted), and what to
 * do next. Pure: the same record always gives the same message.
 */
import type { Outcome } from '../decision';
import type { RequestRecord } from '../records';
import { suggestionsOf } from '../approvals';
import type { MessageDraft, MessageSpec, PageLinks } from './message';
import { requestFacts, type RequestFacts } from './request-facts';
import { SUBJECT_MAX_CHARS } from './email';
import { capitalise, fitUnits, singleLine, truncate } from './text';

export const OUTCOME_LABEL: Record<Outcome, string> = { allow: 'ALLOW', review: 'REVIEW', block: 'BLOCK' };
export const OUTCOME_EMOJI: Record<Outcome, string> = { allow: ':white_check_mark:', review: ':warning:', block: ':no_entry:' };

/** The notification of a decision, ready to address to approvers (message.ts: personal, broadcast, unaddressed). */
export function decisionNotification(record: RequestRecord, links: PageLinks = {}): MessageDraft {
  const facts = requestFacts(record);
  const { decision } = record;
  const nextStep = nextStepSentence(decision.outcome, facts.signingDate);
  const spec: MessageSpec = {
    type: 'decision',
    audience: 'it-approvers',
    recordId: record.recordId,
    kind: record.kind,
    subject: decisionSubject(decision.outcome, facts),
    title: { emoji: OUTCOME_EMOJI[decision.outcome], label: OUTCOME_LABEL[decision.outcome], text: facts.headline },
    summary: decision.summary,
    blocks: [
      { type: 'text', lines: [`Guardrail decision: ${OUTCOME_LABEL[decision.outcome]} (severity ${decision.severity})`, decision.summary] },
      { type: 'facts', heading: record.kind === 'purchase-request' ? 'Purchase request' : 'App connection', rows: facts.rows },
      { type: 'findings', findings: decision.findings },
      ...justificationBlock(facts),
      { type: 'text', lines: [`Next step: ${nextStep}`], emailOnly: true },
      { type: 'decision-links', recordId: record.recordId },
    ],
    nextSteps: [capitalise(nextStep)],
    suggestions: suggestionsOf(decision.findings),
    links,
    footer: [`Policy version ${decision.policyVersion} · evaluated ${decision.evaluatedAt} · record ${record.recordId}`],
    keywords: [
      OUTCOME_LABEL[decision.outcome],
      decision.severity,
      record.kind,
      ...(facts.department ? [facts.department] : []),
      ...(decision.category ? [decision.category] : []),
      ...(decision.requiredApprover && decision.requiredApprover !== 'none' ? [decision.requiredApprover] : []),
    ],
    chatId: `guardrail-${record.recordId}`,
    threadId: record.recordId,
    eventType: 'Guardrail Decision',
    context: decisionContext(record, facts),
    findings: decision.findings,
    data: { outcome: decision.outcome, severity: decision.severity, status: record.approval.status },
  };
  return { spec, attributes: decisionAttributes(record, 'decision', facts) };
}

/** `[REVIEW] Dropbox for Marketing — 24,000 USD/yr`: the name shrinks first, the outcome and amount never. */
export function decisionSubject(outcome: Outcome, facts: Pick<RequestFacts, 'name' | 'tail'>, lead = ''): string {
  const prefix = `[${OUTCOME_LABEL[outcome]}] ${lead}`;
  const separator = ' — ';
  const tail = fitUnits(singleLine(facts.tail), 45);
  const room = SUBJECT_MAX_CHARS - (prefix + separator + tail).length;
  return `${prefix}${fitUnits(singleLine(facts.name), Math.max(room, 10))}${separator}${tail}`;
}

/** The common IT filter attributes of a request's messages. */
export function decisionAttributes(record: RequestRecord, type: MessageDraft['attributes']['type'], facts = requestFacts(record)): MessageDraft['attributes'] {
  const department = facts.department === undefined ? undefined : truncate(singleLine(facts.department), 100);
  return {
    type,
    outcome: record.decision.outcome,
    severity: record.decision.severity,
    kind: record.kind,
    ...(department ? { department } : {}),
  };
}

/** Chat `additionalContext`: the request's identifiers (escaped by the chat renderer). */
export function decisionContext(record: RequestRecord, facts: RequestFacts): Record<string, string> {
  const { decision } = record;
  return {
    recordId: record.recordId,
    outcome: decision.outcome,
    severity: decision.severity,
    kind: record.kind,
    policyVersion: decision.policyVersion,
    evaluatedAt: decision.evaluatedAt,
    ...(facts.department ? { department: facts.department } : {}),
  };
}

/** The requester's justification, quoted (it is theirs, not ours). */
export function justificationBlock(facts: Pick<RequestFacts, 'justification'>): MessageSpec['blocks'] {
  return facts.justification ? [{ type: 'quote', heading: 'Justification (the requester’s words, quoted):', text: facts.justification }] : [];
}

function nextStepSentence(outcome: Outcome, signingDate?: string): string {
  const before = signingDate ? ` before the planned signing date ${signingDate}` : ' before anything is signed';
  switch (outcome) {
    case 'block':
      return `this request breaks policy. Contact the requester${before}; the contract must not be signed as requested.`;
    case 'review':
      return `review the findings and approve or reject the request${before}.`;
    default:
      return 'none; policy allows this request.';
  }
}
