/**
 * What the requester is told, on their own topic: "Marcus Lee approved your
 * request", "rejected: use Box instead", "Marcus Lee needs more
 * information", "still undecided". The approver's words are quoted; the
 * `requester` attribute lets each requester's subscription take only their
 * own messages.
 */
import { TIER_LABELS, identityKey, type ApprovalState, type ApprovalStep, type RequestSummary } from '../approvals';
import type { RequestRecord } from '../records';
import { decisionContext, justificationBlock } from './decision';
import { render, type Block, type MessageSpec, type MessageType, type PageLinks, type RequesterAttributes, type RequesterMessage } from './message';
import { requestFacts } from './request-facts';
import { singleLine, truncate, withArticle } from './text';

export interface RequesterUpdateInput {
  record: RequestRecord;
  summary: RequestSummary;
  /** The approval after the change. */
  state: ApprovalState;
  /** The approver's step that caused it (absent for an expiry). */
  step?: ApprovalStep;
}

/** An approver's decision, a first signature, an information request or an expiry, told to the requester. */
export function requesterUpdate(input: RequesterUpdateInput): RequesterMessage {
  const { record, summary: s, state, step } = input;
  const who = step ? (step.by.name ?? step.by.email) : 'IT';
  const alternative = s.suggestions[0];
  let subject: string;
  let lead: string[];
  let after: string[] = [];
  if (state.status === 'approved') {
    subject = `Approved: ${s.title}`;
    lead = [`${who} approved your request. You can go ahead and sign.`];
  } else if (state.status === 'rejected') {
    subject = `Rejected: ${alternative ?? s.title}`;
    lead = [`${who} rejected your request. Please do not sign this contract.`, ...(alternative ? [`Instead: ${alternative}`] : [])];
  } else if (step?.action === 'request-info') {
    subject = `${who} needs more information: ${s.title}`;
    lead = [`${who} needs more information${step.comment ? ':' : ' before deciding.'}`];
    after = ['Please answer by updating the request in your procurement tool, or reply to IT. Do not sign yet.'];
  } else if (step?.action === 'approve' && step.stage === 1) {
    subject = `First approval given: ${s.title}`;
    lead = [`${who} gave the first of two approvals; your request now waits for ${withArticle(TIER_LABELS[state.requiredApprover])}. Do not sign yet.`];
  } else if (state.status === 'expired-undecided') {
    subject = `Still undecided: ${s.title}`;
    lead = ['IT has not decided your request yet and its expected signing date has come. Please do not sign until IT decides; IT has been told.'];
  } else {
    subject = `Update: ${s.title}`;
    lead = [`Your request is ${state.status}.`];
  }
  // The approver's words, quoted (after "needs more information:" the lead already says whose they are).
  const comment: Block[] = step?.comment
    ? [{ type: 'quote', ...(step.action === 'request-info' ? {} : { heading: `${who} wrote:` }), text: step.comment }]
    : [];
  return requesterMessage(record, s, {
    type: 'approval-update',
    status: state.status,
    subject,
    headline: subject,
    summary: lead[0],
    blocks: [{ type: 'text', lines: lead }, ...comment, ...(after.length > 0 ? [{ type: 'text' as const, lines: after }] : [])],
    chatId: `${s.recordId}:requester:${state.revision}`,
    eventType: `request-${state.status}`,
  });
}

/** The parts that differ between requester messages; requesterMessage adds the request and the addressing. */
export interface RequesterContent {
  type: MessageType;
  status: ApprovalState['status'];
  subject: string;
  headline: string;
  summary: string;
  blocks: Block[];
  chatId: string;
  eventType: string;
  revision?: number;
  data?: MessageSpec['data'];
}

/** A requester message: the content, then the request's facts, addressed by the `requester` attribute. */
export function requesterMessage(record: RequestRecord, s: RequestSummary, content: RequesterContent, links: PageLinks = {}): RequesterMessage {
  const facts = requestFacts(record);
  const spec: MessageSpec = {
    type: content.type,
    audience: 'requester',
    recordId: record.recordId,
    kind: record.kind,
    subject: content.subject,
    title: { emoji: ':envelope:', text: content.headline },
    summary: content.summary,
    blocks: [
      ...content.blocks,
      { type: 'facts', heading: 'Your request', rows: facts.rows },
      { type: 'text', lines: [`Policy outcome: ${s.outcome} (${s.severity}): ${s.summary}`] },
      { type: 'findings', findings: s.findings },
      ...justificationBlock(facts),
    ],
    nextSteps: [],
    suggestions: s.suggestions,
    links,
    footer: [`Reference: ${s.recordId}`],
    keywords: [content.status, record.kind],
    chatId: content.chatId,
    threadId: s.recordId,
    eventType: content.eventType,
    context: { ...decisionContext(record, facts), status: content.status },
    findings: s.findings,
    data: {
      outcome: s.outcome,
      severity: s.severity,
      status: content.status,
      ...(s.requester.email ? { to: s.requester.email } : {}),
      ...(content.revision !== undefined ? { revision: content.revision } : {}),
      ...content.data,
    },
  };
  const attributes: RequesterAttributes = {
    type: content.type,
    status: content.status,
    kind: record.kind,
    ...(facts.department ? { department: truncate(singleLine(facts.department), 100) } : {}),
    ...(s.requester.email ? { requester: identityKey(s.requester.email) } : {}),
  };
  return { ...render(spec, attributes), ...(s.requester.email ? { to: s.requester.email } : {}) };
}
