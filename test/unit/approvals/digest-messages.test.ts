import {
  approvalDecisionEvent,
  applyApproverAction,
  decisionLinksChatSteps,
  decisionLinksText,
  escapeChatText,
  inboxRows,
  initialApprovalState,
  nextDigestAt,
  renderApproverReminder,
  renderDigest,
  renderRequesterMessage,
  requestSummaryOf,
  requesterEmailsOf,
  shouldDigest,
  snsSafeSubject,
  DigestConfigSchema,
  type DecisionLinks,
} from '../../../functions/domain/approvals';
import type { AppConnected } from '../../../functions/domain/events';
import { at, decision, lowFinding, manager, purchaseRequest, record } from './fixtures';

const links: DecisionLinks = {
  approve: 'https://guardrail.example.com/decide?token=v1.a.b',
  reject: 'https://guardrail.example.com/decide?token=v1.c.d',
  'request-info': 'https://guardrail.example.com/decide?token=v1.e.f',
};
const on = DigestConfigSchema.parse({ enabled: true });

describe('shouldDigest', () => {
  it('holds back reviews whose every finding is low or less, only when enabled', () => {
    const low = decision({ severity: 'low', findings: [lowFinding, { ...lowFinding, severity: 'info' }] });
    expect(shouldDigest(low, on)).toBe(true);
    expect(shouldDigest(low)).toBe(false);
    expect(shouldDigest(low, { ...on, maxSeverity: 'info' })).toBe(false);
  });

  it('never holds back blocks, medium findings or allows', () => {
    expect(shouldDigest(decision({ outcome: 'block', severity: 'low', findings: [lowFinding] }), on)).toBe(false);
    expect(shouldDigest(decision({ severity: 'medium', findings: [lowFinding, { ...lowFinding, severity: 'medium' }] }), on)).toBe(false);
    expect(shouldDigest(decision({ outcome: 'allow', severity: 'info', findings: [] }), on)).toBe(false);
  });

  it('schedules the next digest at the configured hour', () => {
    expect(nextDigestAt(at('2026-12-01T07:00:00Z'), on).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(nextDigestAt(at('2026-12-01T08:00:00Z'), on).toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });
});

describe('renderDigest', () => {
  it('lists items by signing date with their findings and links', () => {
    const later = requestSummaryOf(record({ detail: purchaseRequest({ expectedSigningDate: '2026-12-20', product: 'Later Tool' }), decision: decision({ findings: [lowFinding], severity: 'low' }) }));
    const sooner = requestSummaryOf(record({ recordId: 'REQ-2', detail: purchaseRequest({ requestId: 'REQ-2', expectedSigningDate: '2026-12-05', product: 'Sooner Tool' }) }));
    const undated = requestSummaryOf(record({ recordId: 'REQ-3', detail: purchaseRequest({ requestId: 'REQ-3', expectedSigningDate: undefined, product: 'Undated Tool' }) }));
    const d = renderDigest([{ summary: later }, { summary: undated }, { summary: sooner, links }], at('2026-12-01T08:00:00Z'));
    expect(d.subject).toBe('Guardrail digest 2026-12-01: 3 low-risk requests to review');
    const order = ['Sooner Tool', 'Later Tool', 'Undated Tool'].map((p) => d.text.indexOf(p));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(d.text).toContain('[low] The contract renews automatically.');
    expect(d.text).toContain(`Approve: ${links.approve}`);
    expect(d.chat).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(d.chat.content.nextSteps).toEqual([`REQ-2: <${links.approve}|Approve> · <${links.reject}|Reject> · <${links['request-info']}|Ask for more information>`]);
  });

  it('says so when nothing waits', () => {
    expect(renderDigest([], at('2026-12-01T08:00:00Z')).text).toMatch(/No low-risk requests are waiting/);
  });
});

describe('messages', () => {
  const summary = requestSummaryOf(record());

  it('tells approvers that opening a link records nothing', () => {
    const text = decisionLinksText(links, at('2026-12-08T00:00:00Z'));
    expect(text).toMatch(/nothing is recorded until you confirm/);
    expect(text).toContain('expire 2026-12-08 00:00 UTC');
    expect(decisionLinksChatSteps(links, 'markdown')[0]).toBe(`[Approve](${links.approve})`);
  });

  it('escapes chat markup from outside names', () => {
    expect(escapeChatText('<!channel> & [x](http://evil)')).toBe('&lt;!channel&gt; &amp; (x)(http://evil)');
    const hostile = requestSummaryOf(record({ detail: purchaseRequest({ product: '<!channel> free money' }) }));
    const n = renderApproverReminder({ kind: 'remind', summary: hostile, state: initialApprovalState(decision(), at('2026-11-01T09:00:00Z')), tier: 'it-manager', links, now: at('2026-12-07T00:00:00Z') });
    expect(JSON.stringify(n.chat)).not.toContain('<!channel>');
    expect(n.text).toContain('<!channel> free money');
  });

  it('keeps SNS subjects ASCII, single-line and under 100 characters', () => {
    expect(snsSafeSubject('Réunion – “Café”\nnext')).toBe('Reunion - "Cafe" next');
    expect(snsSafeSubject('日本語')).toBe('Guardrail: ???');
    const long = snsSafeSubject(`Reminder: ${'x'.repeat(200)}`);
    expect(long.length).toBeLessThanOrEqual(99);
    expect(long.endsWith('...')).toBe(true);
  });

  it('renders a reminder, an escalation and an expiry report', () => {
    const state = initialApprovalState(decision(), at('2026-11-01T09:00:00Z'), { expectedSigningDate: '2026-12-10' });
    const remind = renderApproverReminder({ kind: 'remind', summary, state, tier: 'it-manager', links, now: at('2026-12-07T00:00:00Z'), inboxUrl: 'https://g.example.com/inbox' });
    expect(remind.subject).toBe('Reminder: decision needed: Dropbox Business from Dropbox (REQ-1001)');
    expect(remind.text).toContain('The expected signing date is 2026-12-10 (3 days from now).');
    expect(remind.text).toContain('Annualised: 12,000.00 USD');
    expect(remind.text).toContain('Suggestion: Use Box instead');
    expect(remind.text).toContain('All pending requests: https://g.example.com/inbox');
    expect(remind.attributes).toEqual({ outcome: 'review', severity: 'medium', kind: 'purchase-request', department: 'Marketing' });
    const escalate = renderApproverReminder({ kind: 'escalate', summary, state, tier: 'it-director', fromTier: 'it-manager', links, now: at('2026-12-09T00:00:00Z') });
    expect(escalate.subject).toMatch(/^Escalated to IT director/);
    expect(escalate.text).toMatch(/Nobody at IT manager level decided/);
    const expire = renderApproverReminder({ kind: 'expire', summary, state, tier: 'it-manager', now: at('2026-12-10T00:00:00Z') });
    expect(expire.text).toMatch(/expired-undecided/);
    expect(expire.text).not.toMatch(/Approve:/);
  });

  it('tells the requester "rejected: use Box instead" with the approver’s words', () => {
    const r = applyApproverAction({ state: initialApprovalState(decision(), at('2026-11-01T09:00:00Z')), recordId: 'REQ-1001', approver: manager, action: 'reject', comment: 'We have Box.', now: at('2026-11-02T09:00:00Z') });
    if (!r.ok) throw new Error(r.reason);
    const m = renderRequesterMessage({ summary, state: r.state, step: r.step });
    expect(m.subject).toBe('Rejected: Use Box instead: 120 seats unused.');
    expect(m.to).toBe('Alice.Requester@example.com');
    expect(m.text).toContain('Please do not sign');
    expect(m.text).toContain('Comment from IT: We have Box.');
    expect(m.attributes).toEqual({ status: 'rejected', kind: 'purchase-request', department: 'Marketing' });

    const ev = approvalDecisionEvent({ recordId: 'REQ-1001', decision: decision(), state: r.state, step: r.step, sourceRef: { source: 'coupa', id: 'REQ-1001' }, revision: 1, now: at('2026-11-02T09:00:00Z') });
    expect(ev).toMatchObject({
      outcome: 'block',
      decidedBy: { approver: manager.email },
      decidedAt: '2026-11-02T09:00:00.000Z',
      summary: 'Rejected by Mia Manager (IT manager): We have Box.',
      approval: { status: 'rejected', action: 'reject', approverTier: 'it-manager', comment: 'We have Box.' },
    });
  });

  it('tells the requester about approval and information requests', () => {
    const base = initialApprovalState(decision(), at('2026-11-01T09:00:00Z'));
    const ok = applyApproverAction({ state: base, recordId: 'REQ-1001', approver: manager, action: 'approve', now: at('2026-11-02T09:00:00Z') });
    if (!ok.ok) throw new Error(ok.reason);
    expect(renderRequesterMessage({ summary, state: ok.state, step: ok.step }).subject).toBe('Approved: Dropbox Business from Dropbox');
    expect(approvalDecisionEvent({ recordId: 'REQ-1001', decision: decision(), state: ok.state, step: ok.step, sourceRef: { id: 'REQ-1001' }, revision: 1, now: at('2026-11-02T09:00:00Z') }).outcome).toBe('allow');
    const info = applyApproverAction({ state: base, recordId: 'REQ-1001', approver: manager, action: 'request-info', comment: 'Which team?', now: at('2026-11-02T09:00:00Z') });
    if (!info.ok) throw new Error(info.reason);
    const m = renderRequesterMessage({ summary, state: info.state, step: info.step });
    expect(m.subject).toBe('IT needs more information: Dropbox Business from Dropbox');
    expect(m.text).toContain('Comment from IT: Which team?');
  });
});

describe('request summary and inbox', () => {
  it('summarises a purchase request with spend, dates and suggestions', () => {
    const s = requestSummaryOf(record());
    expect(s).toMatchObject({
      title: 'Dropbox Business from Dropbox',
      requester: { email: 'Alice.Requester@example.com', name: 'Alice Requester' },
      department: 'Marketing',
      amount: { value: 1000, currency: 'USD', billingPeriod: 'monthly' },
      annualised: { value: 12000, currency: 'USD' },
      dataClassification: 'confidential',
      expectedSigningDate: '2026-12-10',
      deadline: '2026-12-10T00:00:00.000Z',
      suggestions: ['Use Box instead: 120 seats unused.'],
    });
  });

  it('summarises an app event and names the people behind it', () => {
    const detail: AppConnected = {
      source: 'okta',
      sourceEventId: 'evt-1',
      occurredAt: '2026-11-01T09:00:00Z',
      app: { name: 'Dropbox' },
      actor: { type: 'user', email: 'dev@example.com', displayName: 'Dev' },
      subject: { email: 'user@example.com' },
      connectionKind: 'user-assigned',
      scopes: ['files.read'],
    };
    const rec = record({ recordId: 'okta:evt-1', kind: 'app-connected', detail, decision: decision({ kind: 'app-connected', requiredApprover: undefined, spend: undefined }) });
    expect(requesterEmailsOf(rec)).toEqual(['dev@example.com', 'user@example.com']);
    expect(requestSummaryOf(rec)).toMatchObject({ title: 'Dropbox connected through okta', identitySource: 'okta', connectionKind: 'user-assigned', deadline: '2026-12-01T09:00:00.000Z' });
    expect(requesterEmailsOf(record())).toEqual(['Alice.Requester@example.com']);
  });

  it('sorts the inbox by expected signing date and flags overdue and due-soon requests', () => {
    const mk = (id: string, signing: string | undefined, status: 'pending' | 'approved' | 'expired-undecided' = 'pending') => {
      const summary = requestSummaryOf(record({ recordId: id, detail: purchaseRequest({ requestId: id, expectedSigningDate: signing }) }));
      const state = { ...initialApprovalState(decision(), at('2026-11-01T09:00:00Z')), status };
      return { summary, state };
    };
    const rows = inboxRows([mk('C', '2026-12-20'), mk('U', undefined), mk('A', '2026-11-30'), mk('B', '2026-12-03'), mk('D', '2026-12-01', 'approved')], at('2026-12-01T12:00:00Z'));
    expect(rows.map((r) => r.summary.recordId)).toEqual(['A', 'B', 'C', 'U']);
    expect(rows.map((r) => [r.overdue, r.dueSoon])).toEqual([
      [true, false],
      [false, true],
      [false, false],
      [true, false],
    ]);
    expect(rows[1].waitingFor).toBe('Waiting for IT manager approval (or higher)');
  });
});
