/**
 * The scheduled side of approvals with a clock the test moves: reminders,
 * escalation tier by tier before the signing date, the request marked and
 * reported when the date comes undecided (still decidable afterwards),
 * effects a failed step left pending performed by the next sweep, and the
 * daily digest for low-risk reviews. Real store (dynalite), SDK-level mocks.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { runDigest } from '../../../functions/domain/use-cases/approvals/digest';
import { runEscalationSweep } from '../../../functions/domain/use-cases/approvals/sweep';
import type { GuardrailEvent } from '../../../functions/domain/events';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { TestClock, defaultPolicy, sampleEvent } from '../../support/fixtures';
import { IT_TOPIC, PEOPLE, REQUESTER_TOPIC, approvalWorld, awsMocks, emailText, linksIn, openAndDecide, type ApprovalWorld } from '../../support/approvals';

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
beforeEach(() => mocks.reset());

const at = (iso: string) => new Date(iso);
/** Moves the clock to `iso` and runs the sweep there. */
async function sweepAt(iso: string) {
  world.clock.set(at(iso));
  return runEscalationSweep(world.approvals, at(iso));
}
const subjectsTo = (email: string) =>
  world
    .published(IT_TOPIC)
    .filter((p) => p.MessageAttributes?.recipient?.StringValue === email)
    .map((p) => p.Subject);

describe('escalation before the signing date', () => {
  beforeEach(async () => {
    world = await approvalWorld(dynamo, mocks);
    // Dropbox for Marketing: IT manager (Marcus), expected signing date 2027-01-08.
    await world.submit(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
  });

  it('reminds, escalates tier by tier, and marks the request undecided at its signing date, each exactly once', async () => {
    expect(await sweepAt('2026-11-27T12:00:00Z')).toMatchObject({ examined: 0 });
    expect(await sweepAt('2027-01-02T23:59:00Z')).toMatchObject({ examined: 0, reminded: 0 });

    // 120 hours before the signing date: a reminder to the IT manager, with fresh links.
    expect(await sweepAt('2027-01-03T00:00:00Z')).toMatchObject({ examined: 1, reminded: 1, escalated: 0 });
    expect(subjectsTo(PEOPLE.marcus)).toEqual([
      expect.stringMatching(/^\[REVIEW\]/),
      'Reminder: decision needed: Dropbox Business Advanced from Dropbox (coupa:PR-2026-1042)',
    ]);
    const reminder = world.published(IT_TOPIC).at(-1)!;
    expect(emailText(reminder)).toContain('The expected signing date is 2027-01-08 (5 days from now).');
    expect(linksIn(emailText(reminder)).approve).toMatch(/\/decide\?token=eyJhbGciOiJIUzI1NiIs/);
    // Running again finds nothing due: no second reminder.
    expect(await sweepAt('2027-01-03T00:15:00Z')).toMatchObject({ examined: 0 });

    // 72 hours before: escalated to the IT director, who still has three days.
    expect(await sweepAt('2027-01-04T23:45:00Z')).toMatchObject({ examined: 0 });
    expect(await sweepAt('2027-01-05T00:00:00Z')).toMatchObject({ escalated: 1 });
    expect(subjectsTo(PEOPLE.dana)).toEqual(['Escalated to IT director: Dropbox Business Advanced from Dropbox (coupa:PR-2026-1042)']);
    let record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval.escalation).toMatchObject({ level: 1, currentTier: 'it-director', nextDueAt: '2027-01-05T08:00:00.000Z' });

    // The director gets 8 hours before a reminder, then escalation to the CIO.
    expect(await sweepAt('2027-01-05T08:00:00Z')).toMatchObject({ reminded: 1 });
    expect(subjectsTo(PEOPLE.dana)).toHaveLength(2);
    expect(await sweepAt('2027-01-05T16:00:00Z')).toMatchObject({ escalated: 1 });
    expect(subjectsTo(PEOPLE.chris)).toEqual(['Escalated to CIO: Dropbox Business Advanced from Dropbox (coupa:PR-2026-1042)']);

    // The signing date comes undecided: marked, reported to IT, to the requester and on the bus.
    expect(await sweepAt('2027-01-08T00:00:00Z')).toMatchObject({ expired: 1 });
    record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval).toMatchObject({ status: 'expired-undecided', escalation: { expiredAt: '2027-01-08T00:00:00.000Z' } });
    const report = world.published(IT_TOPIC).at(-1)!;
    expect(report.Subject).toBe('Undecided at signing date: Dropbox Business Advanced from Dropbox (coupa:PR-2026-1042)');
    expect(report.MessageAttributes?.recipient?.StringValue).toBe('all-approvers');
    expect(world.published(REQUESTER_TOPIC).map((p) => p.Subject)).toEqual(['Still undecided: Dropbox Business Advanced from Dropbox']);
    expect(world.busEvents().at(-1)).toMatchObject({ recordId: 'coupa:PR-2026-1042', outcome: 'review', approval: { status: 'expired-undecided' } });
    expect((await world.audit.list('coupa:PR-2026-1042')).map((e) => e.type)).toEqual([
      'received',
      'evaluated',
      'notified',
      'reminded',
      'escalated',
      'reminded',
      'escalated',
      'expired',
    ]);

    // Never lost: still in the inbox (overdue), never swept again, and still decidable, late.
    expect(await sweepAt('2027-01-08T06:00:00Z')).toMatchObject({ examined: 0 });
    const inbox = await world.call({ url: '/inbox', identity: { email: PEOPLE.chris } });
    expect(inbox.body).toMatch(/<span class="badge overdue-badge">[^<]* overdue<\/span>/);
    // The CIO's emailed links expired at the signing date; the inbox hands out a fresh one (late decisions are allowed).
    const fresh = /href="([^"]*\/decide\?token[^"]+)"/.exec(inbox.body)?.[1].replace(/&#61;/g, '=');
    expect(fresh).toBeDefined();
    const late = await openAndDecide(world, fresh!, 'approve', 'Signed off late; the agency deadline moved.');
    expect(late.statusCode).toBe(200);
    record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval).toMatchObject({ status: 'approved', steps: [{ by: { email: PEOPLE.chris }, late: true }] });
    expect((await world.audit.list('coupa:PR-2026-1042')).at(-1)).toMatchObject({ type: 'decided', details: { late: true } });
  });

  it('stops reminding once a decision is recorded', async () => {
    const links = linksIn(emailText(world.published(IT_TOPIC)[0]));
    await openAndDecide(world, links.approve, 'approve', 'Fine for the agency exchange.');
    const before = world.published(IT_TOPIC).length;
    for (const when of ['2027-01-05T00:00:00Z', '2027-01-07T00:00:00Z', '2027-01-08T00:00:00Z']) {
      expect(await sweepAt(when)).toMatchObject({ reminded: 0, escalated: 0, expired: 0 });
    }
    expect(world.published(IT_TOPIC)).toHaveLength(before);
  });

  it('pauses reminders while the requester is asked for information, and still reports the signing date', async () => {
    const links = linksIn(emailText(world.published(IT_TOPIC)[0]));
    await openAndDecide(world, links['request-info'], 'request-info', 'Which customer lists?');
    expect(await sweepAt('2027-01-05T00:00:00Z')).toMatchObject({ reminded: 0 });
    expect(await sweepAt('2027-01-07T00:00:00Z')).toMatchObject({ escalated: 0 });
    expect(await sweepAt('2027-01-08T00:00:00Z')).toMatchObject({ expired: 1 });
  });
});

describe('side effects a failure left pending', () => {
  it('the decision stands when the requester topic is down, and the next sweep delivers the message', async () => {
    world = await approvalWorld(dynamo, mocks);
    await world.submit(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
    const links = linksIn(emailText(world.published(IT_TOPIC)[0]));
    mocks.sns.on(PublishCommand, { TopicArn: REQUESTER_TOPIC }).rejects(new Error('SNS is unavailable'));
    const answer = await openAndDecide(world, links.approve, 'approve', 'Fine for the agency exchange.');
    expect(answer.statusCode).toBe(200);
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('approved');
    const pending = await world.approvalStore.load('coupa:PR-2026-1042');
    expect(pending?.effects.map((e) => e.type)).toEqual(['requester-message']);
    // The audit entry and the bus event went out regardless.
    expect((await world.audit.list('coupa:PR-2026-1042')).at(-1)?.type).toBe('decided');
    expect(world.busEvents().some((e) => (e.approval as { status?: string } | undefined)?.status === 'approved')).toBe(true);

    // Still failing: the sweep keeps it due.
    const now = world.clock.now().toISOString();
    expect(await runEscalationSweep(world.approvals, new Date(now))).toMatchObject({ examined: 1, effectsFailed: 1 });
    mocks.sns.on(PublishCommand, { TopicArn: REQUESTER_TOPIC }).resolves({ MessageId: 'requester-1' });
    expect(await runEscalationSweep(world.approvals, new Date(now))).toMatchObject({ examined: 1, effectsPerformed: 1 });
    expect((await world.approvalStore.load('coupa:PR-2026-1042'))?.effects).toEqual([]);
    expect(world.published(REQUESTER_TOPIC).filter((p) => p.Subject?.startsWith('Approved'))).toHaveLength(3);
    // Done: out of the queue.
    expect(await runEscalationSweep(world.approvals, new Date('2099-01-01T00:00:00Z'))).toMatchObject({ examined: 0 });
  });
});

describe('daily digest', () => {
  /** Slack seats for Engineering at three times the sample amount: a review with only low findings (Priya decides). */
  const lowRisk = (id: string): GuardrailEvent => {
    const event = sampleEvent('purchase-request/slack-seats-sanctioned.json') as GuardrailEvent & { kind: 'purchase-request' };
    event.detail.requestId = id;
    event.detail.amount = { ...event.detail.amount!, value: event.detail.amount!.value * 3 };
    return event;
  };

  beforeEach(async () => {
    const policy = defaultPolicy();
    policy.approvals!.digest = { enabled: true, maxSeverity: 'low', sendAtHourUtc: 8 };
    world = await approvalWorld(dynamo, mocks, { policy, clock: new TestClock(at('2026-11-27T12:00:00Z')) });
  });

  it('holds low-risk reviews and sends each approver one message a day with personal links; anything riskier goes at once', async () => {
    await world.submit(lowRisk('PR-LOW-1'));
    await world.submit(lowRisk('PR-LOW-2'));
    await world.submit(sampleEvent('purchase-request/chatgpt-team-engineering.json')); // not low risk: immediate
    expect(world.published(IT_TOPIC).map((p) => p.MessageAttributes?.recipient?.StringValue)).toEqual([PEOPLE.priya]);
    expect((await world.requests.get('servicenow:PR-LOW-1'))?.notification).toEqual({
      state: 'held-for-digest',
      heldAt: '2026-11-27T12:00:00.000Z',
      digestAt: '2026-11-28T08:00:00.000Z',
    });

    expect(await runDigest(world.approvals, at('2026-11-28T07:59:00Z'))).toMatchObject({ held: 0, sent: 0 });
    const report = await runDigest(world.approvals, at('2026-11-28T08:00:00Z'));
    expect(report).toMatchObject({ held: 2, sent: 1, delivered: 2, failures: [] });
    const digest = world.published(IT_TOPIC).at(-1)!;
    expect(digest.Subject).toBe('Guardrail digest 2026-11-28: 2 low-risk requests to review');
    expect(digest.MessageAttributes).toMatchObject({ recipient: { StringValue: PEOPLE.priya }, kind: { StringValue: 'digest' } });
    const text = emailText(digest);
    expect(text).toContain('(servicenow:PR-LOW-1)');
    expect(text).toContain('(servicenow:PR-LOW-2)');
    expect(text.match(/Approve: https:\/\/approvals\.example\.com\/decide\?token=/g)).toHaveLength(2);
    expect((await world.requests.get('servicenow:PR-LOW-1'))?.notification.state).toBe('sent');
    expect((await world.audit.list('servicenow:PR-LOW-2')).at(-1)).toMatchObject({ type: 'notified', details: { channel: 'digest' } });
    // Sent once.
    expect(await runDigest(world.approvals, at('2026-11-29T08:00:00Z'))).toMatchObject({ held: 0, sent: 0 });

    // The links in the digest decide as usual.
    const firstApprove = /Approve: (\S+)/.exec(text)![1];
    expect((await openAndDecide(world, firstApprove, 'approve')).statusCode).toBe(200);
  });

  it('keeps requests held when their digest cannot be sent, and skips ones decided meanwhile', async () => {
    await world.submit(lowRisk('PR-LOW-3'));
    await world.submit(lowRisk('PR-LOW-4'));
    const signerLinks = await world.guardrail.links!.linksFor({
      recordId: 'servicenow:PR-LOW-4',
      approverEmail: PEOPLE.priya,
      expiresAt: at('2026-11-30T00:00:00Z'),
      now: world.clock.now(),
    });
    expect((await openAndDecide(world, signerLinks.approve, 'approve')).statusCode).toBe(200);
    mocks.sns.on(PublishCommand, { TopicArn: IT_TOPIC }).rejects(new Error('throttled'));
    expect(await runDigest(world.approvals, at('2026-11-28T08:00:00Z'))).toMatchObject({ held: 2, sent: 0, skipped: 1, delivered: 0 });
    expect((await world.requests.get('servicenow:PR-LOW-3'))?.notification.state).toBe('held-for-digest');
    mocks.sns.on(PublishCommand, { TopicArn: IT_TOPIC }).resolves({ MessageId: 'digest-1' });
    expect(await runDigest(world.approvals, at('2026-11-28T08:15:00Z'))).toMatchObject({ held: 1, sent: 1, delivered: 1 });
  });
});
