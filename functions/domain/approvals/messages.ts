/**
 * Texts around approvals: the decision-link block for approver messages,
 * reminders and escalations, the expiry report, and what the requester is
 * told. Plain text for email, an AWS Chatbot custom-notification payload for
 * chat. Every outside value is plain text here; chat text escapes the few
 * characters Slack treats as markup (`<!channel>` in a vendor name must not
 * ping a channel).
 */
import type { Notification } from '../ports/notifier';
import type { DecisionEvent } from '../decision-event';
import type { Decision } from '../decision';
import { TIER_LABELS, type ApproverTier } from './tiers';
import { formatMoney, type RequestSummary } from './request-summary';
import type { ApprovalState, ApprovalStep, ApproverAction } from './types';

/** One link per action; each opens the decision page with that action preselected. */
export type DecisionLinks = Record<ApproverAction, string>;

const LINK_ORDER: readonly [ApproverAction, string][] = [
  ['approve', 'Approve'],
  ['reject', 'Reject'],
  ['request-info', 'Ask for more information'],
];

/** The block of decision links for a plain-text message, with the reassurance scanners make necessary. */
export function decisionLinksText(links: DecisionLinks, expiresAt?: Date): string {
  return [
    'Decide (each link opens a page with the request; nothing is recorded until you confirm there):',
    ...LINK_ORDER.map(([action, label]) => `  ${label}: ${links[action]}`),
    ...(expiresAt ? [`These links are yours alone, work once, and expire ${formatInstant(expiresAt)}.`] : []),
  ].join('\n');
}

/** Chat "next steps" with the decision links, in Slack (`<url|label>`) or standard markdown (`[label](url)`, Teams). */
export function decisionLinksChatSteps(links: DecisionLinks, style: ChatLinkStyle = 'slack'): string[] {
  return LINK_ORDER.map(([action, label]) => chatLink(links[action], label, style));
}

export type ChatLinkStyle = 'slack' | 'markdown';

/** AWS Chatbot (Amazon Q Developer in chat applications) custom notification. */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: { textType: 'client-markdown'; title: string; description: string; nextSteps?: string[]; keywords?: string[] };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

/** Escapes what Slack parses in text (`&`, `<`, `>`) and neutralises markdown link syntax. */
export function escapeChatText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\[/g, '(').replace(/\]/g, ')');
}

/**
 * SNS email subjects must be ASCII, without line breaks, under 100
 * characters: accents are folded, anything else becomes `?`.
 */
export function snsSafeSubject(subject: string): string {
  const ascii = subject
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  const safe = /^[A-Za-z0-9\p{P}]/u.test(ascii) && /[A-Za-z0-9]/.test(ascii) ? ascii : `Guardrail: ${ascii}`;
  return safe.length > 99 ? `${safe.slice(0, 96).trimEnd()}...` : safe;
}

/** `second-signature`: a two-step approval has its first signature and now asks the required tier. */
export type ReminderKind = 'remind' | 'escalate' | 'expire' | 'second-signature';

export interface ApproverReminderInput {
  kind: ReminderKind;
  summary: RequestSummary;
  state: ApprovalState;
  /** The tier addressed (for `escalate`: the new tier). */
  tier: ApproverTier;
  fromTier?: ApproverTier;
  /** Decision links for the addressee (not for `expire` reports, which go to IT at large). */
  links?: DecisionLinks;
  linksExpireAt?: Date;
  inboxUrl?: string;
  now: Date;
  chatLinkStyle?: ChatLinkStyle;
}

/** A reminder, an escalation, or the report that a request reached its signing date undecided. */
export function renderApproverReminder(input: ApproverReminderInput): Notification {
  const { summary: s, kind, tier } = input;
  const subjectLead =
    kind === 'remind'
      ? 'Reminder: decision needed'
      : kind === 'escalate'
        ? `Escalated to ${TIER_LABELS[tier]}`
        : kind === 'second-signature'
          ? 'Second signature needed'
          : 'Undecided at signing date';
  const subject = snsSafeSubject(`${subjectLead}: ${s.title} (${s.recordId})`);
  const when = deadlineSentence(s, input.now);
  const firstSigner = input.state.steps.find((step) => step.action === 'approve' && step.stage === 1)?.by;
  const lead =
    kind === 'remind'
      ? `The request below still waits for a decision from ${article(TIER_LABELS[tier])}. ${when}`
      : kind === 'escalate'
        ? `Nobody at ${TIER_LABELS[input.fromTier ?? 'none']} level decided the request below after a reminder, so it now comes to you (${TIER_LABELS[tier]}). ${when}`
        : kind === 'second-signature'
          ? `The request below needs two signatures. The first was given${firstSigner ? ` by ${firstSigner.name ?? firstSigner.email}` : ''}; the second must come from ${article(TIER_LABELS[tier])} or higher, and from a different person. ${when}`
          : `The request below reached its expected signing date (${s.expectedSigningDate ?? 'none given; the waiting time ran out'}) without a decision. It is marked "expired-undecided" and stays decidable: tell the requester not to sign until it is decided.`;
  const text = [
    lead,
    '',
    ...requestFacts(s),
    '',
    ...(input.links ? [decisionLinksText(input.links, input.linksExpireAt), ''] : []),
    ...(input.inboxUrl ? [`All pending requests: ${input.inboxUrl}`, ''] : []),
    `Reference: ${s.recordId}`,
  ].join('\n');
  const chat: ChatbotNotification = {
    version: '1.0',
    source: 'custom',
    id: `${s.recordId}:${kind}:${input.state.escalation.level}`,
    content: {
      textType: 'client-markdown',
      title: escapeChatText(`${kind === 'expire' ? ':warning: ' : kind === 'second-signature' ? ':writing_hand: ' : ':alarm_clock: '}${subjectLead}: ${s.title}`),
      description: escapeChatText(`${lead}\n${s.summary}`),
      ...(input.links ? { nextSteps: decisionLinksChatSteps(input.links, input.chatLinkStyle) } : {}),
      keywords: [s.outcome, s.severity, kind].map(escapeChatText),
    },
    metadata: {
      threadId: s.recordId,
      summary: escapeChatText(subject),
      eventType: `approval-${kind}`,
      additionalContext: { recordId: s.recordId, tier, level: String(input.state.escalation.level) },
    },
  };
  return {
    subject,
    text,
    chat,
    attributes: { outcome: s.outcome, severity: s.severity, kind: s.kind, ...(s.department ? { department: s.department } : {}) },
    recordId: s.recordId,
  };
}

/** What the requester is told about an approver's decision or an expiry. */
export interface RequesterMessage {
  recordId: string;
  to?: string;
  subject: string;
  text: string;
  chat: ChatbotNotification;
  /** For the requester topic's subscription filters. */
  attributes: { status: string; kind: string; department?: string };
}

/**
 * "Approved", "Rejected: use Box instead", "IT needs more information": the
 * requester learns the outcome, the approver's words and the sanctioned
 * alternative the policy suggested.
 */
export function renderRequesterMessage(input: {
  summary: RequestSummary;
  state: ApprovalState;
  /** The step that caused this message (absent for an expiry). */
  step?: ApprovalStep;
}): RequesterMessage {
  const { summary: s, state, step } = input;
  const by = step ? ` by ${step.by.name ?? step.by.email}` : '';
  const alternative = s.suggestions[0];
  let headline: string;
  let body: string[];
  if (state.status === 'approved') {
    headline = `Approved: ${s.title}`;
    body = [`IT approved your request${by}. You can go ahead and sign.`];
  } else if (state.status === 'rejected') {
    headline = `Rejected: ${alternative ? alternative : s.title}`;
    body = [`IT rejected your request${by}. Please do not sign this contract.`, ...(alternative ? ['', `Instead: ${alternative}`] : [])];
  } else if (step?.action === 'request-info') {
    headline = `IT needs more information: ${s.title}`;
    body = [`IT (${step.by.name ?? step.by.email}) needs more information before deciding. Please reply through your procurement tool or to IT. Do not sign yet.`];
  } else if (step?.action === 'approve' && step.stage === 1) {
    headline = `First approval given: ${s.title}`;
    body = [`Your request has its first approval${by}; it now waits for ${article(TIER_LABELS[state.requiredApprover])}. Do not sign yet.`];
  } else if (state.status === 'expired-undecided') {
    headline = `Still undecided: ${s.title}`;
    body = [`IT has not decided your request yet and its expected signing date has come. Please do not sign until IT decides; IT has been told.`];
  } else {
    headline = `Update: ${s.title}`;
    body = [`Your request is ${state.status}.`];
  }
  const comment = step?.comment ? ['', `Comment from IT: ${step.comment}`] : [];
  const text = [...body, ...comment, '', ...requestFacts(s), '', `Reference: ${s.recordId}`].join('\n');
  const subject = snsSafeSubject(headline);
  return {
    recordId: s.recordId,
    ...(s.requester.email ? { to: s.requester.email } : {}),
    subject,
    text,
    chat: {
      version: '1.0',
      source: 'custom',
      id: `${s.recordId}:requester:${state.revision}`,
      content: { textType: 'client-markdown', title: escapeChatText(headline), description: escapeChatText([...body, ...comment].join('\n')) },
      metadata: {
        threadId: s.recordId,
        summary: escapeChatText(subject),
        eventType: `request-${state.status}`,
        additionalContext: { recordId: s.recordId, status: state.status },
      },
    },
    attributes: { status: state.status, kind: s.kind, ...(s.department ? { department: s.department } : {}) },
  };
}

/** The `Guardrail Decision` event for an approver's action (or an expiry), plus the approval facts. */
export type ApprovalDecisionEvent = DecisionEvent & {
  approval: {
    status: ApprovalState['status'];
    action?: ApproverAction;
    stage?: 1 | 2;
    comment?: string;
    approverTier?: ApproverTier;
    requiredApprover: ApproverTier;
    late?: boolean;
  };
};

/**
 * Approval outcomes mapped onto the decision vocabulary procurement tools
 * already gate on: approved → allow, rejected → block, anything still open
 * → review. `decidedBy` names the approver.
 */
export function approvalDecisionEvent(input: {
  recordId: string;
  decision: Decision;
  state: ApprovalState;
  step?: ApprovalStep;
  sourceRef: DecisionEvent['sourceRef'];
  /** The content revision the approval state is about. */
  revision: number;
  now: Date;
}): ApprovalDecisionEvent {
  const { decision, state, step } = input;
  const outcome: Decision['outcome'] = state.status === 'approved' ? 'allow' : state.status === 'rejected' ? 'block' : 'review';
  const who = step ? (step.by.name ? `${step.by.name} (${TIER_LABELS[step.by.tier]})` : step.by.email) : undefined;
  const summary =
    state.status === 'approved'
      ? `Approved by ${who}`
      : state.status === 'rejected'
        ? `Rejected by ${who}${step?.comment ? `: ${step.comment}` : ''}`
        : step?.action === 'request-info'
          ? `More information requested by ${who}`
          : step?.action === 'approve'
            ? `First approval by ${who}; waiting for ${TIER_LABELS[state.requiredApprover]}`
            : state.status === 'expired-undecided'
              ? 'Undecided at the expected signing date'
              : decision.summary;
  return {
    recordId: input.recordId,
    kind: decision.kind,
    outcome,
    severity: decision.severity,
    summary: summary.slice(0, 500),
    findings: decision.findings,
    ...(decision.requiredApprover ? { requiredApprover: decision.requiredApprover } : {}),
    policyVersion: decision.policyVersion,
    decidedAt: (step ? new Date(step.at) : input.now).toISOString(),
    decidedBy: step ? { approver: step.by.email } : 'policy',
    sourceRef: input.sourceRef,
    revision: input.revision,
    approval: {
      status: state.status,
      requiredApprover: state.requiredApprover,
      ...(step ? { action: step.action, approverTier: step.by.tier } : {}),
      ...(step?.stage ? { stage: step.stage } : {}),
      ...(step?.comment ? { comment: step.comment } : {}),
      ...(step?.late ? { late: true } : {}),
    },
  };
}

/** The facts an approver or requester needs, one per line. */
export function requestFacts(s: RequestSummary): string[] {
  const lines = [`Request: ${s.title}`];
  if (s.requester.email || s.requester.name) {
    lines.push(`Requested by: ${[s.requester.name, s.requester.email ? `<${s.requester.email}>` : undefined].filter(Boolean).join(' ')}`);
  }
  if (s.department) lines.push(`Department: ${s.department}`);
  if (s.amount) lines.push(`Amount: ${formatMoney(s.amount.value, s.amount.currency)} (${s.amount.billingPeriod})`);
  if (s.annualised) lines.push(`Annualised: ${formatMoney(s.annualised.value, s.annualised.currency)}`);
  if (s.dataClassification) lines.push(`Data: ${s.dataClassification}`);
  if (s.expectedSigningDate) lines.push(`Expected signing date: ${s.expectedSigningDate}`);
  if (s.connectionKind) lines.push(`Event: ${s.connectionKind} in ${s.identitySource ?? 'the identity provider'}`);
  lines.push(`Policy outcome: ${s.outcome} (${s.severity}) - ${s.summary}`);
  for (const f of s.findings) {
    lines.push(`  - [${f.severity}] ${f.message}${f.suggestion ? ` Suggestion: ${f.suggestion}` : ''}`);
  }
  return lines;
}

function deadlineSentence(s: RequestSummary, now: Date): string {
  if (!s.deadline) return 'No signing date was given.';
  const ms = new Date(s.deadline).getTime() - now.getTime();
  const hours = Math.round(ms / 3_600_000);
  const left = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.max(0, hours)} hours`;
  return s.expectedSigningDate
    ? `The expected signing date is ${s.expectedSigningDate} (${left} from now).`
    : `It will be marked expired in ${left}.`;
}

/** "2026-12-01 09:00 UTC": one unambiguous format for every reader's time zone. */
export function formatInstant(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function chatLink(url: string, label: string, style: ChatLinkStyle): string {
  return style === 'slack' ? `<${url}|${label}>` : `[${label}](${url})`;
}

function article(label: string): string {
  return /^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`;
}
