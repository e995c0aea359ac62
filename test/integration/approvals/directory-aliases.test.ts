/**
 * The people directory's aliases in approvals, on dynalite: an approver who
 * raised a request under a directory alias cannot approve it; an alias that
 * is an approver's address or another person's own address is ignored, so a
 * directory import can neither block an approver nor speak for one.
 */
import type { GuardrailEvent, PurchaseRequest } from '../../../functions/domain/events';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { sampleEvent } from '../../support/fixtures';
import { IT_TOPIC, PEOPLE, approvalWorld, awsMocks, emailText, linksIn, openAndDecide, type ApprovalWorld } from '../../support/approvals';

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

const MARKETING = 'purchase-request/dropbox-marketing-confidential.json'; // coupa:PR-2026-1042: review by Marcus

function requestedBy(email: string): GuardrailEvent {
  const detail = sampleEvent(MARKETING).detail as PurchaseRequest;
  return { kind: 'purchase-request', detail: { ...detail, requester: { ...detail.requester, email } } };
}

async function marcusApproves(): Promise<number> {
  const sent = world.published(IT_TOPIC).filter((p) => p.MessageAttributes?.recipient?.StringValue === PEOPLE.marcus);
  const answer = await openAndDecide(world, linksIn(emailText(sent[0])).approve, 'approve', 'Fine by me.');
  return answer.statusCode;
}

const person = (email: string, aliases: string[]) => ({ email, name: email.split('@')[0], department: 'Marketing', aliases, origin: 'import' as const });

describe('directory aliases in approvals', () => {
  it('an approver cannot approve a request they raised under a directory alias', async () => {
    await world.stores.directory!.put(person(PEOPLE.marcus, ['m.lee@example.com']));
    await world.submit(requestedBy('m.lee@example.com'));
    expect(await marcusApproves()).toBe(403);
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).not.toBe('approved');
  });

  it('ignores an alias that is an approver’s address: the approver still decides that person’s request', async () => {
    await world.stores.directory!.put(person('mallory@example.com', [PEOPLE.marcus]));
    await world.submit(requestedBy('mallory@example.com'));
    expect(await marcusApproves()).toBe(200);
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('approved');
  });

  it('ignores an alias that is another person’s own address in the directory', async () => {
    await world.stores.directory!.put(person('sam.taylor@example.com', []));
    // Marcus's entry claims Sam's address: Sam's requests must stay Marcus's to decide.
    await world.stores.directory!.put(person(PEOPLE.marcus, ['sam.taylor@example.com']));
    await world.submit(requestedBy('sam.taylor@example.com'));
    expect(await marcusApproves()).toBe(200);
  });
});
