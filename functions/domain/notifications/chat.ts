/**
 * The chat channel: an AWS Chatbot (Amazon Q Developer in chat applications)
 * custom notification, `client-markdown`, rendered in Slack and Teams, read
 * by everyone in the channel. Outside text is made inert: one clean line,
 * `scheme://` defanged, HTML specials as entities (Slack's own escaping, so
 * `<!channel>` pings nobody) and markdown specials backslash-escaped. Links
 * are only ever ours (the request page, the inbox), never a decision link.
 */
import { cleanLines, defang, length, singleLine, truncate } from './text';

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
    /** One thread per request: later messages (reminders, decisions, amendments) land under the first. */
    threadId: string;
    /** Plain-text preview line (the subject, Slack specials as entities). */
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** Kept well inside Chatbot's limits so a long finding list cannot make the message undeliverable. */
export const CHAT_LIMITS = { title: 250, description: 4000, nextSteps: 5, keywords: 10, findings: 15 } as const;

const MARKDOWN_SPECIAL = /[\\`*_~[\]()#|!{}]/g;
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** One outside value inside chat markdown. */
export function chatText(value: string): string {
  return defang(singleLine(value))
    .replace(/[&<>]/g, (c) => HTML_SPECIAL[c])
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * Plain chat text (the notification preview, `metadata.summary`): shown as
 * typed, so no backslashes; but Slack still reads `<!channel>` and
 * `<url|text>` (`&<>` become entities), and should a client ever read it as
 * markdown, `](` is split so no `[text](url)` can form.
 */
export function chatPlain(value: string): string {
  return defang(singleLine(value))
    .replace(/[&<>]/g, (c) => HTML_SPECIAL[c])
    .replace(/\]\(/g, '] (');
}

/** A person's free text as a markdown quote, each line escaped. */
export function chatQuote(value: string, maxChars = 1500): string[] {
  return cleanLines(truncate(value, maxChars)).map((line) => `> ${chatText(line)}`);
}

/** A link to one of our own pages: Slack's `<url|label>` (Chatbot passes it through; Teams shows the URL). */
export function chatLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${chatText(label)}>`;
}

/** Truncates escaped markdown without leaving a dangling backslash or half an entity. */
export function truncateMarkdown(markdown: string, max: number): string {
  if (length(markdown) <= max) return markdown;
  let cut = Array.from(markdown)
    .slice(0, max - 1)
    .join('');
  cut = cut.replace(/&[a-z]*$/, '');
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Keeps whole lines while they fit, then says how much was left out. */
export function truncateMarkdownLines(lines: readonly string[], max: number): string {
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
