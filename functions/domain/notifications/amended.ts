/**
 * "Amended: amount 12,000 → 90,000 USD; term 12 → 60 months; approval
 * voided, back to review": told to IT (addressed like a first notification:
 * the approvers get their links again when it needs a decision) and to the
 * requester. The changes are described once, when the revision is written
 * (describeChanges reads both versions of the request), and kept in the
 * record's history, so a retried notification says the same.
 */
import { requestSummaryOf } from '../approvals';
import type { Outcome } from '../decision';
import type { GuardrailEvent } from '../events';
import type { RequestRecord } from '../records';
import { OUTCOME_EMOJI, OUTCOME_LABEL, decisionAttributes, decisionContext, decisionSubject, justificationBlock } from './decision';
import type { MessageDraft, MessageSpec, PageLinks, RequesterMessage } from './message';
import { NOT_STATED, askedAmount, requestFacts, termPhrase } from './request-facts';
import { requesterMessage } from './requester';
import { capitalise, formatNumber, singleLine, truncate } from './text';

export interface AmendmentInput {
  /** The outcome of the revision before this one. */
  previousOutcome: Outcome;
  /** The amended record: new detail, new decision, the approval as it now stands. */
  after: RequestRecord;
  /** What changed, described when the revision was written ({@link describeChanges}). */
  changes: readonly ChangeDescription[];
  /** True when an earlier approval no longer stands and the request is back to review. */
  approvalVoided: boolean;
  /** True when the requester answered a request for more information with this revision: the review resumes. */
  reviewResumed?: boolean;
  revision: number;
  links?: PageLinks;
}

/** One change as people read it. */
export interface ChangeDescription {
  field: string;
  label: string;
  before: string;
  after: string;
  /** "amount 12,000 → 90,000 USD". */
  phrase: string;
}

/** The IT message (address it with personal / broadcast) and the requester's, when there is a requester to tell. */
export function amendmentMessages(input: AmendmentInput): { it: MessageDraft; requester?: RequesterMessage } {
  const { after, revision } = input;
  const { changes } = input;
  const line = amendmentLine(changes, input);
  const facts = requestFacts(after);
  const { decision } = after;
  const links = input.links ?? {};
  const spec: MessageSpec = {
    type: 'amended',
    audience: 'it-approvers',
    recordId: after.recordId,
    kind: after.kind,
    subject: decisionSubject(decision.outcome, facts, 'Amended: '),
    title: { emoji: OUTCOME_EMOJI[decision.outcome], label: OUTCOME_LABEL[decision.outcome], text: `Amended: ${facts.headline}` },
    summary: line,
    blocks: [
      {
        type: 'text',
        lines: [
          `${capitalise(line)}.`,
          `Guardrail decision on revision ${revision}: ${OUTCOME_LABEL[decision.outcome]} (severity ${decision.severity})`,
          decision.summary,
        ],
      },
      { type: 'facts', heading: 'What changed', rows: changes.map((c) => [capitalise(c.label), `${c.before} → ${c.after}`]) },
      { type: 'facts', heading: after.kind === 'purchase-request' ? 'Purchase request, as amended' : 'App connection, as amended', rows: facts.rows },
      { type: 'findings', findings: decision.findings },
      ...justificationBlock(facts),
      { type: 'decision-links', recordId: after.recordId },
    ],
    nextSteps: [nextStep(input)],
    links,
    footer: [`Policy version ${decision.policyVersion} · evaluated ${decision.evaluatedAt} · record ${after.recordId} · revision ${revision}`],
    keywords: ['amended', OUTCOME_LABEL[decision.outcome], decision.severity, after.kind, ...(facts.department ? [facts.department] : [])],
    chatId: `${after.recordId}:amended:${revision}`,
    threadId: after.recordId,
    eventType: 'Guardrail Amendment',
    context: { ...decisionContext(after, facts), revision: String(revision) },
    findings: decision.findings,
    data: { outcome: decision.outcome, severity: decision.severity, status: after.approval.status, ...amendmentData(changes, input) },
  };
  const it: MessageDraft = { spec, attributes: decisionAttributes(after, 'amended', facts) };

  const summary = requestSummaryOf(after);
  if (!summary.requester.email) return { it };
  const requester = requesterMessage(after, summary, {
    type: 'amended',
    status: after.approval.status,
    subject: `Amended: ${summary.title}`,
    headline: `Your request was amended: ${summary.title}`,
    summary: line,
    blocks: [{ type: 'text', lines: [`Your request was ${line}.`, requesterConsequence(input)] }],
    chatId: `${after.recordId}:requester-amended:${revision}`,
    eventType: 'request-amended',
    revision,
    data: amendmentData(changes, input),
  });
  return { it, requester };
}

/** "amended: amount 12,000 → 90,000 USD; term 12 → 60 months; approval voided, back to review". */
export function amendmentLine(
  changes: readonly ChangeDescription[],
  input: Pick<AmendmentInput, 'previousOutcome' | 'after' | 'approvalVoided' | 'reviewResumed'>,
): string {
  const parts = changes.map((c) => c.phrase);
  return `amended: ${[...parts, outcomePhrase(input)].join('; ')}`;
}

function outcomePhrase({
  previousOutcome,
  after,
  approvalVoided,
  reviewResumed,
}: Pick<AmendmentInput, 'previousOutcome' | 'after' | 'approvalVoided' | 'reviewResumed'>): string {
  const was = previousOutcome;
  const now = after.decision.outcome;
  if (approvalVoided) return now === 'block' ? 'approval voided, policy now blocks it' : 'approval voided, back to review';
  if (reviewResumed) return 'the requester answered the request for information: the review resumes';
  if (was !== now) return `policy outcome ${was} → ${now}`;
  return `policy outcome still ${now}`;
}

function nextStep(input: AmendmentInput): string {
  switch (input.after.decision.outcome) {
    case 'block':
      return 'The amended request breaks policy: tell the requester it must not be signed as it stands.';
    case 'review':
      if (input.approvalVoided) return 'Review the amended request again: the earlier approval no longer stands.';
      return input.reviewResumed ? 'The requester answered with this revision: the review resumes.' : 'Review the amended request.';
    default:
      return 'None: policy allows the amended request.';
  }
}

function requesterConsequence(input: AmendmentInput): string {
  const outcome = input.after.decision.outcome;
  if (outcome === 'block') return 'Policy does not allow the request as amended: please do not sign it.';
  if (input.approvalVoided) return 'The earlier approval no longer stands: IT reviews the request again. Please do not sign until IT decides.';
  if (outcome === 'review') return 'IT reviews the request. Please do not sign until IT decides.';
  return 'Policy allows the request as amended.';
}

function amendmentData(changes: readonly ChangeDescription[], input: AmendmentInput): MessageSpec['data'] {
  return {
    revision: input.revision,
    approvalVoided: input.approvalVoided,
    changes: changes.map(({ field, label, before, after }) => ({ field, label, before, after })),
  };
}

// ---------------------------------------------------------------------------
// Describing changes
// ---------------------------------------------------------------------------

const LABELS: Record<string, string> = {
  vendor: 'vendor',
  'vendor.name': 'vendor',
  'vendor.domain': 'vendor domain',
  product: 'product',
  billingPeriod: 'billing period',
  termMonths: 'term',
  autoRenew: 'auto-renewal',
  seats: 'seats',
  dataClassification: 'data classification',
  expectedSigningDate: 'signing date',
  category: 'category',
  requester: 'requester',
  'requester.email': 'requester',
  'requester.department': 'department',
  'requester.name': 'requester name',
  submittedAt: 'submitted',
  justification: 'justification',
};

/** The changed fields as people read them, one per label (`amount.value` and `amount.currency` make one "amount"). */
export function describeChanges(before: GuardrailEvent, after: GuardrailEvent, fields: readonly (string | { field: string })[]): ChangeDescription[] {
  const seen = new Set<string>();
  const out: ChangeDescription[] = [];
  for (const entry of fields) {
    const field = typeof entry === 'string' ? entry : entry.field;
    const change = describeChange(before, after, field);
    if (seen.has(change.label)) continue;
    seen.add(change.label);
    out.push(change);
  }
  return out;
}

export function describeChange(before: GuardrailEvent, after: GuardrailEvent, field: string): ChangeDescription {
  const b = before.detail as unknown as Record<string, unknown>;
  const a = after.detail as unknown as Record<string, unknown>;
  const root = field.split('.')[0];
  if (root === 'amount' && before.kind === 'purchase-request' && after.kind === 'purchase-request') {
    const was = before.detail.amount;
    const now = after.detail.amount;
    const same = was?.currency === now?.currency;
    const value = (amount: typeof was) => (amount ? formatNumber(amount.value) : NOT_STATED);
    const currency = (amount: typeof was) => (amount?.currency ? ` ${amount.currency}` : '');
    const phrase = same ? `amount ${value(was)} → ${value(now)}${currency(now)}` : `amount ${value(was)}${currency(was)} → ${value(now)}${currency(now)}`;
    return { field: 'amount', label: 'amount', before: askedAmount(before.detail), after: askedAmount(after.detail), phrase };
  }
  if (root === 'termMonths' && before.kind === 'purchase-request' && after.kind === 'purchase-request') {
    const was = before.detail.termMonths;
    const now = after.detail.termMonths;
    const phrase =
      was !== undefined && now !== undefined
        ? `term ${was} → ${now} months`
        : `term ${was ?? NOT_STATED} → ${now === undefined ? NOT_STATED : `${now} months`}`;
    return { field, label: 'term', before: termPhrase({ termMonths: was }), after: termPhrase({ termMonths: now }), phrase };
  }
  const label = LABELS[field] ?? LABELS[root] ?? field;
  if (root === 'justification') {
    return { field, label, before: shown(valueAt(b, field)), after: shown(valueAt(a, field)), phrase: 'justification rewritten' };
  }
  const path = field === 'vendor' ? 'vendor.name' : field === 'requester' ? 'requester.email' : field;
  const was = shown(valueAt(b, path));
  const now = shown(valueAt(a, path));
  return { field, label, before: was, after: now, phrase: was === now ? `${label} changed` : `${label} ${was} → ${now}` };
}

function valueAt(detail: Record<string, unknown>, path: string): unknown {
  let value: unknown = detail;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return NOT_STATED;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return truncate(singleLine(value), 120);
  return 'changed';
}
