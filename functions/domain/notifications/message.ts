/**
 * What a message is, channel-neutral, and how it becomes each channel's body.
 * A renderer (decision.ts, reminders.ts, …) describes a message as a
 * {@link MessageSpec}: blocks of plain text holding raw outside values. This
 * module renders the spec once per channel, escaping with that channel's one
 * function: email text (email.ts), the Chatbot payload (chat.ts), and the
 * machine-readable JSON (data.ts). Decision links enter only through
 * {@link personal}, and only the email body ever sees them.
 */
import type { Finding } from '../decision';
import type { DecisionLinks } from '../approvals';
import { ACTION_LABELS, APPROVER_ACTIONS, TIER_LABELS, formatInstant, type ApproverTier } from '../approvals';
import { CHAT_LIMITS, chatLink, chatPlain, chatQuote, chatText, truncateMarkdown, truncateMarkdownLines, type ChatbotCustomNotification } from './chat';
import { DATA_SCHEMA, type MessageData } from './data';
import { emailQuote, emailText, snsSubject } from './email';
import { singleLine, truncate } from './text';

/** Every kind of message the product sends. Adding one: a renderer returning a MessageSpec, and its name here. */
export const MESSAGE_TYPES = [
  'decision',
  'reminder',
  'escalation',
  'second-signature',
  'expiry',
  'digest',
  'approval-update',
  'amended',
  'outreach',
  'shadow-it-report',
  'renewal',
  'app-review-update',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** `recipient` of IT messages meant for every approver (no personal links). */
export const ALL_APPROVERS = 'all-approvers';

/** Filter attributes of IT-topic messages (SNS subscription filter policies match on them). */
export interface ItAttributes {
  type: MessageType;
  outcome: string;
  severity: string;
  kind: string;
  department?: string;
  /** The approver tier addressed, when the message asks a tier to decide. */
  tier?: string;
  /**
   * The approver's email when the message carries their personal decision
   * links; {@link ALL_APPROVERS} when it is for every approver. Each
   * approver's email subscription filters on it.
   */
  recipient?: string;
  /**
   * `first` on the one copy chat and queue subscriptions should take;
   * `additional` on the other approvers' personal copies of the same message.
   */
  copy?: 'first' | 'additional';
}

/** Filter attributes of requester-topic messages. */
export interface RequesterAttributes {
  type: MessageType;
  status: string;
  kind: string;
  department?: string;
  /** The requester's identity key (lower case, no +tag): one subscription per requester filters on it. */
  requester?: string;
}

/** Filter attributes of department-topic messages (outreach): each contact's subscription filters on `department`. */
export interface DepartmentAttributes {
  type: MessageType;
  kind: 'outreach';
  /** The department's name as the policy lists it. */
  department: string;
  /** `weekly`, or `monthly` for reports. */
  cadence: string;
}

/** A rendered message: one body per channel. */
export interface Message<A = ItAttributes> {
  recordId: string;
  subject: string;
  /** Email body (and the local outbox's readable copy): the only body that may carry the addressee's decision links. */
  text: string;
  /** AWS Chatbot custom notification (SNS `https`): never a decision link. */
  chat: ChatbotCustomNotification;
  /** Machine-readable copy (SNS `sqs`, `lambda`, `http`, `email-json`, `firehose`): never a decision link. */
  data: MessageData;
  attributes: A;
}

export type ItMessage = Message<ItAttributes>;
export type RequesterMessage = Message<RequesterAttributes> & { to?: string };
export type DepartmentMessage = Message<DepartmentAttributes> & { to: string };

/** One part of a message body. Strings are plain text with raw outside values: each channel escapes them. */
export type Block =
  /** Sentences; `emailOnly` where chat says the same in its next steps. */
  | { type: 'text'; lines: string[]; emailOnly?: boolean }
  | { type: 'facts'; heading?: string; rows: [label: string, value: string][] }
  | { type: 'findings'; findings: readonly Finding[] }
  /** What a person wrote (justification, comment): quoted, so it cannot pass for our own lines. */
  | { type: 'quote'; heading?: string; text: string }
  /** A link to one of our own pages (never a decision link). */
  | { type: 'link'; label: string; url: string }
  /** Where the addressee's decision links for a request go (email only; nothing for anyone else). */
  | { type: 'decision-links'; recordId: string };

/** A channel-neutral message. */
export interface MessageSpec {
  type: MessageType;
  audience: MessageData['audience'];
  recordId: string;
  kind: MessageData['kind'];
  subject: string;
  /** Chat title: emoji (ours), an optional bold label (ours), then the outside text. */
  title: { emoji: string; label?: string; text: string };
  /** One line: the chat preview's companion and the data's summary. */
  summary: string;
  blocks: Block[];
  /** What to do now, as sentences (chat next steps; the email carries them in its blocks). */
  nextSteps: string[];
  /** Suggestions from findings, offered as further chat steps while there is room. */
  suggestions?: string[];
  /** Our own pages: the request page (sign-in) and the inbox. */
  links: PageLinks;
  /** Last lines: policy version, reference. */
  footer: string[];
  keywords: string[];
  /** Identifies the message for Chatbot (a retry renders the same id). */
  chatId: string;
  threadId: string;
  eventType: string;
  context: Record<string, string>;
  findings: readonly Finding[];
  /** Facts for the data body beyond the common ones (status, revision, items, changes…). */
  data?: Partial<MessageData>;
}

/** Links to our own pages, both behind sign-in. */
export interface PageLinks {
  request?: string;
  inbox?: string;
}

/** One approver's links for each request the message asks them to decide. */
export interface Addressee {
  approver: { email: string; name: string };
  tier: ApproverTier;
  /** Asked because nobody at the required tier covers the department. */
  fellBack?: boolean;
  /** By record id: the links for that request and when they expire. */
  links: Readonly<Record<string, { links: DecisionLinks; expiresAt: Date }>>;
}

/** Renders a spec for every channel; `addressee` adds their decision links to the email body only. */
export function render<A>(spec: MessageSpec, attributes: A, addressee?: Addressee): Message<A> {
  const base = emailBody(spec);
  return {
    recordId: spec.recordId,
    subject: snsSubject(spec.subject),
    text: addressee ? emailBody(spec, addressee) : base,
    chat: chatBody(spec),
    data: dataBody(spec, base),
    attributes,
  };
}

// ---------------------------------------------------------------------------
// Addressing IT messages
// ---------------------------------------------------------------------------

/** A message for IT before it is addressed: described once, rendered for each addressee. */
export interface MessageDraft {
  spec: MessageSpec;
  attributes: Pick<ItAttributes, 'type' | 'outcome' | 'severity' | 'kind' | 'department'>;
}

/** Without a directory or links: the message as is, for whoever subscribed. */
export function unaddressed(draft: MessageDraft): ItMessage {
  return render(draft.spec, { ...draft.attributes, copy: 'first' });
}

/** For every approver on the topic (it carries no personal links), with a note for them when there is one. */
export function broadcast(draft: MessageDraft, options: { tier?: ApproverTier; note?: string } = {}): ItMessage {
  const spec = options.note ? { ...draft.spec, blocks: [...draft.spec.blocks, { type: 'text' as const, lines: [options.note] }] } : draft.spec;
  return render(spec, { ...draft.attributes, ...(options.tier ? { tier: options.tier } : {}), recipient: ALL_APPROVERS, copy: 'first' });
}

/** For one approver: their decision links in the email body; `first` marks the copy chat and queues take. */
export function personal(draft: MessageDraft, addressee: Addressee, first: boolean): ItMessage {
  return render(
    draft.spec,
    { ...draft.attributes, tier: addressee.tier, recipient: addressee.approver.email, copy: first ? 'first' : 'additional' },
    addressee,
  );
}

// ---------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------

const EMAIL_MAX_FINDINGS = 50;

function emailBody(spec: MessageSpec, addressee?: Addressee): string {
  const sections: string[][] = [];
  if (addressee) {
    const fellBack = addressee.fellBack ? ', asked because nobody at the required tier covers this department' : '';
    sections.push([`For ${emailText(addressee.approver.name)} (${TIER_LABELS[addressee.tier]})${fellBack}.`]);
  }
  for (const block of spec.blocks) {
    const lines = emailBlock(block, addressee);
    if (lines.length > 0) sections.push(lines);
  }
  const links = [
    ...(spec.links.request ? [`Request page (sign in to open): ${spec.links.request}`] : []),
    ...(spec.links.inbox ? [`All pending requests: ${spec.links.inbox}`] : []),
  ];
  if (links.length > 0) sections.push(links);
  if (spec.footer.length > 0) sections.push(spec.footer.map(emailText));
  return sections.map((s) => s.join('\n')).join('\n\n');
}

function emailBlock(block: Block, addressee?: Addressee): string[] {
  switch (block.type) {
    case 'text':
      return block.lines.map(emailText);
    case 'facts': {
      const width = Math.max(...block.rows.map(([label]) => label.length)) + 2;
      const rows = block.rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${emailText(value)}`);
      return block.heading ? [emailText(block.heading), ...rows] : rows;
    }
    case 'findings': {
      const { findings } = block;
      if (findings.length === 0) return ['Findings: none'];
      const lines = [`Findings (${findings.length})`];
      findings.slice(0, EMAIL_MAX_FINDINGS).forEach((f, i) => {
        lines.push(`  ${i + 1}. [${f.severity.toUpperCase()}] ${f.dimension}: ${emailText(f.message)}`);
        if (f.suggestion) lines.push(`     Suggestion: ${emailText(f.suggestion)}`);
      });
      if (findings.length > EMAIL_MAX_FINDINGS) lines.push(`  … and ${findings.length - EMAIL_MAX_FINDINGS} more findings in the stored record`);
      return lines;
    }
    case 'link':
      return [`${block.label}: ${block.url}`];
    case 'quote': {
      const quoted = emailQuote(block.text);
      return quoted.length === 0 ? [] : [...(block.heading ? [emailText(block.heading)] : []), ...quoted];
    }
    case 'decision-links': {
      const forRecord = addressee?.links[block.recordId];
      return forRecord ? decisionLinkLines(forRecord.links, forRecord.expiresAt) : [];
    }
  }
}

/** The decision links, with the reassurance mail scanners make necessary. Email only. */
function decisionLinkLines(links: DecisionLinks, expiresAt: Date): string[] {
  return [
    'Decide (each link opens a page with the request; nothing is recorded until you confirm there):',
    ...APPROVER_ACTIONS.map((action) => `  ${ACTION_LABELS[action]}: ${links[action]}`),
    `These links are yours alone, work once, and expire ${formatInstant(expiresAt)}. Do not forward this email.`,
  ];
}

// ---------------------------------------------------------------------------
// Chat
// ---------------------------------------------------------------------------

function chatBody(spec: MessageSpec): ChatbotCustomNotification {
  const { title } = spec;
  const heading = `${title.emoji} ${title.label ? `*${title.label}* ` : ''}${chatText(title.text)}`;
  const lines: string[] = [];
  for (const block of spec.blocks) {
    const rendered = chatBlock(block);
    if (rendered.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(...rendered);
  }
  if (spec.footer.length > 0) lines.push('', `_${spec.footer.map(chatText).join(' · ')}_`);

  const nextSteps = spec.nextSteps.map((s) => chatText(truncate(s, 300)));
  if (spec.links.request) nextSteps.push(chatLink(spec.links.request, 'Open the request page (sign-in)'));
  else if (spec.links.inbox) nextSteps.push(chatLink(spec.links.inbox, 'Open the inbox (sign-in)'));
  for (const suggestion of spec.suggestions ?? []) {
    if (nextSteps.length >= CHAT_LIMITS.nextSteps) break;
    nextSteps.push(chatText(truncate(suggestion, 300)));
  }

  return {
    version: '1.0',
    source: 'custom',
    id: singleLine(spec.chatId),
    content: {
      textType: 'client-markdown',
      title: truncateMarkdown(heading, CHAT_LIMITS.title),
      description: truncateMarkdownLines(lines, CHAT_LIMITS.description),
      nextSteps: nextSteps.slice(0, CHAT_LIMITS.nextSteps),
      keywords: spec.keywords.slice(0, CHAT_LIMITS.keywords).map((k) => chatText(truncate(k, 60))),
    },
    metadata: {
      threadId: singleLine(spec.threadId),
      summary: chatPlain(snsSubject(spec.subject)),
      eventType: spec.eventType,
      relatedResources: [],
      additionalContext: Object.fromEntries(Object.entries(spec.context).map(([k, v]) => [k, chatText(truncate(v, 100))])),
    },
  };
}

function chatBlock(block: Block): string[] {
  switch (block.type) {
    case 'text':
      return block.emailOnly ? [] : block.lines.map(chatText);
    case 'facts':
      return [...(block.heading ? [`*${chatText(block.heading)}*`] : []), ...block.rows.map(([label, value]) => `*${chatText(label)}:* ${chatText(value)}`)];
    case 'findings': {
      const { findings } = block;
      if (findings.length === 0) return [];
      const lines = [`*Findings (${findings.length})*`];
      for (const f of findings.slice(0, CHAT_LIMITS.findings)) {
        const suggestion = f.suggestion ? ` _${chatText(truncate(f.suggestion, 300))}_` : '';
        lines.push(`• *${f.severity.toUpperCase()}* (${f.dimension}) ${chatText(truncate(f.message, 400))}${suggestion}`);
      }
      if (findings.length > CHAT_LIMITS.findings) lines.push(`… and ${findings.length - CHAT_LIMITS.findings} more (see the email)`);
      return lines;
    }
    case 'link':
      return [chatLink(block.url, block.label)];
    case 'quote': {
      const quoted = chatQuote(block.text, 600);
      return quoted.length === 0 ? [] : [...(block.heading ? [`_${chatText(block.heading)}_`] : []), ...quoted];
    }
    case 'decision-links':
      return [];
  }
}

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

function dataBody(spec: MessageSpec, text: string): MessageData {
  return {
    schema: DATA_SCHEMA,
    type: spec.type,
    audience: spec.audience,
    recordId: spec.recordId,
    kind: spec.kind,
    subject: snsSubject(spec.subject),
    summary: singleLine(spec.summary),
    findings: spec.findings.map((f) => ({ ...f })),
    links: { ...spec.links },
    text,
    ...spec.data,
  };
}
