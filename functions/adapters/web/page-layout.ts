/**
 * The frame every approver page shares (language, viewport, no referrer, the
 * one stylesheet, who is signed in), and the plain pages built on it: a
 * message, and the local sign-in. Plain HTML that works without JavaScript;
 * every outside value goes through `html`, which escapes it.
 */
import { TIER_LABELS, type ApproverTier } from '../../domain/approvals';
import { html, safeUrl, trusted, type SafeHtml } from './html';
import { STYLESHEET } from './security-headers';

const PRODUCT = 'Procurement Guardrail';

export interface PageUser {
  email: string;
  name?: string;
  tier?: ApproverTier;
}

/** The console's sections, in the order the navigation shows them. */
export const CONSOLE_SECTIONS = ['home', 'requests', 'inventory', 'renewals', 'inbox', 'outbox'] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

const SECTION_LABELS: Record<ConsoleSection, string> = {
  home: 'Home',
  requests: 'Requests',
  inventory: 'Inventory',
  renewals: 'Renewals',
  inbox: 'Inbox',
  outbox: 'Outbox',
};

/** The console navigation: each section's URL (sections without one are left out), and the page's own. */
export interface ConsoleNav {
  links: Partial<Record<ConsoleSection, string>>;
  current?: ConsoleSection;
}

/** The URL of each section under an app base (`/`, or `/prefix/` behind a mapped base path); `outbox` only locally. */
export function consoleNavLinks(pathOf: (page: string) => string, options: { outbox?: boolean } = {}): ConsoleNav['links'] {
  return {
    home: pathOf(''),
    requests: pathOf('requests'),
    inventory: pathOf('inventory'),
    renewals: pathOf('renewals'),
    inbox: pathOf('inbox'),
    ...(options.outbox ? { outbox: pathOf('outbox') } : {}),
  };
}

function navigation(nav: ConsoleNav): SafeHtml {
  const items = CONSOLE_SECTIONS.flatMap((section) => {
    const href = nav.links[section];
    if (!href) return [];
    const current = nav.current === section;
    return [html`<li><a href="${safeUrl(href)}"${current ? trusted(' aria-current="page"') : ''}>${SECTION_LABELS[section]}</a></li>`];
  });
  return html`<nav class="console" aria-label="IT console"><ul>${items}</ul></nav>`;
}

interface LayoutInput {
  title: string;
  user?: PageUser;
  /** The console navigation (signed-in pages). */
  nav?: ConsoleNav;
  /** A sign-out form target, shown next to the user. */
  signOutAction?: string;
  signOutCsrf?: string;
  body: SafeHtml;
  /** Tables (the inbox) get the width of a laptop screen instead of a reading column. */
  wide?: boolean;
}

/** The page frame: language, viewport, no referrer, the one stylesheet, a skip link. */
export function layout(input: LayoutInput): string {
  const who = input.user
    ? html`<div class="who">Signed in as ${input.user.name ? `${input.user.name} ` : ''}&lt;${input.user.email}&gt;${
        input.user.tier && input.user.tier !== 'none' ? `, ${TIER_LABELS[input.user.tier]}` : ''
      }${
        input.signOutAction
          ? html` <form method="post" action="${safeUrl(input.signOutAction)}" class="inline">${
              input.signOutCsrf ? html`<input type="hidden" name="csrf" value="${input.signOutCsrf}">` : ''
            }<button type="submit">Sign out</button></form>`
          : ''
      }</div>`
    : '';
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${input.title} · ${PRODUCT}</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site"><p class="brand">${PRODUCT}</p>${input.nav ? navigation(input.nav) : ''}${who}</header>
<main id="main"${input.wide ? trusted(' class="wide"') : ''}>
${input.body}
</main>
<footer><p>IT reviews SaaS purchases and app connections before contracts are signed. Questions: reply to the notification or contact IT.</p></footer>
</body>
</html>`.value
  }\n`;
}

export interface SignInPageInput {
  /** Where the form posts. */
  action: string;
  csrfToken?: string;
  returnTo?: string;
  email?: string;
  error?: string;
}

/**
 * Local sign-in (npm start): an email address from the approver directory,
 * no password. Deployed, API Gateway's JWT authorizer and the company's
 * identity provider sign people in instead.
 */
export function renderSignInPage(input: SignInPageInput): string {
  const body = html`<h1>Sign in</h1>
<div class="notice warn"><p><strong>Local development sign-in.</strong> Anyone listed in the approver directory can sign in here with their email address and no password. Deployed, sign-in goes through the company’s identity provider.</p></div>
${input.error ? html`<div class="notice error" role="alert"><p>${input.error}</p></div>` : ''}
<form method="post" action="${safeUrl(input.action)}" class="decide">
<label for="email">Work email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${input.email ?? ''}">
${input.csrfToken ? html`<input type="hidden" name="csrf" value="${input.csrfToken}">` : ''}
${input.returnTo ? html`<input type="hidden" name="returnTo" value="${input.returnTo}">` : ''}
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
  return layout({ title: 'Sign in', body });
}

/** A plain message page (not found, server error) with the same frame. */
export function renderMessagePage(input: { title: string; message: string; user?: PageUser }): string {
  return layout({ title: input.title, user: input.user, body: html`<h1>${input.title}</h1><p>${input.message}</p>` });
}
