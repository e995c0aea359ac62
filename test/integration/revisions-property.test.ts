/**
 * Revisions, property-based (fast-check) through the real use case on
 * dynalite: any sequence of deliveries of a request's revisions, duplicated,
 * reordered and partly concurrent, ends with the latest revision decided
 * exactly once, the history in order with nothing back-dated, and one
 * notification per addressed approver per revision.
 */
import fc from 'fast-check';
import type { GuardrailEvent, PurchaseRequest } from '../../functions/domain/events';
import { recordIdOf } from '../../functions/domain/events';
import { contentHashOf } from '../../functions/domain/revisions';
import { processGuardrailEvent } from '../../functions/domain/use-cases/guardrail/process';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { sampleEvent } from '../support/fixtures';
import { IT_TOPIC, approvalWorld, awsMocks, type ApprovalWorld } from '../support/approvals';
import { bodyForProtocol } from '../../functions/adapters/notifier/sns-notifier';

jest.setTimeout(240_000);

let dynamo: TestDynamo;
const mocks = awsMocks();
let world: ApprovalWorld;
let run = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  world = await approvalWorld(dynamo, mocks);
});
afterAll(async () => {
  mocks.restore();
  await dynamo.teardown();
});

type Purchase = { kind: 'purchase-request'; detail: PurchaseRequest };
const base = () => sampleEvent('purchase-request/dropbox-marketing-confidential.json') as Purchase;

/** What one amendment changes: material or not, riskier or safer. */
const EDITS: Array<(d: PurchaseRequest, i: number) => Partial<PurchaseRequest>> = [
  (d, i) => ({ amount: { value: d.amount!.value * (i + 2), currency: d.amount!.currency } }),
  (d) => ({ amount: { value: Math.max(1, Math.round(d.amount!.value / 3)), currency: d.amount!.currency } }),
  () => ({ vendor: { name: 'WeTransfer', domain: 'wetransfer.com' }, product: 'WeTransfer Pro' }),
  () => ({ vendor: { name: 'Box', domain: 'box.com' }, product: 'Box Business' }),
  (_d, i) => ({ justification: `answer ${i}` }),
  () => ({ dataClassification: 'restricted' }),
  (d) => ({ termMonths: (d.termMonths ?? 12) * 3 }),
];

/** Revisions 1..n of one request, each a distinct content, the source's revision time increasing. */
function revisionsOf(id: string, edits: number[], dated: boolean): Purchase[] {
  const revisions: Purchase[] = [];
  let detail: PurchaseRequest = { ...base().detail, requestId: id };
  edits.forEach((edit, i) => {
    if (i > 0) detail = { ...detail, ...EDITS[edit](detail, i), justification: `${detail.justification ?? ''} (rev ${i + 1})` };
    revisions.push({ kind: 'purchase-request', detail: dated ? { ...detail, revisedAt: new Date(Date.UTC(2026, 10, 27, 12, i)).toISOString() } : detail });
  });
  return revisions;
}

/** Delivers in batches: each batch at once (to the same tables, like concurrent Lambdas), the clock moving between batches. */
async function deliverAll(batches: Purchase[][]): Promise<void> {
  for (const batch of batches) {
    world.clock.advance(1000);
    await Promise.all(
      batch.map((event) =>
        processGuardrailEvent({ ...world.guardrail, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) }, event as GuardrailEvent),
      ),
    );
  }
}

/** The invariants every run must end with, whatever the schedule. */
async function checkInvariants(recordId: string, expectedFinal: Purchase, distinctApplied?: number): Promise<void> {
  const record = (await world.requests.get(recordId))!;
  const { revisedAt: _a, ...finalContent } = expectedFinal.detail;
  const { revisedAt: _b, ...storedContent } = record.detail as PurchaseRequest;
  expect(storedContent).toEqual(finalContent);
  if (distinctApplied !== undefined) expect(record.revision).toBe(distinctApplied);
  expect(record.lease).toBeUndefined();
  expect(record.decisionEvent.state).toBe('published');
  expect(new Set(record.earlierContent ?? []).size).toBe(record.earlierContent?.length ?? 0);
  expect(record.earlierContent ?? []).not.toContain(contentHashOf(record));

  // Decided exactly once per revision, the latest among them, on the bus.
  const events = world.busEvents().filter((e) => e.recordId === recordId);
  const revisions = events.map((e) => e.revision as number);
  expect(new Set(revisions).size).toBe(revisions.length);
  expect(Math.max(...revisions)).toBe(record.revision);
  expect(events.find((e) => e.revision === record.revision)?.outcome).toBe(record.decision.outcome);

  // History: stored in the order it was written, which is time order; one evaluation per revision, numbered 2, 3, … when amended.
  const stored = record.history;
  expect(stored.map((e) => e.at)).toEqual([...stored.map((e) => e.at)].sort());
  expect(stored.filter((e) => e.type === 'evaluated')).toHaveLength(record.revision);
  expect(stored.filter((e) => e.type === 'amended').map((e) => e.details.revision)).toEqual(Array.from({ length: record.revision - 1 }, (_, i) => i + 2));
  const listed = await world.audit.list(recordId);
  expect(listed.map((e) => e.at)).toEqual([...listed.map((e) => e.at)].sort());

  // One message per addressed approver per revision: every publish is accounted for by exactly one `notified` entry.
  const notified = stored.filter((e) => e.type === 'notified');
  const perRevision = notified.map((e) => (e.details.revision as number | undefined) ?? 1);
  expect(new Set(perRevision).size).toBe(perRevision.length);
  for (const entry of notified) {
    const recipients = entry.details.recipients as string[];
    expect(new Set(recipients).size).toBe(recipients.length);
  }
  const recorded = notified.flatMap((e) => e.details.messageIds as string[]);
  const sent = world.published(IT_TOPIC).filter((p) => (JSON.parse(bodyForProtocol(p.Message ?? '{}', 'sqs')) as { recordId?: string }).recordId === recordId);
  expect(sent).toHaveLength(recorded.length);
}

const schedule = (count: number) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: count, maxLength: count }), // copies of each revision
      fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), // order keys
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 12, maxLength: 12 }), // batch sizes
    )
    .map(([copies, keys, sizes]) => {
      const slots = copies.flatMap((n, revision) => Array.from({ length: n }, () => revision));
      const order = slots.map((revision, i) => ({ revision, key: keys[i % keys.length] * 16 + i })).sort((a, b) => a.key - b.key);
      const batches: number[][] = [];
      for (let i = 0, b = 0; i < order.length; b++) {
        const size = sizes[b % sizes.length];
        batches.push(order.slice(i, i + size).map((o) => o.revision));
        i += size;
      }
      return batches;
    });

test('dated revisions, duplicated, reordered and concurrent: the latest is decided once, history in order, one message per approver per revision', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .array(fc.integer({ min: 0, max: EDITS.length - 1 }), { minLength: 1, maxLength: 4 })
        .chain((edits) => fc.tuple(fc.constant(edits), schedule(edits.length))),
      async ([edits, batches]) => {
        const id = `PROP-${++run}`;
        const revisions = revisionsOf(id, edits, true);
        await deliverAll(batches.map((batch) => batch.map((r) => revisions[r])));
        await checkInvariants(recordIdOf(revisions[0]), revisions[revisions.length - 1]);
      },
    ),
    { numRuns: 30, seed: 2027 },
  );
});

test('undated revisions, duplicated and reordered: each content becomes one revision, the last new one stands', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .array(fc.integer({ min: 0, max: EDITS.length - 1 }), { minLength: 1, maxLength: 4 })
        .chain((edits) => fc.tuple(fc.constant(edits), schedule(edits.length))),
      async ([edits, batches]) => {
        const id = `PROP-U-${++run}`;
        const revisions = revisionsOf(id, edits, false);
        const order = batches.flat();
        await deliverAll(order.map((r) => [revisions[r]]));
        // By arrival: the content whose first copy arrived last is the latest revision.
        const firstArrivals = [...new Set(order)];
        await checkInvariants(recordIdOf(revisions[0]), revisions[firstArrivals[firstArrivals.length - 1]], firstArrivals.length);
      },
    ),
    { numRuns: 20, seed: 2028 },
  );
});
