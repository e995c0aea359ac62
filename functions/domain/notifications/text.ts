/**
 * Text safety shared by every channel. Outside text (vendor, app, people and
 * department names, justifications, comments, finding texts that quote them)
 * is cleaned of control and direction-override characters, and any
 * `scheme://` in it is defanged: no outside text becomes a live link in any
 * message. Each channel then applies its own escaping (email.ts, chat.ts).
 */
import { formatDecimal } from '../number-format';

/**
 * C0/C1 controls, line and paragraph separators, zero-width and bidirectional
 * overrides (which can make "moc.evil" read as "live.com"): none belongs in a
 * one-line name.
 */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/** One clean line: unsafe characters become spaces, runs of spaces one. */
export function singleLine(text: string): string {
  return text.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

/** Free text split into clean lines (blank lines dropped): for quoting what a person wrote. */
export function cleanLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(singleLine)
    .filter((line) => line.length > 0);
}

/** `https://evil` → `https[:]//evil`: readable, but neither a markdown link nor auto-linked. */
export function defang(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//');
}

/** Length in code points (what a reader counts; an emoji is one). */
export function length(text: string): number {
  return Array.from(text).length;
}

/** Cuts by code points (never splitting an emoji or surrogate pair) and marks the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, Math.max(max - 1, 0))
    .join('')
    .trimEnd()}…`;
}

/**
 * Cuts to at most `maxUnits` UTF-16 units (what length limits in JSON APIs
 * count), at a code-point boundary, marking the cut.
 */
export function fitUnits(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const chars = Array.from(text);
  let kept = '';
  for (const c of chars) {
    if (kept.length + c.length + 1 > maxUnits) break;
    kept += c;
  }
  return `${kept.trimEnd()}…`;
}

/** "12,000" or "12,000.5": amounts in every message use one format. */
export function formatNumber(value: number): string {
  return formatDecimal(value, 0, 2);
}

/** "12,000 USD". */
export function formatAmount(value: number, currency: string): string {
  return `${formatNumber(value)} ${currency}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "an IT manager", "a CIO". */
export function withArticle(label: string): string {
  return /^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`;
}
