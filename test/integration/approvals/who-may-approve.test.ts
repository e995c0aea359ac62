/**
 * Who may approve what, through the approvals app on dynalite (issue 9,
 * items 4 and 5): the Marketing IT manager neither sees nor can decide
 * Engineering's request (link, inbox, POST); a signed-in person must be the
 * link's approver (local session, or the identity provider deployed); a
 * requester nobody can identify needs two signatures; approving past a high
 * finding needs a comment, said up front; a refused link is audited once per
 * reason however often it is tried.
 */
import { randomBytes } from 'node:crypto';
import { DecisionLinkSigner } from '../../../functions/adapters/security/decision-link-signer';
import { csrfCookieName } from '../../../functions/adapters/web/security-headers';
import type { AppConnected, GuardrailEvent } from '../../../functions/domain/events';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, sampleEvent } from '../../support/fixtures';
import {
  IT_TOPIC,
  PEOPLE,
  approvalWorld,
  awsMocks,
  cookiePairs,
  decisionForm,
  emailText,
  hiddenField,
  jtiOf,
  linksIn,
  openAndDecide,
  type ApprovalWorld,
} from '../../support/approvals';

let dynamo: TestDynamo;
const mocks = awsMocks();
let world: ApprovalWorld;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});
beforeEach(async () => {
  mocks.reset();
  world = await approvalWorld(dynamo, mocks, { localSessions: true });
});

const ENGINEERING = 'purchase-request/chatgpt-team-engineering.json'; // servicenow:PR-2026-1049: review, IT manager, engineering → Priya
const MARKETING = 'purchase-request/dropbox-marketing-confidential.json'; // coupa:PR-2026-1042: review, IT manager, Marketing → Marcus

function notificationsFor(email: string, recordId: string) {
  return world.published(IT_TOPIC).filter((p) => p.MessageAttributes?.recipient?.StringValue === email && emailText(p).includes(recordId));
}

/** A link for an approver the guardrail did not address (what an inbox used to mint for anyone). */
async function mintedLink(recordId: string, approverEmail: string): Promise<string> {
  const signer = await DecisionLinkSigner.fromProvider(world.keys);
  return `/decide?token=${encodeURIComponent(await signer.issue({ recordId, approverEmail, expiresAt: new Date(NOW.getTime() + 86_400_000), now: NOW }))}`;
}

async function sessionOf(email: string): Promise<string[]> {
  return cookiePairs([await world.app.localSessions!.issue(email, world.clock.now())]);
}

describe('the Marketing IT manager and Engineering’s request (the replay of issue 9)', () => {
  it('is neither told, nor shown it in the inbox, nor allowed to open its page', async () => {
    await world.submit(sampleEvent(ENGINEERING));
    await world.submit(sampleEvent(MARKETING));
    expect(notificationsFor(PEOPLE.marcus, 'servicenow:PR-2026-1049')).toHaveLength(0);
    expect(notificationsFor(PEOPLE.priya, 'servicenow:PR-2026-1049')).toHaveLength(1);

    const inbox = await world.call({ url: '/inbox', identity: { email: PEOPLE.marcus } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).not.toContain('servicenow:PR-2026-1049');
    expect(inbox.body).toContain('coupa:PR-2026-1042');
    expect(inbox.body).toContain('1 waiting for your decision');

    const page = await world.call({ url: '/requests/servicenow:PR-2026-1049', identity: { email: PEOPLE.marcus } });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('This request belongs to another department');
    expect(page.body).not.toContain('/decide?token');
    const json = await world.call({ url: '/requests/servicenow:PR-2026-1049', accept: 'application/json', identity: { email: PEOPLE.marcus } });
    expect(json.statusCode).toBe(403);

    // Priya, who covers Engineering, has it to decide.
    const hers = await world.call({ url: '/inbox', identity: { email: PEOPLE.priya } });
    expect(hers.body).toContain('servicenow:PR-2026-1049');
    expect(hers.body).not.toContain('coupa:PR-2026-1042');
  });

  it('cannot decide it with a link: the page offers nothing, every POST is refused, and the tries make one audit entry per reason', async () => {
    await world.submit(sampleEvent(ENGINEERING));
    const before = await world.snapshot();
    const link = await mintedLink('servicenow:PR-2026-1049', PEOPLE.marcus);
    const refusal = await world.call({ url: link });
    expect(refusal.statusCode).toBe(403);
    expect(refusal.body).toContain('This request belongs to another department');
    expect(refusal.body).toContain('This request is from engineering, and you decide for Marketing, Sales, Finance, Operations and 3 more');
    expect(refusal.body).not.toContain('ChatGPT'); // not even what was asked for
    expect(refusal.body).not.toContain('name="csrf"');
    // A form its page served before the directory changed (a valid CSRF pair for this link) is refused all the same.
    const token = new URL(link, 'https://approvals.example.com/').searchParams.get('token')!;
    const session = randomBytes(24).toString('base64url');
    const csrf = (await DecisionLinkSigner.fromProvider(world.keys)).issueCsrfToken(jtiOf(token), session);
    const cookies = [`${csrfCookieName(jtiOf(token), true)}=${session}`];

    for (const action of ['approve', 'approve', 'reject', 'approve']) {
      const answer = await world.call({
        method: 'POST',
        url: '/decide',
        cookies,
        body: decisionForm({ token, csrf, action, comment: 'Trying anyway.' }),
      });
      expect(answer.statusCode).toBe(403);
      expect(answer.body).toContain('This request belongs to another department');
    }
    expect((await world.requests.get('servicenow:PR-2026-1049'))?.approval).toMatchObject({ status: 'pending', steps: [] });
    const refused = (await world.audit.list('servicenow:PR-2026-1049')).filter((e) => e.type === 'refused');
    expect(refused).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'DEPARTMENT_NOT_COVERED', action: 'approve' }) })]);
    // Apart from that one entry, nothing changed.
    const after = (await world.snapshot()) as { sk?: string }[];
    expect(after.filter((item) => !String(item.sk).startsWith('AUDIT#'))).toEqual(
      (before as { sk?: string }[]).filter((item) => !String(item.sk).startsWith('AUDIT#')),
    );
  });

  it('is decided by the department’s own IT manager as usual', async () => {
    await world.submit(sampleEvent(ENGINEERING));
    const links = linksIn(emailText(notificationsFor(PEOPLE.priya, 'servicenow:PR-2026-1049')[0]));
    const answer = await openAndDecide(world, links.approve, 'approve', 'Team plan, no customer data.');
    expect(answer.statusCode).toBe(200);
    expect((await world.requests.get('servicenow:PR-2026-1049'))?.approval.status).toBe('approved');
  });
});

describe('a signed-in person must be the link’s approver', () => {
  it('locally: someone else’s session is refused on the page and on the POST (audited once); the owner’s session decides', async () => {
    await world.submit(sampleEvent(MARKETING));
    const link = linksIn(emailText(notificationsFor(PEOPLE.marcus, 'coupa:PR-2026-1042')[0])).approve;
    const asPriya = await sessionOf(PEOPLE.priya);
    const refusedPage = await world.call({ url: link, cookies: asPriya });
    expect(refusedPage.statusCode).toBe(403);
    expect(refusedPage.body).toContain('This link belongs to another approver');
    expect(refusedPage.body).toContain('This link is Marcus Lee&#39;s, and you are signed in as Priya Shah.');

    const page = await world.call({ url: link }); // opened without a session (a forwarded mail)…
    const form = { token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action: 'approve', comment: 'Looks fine to me.' };
    for (let i = 0; i < 3; i++) {
      const post = await world.call({ method: 'POST', url: '/decide', cookies: [...cookiePairs(page.cookies), ...asPriya], body: decisionForm(form) });
      expect(post.statusCode).toBe(403); // …and submitted by someone signed in as another approver
    }
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('pending');
    const refused = (await world.audit.list('coupa:PR-2026-1042')).filter((e) => e.type === 'refused');
    expect(refused).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ id: PEOPLE.priya }),
        details: expect.objectContaining({ reason: 'WRONG_APPROVER', linkFor: PEOPLE.marcus }),
      }),
    ]);

    const asMarcus = await sessionOf(PEOPLE.marcus);
    const own = await world.call({ method: 'POST', url: '/decide', cookies: [...cookiePairs(page.cookies), ...asMarcus], body: decisionForm(form) });
    expect(own.statusCode).toBe(200);
  });

  it('locally without a session, the link alone still decides', async () => {
    await world.submit(sampleEvent(MARKETING));
    const link = linksIn(emailText(notificationsFor(PEOPLE.marcus, 'coupa:PR-2026-1042')[0])).approve;
    expect((await openAndDecide(world, link, 'approve', 'Agency exchange only.')).statusCode).toBe(200);
  });

  it('with an identity provider: no sign-in, no decision; the verified subject or address must be the link’s approver', async () => {
    world.app.decisionsNeedSignIn = true;
    await world.submit(sampleEvent(MARKETING));
    const link = linksIn(emailText(notificationsFor(PEOPLE.marcus, 'coupa:PR-2026-1042')[0])).approve;
    expect((await world.call({ url: link })).statusCode).toBe(401);
    const page = await world.call({ url: link, identity: { subject: '00u1marcus', email: PEOPLE.marcus } });
    expect(page.statusCode).toBe(200);
    const post = (identity?: { email?: string; subject?: string }) =>
      world.call({
        method: 'POST',
        url: '/decide',
        cookies: cookiePairs(page.cookies),
        body: decisionForm({
          token: hiddenField(page.body, 'token'),
          csrf: hiddenField(page.body, 'csrf'),
          action: 'approve',
          comment: 'Agency exchange only.',
        }),
        ...(identity ? { identity } : {}),
      });
    expect((await post()).statusCode).toBe(401);
    expect((await post({ email: PEOPLE.dana })).statusCode).toBe(403);
    expect((await post({ subject: 'unknown-subject' })).statusCode).toBe(403);
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('pending');
    expect((await post({ subject: '00u1marcus', email: 'Marcus@example.com' })).statusCode).toBe(200); // an alias of his
  });
});

describe('a requester nobody can identify', () => {
  const systemConsent: AppConnected = {
    source: 'okta',
    sourceEventId: 'consent-by-system-1',
    occurredAt: '2026-11-27T11:00:00Z',
    app: { name: 'Unvetted Notes AI', domain: 'unvetted-notes.example' },
    actor: { type: 'user', email: 'system@okta.com', displayName: 'Okta System' },
    connectionKind: 'oauth-consent',
    scopes: ['https://www.googleapis.com/auth/drive'],
    department: 'Marketing',
  };

  it('makes the request need two signatures from two different people', async () => {
    await world.submit({ kind: 'app-connected', detail: systemConsent } as GuardrailEvent);
    const record = await world.requests.get('okta:consent-by-system-1');
    expect(record?.decision.outcome).not.toBe('allow');
    expect(record?.approval).toMatchObject({ twoStep: true, requesterUnidentified: true });
    const page = await world.call({ url: '/requests/okta:consent-by-system-1', identity: { email: PEOPLE.dana } });
    expect(page.body).toContain('two signatures from two different people (the source names no person behind this request');
  });
});

describe('approving past a high finding needs a comment', () => {
  it('says so on the page before anyone clicks, refuses a bare approval without spending the link, and records one with a reason', async () => {
    await world.submit(sampleEvent(MARKETING));
    const record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.decision.findings.some((f) => f.severity === 'high' || f.severity === 'critical')).toBe(true);
    const link = linksIn(emailText(notificationsFor(PEOPLE.marcus, 'coupa:PR-2026-1042')[0])).approve;
    const page = await world.call({ url: link });
    expect(page.body).toMatch(
      /<div class="notice warn comment-required"><p><strong>Approving needs a comment\.<\/strong> This request has a (high|critical) finding/,
    );
    expect(page.body).toContain('<label for="comment">Comment (required to approve)</label>');

    const bare = await openAndDecide(world, link, 'approve');
    expect(bare.statusCode).toBe(422);
    expect(bare.body).toMatch(/Nothing was recorded\.<\/strong> This request has a (high|critical) finding: say why you accept the risk/);
    expect((await openAndDecide(world, link, 'approve', 'Accepted: partner exchange only, moving to Box at renewal.')).statusCode).toBe(200);
  });
});
