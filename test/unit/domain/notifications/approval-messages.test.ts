/** Reminders, escalations, expiry reports, digests and what the requester is told. */
import { applyApproverAction, initialApprovalState, requestSummaryOf, type DecisionLinks } from '../../../../functions/domain/approvals';
import { approverReminder, broadcast, digestMessage, personal, requesterUpdate, type Addressee } from '../../../../functions/domain/notifications';
import { at, decision, director, lowFinding, manager, purchaseRequest, record } from '../../approvals/fixtures';

const links: DecisionLinks = {
  approve: 'https://guardrail.example.com/decide?token=v1.a.b',
  reject: 'https://guardrail.example.com/decide?token=v1.c.d',
  'request-info': 'https://guardrail.example.com/decide?token=v1.e.f',
};
const pages = { request: 'https://guardrail.example.com/requests/REQ-1001', inbox: 'https://guardrail.example.com/inbox' };
const mia = { email: manager.email, name: 'Mia Manager' };
const forMia = (expiresAt = at('2026-12-08T00:00:00Z')): Addressee => ({ approver: mia, tier: 'it-manager', links: { 'REQ-1001': { links, expiresAt } } });

describe('reminders, escalations and expiry reports', () => {
  const rec = record();
  const summary = requestSummaryOf(rec);

  it('reminds with the deadline, the request, the findings and the approver’s own links in the email', () => {
    const draft = approverReminder({ kind: 'remind', record: rec, summary, tier: 'it-manager', now: at('2026-12-07T00:00:00Z'), links: pages });
    const m = personal(draft, forMia(), true);
    expect(m.subject).toBe('Reminder: decision needed: Dropbox Business from Dropbox (REQ-1001)');
    expect(m.text).toContain('The expected signing date is 2026-12-10 (3 days from now).');
    expect(m.text).toMatch(/Amount: +1,000 USD\/mo \(12,000 USD\/yr; 12,000 USD total contract value\)/);
    expect(m.text).toContain('Suggestion: Use Box instead');
    expect(m.text).toContain(`  Approve: ${links.approve}`);
    expect(m.text).toContain('These links are yours alone, work once, and expire 2026-12-08 00:00 UTC.');
    expect(m.text).toContain(`Request page (sign in to open): ${pages.request}`);
    expect(m.text).toContain(`All pending requests: ${pages.inbox}`);
    expect(m.attributes).toEqual({
      type: 'reminder',
      outcome: 'review',
      severity: 'medium',
      kind: 'purchase-request',
      department: 'Marketing',
      tier: 'it-manager',
      recipient: manager.email,
      copy: 'first',
    });
    expect(m.chat.content.nextSteps).toContain(`<${pages.request}|Open the request page \\(sign-in\\)>`);
    expect(m.chat.metadata).toMatchObject({ threadId: 'REQ-1001', eventType: 'approval-remind' });
  });

  it('escalates to the next tier and says who did not decide', () => {
    const m = personal(
      approverReminder({ kind: 'escalate', record: rec, summary, tier: 'it-director', fromTier: 'it-manager', now: at('2026-12-09T00:00:00Z') }),
      forMia(),
      true,
    );
    expect(m.subject).toMatch(/^Escalated to IT director/);
    expect(m.text).toMatch(/Nobody at IT manager level decided/);
    expect(m.data.type).toBe('escalation');
  });

  it('reports an expiry to every approver without links', () => {
    const m = broadcast(approverReminder({ kind: 'expire', record: rec, summary, tier: 'it-manager', now: at('2026-12-10T00:00:00Z') }), {
      tier: 'it-manager',
    });
    expect(m.text).toMatch(/expired-undecided/);
    expect(m.text).not.toMatch(/Approve:/);
    expect(m.attributes).toMatchObject({ type: 'expiry', recipient: 'all-approvers', tier: 'it-manager' });
  });

  it('asks for a second signature naming the first signer', () => {
    const first = applyApproverAction({
      state: { ...rec.approval, twoStep: true, requiredApprover: 'it-director' },
      recordId: 'REQ-1001',
      approver: manager,
      action: 'approve',
      now: at('2026-11-02T09:00:00Z'),
    });
    if (!first.ok) throw new Error(first.reason);
    const twoStep = { ...rec, approval: first.state };
    const m = personal(
      approverReminder({ kind: 'second-signature', record: twoStep, summary, tier: 'it-director', now: at('2026-11-02T10:00:00Z') }),
      { ...forMia(), approver: { email: director.email, name: 'Dana Director' }, tier: 'it-director' },
      true,
    );
    expect(m.text).toContain('The first was given by Mia Manager');
    expect(m.text).toMatch(/^For Dana Director \(IT director\)\./);
  });
});

describe('digest', () => {
  it('lists items by signing date with their findings; links per request only in the email', () => {
    const later = requestSummaryOf(
      record({
        detail: purchaseRequest({ expectedSigningDate: '2026-12-20', product: 'Later Tool' }),
        decision: decision({ findings: [lowFinding], severity: 'low' }),
      }),
    );
    const sooner = requestSummaryOf(
      record({ recordId: 'REQ-2', detail: purchaseRequest({ requestId: 'REQ-2', expectedSigningDate: '2026-12-05', product: 'Sooner Tool' }) }),
    );
    const undated = requestSummaryOf(
      record({ recordId: 'REQ-3', detail: purchaseRequest({ requestId: 'REQ-3', expectedSigningDate: undefined, product: 'Undated Tool' }) }),
    );
    const d = digestMessage({
      approver: mia,
      tier: 'it-manager',
      items: [
        { summary: later },
        { summary: undated },
        { summary: sooner, links, linksExpireAt: at('2026-12-05T00:00:00Z'), requestUrl: 'https://guardrail.example.com/requests/REQ-2' },
      ],
      now: at('2026-12-01T08:00:00Z'),
    });
    expect(d.subject).toBe('Guardrail digest 2026-12-01: 3 low-risk requests to review');
    expect(d.text).toMatch(/^For Mia Manager \(IT manager\)\./);
    const order = ['Sooner Tool', 'Later Tool', 'Undated Tool'].map((p) => d.text.indexOf(p));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(d.text).toContain('[LOW] cost: The contract renews automatically.');
    expect(d.text).toContain(`Approve: ${links.approve}`);
    expect(d.chat).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(d.chat.content.description).toContain('<https://guardrail.example.com/requests/REQ-2|Request page \\(sign in to open\\)>');
    expect(JSON.stringify(d.chat)).not.toContain('token=');
    expect(JSON.stringify(d.data)).not.toContain('token=');
    expect(d.data.items?.map((i) => i.recordId)).toEqual(['REQ-2', 'REQ-1001', 'REQ-3']);
    expect(d.attributes).toEqual({
      type: 'digest',
      outcome: 'review',
      severity: 'low',
      kind: 'digest',
      tier: 'it-manager',
      recipient: manager.email,
      copy: 'first',
    });
  });

  it('says so when nothing waits', () => {
    expect(digestMessage({ approver: mia, tier: 'it-manager', items: [], now: at('2026-12-01T08:00:00Z') }).text).toMatch(/No low-risk requests are waiting/);
  });
});

describe('requester messages', () => {
  const rec = record();
  const summary = requestSummaryOf(rec);
  const base = initialApprovalState(decision(), at('2026-11-01T09:00:00Z'));

  it('reads naturally: "Mia Manager approved your request"', () => {
    const ok = applyApproverAction({ state: base, recordId: 'REQ-1001', approver: manager, action: 'approve', now: at('2026-11-02T09:00:00Z') });
    if (!ok.ok) throw new Error(ok.reason);
    const m = requesterUpdate({ record: rec, summary, state: ok.state, step: ok.step });
    expect(m.subject).toBe('Approved: Dropbox Business from Dropbox');
    expect(m.text.split('\n')[0]).toBe('Mia Manager approved your request. You can go ahead and sign.');
  });

  it('says "rejected: use Box instead" and quotes the approver’s words', () => {
    const r = applyApproverAction({
      state: base,
      recordId: 'REQ-1001',
      approver: manager,
      action: 'reject',
      comment: 'We have Box.\nhttps://evil.example/x',
      now: at('2026-11-02T09:00:00Z'),
    });
    if (!r.ok) throw new Error(r.reason);
    const m = requesterUpdate({ record: rec, summary, state: r.state, step: r.step });
    expect(m.subject).toBe('Rejected: Use Box instead: 120 seats unused.');
    expect(m.to).toBe('Alice.Requester@example.com');
    expect(m.text).toContain('Mia Manager rejected your request. Please do not sign this contract.');
    expect(m.text).toContain('Mia Manager wrote:\n> We have Box.\n> https[:]//evil.example/x');
    expect(m.attributes).toEqual({
      type: 'approval-update',
      status: 'rejected',
      kind: 'purchase-request',
      department: 'Marketing',
      requester: 'alice.requester@example.com',
    });
    expect(m.data).toMatchObject({ audience: 'requester', to: 'Alice.Requester@example.com', status: 'rejected' });
  });

  it('says "Mia Manager needs more information:" with the question quoted', () => {
    const info = applyApproverAction({
      state: base,
      recordId: 'REQ-1001',
      approver: manager,
      action: 'request-info',
      comment: 'Which team?',
      now: at('2026-11-02T09:00:00Z'),
    });
    if (!info.ok) throw new Error(info.reason);
    const m = requesterUpdate({ record: rec, summary, state: info.state, step: info.step });
    expect(m.subject).toBe('Mia Manager needs more information: Dropbox Business from Dropbox');
    expect(m.text).toMatch(/^Mia Manager needs more information:\n\n> Which team\?\n\nPlease answer by updating the request/);
  });

  it('keys the requester attribute on the identity, not the spelling of the address', () => {
    const tagged = record({ detail: purchaseRequest({ requester: { email: 'Alice.Requester+procurement@Example.com', department: 'Marketing' } }) });
    const m = requesterUpdate({ record: tagged, summary: requestSummaryOf(tagged), state: { ...base, status: 'expired-undecided' } });
    expect(m.attributes.requester).toBe('alice.requester@example.com');
    expect(m.to).toBe('Alice.Requester+procurement@Example.com');
    expect(m.subject).toBe('Still undecided: Dropbox Business from Dropbox');
  });
});
