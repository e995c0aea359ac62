/**
 * Amended requests end to end, on dynalite with SNS and EventBridge mocked at
 * the SDK: new content under the same id is re-decided under the current
 * policy, a material change voids what an approver decided and IT and the
 * requester are told, an answer to "more information" resumes the review,
 * and a redelivery or a late earlier revision writes nothing at all.
 */
import type { GuardrailEvent, PurchaseRequest } from '../../functions/domain/events';
import { processGuardrailEvent } from '../../functions/domain/use-cases/guardrail/process';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { sampleEvent } from '../support/fixtures';
import { IT_TOPIC, REQUESTER_TOPIC, approvalWorld, awsMocks, emailText, linksIn, openAndDecide, type ApprovalWorld } from '../support/approvals';

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

type Purchase = { kind: 'purchase-request'; detail: PurchaseRequest };
const dropbox = () => sampleEvent('purchase-request/dropbox-marketing-confidential.json') as Purchase; // review, IT manager (Marcus)
const slack = () => sampleEvent('purchase-request/slack-seats-sanctioned.json') as Purchase; // allowed
const amended = (event: Purchase, change: Partial<PurchaseRequest>): Purchase => ({ kind: event.kind, detail: { ...event.detail, ...change } });
/** The guardrail with the requester topic wired, as deployed. */
const deliver = (event: GuardrailEvent) => processGuardrailEvent({ ...world.guardrail, requesterNotifier: world.approvals.requesterNotifier }, event);
const subjects = (topic: string) => world.published(topic).map((p) => p.Subject);

it('replays the issue: an allowed request amended to WeTransfer, 900,000 USD, 60 months, restricted data is re-decided and IT is told', async () => {
  const box = slack();
  expect(await deliver(box)).toMatchObject({ delivery: 'first', revision: 1, outcome: 'allow' });
  expect(world.published(IT_TOPIC)).toHaveLength(0);

  world.clock.advance(60_000);
  const wetransfer = amended(box, {
    vendor: { name: 'WeTransfer', domain: 'wetransfer.com' },
    product: 'WeTransfer Pro',
    amount: { value: 900_000, currency: 'USD' },
    termMonths: 60,
    dataClassification: 'restricted',
  });
  const result = await deliver(wetransfer);
  expect(result).toMatchObject({ delivery: 'amendment', duplicate: false, revision: 2, outcome: 'block', notified: true, decisionPublished: true });

  const record = await world.requests.get(result.recordId);
  expect(record).toMatchObject({ revision: 2, approval: { status: 'pending' }, detail: { vendor: { name: 'WeTransfer' } } });
  const it = world.published(IT_TOPIC);
  expect(it.length).toBeGreaterThan(0);
  expect(it.every((p) => /^\[BLOCK\] Amended: /.test(p.Subject ?? ''))).toBe(true);
  const { vendor, product, amount } = box.detail;
  expect(emailText(it[0])).toContain(
    `Amended: vendor ${vendor.name} → WeTransfer; vendor domain ${vendor.domain} → wetransfer.com; product ${product} → WeTransfer Pro; ` +
      `amount ${amount!.value.toLocaleString('en-US')} → 900,000 USD;`,
  );
  expect(world.busEvents().map((e) => [e.revision, e.outcome])).toEqual([
    [1, 'allow'],
    [2, 'block'],
  ]);
  const history = await world.audit.list(result.recordId);
  expect(history.map((e) => e.type)).toEqual(['received', 'evaluated', 'amended', 'evaluated', 'notified']);
  expect(history[2].details).toMatchObject({ revision: 2, material: true, approval: 'restarted' });
});

it('voids an approval on a material change: back to review, IT and the requester told, old and new revisions on the bus', async () => {
  const first = await deliver(dropbox());
  const [toMarcus] = world.published(IT_TOPIC);
  expect((await openAndDecide(world, linksIn(emailText(toMarcus)).approve, 'approve', 'fine')).statusCode).toBe(200);
  expect((await world.requests.get(first.recordId))?.approval.status).toBe('approved');

  world.clock.advance(3_600_000);
  const bigger = amended(dropbox(), { amount: { value: dropbox().detail.amount!.value * 50, currency: dropbox().detail.amount!.currency } });
  expect(await deliver(bigger)).toMatchObject({ delivery: 'amendment', revision: 2, notified: true });

  const record = await world.requests.get(first.recordId);
  expect(record?.approval).toMatchObject({ status: 'pending', steps: [] });
  expect(subjects(IT_TOPIC).filter((s) => /^\[\w+\] Amended: /.test(s ?? '')).length).toBeGreaterThan(0);
  const toRequester = world.published(REQUESTER_TOPIC).map((p) => emailText(p));
  expect(toRequester.at(-1)).toMatch(
    /^Your request was amended: amount 360 → 18,000 USD; approval voided, back to review\.\nThe earlier approval no longer stands: IT reviews the request again\. Please do not sign until IT decides\./,
  );
  // The requester message was delivered here, so nothing is left for the sweep.
  expect((await world.approvalStore.load(first.recordId))?.effects.filter((e) => e.id.startsWith('c'))).toEqual([]);
  const events = world.busEvents();
  expect(events.map((e) => e.revision)).toEqual([1, 1, 2]);
  const history = await world.audit.list(first.recordId);
  expect(history.map((e) => e.type)).toEqual(['received', 'evaluated', 'notified', 'decided', 'amended', 'evaluated', 'notified']);
  expect(history.find((e) => e.type === 'amended')?.details).toMatchObject({ approval: 'voided', changes: ['amount 360 → 18,000 USD'] });
});

it('resumes a review waiting for information when the requester answers with an amended request', async () => {
  const first = await deliver(dropbox());
  const [toMarcus] = world.published(IT_TOPIC);
  await openAndDecide(world, linksIn(emailText(toMarcus))['request-info'], 'request-info', 'Why not Box?');
  expect((await world.requests.get(first.recordId))?.approval.status).toBe('info-requested');

  world.clock.advance(3_600_000);
  const answer = amended(dropbox(), { justification: 'Partners send us files through Dropbox; Box cannot receive them.' });
  expect(await deliver(answer)).toMatchObject({ delivery: 'amendment', revision: 2, notified: true });
  const record = await world.requests.get(first.recordId);
  expect(record?.approval).toMatchObject({ status: 'pending', escalation: { clockResetBy: 'info-provided' } });
  const history = await world.audit.list(first.recordId);
  expect(history.map((e) => e.type)).toEqual(['received', 'evaluated', 'notified', 'info-requested', 'amended', 'info-provided', 'evaluated', 'notified']);
  expect(emailText(world.published(IT_TOPIC).at(-1)!)).toContain('the requester answered the request for information: the review resumes');
});

it('writes nothing for a redelivery after an approval (no back-dated entry) or for an earlier revision arriving late', async () => {
  const dated = amended(dropbox(), { revisedAt: '2026-11-27T12:00:00Z' });
  const first = await deliver(dated);
  await openAndDecide(world, linksIn(emailText(world.published(IT_TOPIC)[0])).approve, 'approve', 'Fine for the agency exchange.');
  const before = await world.snapshot();
  const published = [world.published().length, world.busEvents().length];

  world.clock.advance(86_400_000);
  expect(await deliver(dated)).toMatchObject({ delivery: 'redelivery', duplicate: true, notified: false, decisionPublished: false });
  const earlier = amended(dropbox(), { revisedAt: '2026-11-27T11:00:00Z', amount: { value: 1, currency: 'USD' } });
  expect(await deliver(earlier)).toMatchObject({ delivery: 'superseded', duplicate: true, revision: 1 });
  expect(await world.snapshot()).toEqual(before);
  expect([world.published().length, world.busEvents().length]).toEqual(published);
  expect((await world.requests.get(first.recordId))?.approval.status).toBe('approved');
});

it('keeps an approval through a change that is not material, and still publishes the new revision for the tool to gate on', async () => {
  const first = await deliver(dropbox());
  await openAndDecide(world, linksIn(emailText(world.published(IT_TOPIC)[0])).approve, 'approve', 'Fine for the agency exchange.');
  const itBefore = world.published(IT_TOPIC).length;
  world.clock.advance(60_000);
  const cheaper = amended(dropbox(), { amount: { value: 100, currency: dropbox().detail.amount!.currency }, justification: 'fewer seats' });
  expect(await deliver(cheaper)).toMatchObject({ delivery: 'amendment', revision: 2, notified: false, decisionPublished: true });
  expect((await world.requests.get(first.recordId))?.approval.status).toBe('approved');
  expect(world.published(IT_TOPIC)).toHaveLength(itBefore);
  expect(world.busEvents().at(-1)).toMatchObject({ revision: 2, decidedBy: 'policy' });
});
