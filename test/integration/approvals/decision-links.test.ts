/**
 * Decision links end to end, on dynalite with the real SNS/EventBridge
 * adapters mocked at the SDK: a review notification carries the addressed
 * approver's own links; opening one (GET) changes nothing; the page's POST
 * records the decision with who/when/what/why, puts a `Guardrail Decision`
 * on the bus and tells the requester; the link then says it has been used.
 * Forged, tampered, expired, reused, cross-request and CSRF-less attempts all
 * fail with a clear page and no change.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DecisionLinkSigner } from '../../../functions/adapters/security/decision-link-signer';
import type { GuardrailEvent } from '../../../functions/domain/events';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { NOW, sampleEvent } from '../../support/fixtures';
import {
  BASE_URL,
  DECISION_TOKEN_START,
  IT_TOPIC,
  PEOPLE,
  REQUESTER_TOPIC,
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
  world = await approvalWorld(dynamo, mocks);
});

const DROPBOX = 'purchase-request/dropbox-marketing-confidential.json'; // review, IT manager, Marketing → Marcus
const dropbox = () => sampleEvent(DROPBOX);

/** The IT notification addressed to one approver. */
function notificationFor(email: string, recordId: string) {
  const found = world
    .published(IT_TOPIC)
    .filter((p) => p.MessageAttributes?.recipient?.StringValue === email && JSON.parse(p.Message!).email.includes(recordId));
  if (found.length !== 1) throw new Error(`expected one notification for ${email} about ${recordId}, found ${found.length}`);
  return found[0];
}

describe('notifications carry personal decision links', () => {
  it('sends the review to the approver the directory names for the tier and department, with links only they received', async () => {
    await world.submit(dropbox());
    const it = world.published(IT_TOPIC);
    expect(it).toHaveLength(1);
    const message = it[0];
    expect(message.MessageAttributes).toMatchObject({
      recipient: { DataType: 'String', StringValue: PEOPLE.marcus },
      tier: { StringValue: 'it-manager' },
      outcome: { StringValue: 'review' },
      department: { StringValue: 'Marketing' },
    });
    const text = emailText(message);
    expect(text).toMatch(/^For Marcus Lee \(IT manager\)\./);
    expect(text).toContain('nothing is recorded until you confirm there');
    const links = linksIn(text);
    for (const link of Object.values(links)) expect(link.startsWith(`${BASE_URL}decide?token=${DECISION_TOKEN_START}`)).toBe(true);
    expect(new Set(Object.values(links)).size).toBe(3);
    // The chat payload and the machine copies on the same publish link to the request page, never to a decision.
    const bodies = JSON.parse(message.Message!) as Record<string, string>;
    const chat = JSON.parse(bodies.https);
    expect(chat.content.nextSteps).toContain(`<${BASE_URL}requests/coupa%3APR-2026-1042|Open the request page \\(sign-in\\)>`);
    for (const [protocol, body] of Object.entries(bodies)) if (protocol !== 'email') expect(body).not.toMatch(/decide\?token=/);
    // Tokens are bound to the request and the approver, and expire no later than the signing date.
    const signer = await DecisionLinkSigner.fromProvider(world.keys);
    const verified = await signer.verify(new URL(links.approve).searchParams.get('token'), { now: NOW });
    expect(verified).toMatchObject({ ok: true, claims: { rid: 'coupa:PR-2026-1042', sub: PEOPLE.marcus, act: 'approve' } });
    if (!verified.ok) return;
    expect(verified.claims.exp * 1000).toBeLessThanOrEqual(Date.parse('2027-01-08T00:00:00Z'));
    expect(verified.claims.exp * 1000).toBeLessThanOrEqual(NOW.getTime() + 14 * 86_400_000);
  });

  it('records received, evaluated and notified in the audit trail, once however often the event is delivered', async () => {
    await world.submit(dropbox());
    await world.submit(dropbox());
    const history = await world.audit.list('coupa:PR-2026-1042');
    expect(history.map((e) => e.type)).toEqual(['received', 'evaluated', 'notified']);
    expect(history[2].details).toMatchObject({ tier: 'it-manager', recipients: [PEOPLE.marcus] });
    expect(world.published(IT_TOPIC)).toHaveLength(1);
  });

  it('starts the record with a pending approval that the sweep will look at before the signing date', async () => {
    await world.submit(dropbox());
    const record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval).toMatchObject({ status: 'pending', requiredApprover: 'it-manager', twoStep: false, revision: 0 });
    // Reminder lead: 120 hours before the signing date (the start of 2027-01-08, UTC).
    expect(record?.approval.escalation.nextDueAt).toBe('2027-01-03T00:00:00.000Z');
    expect(await world.approvalStore.listDue(new Date('2027-01-03T00:00:00Z'), 10)).toEqual(['coupa:PR-2026-1042']);
    expect(await world.approvalStore.listDue(new Date('2027-01-02T23:59:59Z'), 10)).toEqual([]);
  });

  it('sends no links and needs no approval for an allowed request', async () => {
    await world.submit(sampleEvent('purchase-request/slack-seats-sanctioned.json'));
    expect(world.published()).toHaveLength(0);
    const record = await world.requests.get('servicenow:PR-2026-1043');
    expect(record?.approval.status).toBe('not-required');
    expect(await world.approvalStore.listOpen()).toEqual([]);
  });
});

describe('the decision page', () => {
  it('a GET (what a mail scanner does) shows the request and changes nothing, however often', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const before = await world.snapshot();
    const calls = { sns: world.published().length, bus: world.busEvents().length };
    for (const link of [...Object.values(links), links.approve]) {
      const page = await world.call({ url: link });
      expect(page.statusCode).toBe(200);
      expect(page.headers['Content-Security-Policy']).toContain("default-src 'none'");
      expect(page.headers['Referrer-Policy']).toBe('no-referrer');
      expect(page.headers['Cache-Control']).toBe('no-store');
      expect(page.cookies?.[0]).toMatch(/^__Host-guardrail-csrf-[A-Za-z0-9_-]+=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=\d+$/);
      expect(page.body).toContain('Dropbox Business Advanced from Dropbox');
      expect(page.body).toContain('Nothing has been recorded yet');
      expect(page.body).toContain('DUPLICATE_CAPABILITY');
      expect(page.body).toContain('method="post" action="/decide"');
    }
    expect(await world.snapshot()).toEqual(before);
    expect({ sns: world.published().length, bus: world.busEvents().length }).toEqual(calls);
  });

  it('approving records who, when, what and why, publishes the decision, tells the requester, and spends the link', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    world.clock.advance(60 * 60_000);
    const result = await openAndDecide(world, links.approve, 'approve', 'Fine for the agency exchange; renew in Box next year.');
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<h1>Approved</h1>');
    expect(result.cookies?.[0]).toMatch(/Max-Age=0$/);

    const record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval).toMatchObject({
      status: 'approved',
      revision: 1,
      decidedAt: '2026-11-27T13:00:00.000Z',
      steps: [
        {
          action: 'approve',
          by: { email: PEOPLE.marcus, name: 'Marcus Lee', tier: 'it-manager' },
          comment: 'Fine for the agency exchange; renew in Box next year.',
          at: '2026-11-27T13:00:00.000Z',
        },
      ],
    });
    expect(record?.approval.escalation.nextDueAt).toBeUndefined();

    const decided = (await world.audit.list('coupa:PR-2026-1042')).find((e) => e.type === 'decided');
    expect(decided).toMatchObject({
      actor: { kind: 'approver', id: PEOPLE.marcus, tier: 'it-manager' },
      details: { action: 'approve', statusBefore: 'pending', statusAfter: 'approved', comment: 'Fine for the agency exchange; renew in Box next year.' },
    });

    const event = world.busEvents().find((e) => (e.approval as { status?: string } | undefined)?.status === 'approved');
    expect(event).toMatchObject({
      recordId: 'coupa:PR-2026-1042',
      outcome: 'allow',
      decidedBy: { approver: PEOPLE.marcus },
      sourceRef: { source: 'coupa', id: 'PR-2026-1042' },
    });

    const requester = world.published(REQUESTER_TOPIC);
    expect(requester).toHaveLength(1);
    expect(requester[0].Subject).toBe('Approved: Dropbox Business Advanced from Dropbox');
    expect(requester[0].MessageAttributes).toMatchObject({ status: { StringValue: 'approved' }, requester: { StringValue: 'maria.lopez@example.com' } });
    expect(emailText(requester[0])).toContain('Marcus Lee approved your request. You can go ahead and sign.');
    expect(emailText(requester[0])).toContain('Marcus Lee wrote:\n> Fine for the agency exchange');

    // The same link now says so, and so does every other link of the request (it is decided).
    const again = await world.call({ url: links.approve });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This link has already been used');
    const other = await world.call({ url: links.reject });
    expect(other.body).toContain('This request is already <strong>approved</strong>; there is nothing left to decide.');
    expect(other.body).not.toContain('<form class="decide"');
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('approved');
    // Nothing is left pending, and the record left the sweep's queue.
    expect((await world.approvalStore.load('coupa:PR-2026-1042'))?.effects).toEqual([]);
    expect(await world.approvalStore.listOpen()).toEqual([]);
    expect(await world.approvalStore.listDue(new Date('2099-01-01T00:00:00Z'), 10)).toEqual([]);
  });

  it('replaying the submitted form (reuse) is refused and changes nothing', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const page = await world.call({ url: links.approve });
    const form = {
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(page.cookies),
      body: decisionForm({ token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action: 'approve', comment: 'Agency exchange only.' }),
    };
    expect((await world.call(form)).statusCode).toBe(200);
    const after = await world.snapshot();
    const events = world.busEvents().length;
    const replay = await world.call(form);
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('This link has already been used');
    expect(await world.snapshot()).toEqual(after);
    expect(world.busEvents()).toHaveLength(events);
  });

  it('two concurrent submissions of one link record exactly one decision', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const page = await world.call({ url: links.reject });
    const form = {
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(page.cookies),
      body: decisionForm({ token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action: 'reject', comment: 'Use Box.' }),
    };
    const answers = await Promise.all([world.call(form), world.call(form), world.call(form)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    const record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval.steps).toHaveLength(1);
    expect((await world.audit.list('coupa:PR-2026-1042')).filter((e) => e.type === 'decided')).toHaveLength(1);
    expect(world.published(REQUESTER_TOPIC)).toHaveLength(1);
  });

  it('a rejection needs a comment: the page comes back with the problem, and the link still works', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const missing = await openAndDecide(world, links.reject, 'reject', '   ');
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Nothing was recorded.');
    expect(missing.body).toContain('Say why you reject it');
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('pending');

    const done = await openAndDecide(world, links.reject, 'reject', 'Company files belong in Box; the agency can use a Box shared folder.');
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('<h1>Rejected</h1>');
    const requester = world.published(REQUESTER_TOPIC)[0];
    expect(requester.Subject).toMatch(/^Rejected: /);
    expect(emailText(requester)).toContain('Please do not sign this contract.');
    expect(emailText(requester)).toContain('Marcus Lee wrote:\n> Company files belong in Box');
    expect(world.busEvents().find((e) => e.outcome === 'block')).toMatchObject({ approval: { status: 'rejected', action: 'reject' } });
  });

  it('asking for more information tells the requester and keeps the request open', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const asked = await openAndDecide(world, links['request-info'], 'request-info', 'Which customer lists will the agency receive?');
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('More information requested');
    expect(world.published(REQUESTER_TOPIC)[0].Subject).toBe('Marcus Lee needs more information: Dropbox Business Advanced from Dropbox');
    expect(emailText(world.published(REQUESTER_TOPIC)[0])).toMatch(/^Marcus Lee needs more information:\n\n> Which customer lists will the agency receive\?\n/);
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('info-requested');
    expect((await world.approvalStore.listOpen()).map((r) => r.recordId)).toEqual(['coupa:PR-2026-1042']);
  });
});

describe('links that must not work', () => {
  const expectNothingChanged = async (before: unknown[]) => {
    expect(await world.snapshot()).toEqual(before);
    expect(world.published(REQUESTER_TOPIC)).toHaveLength(0);
    expect(world.busEvents().filter((e) => e.approval !== undefined)).toHaveLength(0);
  };

  it('refuses a token forged with another key, on GET and POST', async () => {
    await world.submit(dropbox());
    const before = await world.snapshot();
    const forger = new DecisionLinkSigner({ id: 'test-key', key: randomBytes(32) });
    const token = await forger.issue({
      recordId: 'coupa:PR-2026-1042',
      approverEmail: PEOPLE.marcus,
      action: 'approve',
      expiresAt: new Date(NOW.getTime() + 86_400_000),
      now: NOW,
    });
    const page = await world.call({ url: `/decide?token=${encodeURIComponent(token)}` });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('This link is not valid');
    expect(page.cookies).toBeUndefined();
    const csrf = forger.issueCsrfToken(jtiOf(token), 'a'.repeat(43));
    const post = await world.call({ method: 'POST', url: '/decide', body: decisionForm({ token, csrf, action: 'approve' }) });
    expect(post.statusCode).toBe(400);
    await expectNothingChanged(before);
  });

  it('refuses a tampered token (claims changed to another request or approver, signature kept)', async () => {
    await world.submit(dropbox());
    await world.submit(sampleEvent('purchase-request/monday-auto-renew-long-term.json'));
    const before = await world.snapshot();
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const token = new URL(links.approve).searchParams.get('token')!;
    const [header, payload, sig] = token.split('.');
    for (const change of [{ rid: 'coupa:PR-2026-1047' }, { sub: PEOPLE.chris }, { exp: 4102444800 }]) {
      const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...change };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      const page = await world.call({ url: `/decide?token=${encodeURIComponent(tampered)}` });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('This link is not valid');
    }
    // A truncated link (a mail program cut it) is the same.
    expect((await world.call({ url: links.approve.slice(0, -5) })).statusCode).toBe(400);
    expect((await world.call({ url: '/decide' })).statusCode).toBe(400);
    await expectNothingChanged(before);
  });

  it('refuses an expired link with its own page', async () => {
    await world.submit(dropbox());
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const page = await world.call({ url: links.approve });
    const before = await world.snapshot();
    world.clock.advance(15 * 86_400_000); // past the 14-day cap
    const expired = await world.call({ url: links.approve });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    const post = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(page.cookies),
      body: decisionForm({ token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action: 'approve' }),
    });
    expect(post.statusCode).toBe(410);
    await expectNothingChanged(before);
  });

  it('refuses a form without its CSRF cookie, with another page’s CSRF value, or without the CSRF field', async () => {
    await world.submit(dropbox());
    await world.submit(sampleEvent('purchase-request/monday-auto-renew-long-term.json'));
    const before = await world.snapshot();
    const mine = await world.call({ url: linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042'))).approve });
    const other = await world.call({ url: linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1047'))).approve });
    const token = hiddenField(mine.body, 'token');
    // A cross-site POST arrives without the SameSite=Strict cookie.
    const noCookie = await world.call({
      method: 'POST',
      url: '/decide',
      body: decisionForm({ token, csrf: hiddenField(mine.body, 'csrf'), action: 'approve' }),
    });
    expect(noCookie.statusCode).toBe(403);
    expect(noCookie.body).toContain('The form could not be verified');
    // Cross-request: this link with the cookie and field of the other request's page.
    const crossed = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(other.cookies),
      body: decisionForm({ token, csrf: hiddenField(other.body, 'csrf'), action: 'approve' }),
    });
    expect(crossed.statusCode).toBe(403);
    // The other request's token with this page's CSRF value: bound to the token, so refused too.
    const swapped = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: [...cookiePairs(mine.cookies), ...cookiePairs(other.cookies)],
      body: decisionForm({ token: hiddenField(other.body, 'token'), csrf: hiddenField(mine.body, 'csrf'), action: 'approve' }),
    });
    expect(swapped.statusCode).toBe(403);
    const noField = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(mine.cookies),
      body: `token=${encodeURIComponent(token)}&action=approve`,
    });
    expect(noField.statusCode).toBe(400);
    await expectNothingChanged(before);
  });

  it('refuses a link for the wrong person: the requester cannot approve their own request (and the attempt is audited)', async () => {
    const event = dropbox() as GuardrailEvent & { kind: 'purchase-request' };
    event.detail.requester.email = 'Marcus.Lee+tools@example.com';
    await world.submit(event);
    const links = linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042')));
    const answer = await openAndDecide(world, links.approve, 'approve');
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('You cannot decide your own request');
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('pending');
    expect((await world.audit.list('coupa:PR-2026-1042')).at(-1)).toMatchObject({ type: 'refused', details: { reason: 'SELF_APPROVAL' } });
    // Refused, not spent: nothing was decided with it.
    expect(await world.usedLinks.find(jtiOf(new URL(links.approve).searchParams.get('token')!))).toBeUndefined();
  });

  it('a signature made with the key for another purpose (a CSRF value) does not pass as a link', async () => {
    await world.submit(dropbox());
    const token = new URL(linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042'))).approve).searchParams.get('token')!;
    const [header, payload] = token.split('.');
    const key = (await world.keys.current()).key;
    const wrongMac = createHmac('sha256', createHmac('sha256', key).update('procurement-guardrail/csrf/v1').digest())
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect((await world.call({ url: `/decide?token=${header}.${payload}.${wrongMac}` })).statusCode).toBe(400);
  });
});

describe('tiers and two-step approval', () => {
  const SALESFORCE = 'purchase-request/salesforce-large-cio.json'; // CIO tier, two-step

  it('asks the IT director for the first signature, then the CIO, and needs two different people', async () => {
    await world.submit(sampleEvent(SALESFORCE));
    const record = await world.requests.get('coupa:PR-2026-1044');
    expect(record?.approval).toMatchObject({ requiredApprover: 'cio', twoStep: true, escalation: { currentTier: 'it-director' } });
    const toDana = notificationFor(PEOPLE.dana, 'coupa:PR-2026-1044');
    const first = await openAndDecide(world, linksIn(emailText(toDana)).approve, 'approve', 'Budgeted in Sales plan.');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('First approval recorded');
    expect((await world.requests.get('coupa:PR-2026-1044'))?.approval.status).toBe('pending');
    expect(world.published(REQUESTER_TOPIC)[0].Subject).toMatch(/^First approval given: /);
    expect(world.busEvents().find((e) => (e.approval as { stage?: number } | undefined)?.stage === 1)).toMatchObject({ outcome: 'review' });

    // The CIO is now asked, with links of their own.
    const toChris = world.published(IT_TOPIC).filter((p) => p.MessageAttributes?.recipient?.StringValue === PEOPLE.chris);
    expect(toChris).toHaveLength(1);
    expect(toChris[0].Subject).toMatch(/^Second signature needed: /);
    expect(emailText(toChris[0])).toContain('The first was given by Dana Okafor');

    const second = await openAndDecide(world, linksIn(emailText(toChris[0])).approve, 'approve', 'Approved with the Sales plan.');
    expect(second.statusCode).toBe(200);
    const done = await world.requests.get('coupa:PR-2026-1044');
    expect(done?.approval.status).toBe('approved');
    expect(done?.approval.steps.map((s) => [s.by.email, s.stage])).toEqual([
      [PEOPLE.dana, 1],
      [PEOPLE.chris, 2],
    ]);
  });

  it('refuses an approver below the tier the policy demands (the page already says why)', async () => {
    await world.submit(sampleEvent(SALESFORCE));
    // A manager is not addressed for a CIO-tier request; mint them a link as the inbox would.
    const signer = await DecisionLinkSigner.fromProvider(world.keys);
    const token = await signer.issue({
      recordId: 'coupa:PR-2026-1044',
      approverEmail: PEOPLE.marcus,
      expiresAt: new Date(NOW.getTime() + 86_400_000),
      now: NOW,
    });
    const page = await world.call({ url: `/decide?token=${encodeURIComponent(token)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The first signature needs an IT director or higher; you are an IT manager.');
    expect(page.body).toMatch(/<button type="submit" name="action" value="approve" class="approve" disabled>/);
    const answer = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(page.cookies),
      body: decisionForm({ token, csrf: hiddenField(page.body, 'csrf'), action: 'approve' }),
    });
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('This needs a higher approval tier');
    expect((await world.requests.get('coupa:PR-2026-1044'))?.approval.steps).toEqual([]);
  });

  it('the first signer cannot also give the second signature', async () => {
    await world.submit(sampleEvent(SALESFORCE));
    // The CIO may give the first signature too (director or higher); then they cannot give the second.
    const signer = await DecisionLinkSigner.fromProvider(world.keys);
    const mint = async () =>
      `/decide?token=${encodeURIComponent(await signer.issue({ recordId: 'coupa:PR-2026-1044', approverEmail: PEOPLE.chris, expiresAt: new Date(NOW.getTime() + 86_400_000), now: NOW }))}`;
    expect((await openAndDecide(world, await mint(), 'approve', 'Budgeted.')).statusCode).toBe(200);
    const again = await openAndDecide(world, await mint(), 'approve', 'Budgeted.');
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('A second person must sign');
    // Nobody else holds the CIO tier: every approver is told, rather than nobody.
    const prompt = world.published(IT_TOPIC).find((p) => p.Subject?.startsWith('Second signature needed'));
    expect(prompt?.MessageAttributes?.recipient?.StringValue).toBe('all-approvers');
    expect(emailText(prompt!)).toContain('gave the first signature');
  });
});

describe('GET /requests/{id} and the inbox', () => {
  it('answers JSON with the record, its approval and its history for a signed-in approver', async () => {
    await world.submit(dropbox());
    await openAndDecide(world, linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042'))).approve, 'approve', 'ok');
    const anonymous = await world.call({ url: '/requests/coupa:PR-2026-1042', accept: 'application/json' });
    expect(anonymous.statusCode).toBe(401);
    const answer = await world.call({ url: '/requests/coupa:PR-2026-1042', accept: 'application/json', identity: { email: PEOPLE.dana } });
    expect(answer.statusCode).toBe(200);
    const body = JSON.parse(answer.body);
    expect(body).toMatchObject({ recordId: 'coupa:PR-2026-1042', approval: { status: 'approved' } });
    expect(body.history.map((e: { type: string }) => e.type)).toEqual(['received', 'evaluated', 'notified', 'decided']);
    const stranger = await world.call({ url: '/requests/coupa:PR-2026-1042', accept: 'application/json', identity: { email: 'someone@example.com' } });
    expect(stranger.statusCode).toBe(403);
  });

  it('shows the history on the request page with a fresh decision link while it is open', async () => {
    await world.submit(dropbox());
    const page = await world.call({ url: '/requests/coupa:PR-2026-1042', identity: { email: PEOPLE.marcus, name: 'Marcus Lee' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2>History</h2>');
    expect(page.body).toContain('Received from coupa.');
    expect(page.body).toContain('Notified IT manager by it-approvers topic.');
    const decide = /<a class="decide-link" href="([^"]+)">/.exec(page.body)?.[1]?.replace(/&#61;/g, '=').replace(/&amp;/g, '&');
    expect(decide).toMatch(/^https:\/\/approvals\.example\.com\/decide\?token=eyJ/);
    expect((await world.call({ url: decide! })).statusCode).toBe(200);
  });

  it('lists pending requests with their deadlines, soonest signing date first, and not decided ones', async () => {
    await world.submit(dropbox()); // signing 2027-01-08
    await world.submit(sampleEvent('purchase-request/monday-auto-renew-long-term.json'));
    await world.submit(sampleEvent('purchase-request/salesforce-large-cio.json'));
    await world.submit(sampleEvent('purchase-request/slack-seats-sanctioned.json')); // allowed: never listed
    const inbox = await world.call({ url: '/inbox', identity: { email: PEOPLE.dana } });
    expect(inbox.statusCode).toBe(200);
    const ids = [...inbox.body.matchAll(/<span class="hint">([a-z:]+PR-[0-9-]+)(?: · signing [0-9-]+)?<\/span>/g)].map((m) => m[1]);
    const records = await Promise.all(ids.map((id) => world.requests.get(id)));
    const dates = records.map((r) => (r?.detail as { expectedSigningDate?: string }).expectedSigningDate ?? '9999');
    expect(ids).toHaveLength(3);
    expect([...dates]).toEqual([...dates].sort());
    expect(inbox.body).toContain('3 waiting for your decision');
    expect(inbox.body).toContain('<time datetime="2027-01-08T00:00:00.000Z">8 Jan 2027</time>');

    await openAndDecide(world, linksIn(emailText(notificationFor(PEOPLE.marcus, 'coupa:PR-2026-1042'))).approve, 'approve', 'Agency exchange only.');
    const after = await world.call({ url: '/inbox', identity: { email: PEOPLE.dana } });
    expect(after.body).not.toContain('coupa:PR-2026-1042');
    expect(after.body).toContain('2 waiting for your decision');
  });

  it('needs a signed-in approver: a sign-in page deployed, a redirect to the local sign-in under npm start', async () => {
    expect((await world.call({ url: '/inbox' })).statusCode).toBe(401);
    const stranger = await world.call({ url: '/inbox', identity: { email: 'mallory@example.com' } });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).toContain('is not in the approver directory');
  });
});
