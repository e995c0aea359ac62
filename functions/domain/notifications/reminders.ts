/**
 * Messages that chase a decision: the reminder, the escalation to the next
 * tier, the request for a second signature, and the report that a request
 * reached its signing date undecided. The notes for approvers when nobody in
 * the directory can be asked live here too.
 */
import { TIER_LABELS, type ApproverTier, type RequestSummary } from '../approvals';
import type { RequestRecord } from '../records';
import { suggestionsOf } from '../approvals';
import { decisionAttributes, decisionContext, justificationBlock } from './decision';
import type { MessageDraft, MessageSpec, MessageType, PageLinks } from './message';
import { requestFacts } from './request-facts';
import { withArticle } from './text';

/** `second-signature`: a two-step approval has its first signature and now asks the required tier. */
export type ReminderKind = 'remind' | 'escalate' | 'expire' | 'second-signature';

const TYPES: Record<ReminderKind, MessageType> = { remind: 'reminder', escalate: 'escalation', expire: 'expiry', 'second-signature': 'second-signature' };
const EMOJI: Record<ReminderKind, string> = { remind: ':alarm_clock:', escalate: ':alarm_clock:', expire: ':warning:', 'second-signature': ':writing_hand:' };

export interface ReminderInput {
  kind: ReminderKind;
  record: RequestRecord;
  /** The request as approvers see it (deadline from the escalation settings). */
  summary: RequestSummary;
  /** The tier addressed (for `escalate`: the new tier). */
  tier: ApproverTier;
  fromTier?: ApproverTier;
  now: Date;
  links?: PageLinks;
}

export function approverReminder(input: ReminderInput): MessageDraft {
  const { record, summary: s, kind, tier } = input;
  const state = record.approval;
  const facts = requestFacts(record);
  const subjectLead =
    kind === 'remind'
      ? 'Reminder: decision needed'
      : kind === 'escalate'
        ? `Escalated to ${TIER_LABELS[tier]}`
        : kind === 'second-signature'
          ? 'Second signature needed'
          : 'Undecided at signing date';
  const when = deadlineSentence(s, input.now);
  const firstSigner = state.steps.find((step) => step.action === 'approve' && step.stage === 1)?.by;
  const lead =
    kind === 'remind'
      ? `The request below still waits for a decision from ${withArticle(TIER_LABELS[tier])}. ${when}`
      : kind === 'escalate'
        ? `Nobody at ${TIER_LABELS[input.fromTier ?? 'none']} level decided the request below in time (after a reminder, or with too little time left for one), so it now comes to you (${TIER_LABELS[tier]}). ${when}`
        : kind === 'second-signature'
          ? `The request below needs two signatures. The first was given${firstSigner ? ` by ${firstSigner.name ?? firstSigner.email}` : ''}; the second must come from ${withArticle(TIER_LABELS[tier])} or higher, and from a different person. ${when}`
          : `The request below reached its expected signing date (${s.expectedSigningDate ?? 'none given; the waiting time ran out'}) without a decision. It is marked "expired-undecided" and stays decidable: tell the requester not to sign until it is decided.`;
  const spec: MessageSpec = {
    type: TYPES[kind],
    audience: 'it-approvers',
    recordId: record.recordId,
    kind: record.kind,
    subject: `${subjectLead}: ${s.title} (${s.recordId})`,
    title: { emoji: EMOJI[kind], text: `${subjectLead}: ${s.title}` },
    summary: lead,
    blocks: [
      { type: 'text', lines: [lead] },
      { type: 'facts', heading: 'Request', rows: facts.rows },
      { type: 'text', lines: [`Policy outcome: ${s.outcome} (${s.severity}): ${s.summary}`] },
      { type: 'findings', findings: s.findings },
      ...justificationBlock(facts),
      { type: 'decision-links', recordId: record.recordId },
    ],
    nextSteps: [
      kind === 'expire'
        ? 'Tell the requester not to sign until the request is decided.'
        : 'Decide from the personal links in your email, or on the request page.',
    ],
    suggestions: suggestionsOf(s.findings),
    links: input.links ?? {},
    footer: [`Reference: ${s.recordId}`],
    keywords: [s.outcome, s.severity, kind],
    chatId: `${s.recordId}:${kind}:${state.escalation.level}`,
    threadId: s.recordId,
    eventType: `approval-${kind}`,
    context: { ...decisionContext(record, facts), tier, level: String(state.escalation.level) },
    findings: s.findings,
    data: { outcome: s.outcome, severity: s.severity, status: state.status },
  };
  return { spec, attributes: decisionAttributes(record, TYPES[kind], facts) };
}

/** For every approver when the directory has nobody to ask. */
export function nobodyCoversNote(tier: ApproverTier): string {
  return `No approver in the directory covers this request at ${TIER_LABELS[tier]} level or above: update approvals.approvers in the policy.`;
}

/** For every approver when the only one who could sign second gave the first signature. */
export function noSecondSignerNote(tier: ApproverTier): string {
  const label = TIER_LABELS[tier];
  return `The only ${label} in the directory gave the first signature, so nobody can give the second: add another ${label} to approvals.approvers in the policy.`;
}

function deadlineSentence(s: RequestSummary, now: Date): string {
  if (!s.deadline) return 'No signing date was given.';
  const ms = new Date(s.deadline).getTime() - now.getTime();
  const hours = Math.round(ms / 3_600_000);
  const left = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.max(0, hours)} hours`;
  return s.expectedSigningDate ? `The expected signing date is ${s.expectedSigningDate} (${left} from now).` : `It will be marked expired in ${left}.`;
}
