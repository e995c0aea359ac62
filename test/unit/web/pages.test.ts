import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  applyApproverAction,
  auditEntry,
  initialApprovalState,
  requestSummaryOf,
  SCHEDULER_ACTOR,
  type RequestSummary,
} from '../../../functions/domain/approvals';
import {
  CONTENT_SECURITY_POLICY,
  RESULT_REFUSALS,
  STYLESHEET,
  escapeHtml,
  html,
  refusalForApproval,
  refusalForToken,
  renderDecisionPage,
  renderInboxPage,
  renderMessagePage,
  renderRequestPage,
  renderResultPage,
  renderSignInPage,
  safeUrl,
} from '../../../functions/adapters/web';
import { at, decision, manager, purchaseRequest, record } from '../approvals/fixtures';

const NOW = at('2026-12-01T10:00:00.000Z');
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</textarea><script>alert(2)</script>',
  '`backtick` = & <b>bold</b>',
];

/** Every tag in the page, with its attributes: data can never add one, since its `<` is escaped. */
function tags(page: string): { name: string; attrs: string }[] {
  return [...page.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g)].map((m) => ({ name: m[1].toLowerCase(), attrs: m[2] }));
}
const ALLOWED_TAGS = new Set(
  'html head meta title style body a header main footer p div h1 h2 dl dt dd table caption thead tbody tr th td span ul ol li time form fieldset legend label textarea input button strong br code section'.split(
    ' ',
  ),
);
function assertStructurallySafe(page: string) {
  for (const t of tags(page)) {
    expect(ALLOWED_TAGS.has(t.name)).toBe(true);
    expect(t.attrs).not.toMatch(/\son[a-z]+\s*=/i);
    expect(t.attrs).not.toMatch(/javascript:/i);
  }
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<img/i);
}

function hostileSummary(text: string): RequestSummary {
  const detail = purchaseRequest({
    product: text,
    vendor: { name: text },
    requester: { email: 'alice@example.com', name: text, department: text },
    justification: `${text}\nsecond line`,
  });
  const d = decision({
    summary: text,
    findings: [{ code: 'X', dimension: 'security', severity: 'high', message: text, suggestion: text }],
  });
  return requestSummaryOf(record({ detail, decision: d }));
}

function decisionPage(summary: RequestSummary, extra: Partial<Parameters<typeof renderDecisionPage>[0]> = {}) {
  const approval = initialApprovalState(decision(), at('2026-11-01T09:00:00Z'), { expectedSigningDate: '2026-12-10' });
  return renderDecisionPage({
    request: summary,
    approval,
    history: [
      auditEntry('REQ-1001', 'received', SCHEDULER_ACTOR, at('2026-11-01T09:00:00Z'), { source: 'coupa' }),
      auditEntry('REQ-1001', 'evaluated', { kind: 'policy', id: 'policy' }, at('2026-11-01T09:00:01Z'), {
        outcome: 'review',
        severity: 'medium',
        policyVersion: '7',
      }),
    ],
    approver: { email: 'mia.manager@example.com', name: 'Mia Manager', tier: 'it-manager' },
    token: 'v1.abc.def',
    csrfToken: 'k1.csrfvalue',
    preselected: 'approve',
    formAction: '/decide',
    now: NOW,
    linkExpiresAt: at('2026-12-08T10:00:00Z'),
    ...extra,
  });
}

describe('escapeHtml and html``', () => {
  it('escapes text and attribute metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`=</a>`)).toBe('&lt;a href&#61;&quot;x&quot; onclick&#61;&#39;y&#39;&gt;&amp;&#96;&#61;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml('a\u0000b\u0007c\nd')).toBe('abc\nd');
  });

  it('escapes every interpolation unless it is markup built by html``', () => {
    const name = '<b>x</b>';
    expect(html`<p title="${name}">${name}${html`<i>${name}</i>`}${[name, 1]}${undefined}${false}</p>`.value).toBe(
      '<p title="&lt;b&gt;x&lt;/b&gt;">&lt;b&gt;x&lt;/b&gt;<i>&lt;b&gt;x&lt;/b&gt;</i>&lt;b&gt;x&lt;/b&gt;1</p>',
    );
  });

  it('lets only http(s) URLs and same-site paths into links', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' JaVaScRiPt:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,x')).toBe('#');
    expect(safeUrl('//evil.example.com')).toBe('#');
    expect(safeUrl('/\\evil.example.com')).toBe('#');
    expect(safeUrl('/decide?token=a')).toBe('/decide?token=a');
    expect(safeUrl('https://g.example.com/decide?token=a')).toBe('https://g.example.com/decide?token=a');
  });
});

describe('decision page', () => {
  const page = decisionPage(requestSummaryOf(record({ detail: purchaseRequest({ justification: 'Design team needs it' }) })));

  it('is a readable, accessible document', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(page).toContain('<title>Decide: Dropbox Business from Dropbox · Procurement Guardrail</title>');
    expect(page).toContain('<h1>Decide: Dropbox Business from Dropbox</h1>');
    expect(page).toContain('<label for="comment">Comment</label>');
    expect(page).toContain('<textarea id="comment" name="comment"');
    expect(page).toContain('<a class="skip" href="#main">');
    assertStructurallySafe(page);
  });

  it('shows the request facts', () => {
    for (const text of [
      'REQ-1001',
      'Dropbox',
      'Dropbox Business',
      'Alice Requester &lt;Alice.Requester@example.com&gt;',
      'Marketing',
      '1,000.00 USD (monthly)',
      '<dt>Annualised</dt><dd>12,000.00 USD</dd>',
      '<dt>Data classification</dt><dd>confidential</dd>',
      '<dt>Expected signing date</dt><dd>2026-12-10</dd>',
      '<dt>Decision deadline</dt><dd><time datetime="2026-12-10T00:00:00.000Z">2026-12-10 00:00 UTC</time></dd>',
      'Design team needs it',
    ]) {
      expect(page).toContain(text);
    }
  });

  it('shows findings with severity and the suggestions', () => {
    expect(page).toContain('<span class="badge sev-medium">medium</span>');
    expect(page).toContain('File sharing already has a sanctioned tool.');
    expect(page).toContain('<h2>Suggestions</h2>');
    expect(page).toContain('<li>Use Box instead: 120 seats unused.</li>');
  });

  it('has a POST form with the token, the CSRF value, a comment and three buttons, the opened action highlighted', () => {
    const form = /<form class="decide" method="post" action="\/decide">[\s\S]*?<\/form>/.exec(page)?.[0];
    expect(form).toBeDefined();
    expect(form).toContain('<input type="hidden" name="token" value="v1.abc.def">');
    expect(form).toContain('<input type="hidden" name="csrf" value="k1.csrfvalue">');
    expect(form).toContain('<button type="submit" name="action" value="approve" class="approve primary">Approve</button>');
    expect(form).toContain('<button type="submit" name="action" value="reject" class="reject">Reject</button>');
    expect(form).toContain('<button type="submit" name="action" value="request-info" class="info">Ask for more information</button>');
    expect(page).toMatch(/You opened the <strong>Approve<\/strong> link\. <strong>Nothing has been recorded yet:/);
    expect(page).toContain('expires <time datetime="2026-12-08T10:00:00.000Z">2026-12-08 10:00 UTC</time>');
    expect(tags(page).filter((t) => t.name === 'form')).toHaveLength(2); // opening and closing tag
  });

  it('shows the history', () => {
    expect(page).toContain('<h2>History</h2>');
    expect(page).toContain('Received from coupa.');
    expect(page).toContain('Evaluated against policy 7: review (medium).');
  });

  it('puts back the comment and says nothing was recorded after a fixable refusal', () => {
    const p = decisionPage(requestSummaryOf(record()), { error: 'Say why you reject it.', comment: '</textarea><script>x</script>' });
    expect(p).toContain('<strong>Nothing was recorded.</strong> Say why you reject it.');
    expect(p).toContain('&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>');
    assertStructurallySafe(p);
  });

  it('disables actions the approver may not take, saying why', () => {
    const p = decisionPage(requestSummaryOf(record()), { refusals: { approve: 'This approval needs a CIO or higher; you are an IT manager.' } });
    expect(p).toContain('value="approve" class="approve primary" disabled>');
    expect(p).toContain('<li><strong>Approve:</strong> This approval needs a CIO or higher; you are an IT manager.</li>');
    expect(p).not.toContain('value="reject" class="reject" disabled');
  });

  it('shows no form once the request is decided', () => {
    const base = initialApprovalState(decision(), at('2026-11-01T09:00:00Z'));
    const done = applyApproverAction({ state: base, recordId: 'REQ-1001', approver: manager, action: 'reject', comment: 'Use Box', now: NOW });
    if (!done.ok) throw new Error(done.reason);
    const p = renderDecisionPage({
      request: requestSummaryOf(record()),
      approval: done.state,
      history: [],
      approver: manager,
      token: 't',
      csrfToken: 'c',
      formAction: '/decide',
      now: NOW,
    });
    expect(p).not.toContain('<form class="decide"');
    expect(p).toContain('already <strong>rejected</strong>');
    expect(p).toContain('Reject by Mia Manager, IT manager: “Use Box”');
  });

  it('flags an overdue request', () => {
    const p = decisionPage(requestSummaryOf(record()), { now: at('2026-12-11T00:00:00Z') });
    expect(p).toContain('<span class="badge overdue-badge">Overdue</span> The expected signing date (2026-12-10) has passed');
  });

  it.each(HOSTILE)('escapes the hostile value %s everywhere', (text) => {
    const p = decisionPage(hostileSummary(text), { comment: text });
    assertStructurallySafe(p);
    expect(p).toContain(escapeHtml(text));
    // Each sample has a character that must be escaped, so it can never appear verbatim.
    expect(p).not.toContain(text);
  });

  it('stays structurally safe for any text in any field (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        fc.pre(text.trim().length > 0);
        const p = decisionPage(hostileSummary(text), { comment: text, error: text });
        assertStructurallySafe(p);
        expect(tags(p).filter((t) => t.name === 'form')).toHaveLength(2);
        expect(tags(p).filter((t) => t.name === 'input')).toHaveLength(2);
      }),
      { numRuns: 200 },
    );
  });

  it('uses exactly the stylesheet the CSP hash allows', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1];
    expect(style).toBe(STYLESHEET);
    const hash = createHash('sha256').update(style!, 'utf8').digest('base64');
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(page.match(/<style/g)).toHaveLength(1);
    expect(page).not.toMatch(/\sstyle="/);
  });
});

describe('request page', () => {
  it('shows the same facts and history without a form', () => {
    const p = renderRequestPage({
      request: requestSummaryOf(record()),
      approval: initialApprovalState(decision(), NOW),
      history: [],
      now: NOW,
      inboxUrl: '/inbox',
    });
    expect(p).toContain('<h1>Dropbox Business from Dropbox</h1>');
    expect(p).not.toContain('<form');
    expect(p).toContain('<a href="/inbox">');
  });
});

describe('result page', () => {
  it.each([
    ['expired', 410, 'This link has expired'],
    ['used', 409, 'This link has already been used'],
    ['tampered', 400, 'This link is not valid'],
    ['not-yours', 403, 'This link is not for this request or person'],
    ['self-approval', 403, 'You cannot decide your own request'],
    ['tier-too-low', 403, 'This needs a higher approval tier'],
    ['csrf', 403, 'The form could not be verified'],
  ] as const)('refuses with a clear page: %s', (reason, status, title) => {
    const r = renderResultPage({ kind: 'refused', reason, detail: '<script>x</script>', inboxUrl: '/inbox' });
    expect(r.statusCode).toBe(status);
    expect(r.html).toContain(`<h1>${escapeHtml(title)}</h1>`);
    expect(r.html).toContain('<strong>Nothing was changed.</strong>');
    assertStructurallySafe(r.html);
  });

  it('maps token and rule refusals to pages', () => {
    expect(refusalForToken('bad-signature')).toBe('tampered');
    expect(refusalForToken('malformed')).toBe('tampered');
    expect(refusalForToken('unknown-key')).toBe('tampered');
    expect(refusalForToken('wrong-request')).toBe('not-yours');
    expect(refusalForToken('wrong-approver')).toBe('not-yours');
    expect(refusalForToken('expired')).toBe('expired');
    expect(refusalForApproval('SELF_APPROVAL')).toBe('self-approval');
    expect(refusalForApproval('TIER_TOO_LOW')).toBe('tier-too-low');
    expect(refusalForApproval('COMMENT_REQUIRED')).toBeUndefined();
    for (const r of Object.values(RESULT_REFUSALS)) expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it('confirms a recorded decision', () => {
    const base = initialApprovalState(decision({ requiredApprover: 'cio', twoStepApproval: true }), NOW);
    const first = applyApproverAction({
      state: base,
      recordId: 'REQ-1001',
      approver: { email: 'd@example.com', tier: 'it-director' },
      action: 'approve',
      now: NOW,
    });
    if (!first.ok) throw new Error(first.reason);
    const r = renderResultPage({ kind: 'recorded', action: 'approve', request: requestSummaryOf(record()), approval: first.state });
    expect(r.statusCode).toBe(200);
    expect(r.html).toContain('<h1>First approval recorded</h1>');
    expect(r.html).toContain('<strong>Recorded.</strong>');
  });
});

describe('inbox page', () => {
  const entry = (id: string, signing: string | undefined, product: string) => ({
    summary: requestSummaryOf(record({ recordId: id, detail: purchaseRequest({ requestId: id, expectedSigningDate: signing, product }) })),
    state: initialApprovalState(decision(), at('2026-11-01T09:00:00Z')),
    href: `/inbox/requests/${id}`,
  });

  it('lists pending requests by signing date, shows deadlines and marks overdue ones in words', () => {
    const p = renderInboxPage({
      user: { email: 'mia.manager@example.com', name: 'Mia Manager', tier: 'it-manager' },
      entries: [entry('C', '2026-12-20', 'Gamma'), entry('A', '2026-11-30', 'Alpha'), entry('B', '2026-12-03', '<script>alert(1)</script>')],
      now: NOW,
      signOutAction: '/sign-out',
    });
    const positions = ['Alpha', '&lt;script&gt;alert(1)&lt;/script&gt;', 'Gamma'].map((t) => p.indexOf(t));
    expect(positions.every((x) => x > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(p).toContain('3 waiting for your decision, 1 overdue.');
    // The deadline leads each row, in words as well as colour.
    expect(p).toMatch(
      /<tr class="overdue">\s*<td class="deadline" data-label="Deadline"><strong><time datetime="2026-11-30T00:00:00.000Z">30 Nov 2026<\/time><\/strong><br><span class="badge overdue-badge">1 day overdue<\/span><\/td>\s*<td class="request"><a href="\/inbox\/requests\/A">Alpha/,
    );
    expect(p).toContain('<span class="badge soon-badge">due in 1 day</span>');
    expect(p).toContain('<time datetime="2026-12-20T00:00:00.000Z">20 Dec 2026</time>');
    expect(p).toContain('<th scope="col" class="deadline">Deadline</th>');
    // People by name, the address on hover only.
    expect(p).toContain('<span title="Alice.Requester@example.com">Alice Requester</span>');
    expect(p).not.toContain('id="watching"');
    expect(p).toContain('Signed in as Mia Manager &lt;mia.manager@example.com&gt;, IT manager');
    expect(p).toContain('<form method="post" action="/sign-out" class="inline">');
    assertStructurallySafe(p);
  });

  it('says when nothing waits', () => {
    expect(renderInboxPage({ user: { email: 'a@example.com' }, entries: [], now: NOW })).toContain('Nothing is waiting for your decision.');
  });

  it('lists what the person only watches apart, saying why, with request-page links only', () => {
    const watched = { ...entry('W', '2026-12-10', 'Watched tool'), href: '/requests/W', why: 'TIER_TOO_LOW' as const };
    const mine = { ...entry('M', '2026-12-12', 'My own tool'), href: '/requests/M', why: 'SELF_APPROVAL' as const };
    const p = renderInboxPage({
      user: { email: 'mia.manager@example.com', tier: 'it-manager' },
      entries: [entry('A', '2026-11-30', 'Alpha')],
      watching: [watched, mine],
      now: NOW,
    });
    expect(p).toContain('1 waiting for your decision, 1 overdue. 2 more you are watching.');
    const watchSection = p.slice(p.indexOf('<h2 id="watching"'));
    expect(watchSection).toContain('<h2 id="watching">Watching (2)</h2>');
    expect(watchSection).toContain('<a href="/requests/W">Watched tool from Dropbox</a>');
    expect(watchSection).toContain('Needs a higher tier');
    expect(watchSection).toContain('You raised it');
    expect(watchSection).not.toContain('/decide');
    assertStructurallySafe(p);
  });

  it('never links to a javascript: URL', () => {
    const p = renderInboxPage({ user: { email: 'a@example.com' }, entries: [{ ...entry('A', '2026-12-20', 'A'), href: 'javascript:alert(1)' }], now: NOW });
    expect(p).toContain('<a href="#">');
  });
});

describe('sign-in page', () => {
  it('is a labelled email form posting to the given action', () => {
    const p = renderSignInPage({ action: '/sign-in', csrfToken: 'c1', returnTo: '/inbox', email: '"><script>', error: 'Not in the approver directory.' });
    expect(p).toContain('<form method="post" action="/sign-in" class="decide">');
    expect(p).toContain('<label for="email">Work email</label>');
    expect(p).toContain('<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="&quot;&gt;&lt;script&gt;">');
    expect(p).toContain('<input type="hidden" name="csrf" value="c1">');
    expect(p).toContain('Local development sign-in.');
    expect(p).toContain('Not in the approver directory.');
    assertStructurallySafe(p);
  });

  it('has a message page in the same frame', () => {
    const p = renderMessagePage({ title: 'Not found', message: '<b>x</b>' });
    expect(p).toContain('<h1>Not found</h1><p>&lt;b&gt;x&lt;/b&gt;</p>');
  });
});
