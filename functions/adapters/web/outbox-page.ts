/**
 * The local outbox as a page (`npm start`): every message the topics would
 * have delivered, newest first, filtered by audience (IT, requesters,
 * departments), each with its subject, addressee, attributes and email
 * text, whose own links (decision links, request pages) are clickable.
 * Outside text in messages has its `scheme://` defanged by the
 * notifications module, so only links the product wrote become anchors;
 * every piece still goes through `html` and `safeUrl`.
 */
import { html, safeUrl, type SafeHtml } from './html';
import { layout, type ConsoleNav, type PageUser } from './page-layout';

export interface OutboxPageEntry {
  messageId: string;
  sentAt: string;
  audience: string;
  subject: string;
  text: string;
  recordId: string;
  to?: string;
  attributes: object;
}

export interface OutboxPageInput {
  entries: readonly OutboxPageEntry[];
  audience?: string;
  audiences: readonly string[];
  nav: ConsoleNav;
  /** This page's path. */
  action: string;
  user?: PageUser;
  /** At most this many entries are shown (the newest). */
  limit?: number;
}

const AUDIENCE_LABELS: Record<string, string> = { it: 'IT approvers', requester: 'Requesters', department: 'Departments' };

/** Text with its http(s) URLs as anchors; everything else escaped. */
export function linkified(text: string): SafeHtml {
  const parts: SafeHtml[] = [];
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const url = match[0].replace(/[.,;:)\]]+$/, '');
    const index = match.index ?? 0;
    parts.push(html`${text.slice(last, index)}`);
    parts.push(html`<a href="${safeUrl(url)}">${url}</a>`);
    last = index + url.length;
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}

export function renderOutboxPage(input: OutboxPageInput): string {
  const limit = input.limit ?? 50;
  const newest = [...input.entries].reverse().slice(0, limit);
  const tabs = [undefined, ...input.audiences].map((a) => {
    const href = a ? `${input.action}?audience=${encodeURIComponent(a)}` : input.action;
    const label = a ? (AUDIENCE_LABELS[a] ?? a) : 'All';
    return html`<li><a href="${safeUrl(href)}"${a === input.audience ? html` aria-current="page"` : ''}>${label}</a></li>`;
  });
  const body = html`<h1>Outbox</h1>
<p class="lede">What the notification topics would have delivered: ${input.entries.length} message${input.entries.length === 1 ? '' : 's'}${
    input.audience ? ` to ${AUDIENCE_LABELS[input.audience] ?? input.audience}` : ''
  }, newest first${input.entries.length > limit ? ` (the newest ${limit} shown; the JSON has them all)` : ''}. Local runtime only; deployed, these go out on SNS.</p>
<nav class="tabs" aria-label="Audience"><ul>${tabs}</ul></nav>
${newest.length === 0 ? html`<p>No messages yet.</p>` : ''}
${newest.map((e) => entry(e))}`;
  return layout({ title: 'Outbox', user: input.user, nav: input.nav, body, wide: true });
}

function entry(e: OutboxPageEntry): SafeHtml {
  const attributes = Object.entries(e.attributes as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' · ');
  const to = e.to ?? (e.attributes as { recipient?: string }).recipient;
  return html`<article class="message" aria-labelledby="m-${e.messageId}">
<h2 id="m-${e.messageId}">${e.subject}</h2>
<p class="hint"><time datetime="${e.sentAt}">${e.sentAt.slice(0, 16).replace('T', ' ')} UTC</time> · ${AUDIENCE_LABELS[e.audience] ?? e.audience}${to ? ` · to ${to}` : ''} · ${e.recordId}</p>
<p class="hint">${attributes}</p>
<pre class="message-text">${linkified(e.text)}</pre>
</article>`;
}
