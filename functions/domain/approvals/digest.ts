/**
 * Daily digest for low-risk requests. Floods of single notifications get
 * ignored or filtered ("too many messages"), so when IT switches digests on,
 * review outcomes whose every finding is low severity or less wait for one
 * message a day. Blocks and anything of medium severity or more are never
 * held back.
 */
import type { Decision } from '../decision';
import { SEVERITIES, type Severity } from '../policy';
import { DigestConfigSchema, type DigestConfig } from './config';
import { decisionLinksChatSteps, decisionLinksText, escapeChatText, formatInstant, snsSafeSubject, type ChatbotNotification, type ChatLinkStyle, type DecisionLinks } from './messages';
import { bySigningDate, formatMoney, type RequestSummary } from './request-summary';

export const DEFAULT_DIGEST_CONFIG: DigestConfig = DigestConfigSchema.parse({});

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/**
 * True when this decision's notification can wait for the digest: digests
 * are on, the outcome is `review` (allow sends nothing, block is never
 * delayed), and every finding is at most `maxSeverity`.
 */
export function shouldDigest(decision: Decision, config: DigestConfig = DEFAULT_DIGEST_CONFIG): boolean {
  if (!config.enabled || decision.outcome !== 'review') return false;
  const max = rank(config.maxSeverity);
  return rank(decision.severity) <= max && decision.findings.every((f) => rank(f.severity) <= max);
}

/** When the next digest is due after `now` (today's hour if still ahead, else tomorrow's). */
export function nextDigestAt(now: Date, config: DigestConfig = DEFAULT_DIGEST_CONFIG): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), config.sendAtHourUtc));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

export interface DigestItem {
  summary: RequestSummary;
  links?: DecisionLinks;
  linksExpireAt?: Date;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  chat: ChatbotNotification;
}

/** One message for many low-risk requests, soonest signing date first (undated last). */
export function renderDigest(items: readonly DigestItem[], now: Date, options: { inboxUrl?: string; chatLinkStyle?: ChatLinkStyle } = {}): RenderedDigest {
  const sorted = [...items].sort((a, b) => bySigningDate(a.summary, b.summary));
  const day = now.toISOString().slice(0, 10);
  const count = sorted.length;
  const subject = snsSafeSubject(`Guardrail digest ${day}: ${count} low-risk request${count === 1 ? '' : 's'} to review`);
  const blocks = sorted.map((item, i) => {
    const s = item.summary;
    return [
      `${i + 1}. ${s.title} (${s.recordId})`,
      `   Requested by: ${s.requester.name ?? s.requester.email ?? 'unknown'}${s.department ? `, ${s.department}` : ''}`,
      ...(s.annualised ? [`   Annualised: ${formatMoney(s.annualised.value, s.annualised.currency)}`] : []),
      `   Signing date: ${s.expectedSigningDate ?? 'none given'}`,
      `   ${s.summary}`,
      ...s.findings.map((f) => `   - [${f.severity}] ${f.message}${f.suggestion ? ` Suggestion: ${f.suggestion}` : ''}`),
      ...(item.links ? [indent(decisionLinksText(item.links, item.linksExpireAt), '   ')] : []),
    ].join('\n');
  });
  const text = [
    count === 0
      ? `No low-risk requests are waiting today (${day}).`
      : `${count} low-risk request${count === 1 ? ' waits' : 's wait'} for a decision. Each was evaluated by policy and has only low-severity findings.`,
    '',
    ...blocks.flatMap((b) => [b, '']),
    ...(options.inboxUrl ? [`All pending requests: ${options.inboxUrl}`] : []),
    `Generated ${formatInstant(now)}.`,
  ].join('\n');
  const chat: ChatbotNotification = {
    version: '1.0',
    source: 'custom',
    id: `digest:${day}`,
    content: {
      textType: 'client-markdown',
      title: escapeChatText(`:inbox_tray: Guardrail digest ${day}: ${count} low-risk request${count === 1 ? '' : 's'}`),
      description: sorted
        .map((i) => escapeChatText(`• ${i.summary.title} (${i.summary.recordId}), signing ${i.summary.expectedSigningDate ?? 'date not given'}: ${i.summary.summary}`))
        .join('\n')
        .slice(0, 3500),
      nextSteps: sorted.flatMap((i) =>
        i.links ? [`${escapeChatText(i.summary.recordId)}: ${decisionLinksChatSteps(i.links, options.chatLinkStyle).join(' · ')}`] : [],
      ),
    },
    metadata: { threadId: `digest:${day}`, summary: escapeChatText(subject), eventType: 'approval-digest' },
  };
  return { subject, text, chat };
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
