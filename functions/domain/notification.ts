/**
 * Turns a stored decision into the message IT approvers read: a subject that
 * fits SNS's limit, a plain-text body for email and the local outbox, and an
 * AWS Chatbot (Amazon Q Developer in chat applications) custom notification
 * for Slack and Teams.
 *
 * Vendor, app, product, people and department names come from outside (a
 * requester's form, an IdP's app tile), so every one is cleaned of control and
 * direction-override characters, and escaped in the markdown: a vendor called
 * `*[Approve](http://evil)*` or `<script>` must show as those characters, never
 * as a link, formatting or markup. Finding texts are escaped the same way,
 * because they quote those names.
 */
import type { AppConnected, PurchaseRequest } from './events';
import type { Decision, Finding, Outcome } from './decision';
import type { Notification, RequestRecord } from './ports';

/** SNS: "less than 100 characters", no line breaks or control characters. */
export const SUBJECT_MAX_CHARS = 99;
/** Kept well inside Chatbot's limits so a long finding list cannot make the message undeliverable. */
const CHAT_TITLE_MAX_CHARS = 250;
const CHAT_DESCRIPTION_MAX_CHARS = 4000;
const CHAT_MAX_NEXT_STEPS = 5;
const CHAT_MAX_KEYWORDS = 10;
/** The email lists this many findings; the rest are counted. */
const TEXT_MAX_FINDINGS = 50;
const CHAT_MAX_FINDINGS = 15;

/** The AWS Chatbot custom-notification payload (version 1.0, source custom). */
export interface ChatbotCustomNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

export type RenderedNotification = Notification & { chat: ChatbotCustomNotification };

/** Renders the notification for one stored request. Pure: the same record always gives the same message. */
export function renderNotification(record: RequestRecord): RenderedNotification {
  const view = record.kind === 'purchase-request' ? purchaseView(record) : appView(record);
  const { decision } = record;
  const department = view.department === undefined ? undefined : truncate(singleLine(view.department), 100);
  const attributes: Notification['attributes'] = {
    outcome: decision.outcome,
    severity: decision.severity,
    kind: record.kind,
  };
  if (department) attributes.department = department;
  return {
    subject: renderSubject(decision.outcome, view.subjectMiddle, view.subjectTail),
    text: renderText(record, view),
    chat: renderChat(record, view),
    attributes,
    recordId: record.recordId,
  };
}

// ---------------------------------------------------------------------------
// What each kind contributes
// ---------------------------------------------------------------------------

/** The facts of a request as label/value pairs, raw (cleaned and escaped by each renderer). */
interface RequestView {
  subjectMiddle: string;
  subjectTail: string;
  /** Title line for chat: the thing and who it is for. */
  headline: string;
  facts: [label: string, value: string][];
  department?: string;
  signingDate?: string;
  justification?: string;
}

function purchaseView(record: RequestRecord): RequestView {
  const d = record.detail as PurchaseRequest;
  const { decision } = record;
  const amount = amountPhrase(d, decision);
  const requester = personPhrase(d.requester.name, d.requester.email, d.requester.id);
  const vendor = d.vendor.name ?? d.vendor.domain ?? 'vendor not stated';
  const department = d.requester.department ?? 'department not stated';
  const term = [
    d.termMonths === undefined ? undefined : `${d.termMonths} months`,
    d.autoRenew === undefined ? undefined : d.autoRenew ? 'auto-renews' : 'does not auto-renew',
  ].filter(isDefined);
  const facts: [string, string][] = [
    ['Record', record.recordId],
    ['Requested', `${d.product ?? 'product not stated'} from ${vendor}${d.vendor.domain && d.vendor.name ? ` (${d.vendor.domain})` : ''}`],
    ['Requested by', requester],
    ['Department', department],
    ['Amount', amount.full],
  ];
  if (d.seats !== undefined) facts.push(['Seats', formatNumber(d.seats)]);
  if (term.length > 0) facts.push(['Term', term.join(', ')]);
  facts.push(['Data classification', d.dataClassification ?? 'not stated']);
  facts.push(['Signing date', d.expectedSigningDate ?? 'not given']);
  if (decision.category ?? d.category) facts.push(['Category', (decision.category ?? d.category) as string]);
  if (decision.vendor) facts.push(['Catalogue match', vendorMatchPhrase(decision)]);
  else facts.push(['Catalogue match', 'not in the vendor catalogue']);
  if (decision.requiredApprover) {
    facts.push(['Approver', `${decision.requiredApprover}${decision.twoStepApproval ? ' (two-step: the tier below signs first)' : ''}`]);
  }
  if (d.source) facts.push(['Raised in', d.source]);
  return {
    subjectMiddle: `${vendor} for ${department}`,
    subjectTail: amount.short,
    headline: `${vendor} for ${department}`,
    facts,
    department: d.requester.department,
    signingDate: d.expectedSigningDate,
    justification: d.justification,
  };
}

const CONNECTION_PHRASES: Record<AppConnected['connectionKind'], string> = {
  'sso-app-created': 'SSO app created',
  'user-assigned': 'user assigned',
  'oauth-consent': 'OAuth consent',
};

const SOURCE_NAMES: Record<AppConnected['source'], string> = {
  okta: 'Okta',
  'entra-id': 'Entra ID',
  'google-workspace': 'Google Workspace',
  'iam-identity-center': 'IAM Identity Center',
  manual: 'manual report',
};

/** Most scopes listed before the rest are counted: admin consents can carry hundreds. */
const MAX_SCOPES_SHOWN = 20;

function appView(record: RequestRecord): RequestView {
  const d = record.detail as AppConnected;
  const { decision } = record;
  const actor = actorPhrase(d.actor);
  const what = `${CONNECTION_PHRASES[d.connectionKind]}${d.adminConsent ? ' (admin consent, whole organisation)' : ''}`;
  const facts: [string, string][] = [
    ['Record', record.recordId],
    ['App', `${d.app.name}${d.app.domain ? ` (${d.app.domain})` : ''}`],
    ['Event', `${what} in ${SOURCE_NAMES[d.source]} at ${d.occurredAt}`],
    ['Done by', actor],
  ];
  if (d.subject && (d.subject.displayName || d.subject.email || d.subject.id)) {
    facts.push(['Assigned to', personPhrase(d.subject.displayName, d.subject.email, d.subject.id)]);
  }
  if (d.department) facts.push(['Department', d.department]);
  if (d.scopes && d.scopes.length > 0) {
    const shown = d.scopes.slice(0, MAX_SCOPES_SHOWN).join(', ');
    const more = d.scopes.length > MAX_SCOPES_SHOWN ? ` … and ${d.scopes.length - MAX_SCOPES_SHOWN} more` : '';
    facts.push(['Scopes', `${shown}${more}`]);
  }
  if (decision.category) facts.push(['Category', decision.category]);
  facts.push(['Catalogue match', decision.vendor ? vendorMatchPhrase(decision) : 'not in the vendor catalogue']);
  const connection = d.adminConsent && d.connectionKind === 'oauth-consent' ? 'admin consent' : CONNECTION_PHRASES[d.connectionKind];
  return {
    subjectMiddle: d.app.name,
    subjectTail: `${connection} in ${SOURCE_NAMES[d.source]}`,
    headline: `${d.app.name}: ${CONNECTION_PHRASES[d.connectionKind]} in ${SOURCE_NAMES[d.source]}`,
    facts,
    department: d.department,
  };
}

function actorPhrase(actor: AppConnected['actor']): string {
  const who = personPhrase(actor.displayName, actor.email, actor.id);
  switch (actor.type) {
    case 'user':
      return who;
    case 'system':
      return `a system actor${who === 'unknown' ? '' : ` (${who})`}, not a person`;
    case 'app':
      return `an application${who === 'unknown' ? '' : ` (${who})`}`;
    default:
      return `unknown (the source did not say who${who === 'unknown' ? '' : `; it names ${who}`})`;
  }
}

function personPhrase(name?: string, email?: string, id?: string): string {
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? (id ? `id ${id}` : 'unknown');
}

function vendorMatchPhrase(decision: Decision): string {
  const v = decision.vendor;
  if (!v) return 'not in the vendor catalogue';
  return `${v.name} (${v.status}, matched by ${v.matchedBy}, ${v.confidence} confidence)`;
}

const PERIOD_SUFFIX: Record<NonNullable<PurchaseRequest['billingPeriod']>, string> = {
  'one-time': ' one-time',
  monthly: '/mo',
  quarterly: '/quarter',
  annual: '/yr',
};

/** "24,000 USD/yr" for the subject; the full phrase says what was asked and what it means per year. */
function amountPhrase(d: PurchaseRequest, decision: Decision): { short: string; full: string } {
  if (!d.amount) return { short: 'amount not stated', full: 'not stated' };
  const period = d.billingPeriod ? PERIOD_SUFFIX[d.billingPeriod] : ' (billing period not stated)';
  const asked = `${formatNumber(d.amount.value)} ${d.amount.currency ?? '(currency not stated)'}${period}`;
  const spend = decision.spend;
  if (!spend) return { short: asked, full: asked };
  const perYear = `${formatNumber(Math.round(spend.annualised))} ${spend.currency}/yr`;
  const total = `${formatNumber(Math.round(spend.totalContractValue))} ${spend.currency} total contract value`;
  if (d.billingPeriod === 'one-time' || d.billingPeriod === undefined) {
    const short = `${formatNumber(Math.round(spend.totalContractValue))} ${spend.currency} one-time`;
    return { short, full: asked === short ? asked : `${asked} (${short})` };
  }
  const sameAsAsked = asked === perYear;
  return { short: perYear, full: sameAsAsked ? `${asked} (${total})` : `${asked} (${perYear}; ${total})` };
}

// ---------------------------------------------------------------------------
// Subject
// ---------------------------------------------------------------------------

const OUTCOME_LABEL: Record<Outcome, string> = { allow: 'ALLOW', review: 'REVIEW', block: 'BLOCK' };

/** `[REVIEW] Dropbox for Marketing — 24,000 USD/yr`: the name shrinks first, the outcome and amount never. */
function renderSubject(outcome: Outcome, middle: string, tail: string): string {
  const prefix = `[${OUTCOME_LABEL[outcome]}] `;
  const separator = ' — ';
  const cleanTail = truncate(singleLine(tail), 45);
  const room = SUBJECT_MAX_CHARS - length(prefix) - length(separator) - length(cleanTail);
  const subject = `${prefix}${truncate(singleLine(middle), Math.max(room, 10))}${separator}${cleanTail}`;
  return truncate(subject, SUBJECT_MAX_CHARS);
}

// ---------------------------------------------------------------------------
// Plain text (email, outbox)
// ---------------------------------------------------------------------------

function renderText(record: RequestRecord, view: RequestView): string {
  const { decision } = record;
  const lines: string[] = [];
  lines.push(`Guardrail decision: ${OUTCOME_LABEL[decision.outcome]} (severity ${decision.severity})`);
  lines.push(singleLine(decision.summary));
  lines.push('');
  lines.push(record.kind === 'purchase-request' ? 'Purchase request' : 'App connection');
  const width = Math.max(...view.facts.map(([label]) => label.length)) + 2;
  for (const [label, value] of view.facts) lines.push(`  ${`${label}:`.padEnd(width)} ${singleLine(value)}`);
  lines.push('');
  if (decision.findings.length === 0) {
    lines.push('Findings: none');
  } else {
    lines.push(`Findings (${decision.findings.length})`);
    decision.findings.slice(0, TEXT_MAX_FINDINGS).forEach((f, i) => {
      lines.push(`  ${i + 1}. [${f.severity.toUpperCase()}] ${f.dimension}: ${singleLine(f.message)}`);
      if (f.suggestion) lines.push(`     Suggestion: ${singleLine(f.suggestion)}`);
    });
    if (decision.findings.length > TEXT_MAX_FINDINGS) {
      lines.push(`  … and ${decision.findings.length - TEXT_MAX_FINDINGS} more findings in the stored record`);
    }
  }
  if (view.justification) {
    lines.push('');
    lines.push('Justification');
    for (const line of truncate(view.justification, 1500).split(/\r\n|\r|\n/)) {
      const clean = singleLine(line);
      if (clean) lines.push(`  ${clean}`);
    }
  }
  lines.push('');
  lines.push(nextStepText(decision.outcome, view.signingDate));
  lines.push('');
  lines.push(
    `Policy version ${singleLine(decision.policyVersion)} · evaluated ${decision.evaluatedAt} · record ${singleLine(record.recordId)}`,
  );
  return lines.join('\n');
}

function nextStepText(outcome: Outcome, signingDate?: string): string {
  const before = signingDate ? ` before the planned signing date ${signingDate}` : ' before anything is signed';
  switch (outcome) {
    case 'block':
      return `Next step: this request breaks policy. Contact the requester${before}; the contract must not be signed as requested.`;
    case 'review':
      return `Next step: review the findings and approve or reject the request${before}.`;
    default:
      return 'Next step: none; policy allows this request.';
  }
}

// ---------------------------------------------------------------------------
// Chat (AWS Chatbot custom notification, client-markdown)
// ---------------------------------------------------------------------------

const OUTCOME_EMOJI: Record<Outcome, string> = { allow: ':white_check_mark:', review: ':warning:', block: ':no_entry:' };

function renderChat(record: RequestRecord, view: RequestView): ChatbotCustomNotification {
  const { decision } = record;
  const title = truncateMarkdown(
    `${OUTCOME_EMOJI[decision.outcome]} *${OUTCOME_LABEL[decision.outcome]}* ${escapeMarkdown(view.headline)}`,
    CHAT_TITLE_MAX_CHARS,
  );

  const lines: string[] = [escapeMarkdown(decision.summary), ''];
  for (const [label, value] of view.facts) lines.push(`*${label}:* ${escapeMarkdown(value)}`);
  if (decision.findings.length > 0) {
    lines.push('', `*Findings (${decision.findings.length})*`);
    for (const f of decision.findings.slice(0, CHAT_MAX_FINDINGS)) lines.push(chatFinding(f));
    if (decision.findings.length > CHAT_MAX_FINDINGS) {
      lines.push(`… and ${decision.findings.length - CHAT_MAX_FINDINGS} more (see the email)`);
    }
  }
  lines.push('', `_Policy ${escapeMarkdown(decision.policyVersion)} · record ${escapeMarkdown(record.recordId)}_`);
  const description = truncateMarkdownLines(lines, CHAT_DESCRIPTION_MAX_CHARS);

  const firstStep = nextStepText(decision.outcome, view.signingDate).replace(/^Next step: (.)/, (_m, c: string) => c.toUpperCase());
  const nextSteps = [escapeMarkdown(firstStep)];
  for (const f of decision.findings) {
    if (f.suggestion && nextSteps.length < CHAT_MAX_NEXT_STEPS) nextSteps.push(escapeMarkdown(truncate(singleLine(f.suggestion), 300)));
  }

  const keywords = [OUTCOME_LABEL[decision.outcome], decision.severity, record.kind];
  if (view.department) keywords.push(escapeMarkdown(truncate(view.department, 60)));
  if (decision.category) keywords.push(escapeMarkdown(decision.category));
  if (decision.requiredApprover && decision.requiredApprover !== 'none') keywords.push(decision.requiredApprover);

  const additionalContext: Record<string, string> = {
    recordId: escapeMarkdown(record.recordId),
    outcome: decision.outcome,
    severity: decision.severity,
    kind: record.kind,
    policyVersion: escapeMarkdown(decision.policyVersion),
    evaluatedAt: decision.evaluatedAt,
  };
  if (view.department) additionalContext.department = escapeMarkdown(truncate(view.department, 100));

  return {
    version: '1.0',
    source: 'custom',
    id: `guardrail-${singleLine(record.recordId)}`,
    content: {
      textType: 'client-markdown',
      title,
      description,
      nextSteps,
      keywords: keywords.slice(0, CHAT_MAX_KEYWORDS),
    },
    metadata: {
      // One thread per request: later updates (approvals, reminders) land under the first message.
      threadId: singleLine(record.recordId),
      summary: renderSubject(decision.outcome, view.subjectMiddle, view.subjectTail),
      eventType: 'Guardrail Decision',
      relatedResources: [],
      additionalContext,
    },
  };
}

function chatFinding(f: Finding): string {
  const suggestion = f.suggestion ? ` _${escapeMarkdown(truncate(singleLine(f.suggestion), 300))}_` : '';
  return `• *${f.severity.toUpperCase()}* (${f.dimension}) ${escapeMarkdown(truncate(singleLine(f.message), 400))}${suggestion}`;
}

// ---------------------------------------------------------------------------
// Cleaning and escaping
// ---------------------------------------------------------------------------

/**
 * C0/C1 controls, line and paragraph separators, zero-width and bidirectional
 * overrides (which can make "moc.evil" read as "live.com"): none belongs in a
 * one-line name.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/** One clean line: unsafe characters become spaces, runs of spaces one. */
export function singleLine(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

const MARKDOWN_SPECIAL = /[\\`*_~[\]()#|!{}]/g;
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Makes outside text inert in chat markdown: cleaned to one line, HTML
 * specials as entities (Slack's own escaping), markdown specials
 * backslash-escaped, and `scheme://` defanged to `scheme[:]//` so a name
 * cannot become a link either as markdown or by auto-linking.
 */
export function escapeMarkdown(text: string): string {
  return singleLine(text)
    .replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/[&<>]/g, (c) => HTML_SPECIAL[c])
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

function length(text: string): number {
  return Array.from(text).length;
}

/** Cuts by code points (never splitting an emoji or surrogate pair) and marks the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(max - 1, 0)).join('').trimEnd()}…`;
}

/** Truncates escaped markdown without leaving a dangling backslash or half an entity. */
function truncateMarkdown(markdown: string, max: number): string {
  if (length(markdown) <= max) return markdown;
  let cut = Array.from(markdown).slice(0, max - 1).join('');
  cut = cut.replace(/&[a-z]*$/, '');
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Keeps whole lines while they fit, then says how much was left out. */
function truncateMarkdownLines(lines: string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const cost = length(line) + 1;
    if (used + cost > max - 40) {
      kept.push(`… (${lines.length - i} more lines in the email)`);
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.join('\n');
}

function formatNumber(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
