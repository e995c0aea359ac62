/**
 * Response headers for every page, and the CSRF cookie. Decision tokens sit
 * in URLs, so no page may leak its URL through a Referer header; pages hold
 * personal data and one-time links, so nothing is cached; nothing runs
 * scripts, and the only style is the page's own inline stylesheet, allowed by
 * its hash so the CSP header is one constant.
 */
import { createHash } from 'node:crypto';

/** The whole stylesheet: small, readable, high-contrast, works without JavaScript. */
export const STYLESHEET = `
:root{--fg:#1b1f24;--muted:#555f6d;--bg:#fff;--panel:#f5f7fa;--line:#d0d7de;--accent:#0b5cad;--ok:#176f2c;--bad:#a40e26;--warn:#8a4b00;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:var(--fg);background:var(--bg)}
body{margin:0}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.site .brand{font-weight:700;margin:0}nav.console ul{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}nav.console a{display:block;padding:.3rem .65rem;border-radius:.3rem;text-decoration:none;font-weight:600}nav.console a:hover{background:#e6edf5}nav.console a[aria-current=page]{background:var(--accent);color:#fff}header.site .who{margin:0;color:var(--muted)}form.inline{display:inline;margin-left:.5rem}form.inline button{padding:.2rem .6rem}
main{max-width:64rem;margin:0 auto;padding:1.25rem}main.wide{max-width:84rem}
.lede{font-size:1.05rem;margin:.25rem 0 .5rem}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{max-width:64rem;margin:2rem auto;padding:0 1.25rem;color:var(--muted);font-size:.875rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .75rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
a{color:var(--accent)}a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:1px}
.notice{border-left:4px solid var(--accent);background:var(--panel);padding:.75rem 1rem;margin:1rem 0}
.notice.error{border-color:var(--bad);background:#fff0f1}.notice.success{border-color:var(--ok);background:#eefbf0}.notice.warn{border-color:var(--warn);background:#fff8e6}
dl.facts{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:break-word;min-width:0}
table{border-collapse:collapse;width:100%}caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}th{background:var(--panel)}
td.num,td.date{white-space:nowrap}th.num{text-align:right}td.num{text-align:right;font-variant-numeric:tabular-nums}
table.inbox td.deadline{white-space:nowrap}table.inbox td.deadline strong{font-size:1.05rem}table.inbox td.policy{white-space:nowrap}table.inbox td.waiting{min-width:10rem}table.inbox td.request{min-width:14rem}
tr.overdue td{background:#fff0f1}table.requests td.request{min-width:12rem}table.requests .hint.id{overflow-wrap:anywhere}table.requests td.status{min-width:7rem}
.badge{display:inline-block;border:1px solid currentColor;border-radius:.25rem;padding:0 .4rem;font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.02em;white-space:nowrap}
.sev-critical,.sev-high,.out-block,.overdue-badge{color:var(--bad)}.sev-medium,.out-review,.soon-badge{color:var(--warn)}.sev-low,.sev-info{color:var(--muted)}.out-allow,.st-approved{color:var(--ok)}.st-rejected{color:var(--bad)}
form.decide{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin-top:1rem}
fieldset{border:0;margin:0;padding:0}legend{font-weight:700;font-size:1.1rem;margin-bottom:.5rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0}
textarea,input[type=email]{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #8c959f;border-radius:.25rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:.35rem;border:2px solid var(--accent);background:#fff;color:var(--accent);cursor:pointer}
button.approve{border-color:var(--ok);color:var(--ok)}button.reject{border-color:var(--bad);color:var(--bad)}
button.primary{background:var(--accent);color:#fff}button.approve.primary{background:var(--ok);border-color:var(--ok);color:#fff}button.reject.primary{background:var(--bad);border-color:var(--bad);color:#fff}
button[disabled]{opacity:.45;cursor:not-allowed}
.cards{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1rem}@media (max-width:46rem){.cards{grid-template-columns:1fr}}.card{border:1px solid var(--line);border-radius:.5rem;padding:0 1rem .5rem;min-width:0}.card h2{margin-top:.9rem}
svg.chart{display:block;max-width:100%;height:auto}svg.chart .label{fill:var(--fg)}svg.chart .figure{fill:var(--muted);font-variant-numeric:tabular-nums}ol.soonest{padding-left:1.25rem;margin:.5rem 0}ol.soonest li{margin:.2rem 0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem .75rem}form.filters .field.grow{flex:1 1 16rem}form.filters label{margin:.25rem 0}form.filters button{padding:.45rem 1rem}
select,input[type=search]{font:inherit;padding:.4rem;border:1px solid #8c959f;border-radius:.25rem;background:#fff;max-width:14rem}input[type=search]{width:100%;max-width:none;box-sizing:border-box}
nav.pager p,nav.tabs ul{display:flex;gap:1rem;align-items:center}nav.tabs ul{list-style:none;padding:0;margin:.5rem 0 1rem}nav.tabs a{padding:.25rem .6rem;border-radius:.3rem;text-decoration:none;font-weight:600}nav.tabs a[aria-current=page]{background:var(--accent);color:#fff}
article.message{border:1px solid var(--line);border-radius:.5rem;padding:0 1rem;margin:1rem 0}article.message h2{border:0;margin:.75rem 0 .25rem;font-size:1.05rem}pre.message-text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--panel);padding:.75rem;border-radius:.35rem;font-size:.875rem}
ol.history{padding-left:1.25rem}ol.history li{margin:.35rem 0}ol.history time{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:.5rem}
table.inbox td.request .hint{overflow-wrap:anywhere}
@media (max-width:60rem){table.inbox td span[title]{overflow-wrap:anywhere}table.inbox th,table.inbox td{padding:.4rem .35rem}table.inbox td.policy{white-space:normal}table.inbox td.request{min-width:9rem}table.inbox td.waiting{min-width:6rem}}
@media (max-width:40rem){dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.5rem}table.inbox thead{display:none}table.inbox td{display:block;border:0;padding:.2rem .5rem}table.inbox tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}table.inbox td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}}
`.trim();

/** `'sha256-…'` of the stylesheet, for the CSP. */
export const STYLESHEET_HASH = `'sha256-${createHash('sha256').update(STYLESHEET, 'utf8').digest('base64')}'`;

/**
 * No scripts at all, no plugins, no framing, forms only to this origin, and
 * the one inline stylesheet by hash. `default-src 'none'` denies everything
 * not listed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLESHEET_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers for every HTML response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  // Tokens are in URLs: never send them to another site in a Referer header.
  'Referrer-Policy': 'no-referrer',
  // One-time links and personal data: no browser or proxy cache may keep them.
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
});

/** An HTML response in the shape API Gateway (HTTP API) and the local server both take. */
export interface HtmlResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** Set-Cookie values (HTTP API payload v2 takes them as a separate list). */
  cookies?: string[];
  body: string;
}

export function htmlResponse(body: string, options: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] } = {}): HtmlResponse {
  return {
    statusCode: options.statusCode ?? 200,
    headers: { ...SECURITY_HEADERS, ...options.headers },
    ...(options.cookies?.length ? { cookies: options.cookies } : {}),
    body,
  };
}

/**
 * The CSRF cookie's name for one link token. Named per token (from its
 * `jti`) so two decision pages open in two tabs do not overwrite each
 * other's cookie. `__Host-` (https only) pins it to this host and path `/`.
 */
export function csrfCookieName(jti: string, secure = true): string {
  const suffix = jti.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16);
  return `${secure ? '__Host-' : ''}guardrail-csrf-${suffix}`;
}

/** `Set-Cookie` for the CSRF value: HttpOnly, SameSite=Strict, Secure on https, one hour. */
export function csrfCookie(jti: string, value: string, options: { secure?: boolean; maxAgeSeconds?: number } = {}): string {
  const secure = options.secure ?? true;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new Error('cookie value must be base64url');
  return [
    `${csrfCookieName(jti, secure)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    `Max-Age=${options.maxAgeSeconds ?? 3600}`,
  ].join('; ');
}

/** Reads one cookie from a `Cookie` header or API Gateway's `cookies` list; undefined when absent or repeated. */
export function readCookie(cookies: string | readonly string[] | undefined, name: string): string | undefined {
  if (!cookies) return undefined;
  const pairs = (typeof cookies === 'string' ? [cookies] : cookies).flatMap((c) => c.split(';'));
  const found: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) found.push(pair.slice(eq + 1).trim());
  }
  // Two cookies of one name means someone planted one (a sibling subdomain): trust neither.
  return found.length === 1 ? found[0] : undefined;
}
