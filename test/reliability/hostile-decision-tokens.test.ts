/**
 * Reliability 4a — hostile decision links, through the approvers' web app
 * (`handleApprovalRequest`, as the Lambda and `npm start` serve it) on
 * dynalite, with links taken from real review notifications: forged with
 * another key or an unknown key id, tampered (claims changed with the
 * signature kept, characters flipped, cut, spliced from two links; generated
 * by fast-check), garbage, cross-request (one request's link with another's
 * form), without the CSRF cookie, replayed after use (sequentially and
 * concurrently) and expired. Accepted = a decision page with a form served
 * for a bad link, or a POST that recorded anything. The only state changes at
 * the end must be the legitimate decisions.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { DecisionLinkSigner } from '../../functions/adapters/security/decision-link-signer';
import { csrfCookieName } from '../../functions/adapters/web/security-headers';
import { evaluatePurchaseRequest } from '../../functions/domain/evaluate';
import type { PurchaseRequest } from '../../functions/domain/events';
import { preparePolicy } from '../../functions/domain/prepared-policy';
import { generatePurchaseRequests } from '../../bench/support/requests';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { NOW, defaultPolicy } from '../support/fixtures';
import {
  IT_TOPIC,
  PEOPLE,
  REQUESTER_TOPIC,
  approvalWorld,
  awsMocks,
  cookiePairs,
  decisionForm,
  emailText,
  hiddenField,
  linksIn,
  type ApprovalWorld,
} from '../support/approvals';
import { recordFigures } from './support/figures';

const REQUESTS = 16;
const TAMPERED_CASES = 600;
const GARBAGE_CASES = 400;

let dynamo: TestDynamo;
const mocks = awsMocks();
let world: ApprovalWorld;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  world = await approvalWorld(dynamo, mocks);
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});

type Links = { approve: string; reject: string; 'request-info': string };
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** Review requests one IT manager can decide alone (Marketing, Sales, … → Marcus; Engineering, … → Priya). */
function reviewRequests(): PurchaseRequest[] {
  const policy = defaultPolicy();
  const prepared = preparePolicy(policy);
  const managed = new Set(['Marketing', 'Sales', 'Finance', 'Operations', 'Engineering', 'Product', 'Security']);
  return generatePurchaseRequests(policy, 400, { seed: 404, idPrefix: 'HOSTILE' })
    .filter((r) => managed.has(r.requester.department ?? ''))
    .filter((r) => {
      const d = evaluatePurchaseRequest(r, prepared, NOW);
      return d.outcome === 'review' && d.requiredApprover === 'it-manager';
    })
    .slice(0, REQUESTS);
}

test('forged, tampered, garbage, cross-request, CSRF-less, replayed and expired decision links: none accepted', async () => {
  const requests = reviewRequests();
  expect(requests).toHaveLength(REQUESTS);
  for (const r of requests) await world.submit({ kind: 'purchase-request', detail: r });
  const links = new Map<string, Links>();
  for (const p of world.published(IT_TOPIC)) {
    const text = emailText(p);
    const id = requests.find((r) => text.includes(r.requestId))?.requestId;
    if (id) links.set(id, linksIn(text));
  }
  expect(links.size).toBe(REQUESTS);
  const ids = [...links.keys()];
  const allTokens = ids.flatMap((id) => Object.values(links.get(id)!).map(tokenOf));

  const tally: Record<string, { tried: number; accepted: number }> = {};
  const count = (attack: string, accepted: boolean) => {
    const t = (tally[attack] ??= { tried: 0, accepted: 0 });
    t.tried++;
    if (accepted) t.accepted++;
  };
  const openWith = (token: string) => world.call({ url: `/decide?token=${encodeURIComponent(token)}` });
  const servedForm = (page: { statusCode: number; body: string }) => page.statusCode === 200 && page.body.includes('name="csrf"');
  const recorded = (answer: { statusCode: number }) => answer.statusCode < 400;

  // Forged: signed with another key under the real key id, or with an unknown key id.
  for (const [attack, kid] of [['forged with another key', 'test-key'], ['forged with an unknown key id', 'attacker-key']] as const) {
    const forger = new DecisionLinkSigner({ id: kid, key: randomBytes(32) });
    for (const id of ids) {
      for (const action of ['approve', 'reject'] as const) {
        const token = forger.issue({ recordId: id, approverEmail: PEOPLE.marcus, action, expiresAt: new Date(NOW.getTime() + 86_400_000), now: NOW });
        count(attack, servedForm(await openWith(token)));
        const jti = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).jti as string;
        const session = randomBytes(32).toString('base64url');
        const csrf = forger.issueCsrfToken(jti, session);
        const post = await world.call({ method: 'POST', url: '/decide', cookies: [`${csrfCookieName(jti)}=${session}`], body: decisionForm({ token, csrf, action, comment: 'forged' }) });
        count(attack, recorded(post));
      }
    }
  }

  // Tampered real links (fast-check): any change to a real token's text must be refused.
  const claimChanges = fc.oneof(
    fc.record({ rid: fc.constantFrom(...ids, 'PR-0', '') }),
    fc.record({ sub: fc.constantFrom(PEOPLE.chris, PEOPLE.dana, PEOPLE.priya, PEOPLE.marcus, 'attacker@example.com') }),
    fc.record({ exp: fc.integer({ min: 1, max: 4_102_444_800 }) }),
    fc.record({ act: fc.constantFrom('approve', 'reject', 'request-info') }),
    fc.record({ kid: fc.string({ maxLength: 10 }) }),
    fc.record({ jti: fc.stringMatching(/^[A-Za-z0-9_-]{16,24}$/) }),
  );
  const tampering = fc.record({
    token: fc.constantFrom(...allTokens),
    other: fc.constantFrom(...allTokens),
    kind: fc.constantFrom('claims', 'flip', 'cut', 'extend', 'splice'),
    change: claimChanges,
    position: fc.nat(),
    char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='.split('')),
  });
  let unchanged = 0;
  await fc.assert(
    fc.asyncProperty(tampering, async (t) => {
      const [v, payload, sig] = t.token.split('.');
      let bad: string;
      if (t.kind === 'claims') {
        const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...t.change };
        bad = `${v}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      } else if (t.kind === 'flip') {
        const at = t.position % t.token.length;
        bad = `${t.token.slice(0, at)}${t.char}${t.token.slice(at + 1)}`;
      } else if (t.kind === 'cut') bad = t.token.slice(0, t.position % t.token.length);
      else if (t.kind === 'extend') bad = `${t.token}${t.char}`;
      else bad = `${v}.${payload}.${t.other.split('.')[2]}`;
      if (bad === t.token) {
        unchanged++;
        return true;
      }
      const accepted = servedForm(await openWith(bad));
      count('tampered (fast-check)', accepted);
      return !accepted;
    }),
    { numRuns: TAMPERED_CASES, seed: 4040 },
  );

  // Garbage where a token belongs.
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.stringMatching(/^v1\.[A-Za-z0-9_-]{0,80}\.[A-Za-z0-9_-]{0,60}$/),
        fc.string({ minLength: 2100, maxLength: 2500 }),
        fc.jsonValue().map((j) => `v1.${Buffer.from(JSON.stringify(j) ?? 'null').toString('base64url')}.${randomBytes(32).toString('base64url')}`),
      ),
      async (garbage) => {
        const accepted = servedForm(await openWith(garbage));
        count('garbage token', accepted);
        return !accepted;
      },
    ),
    { numRuns: GARBAGE_CASES, seed: 4041 },
  );

  // Cross-request: one request's link submitted with another request's page (cookie and CSRF field).
  const pages = new Map<string, Awaited<ReturnType<ApprovalWorld['call']>>>();
  for (const id of ids) pages.set(id, await world.call({ url: links.get(id)!.approve }));
  for (let i = 0; i < ids.length; i++) {
    const mine = pages.get(ids[i])!;
    const other = pages.get(ids[(i + 1) % ids.length])!;
    const crossed = await world.call({
      method: 'POST',
      url: '/decide',
      cookies: cookiePairs(other.cookies),
      body: decisionForm({ token: hiddenField(mine.body, 'token'), csrf: hiddenField(other.body, 'csrf'), action: 'approve' }),
    });
    count('cross-request (token of one request, form of another)', recorded(crossed));
    const noCookie = await world.call({
      method: 'POST',
      url: '/decide',
      body: decisionForm({ token: hiddenField(mine.body, 'token'), csrf: hiddenField(mine.body, 'csrf'), action: 'approve' }),
    });
    count('no CSRF cookie (a cross-site POST)', recorded(noCookie));
    const noField = await world.call({ method: 'POST', url: '/decide', cookies: cookiePairs(mine.cookies), body: `token=${encodeURIComponent(hiddenField(mine.body, 'token'))}&action=approve` });
    count('no CSRF field', recorded(noField));
  }

  // Replayed: the first use is legitimate; every reuse, sequential or concurrent, must be refused.
  let legitimate = 0;
  const formFor = (id: string) => {
    const page = pages.get(id)!;
    return { method: 'POST', url: '/decide', cookies: cookiePairs(page.cookies), body: decisionForm({ token: hiddenField(page.body, 'token'), csrf: hiddenField(page.body, 'csrf'), action: 'approve' }) };
  };
  for (const id of ids.slice(0, 5)) {
    const form = formFor(id);
    const first = await world.call(form);
    expect(first.statusCode).toBe(200);
    legitimate++;
    for (let i = 0; i < 3; i++) count('replayed after use', recorded(await world.call(form)));
    count('replayed after use', servedForm(await world.call({ url: links.get(id)!.approve })));
  }
  for (const id of ids.slice(5, 10)) {
    const answers = await Promise.all([0, 1, 2, 3].map(() => world.call(formFor(id))));
    const successes = answers.filter(recorded).length;
    expect(successes).toBe(1);
    legitimate++;
    for (let i = 1; i < answers.length; i++) count('replayed concurrently (4 submissions at once)', i < successes);
  }

  // Expired: links and opened pages of the requests still open, 15 days later (past the 14-day cap).
  world.clock.advance(15 * 86_400_000);
  for (const id of ids.slice(10)) {
    count('expired link', servedForm(await world.call({ url: links.get(id)!.reject })));
    count('expired link', recorded(await world.call(formFor(id))));
  }

  // The only changes: the legitimate decisions.
  const decided = [];
  for (const id of ids) {
    const record = await world.requests.get(id);
    if (record?.approval.status !== 'pending') decided.push(id);
  }
  const requesterMessages = world.published(REQUESTER_TOPIC).length;
  const totalTried = Object.values(tally).reduce((s, t) => s + t.tried, 0);
  const totalAccepted = Object.values(tally).reduce((s, t) => s + t.accepted, 0);
  recordFigures({
    suite: 'hostile-decision-tokens',
    title: '4a. Hostile input: decision links',
    figures: {
      'Review requests with real links (default policy approvers)': REQUESTS,
      ...Object.fromEntries(Object.entries(tally).map(([attack, t]) => [`${attack}: tried / accepted`, `${t.tried} / ${t.accepted}`])),
      'All hostile attempts': totalTried,
      'Accepted': totalAccepted,
      'Legitimate decisions recorded (first use of a link)': legitimate,
      'Requests decided at the end': decided.length,
      'Requester messages sent': requesterMessages,
      'Tampering cases that left the token unchanged (skipped)': unchanged,
    },
  });
  expect(totalAccepted).toBe(0);
  expect(decided).toHaveLength(legitimate);
  expect(requesterMessages).toBe(legitimate);
});
