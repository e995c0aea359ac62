/**
 * The renewal guard end to end, through the composition root on dynalite and
 * the deployed sweep handler: a sweep on 2026-11-30 reminds the Okta
 * agreement's owner with the renewal date and the unused seats; a second
 * sweep sends nothing new; the owner records a decision once from a signed
 * link, and the reminders stop.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { createEscalationSweepHandler } from '../../../functions/handlers/escalation-sweep';
import { runRenewalGuard } from '../../../functions/domain/use-cases/renewals/guard';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { TestClock } from '../../support/fixtures';
import { lambdaContext, quietLogger, recordingMetrics } from '../../support/observability';
import { IT_TOPIC, approvalWorld, awsMocks, emailText, linksIn, openAndDecide, type ApprovalWorld } from '../../support/approvals';
import { sampleEvent } from '../../support/fixtures';
import { renewalCalendarView } from '../../../functions/domain/use-cases/renewals/guard';
import { bodyForProtocol } from '../../../functions/adapters/notifier/sns-notifier';

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
  world = await approvalWorld(dynamo, mocks, { clock: new TestClock(new Date('2026-11-30T07:00:00Z')) });
});

const renewalMessages = () => world.published(IT_TOPIC).filter((p) => p.MessageAttributes?.type?.StringValue === 'renewal');
const toOwner = (owner: string) => renewalMessages().filter((p) => p.MessageAttributes?.recipient?.StringValue === owner);
const bodies = (p: PublishCommandInput) => JSON.parse(p.Message ?? '{}') as { email: string; https: string; default: string };

/** The deployed sweep handler over the world's services, invoked as EventBridge Scheduler would. */
function sweepHandler() {
  const handler = createEscalationSweepHandler({
    app: world.app,
    logger: quietLogger().logger,
    metrics: recordingMetrics().metrics,
    approverEmailClaim: 'email',
  });
  return () => handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' }, lambdaContext());
}

function ownerLink(text: string, label: string): string {
  const m = new RegExp(`^\\s*${label}: (https?://\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no "${label}" link in:\n${text}`);
  return m[1];
}

describe('renewal guard in the sweep', () => {
  it('reminds the Okta owner on 2026-11-30 with the renewal date and 88 unused seats, and a second sweep sends nothing new', async () => {
    const report = await sweepHandler()();
    expect(report.renewals).toMatchObject({ ran: true, failures: [] });

    const okta = toOwner('security@example.com');
    expect(okta).toHaveLength(1);
    const message = okta[0];
    expect(message.Subject).toBe('Renewal decision needed: Okta renews 2027-01-15');
    expect(message.MessageAttributes).toMatchObject({
      type: { StringValue: 'renewal' },
      kind: { StringValue: 'agreement' },
      recipient: { StringValue: 'security@example.com' },
    });
    const text = emailText(message);
    expect(text).toMatch(/Renewal date:\s+2027-01-15/);
    expect(text).toMatch(/Notice deadline:\s+2026-12-16 \(30 days' notice\)/);
    expect(text).toMatch(/Seats bought:\s+2,600/);
    expect(text).toMatch(/Seats used:\s+2,512/);
    expect(text).toMatch(/Seats unused:\s+88/);
    expect(text).toMatch(/Last year's price:\s+187,200 USD/);
    expect(text).toContain('88 seats are unused');
    expect(ownerLink(text, 'Cancel')).toMatch(/^https:\/\/approvals\.example\.com\/renewals\/act\?token=/);
    // The owner's links are in their email only: never in chat or the machine-readable copy.
    const { https } = bodies(message);
    const sqs = bodyForProtocol(message.Message ?? '{}', 'sqs');
    expect(https).not.toContain('renewals/act');
    expect(sqs).not.toContain('renewals/act');
    expect(JSON.parse(sqs)).toMatchObject({
      type: 'renewal',
      renewal: { key: 'vendor:okta', renewalDate: '2027-01-15', seats: 2600, seatsUsed: 2512, seatsUnused: 88 },
    });

    const before = world.published(IT_TOPIC).length;
    world.clock.set(new Date('2026-11-30T07:15:00Z'));
    expect((await sweepHandler()()).renewals).toMatchObject({ ran: false });
    // Even a pass forced past the day's claim finds every step already sent.
    expect(await runRenewalGuard(world.approvals, new Date('2026-11-30T08:00:00Z'), { everyRun: true })).toMatchObject({ reminded: 0, escalated: 0 });
    expect(world.published(IT_TOPIC)).toHaveLength(before);
  });

  it("reminds again, then escalates to IT, each once; an owner's decision from the link stops it", async () => {
    await sweepHandler()();
    // 2026-12-02 (14 days before the notice deadline): the second reminder.
    world.clock.set(new Date('2026-12-02T07:00:00Z'));
    await sweepHandler()();
    expect(toOwner('security@example.com').map((p) => p.Subject)).toEqual([
      'Renewal decision needed: Okta renews 2027-01-15',
      'Reminder: renewal decision needed: Okta renews 2027-01-15',
    ]);
    // 2026-12-09: nobody decided, IT hears.
    world.clock.set(new Date('2026-12-09T07:00:00Z'));
    await sweepHandler()();
    const escalation = renewalMessages().filter((p) => p.Subject === 'Renewal undecided: Okta renews 2027-01-15');
    expect(escalation).toHaveLength(1);
    expect(escalation[0].MessageAttributes).toMatchObject({ recipient: { StringValue: 'all-approvers' }, severity: { StringValue: 'high' } });
    expect(emailText(escalation[0])).not.toContain('renewals/act');
  });

  it("records the owner's decision once, from a signed link whose GET writes nothing", async () => {
    await sweepHandler()();
    const text = emailText(toOwner('security@example.com')[0]);
    const link = ownerLink(text, 'Renegotiate \\(seats, price or terms\\)');
    const snapshot = await world.snapshot();
    const page = await world.call({ url: link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Renewal of Okta');
    expect(await world.snapshot()).toEqual(snapshot);
    const token = new URL(link).searchParams.get('token')!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1];
    const cookie = page.cookies![0].split(';')[0];
    const post = (action: string) =>
      world.call({
        method: 'POST',
        url: '/renewals/act',
        cookies: [cookie],
        body: new URLSearchParams({ token, csrf, action, note: 'Drop 80 seats.' }).toString(),
      });

    // Without the page's cookie (a forged cross-site POST): refused.
    const forged = await world.call({ method: 'POST', url: '/renewals/act', body: new URLSearchParams({ token, csrf, action: 'cancel' }).toString() });
    expect(forged.statusCode).toBeGreaterThanOrEqual(400);

    const recorded = await post('renegotiate');
    expect(recorded.statusCode).toBe(200);
    expect(recorded.body).toContain('Recorded: Renegotiate (seats, price or terms), by security@example.com');
    const again = await post('cancel');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Already recorded: Renegotiate');

    // Decided: no second reminder, no escalation.
    const before = renewalMessages().length;
    for (const day of ['2026-12-02', '2026-12-09']) {
      world.clock.set(new Date(`${day}T07:00:00Z`));
      await sweepHandler()();
    }
    expect(renewalMessages().filter((p) => p.Subject?.includes('Okta'))).toHaveLength(1);
    expect(renewalMessages().length).toBeGreaterThanOrEqual(before);

    // The calendar shows it, for a signed-in approver, as JSON and as a page.
    const json = await world.call({ url: '/renewals?within=120d', accept: 'application/json', identity: { email: 'dana.okafor@example.com' } });
    const okta = (JSON.parse(json.body) as { renewals: { key: string; standing: string; decision: { action: string } }[] }).renewals.find(
      (r) => r.key === 'vendor:okta',
    );
    expect(okta).toMatchObject({ standing: 'decided', decision: { action: 'renegotiate' } });
    const html = await world.call({ url: '/renewals', identity: { email: 'dana.okafor@example.com' } });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('Renewal calendar');
    expect(html.headers['Content-Security-Policy']).toMatch(/script-src 'none'|default-src 'none'/);
  });

  it('refuses a tampered or foreign token', async () => {
    await sweepHandler()();
    const link = ownerLink(emailText(toOwner('security@example.com')[0]), 'Cancel');
    const tampered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await world.call({ url: tampered })).statusCode).toBeGreaterThanOrEqual(400);
    // A decision link's token is not a renewal link's (its own type and key).
    const decideStyle = link.replace('/renewals/act', '/decide');
    expect((await world.call({ url: decideStyle })).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('puts a contract approved through the guardrail on the calendar: signing date + term, auto-renewal, the requester as owner', async () => {
    await world.submit(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
    const first = world.published(IT_TOPIC)[0];
    expect((await openAndDecide(world, linksIn(emailText(first)).approve, 'approve', 'Fine for the agency exchange.')).statusCode).toBe(200);
    const rows = await renewalCalendarView(world.approvals, new Date('2026-11-30T07:00:00Z'));
    const contract = rows.find((r) => r.renewal.key === 'request:coupa:PR-2026-1042');
    expect(contract?.renewal).toMatchObject({
      source: 'contract',
      renewalDate: '2028-01-08',
      noticeDeadline: '2027-11-09',
      autoRenews: true,
      owner: 'maria.lopez@example.com',
      alternatives: expect.arrayContaining(['Box']),
      annualPrice: { currency: 'USD' },
    });
    expect(contract?.standing).toBe('upcoming');
  });
});
