/**
 * HTML escaping, in one place. Every value from outside (vendor and product
 * names, people, comments, findings) reaches pages through `html\`\`` or
 * {@link escapeHtml}; only markup this module built (a {@link SafeHtml}) is
 * inserted as is. Attribute values are always double-quoted, and the same
 * escaping covers them (quotes included), so one function serves text and
 * attributes alike.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

/**
 * Escapes text for HTML element content and double- or single-quoted
 * attribute values. Also neutralises `` ` `` and `=` (old browsers'
 * unquoted-attribute parsing) and drops control characters other than tab
 * and newline.
 */
export function escapeHtml(value: unknown): string {
  // Callers pass text and numbers; whatever else arrives is escaped as String() renders it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[&<>"'`=]/g, (c) => ENTITIES[c]);
}

/** Markup already made safe (built by `html` or escaped). Strings are never trusted implicitly. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * Template tag that escapes every interpolation except {@link SafeHtml}
 * (arrays are joined, `null`/`undefined`/`false` render nothing). Page code
 * cannot forget to escape: a plain string is always text.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map((x) => render(x as HtmlValue)).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(v);
}

/** Trusts a literal string of markup. Only for constants written in this code base, never for data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A URL safe for `href`/`action`: http(s) absolute URLs or same-site paths.
 * Anything else (`javascript:`, `data:`, protocol-relative `//evil`) becomes `#`.
 */
export function safeUrl(url: string | undefined): string {
  if (!url) return '#';
  const u = url.trim();
  if (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\')) return u;
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : '#';
  } catch {
    return '#';
  }
}

/** Multi-line plain text (comments, justifications) with its line breaks kept. */
export function multiline(text: string | undefined): SafeHtml {
  return new SafeHtml(
    (text ?? '')
      .split(/\r?\n/)
      .map((line) => escapeHtml(line))
      .join('<br>'),
  );
}
