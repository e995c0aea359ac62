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

  it('the inbox, the request page and the decision page judge with the directory too: none offers what the POST refuses', async () => {
    await world.stores.directory!.put(person(PEOPLE.marcus, ['m.lee@example.com']));
    await world.submit(requestedBy('m.lee@example.com'));

    const inbox = await world.call({ url: '/inbox', identity: { email: PEOPLE.marcus } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Nothing is waiting for your decision.');
    expect(inbox.body).toContain('Watching (1)');
    expect(inbox.body).toContain('coupa:PR-2026-1042');
    expect(inbox.body).not.toContain('/decide?token');

    const page = await world.call({ url: '/requests/coupa:PR-2026-1042', identity: { email: PEOPLE.marcus } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/decide?token');

    // The link the notification carried (minted before anyone knew): its page disables every action, with the rule's reason.
    const sent = world.published(IT_TOPIC).filter((p) => p.MessageAttributes?.recipient?.StringValue === PEOPLE.marcus);
    const decisionPage = await world.call({ url: linksIn(emailText(sent[0])).approve });
    expect(decisionPage.statusCode).toBe(200);
    expect(decisionPage.body).toContain('You raised this request, so you cannot decide it');
    expect(decisionPage.body).toMatch(/value="approve"[^>]*disabled/);
  });

  it('without a directory entry the same request is Marcus’s to decide, in the inbox and on the page', async () => {
    await world.submit(requestedBy('m.lee@example.com'));
    const inbox = await world.call({ url: '/inbox', identity: { email: PEOPLE.marcus } });
    expect(inbox.body).toContain('1 waiting for your decision');
    expect(inbox.body).toContain('/decide?token');
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
