/**
 * The daily digest: one message per approver listing every low-risk request
 * held for them, soonest signing date first. The approver's decision links
 * for each request go in their email only; chat and queues get each
 * request's page.
 */
import { bySigningDate, formatInstant, type Approver, type ApproverTier, type DecisionLinks, type RequestSummary } from '../approvals';
import type { Severity } from '../policy';
import { personal, type Block, type ItMessage, type MessageSpec } from './message';
import { formatAmount } from './text';

export interface DigestItem {
  summary: RequestSummary;
  /** The approver's links for this request (email only), and when they expire. */
  links?: DecisionLinks;
  linksExpireAt?: Date;
  /** The request page (sign-in), for every channel. */
  requestUrl?: string;
}

export interface DigestInput {
  approver: Pick<Approver, 'email' | 'name'>;
  tier: ApproverTier;
  items: readonly DigestItem[];
  now: Date;
  inboxUrl?: string;
}

/** One approver's digest: every low-risk request held for them, each with its own links. */
export function digestMessage(input: DigestInput): ItMessage {
  const { approver, tier, now } = input;
  const sorted = [...input.items].sort((a, b) => bySigningDate(a.summary, b.summary));
  const day = now.toISOString().slice(0, 10);
  const count = sorted.length;
  const plural = count === 1 ? '' : 's';
  const blocks: Block[] = [
    {
      type: 'text',
      lines: [
        count === 0
          ? `No low-risk requests are waiting today (${day}).`
          : `${count} low-risk request${count === 1 ? ' waits' : 's wait'} for a decision. Each was evaluated by policy and has only low-severity findings.`,
      ],
    },
  ];
  sorted.forEach((item, i) => blocks.push(...itemBlocks(item, i + 1)));
  blocks.push({ type: 'text', lines: [`Generated ${formatInstant(now)}.`] });
  const severity: Severity = sorted.some((i) => i.summary.severity === 'low') ? 'low' : 'info';
  const spec: MessageSpec = {
    type: 'digest',
    audience: 'it-approvers',
    recordId: `digest:${day}`,
    kind: 'digest',
    subject: `Guardrail digest ${day}: ${count} low-risk request${plural} to review`,
    title: { emoji: ':inbox_tray:', text: `Guardrail digest ${day}: ${count} low-risk request${plural}` },
    summary: `${count} low-risk request${plural} to review`,
    blocks,
    nextSteps: [count === 0 ? 'Nothing to decide today.' : 'Decide each from the personal links in your email, or on its request page.'],
    links: input.inboxUrl ? { inbox: input.inboxUrl } : {},
    footer: [],
    keywords: ['digest', 'REVIEW', severity],
    chatId: `digest:${day}:${approver.email}`,
    threadId: `digest:${day}`,
    eventType: 'approval-digest',
    context: { kind: 'digest', day, items: String(count) },
    findings: [],
    data: {
      outcome: 'review',
      severity,
      items: sorted.map(({ summary: s, requestUrl }) => ({
        recordId: s.recordId,
        title: s.title,
        outcome: s.outcome,
        severity: s.severity,
        summary: s.summary,
        ...(s.expectedSigningDate ? { expectedSigningDate: s.expectedSigningDate } : {}),
        links: requestUrl ? { request: requestUrl } : {},
      })),
    },
  };
  const links = Object.fromEntries(
    sorted.flatMap((i) => (i.links && i.linksExpireAt ? [[i.summary.recordId, { links: i.links, expiresAt: i.linksExpireAt }] as const] : [])),
  );
  return personal({ spec, attributes: { type: 'digest', outcome: 'review', severity, kind: 'digest' } }, { approver, tier, links }, true);
}

function itemBlocks(item: DigestItem, n: number): Block[] {
  const s = item.summary;
  const rows: [string, string][] = [
    ['Requested by', `${s.requester.name ?? s.requester.email ?? 'unknown'}${s.department ? `, ${s.department}` : ''}`],
    ...(s.annualised ? [['Annualised', formatAmount(Math.round(s.annualised.value), s.annualised.currency)] as [string, string]] : []),
    ['Signing date', s.expectedSigningDate ?? 'none given'],
    ['Policy', s.summary],
  ];
  return [
    { type: 'facts', heading: `${n}. ${s.title} (${s.recordId})`, rows },
    { type: 'findings', findings: s.findings },
    ...(item.requestUrl ? [{ type: 'link' as const, label: 'Request page (sign in to open)', url: item.requestUrl }] : []),
    { type: 'decision-links', recordId: s.recordId },
  ];
}
