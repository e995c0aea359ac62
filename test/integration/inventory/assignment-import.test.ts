/**
 * Seats used from the inventory once it holds an app's complete assignment
 * list: the import replaces the app's people and marks the entry complete;
 * the guardrail's DUPLICATE_CAPABILITY finding and the renewal calendar then
 * count from it (saying so), and assignments that arrive as events add to it.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { GuardrailEvent } from '../../../functions/domain/events';
import { importAssignmentFile, AssignmentRowsError, UnknownAppError } from '../../../functions/domain/use-cases/inventory/assignment-import';
import { renewalCalendar } from '../../../functions/domain/renewals/calendar';
import { approvalWorld, awsMocks, type ApprovalWorld, type AwsMocks } from '../../support/approvals';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;
let mocks: AwsMocks;
let world: ApprovalWorld;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  mocks = awsMocks();
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});
beforeEach(async () => {
  mocks.reset();
  world = await approvalWorld(dynamo, mocks);
});

/** Okta's Current Assignments report: every app of the org, with ended assignments. */
function oktaReport(boxPeople: number): string {
  const rows = ['User,Login,Application name,Application instance,Application login,Assigned on,Unassigned on,Last login'];
  for (let i = 0; i < boxPeople; i++) rows.push(`Person ${i},person${i}@example.com,Box,Box,person${i}@example.com,2026-01-05T10:00:00Z,,`);
  rows.push('Gone Person,gone@example.com,Box,Box,gone@example.com,2026-01-05T10:00:00Z,2026-06-01T10:00:00Z,');
  rows.push('Slack User,slack.only@example.com,Slack,Slack,slack.only@example.com,2026-01-05T10:00:00Z,,');
  return `${rows.join('\n')}\n`;
}

const deps = () => ({ inventory: world.stores.inventory!, directory: world.stores.directory, policy: undefined });
const at = '2026-11-20T09:00:00.000Z';

function purchaseOfDropbox(id: string): GuardrailEvent {
  return {
    kind: 'purchase-request',
    detail: {
      requestId: id,
      requester: { email: 'maria.garcia@example.com', department: 'Marketing' },
      vendor: { name: 'Dropbox' },
      product: 'Dropbox Business',
      amount: { value: 2400, currency: 'USD' },
      billingPeriod: 'annual',
    },
  };
}

const itText = () =>
  world.sns
    .commandCalls(PublishCommand)
    .map((c) => String(c.args[0].input.Message))
    .join('\n');

describe('importing an app’s complete assignment list', () => {
  it('replaces the app’s people, marks the entry complete, and leaves out other apps and ended assignments', async () => {
    const policy = (await world.stores.policy.current()).policy;
    const report = await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content: oktaReport(60), format: 'csv', source: 'okta', at });
    expect(report).toMatchObject({ app: 'Box', appKey: 'vendor:box', people: 60, added: 60, removed: 0, otherApps: 1, unassigned: 1 });
    const entry = await world.stores.inventory!.get('vendor:box');
    expect(entry?.assignmentsComplete).toEqual({ at, source: 'okta', count: 60 });
    expect(await world.stores.inventory!.countUsers('vendor:box')).toBe(60);
    expect(await world.stores.inventory!.completeSeatCounts()).toEqual([
      { vendorId: 'box', appKey: 'vendor:box', used: 60, complete: { at, source: 'okta', count: 60 } },
    ]);

    // A later list with fewer people removes those no longer assigned; the tallies follow exactly.
    const later = await importAssignmentFile(
      { ...deps(), policy },
      { app: 'box', content: oktaReport(45), format: 'csv', source: 'okta', at: '2026-11-27T09:00:00.000Z' },
    );
    expect(later).toMatchObject({ people: 45, added: 0, removed: 15 });
    expect(await world.stores.inventory!.countUsers('vendor:box')).toBe(45);
    expect((await world.stores.inventory!.completeSeatCounts())[0].used).toBe(45);
  });

  it('names every unreadable row and imports nothing while one is bad', async () => {
    const policy = (await world.stores.policy.current()).policy;
    const content = 'User,Login,Application name\nAna,ana@example.com,Box\nBob,not an address,Box\n"Eve, Jr",,Box\n,,Box\n';
    const error = await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content, format: 'csv', source: 'okta', at }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssignmentRowsError);
    expect((error as AssignmentRowsError).problems).toEqual([
      { row: 3, problem: '"not an address" is not an email address' },
      { row: 4, problem: '"Eve, Jr" is not an email address' },
      { row: 5, problem: 'names no person (no email, login or id)' },
    ]);
    expect(await world.stores.inventory!.get('vendor:box')).toBeUndefined();
    const skipped = await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content, format: 'csv', source: 'okta', at, skipBadRows: true });
    expect(skipped.people).toBe(1);
  });

  it('refuses a Graph group assignment (seats are people) and an app nobody knows', async () => {
    const policy = (await world.stores.policy.current()).policy;
    const graph = JSON.stringify({
      value: [
        { principalType: 'User', principalDisplayName: 'Ana', principalId: '6f1c-aa', resourceDisplayName: 'Box' },
        { principalType: 'Group', principalDisplayName: 'All staff', principalId: '99aa-bb', resourceDisplayName: 'Box' },
      ],
    });
    const error = await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content: graph, format: 'json', source: 'entra-id', at }).catch(
      (e: unknown) => e,
    );
    expect((error as AssignmentRowsError).problems).toEqual([{ row: 2, problem: 'a group assignment: list its members (seats are people), not the group' }]);
    await expect(
      importAssignmentFile({ ...deps(), policy }, { app: 'Nowhere Tool', content: graph, format: 'json', source: 'entra-id', at }),
    ).rejects.toBeInstanceOf(UnknownAppError);
  });
});

describe('seats used from the inventory', () => {
  it('the DUPLICATE_CAPABILITY finding counts spare seats from the list and says where the number came from', async () => {
    // Before any list: the policy's 380 of 500.
    await world.submit(purchaseOfDropbox('REQ-DBX-1'));
    expect(itText()).toContain('120 seats unused (from the policy)');

    const policy = (await world.stores.policy.current()).policy;
    await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content: oktaReport(470), format: 'csv', source: 'okta', at });
    // The overlay refreshes on the policy cache's lifetime.
    world.clock.advance(61_000);
    mocks.reset();
    await world.submit(purchaseOfDropbox('REQ-DBX-2'));
    expect(itText()).toContain('30 seats unused (from the Okta assignment list imported 2026-11-20)');

    // An assignment that arrives as an event adds to the complete list.
    await world.submit({
      kind: 'app-connected',
      detail: {
        source: 'okta',
        sourceEventId: 'box-assign-new',
        occurredAt: '2026-11-28T10:00:00Z',
        app: { name: 'Box', id: '0oaBOX' },
        actor: { type: 'user', email: 'okta.admin@example.com' },
        subject: { email: 'new.hire@example.com', displayName: 'New Hire' },
        connectionKind: 'user-assigned',
      },
    });
    world.clock.advance(61_000);
    mocks.reset();
    await world.submit(purchaseOfDropbox('REQ-DBX-3'));
    expect(itText()).toContain('29 seats unused (from the Okta assignment list imported 2026-11-20 (+1 assigned since))');
  });

  it('the renewal calendar takes Box’s seats used from the list, and the policy’s for the others', async () => {
    const policy = (await world.stores.policy.current()).policy;
    await importAssignmentFile({ ...deps(), policy }, { app: 'Box', content: oktaReport(470), format: 'csv', source: 'okta', at });
    world.clock.advance(61_000);
    const calendar = await renewalCalendar({ policy, contracts: [], today: '2026-11-30', seatsUsed: world.app.seatsUsed });
    expect(calendar.find((r) => r.key === 'vendor:box')).toMatchObject({
      seats: 500,
      seatsUsed: 470,
      seatsUsedFrom: 'from the Okta assignment list imported 2026-11-20',
    });
    const others = calendar.filter((r) => r.key !== 'vendor:box' && r.seatsUsed !== undefined);
    expect(others.length).toBeGreaterThan(0);
    for (const r of others) expect(r.seatsUsedFrom).toBe('from the policy');
  });
});
