/**
 * Reliability 4d — hostile identities and amendment floods, through the real
 * ingest core and the real guardrail handlers on dynalite (separate process),
 * delivered the way EventBridge and Lambda deliver (lambda-async.ts):
 *
 * - Cross-source ids: holding only the generic-form secret, a form posts the
 *   ids of real Coupa requisitions and ServiceNow items in every spelling
 *   (fast-check), for 1 USD and claiming the victim as its source; then the
 *   real requests arrive. Not one may land in, or pre-empt, another source's
 *   namespace, and every real request must be evaluated on its own.
 * - Amendment floods: many amendments of one request (each sent twice, in a
 *   shuffled order, concurrently to four execution environments). The
 *   latest must end decided exactly once, every applied revision decided once,
 *   the history in order, one message per addressed approver per revision;
 *   and a source that exceeds the revision limit is refused with a reason,
 *   never silently.
 */
import fc from 'fast-check';
import { handleIngestRequest } from '../../functions/adapters/ingest/ingest-request';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from '../../functions/adapters/ingest/request-signature';
import { toRecord } from '../../functions/adapters/dynamodb/record-item';
import { requestKey } from '../../functions/adapters/dynamodb/tables';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEventEntry } from '../../functions/domain/ingest';
import { MAX_REVISIONS } from '../../functions/domain/revisions';
import type { PurchaseRequest } from '../../functions/domain/events';
import { TOPIC_ARN, REQUESTER_TOPIC_ARN, createContainer, createWorld } from '../../bench/support/guardrail-harness';
import { dynamoItemBytes, writeUnits } from '../../bench/support/item-size';
import { Prng } from '../../bench/support/prng';
import { deliveredEvent } from '../../bench/support/requests';
import { recordFigures } from './support/figures';
import { RecordingDeadLetters } from './support/fuzz';
import { AsyncLambda, ContainerPool } from './support/lambda-async';
import { recordIdOfPublish } from './support/ledger';
import { nativeSamples } from './support/mutations';
import { PROJECT_ROOT, openStage } from './support/scenarios';
import { SimulatedClock } from './support/sim-time';

const NOW = new Date('2026-11-27T12:00:00Z');
const SECRETS: Record<string, string> = {
  coupa: 'coupa-secret-0123456789abcdef',
  servicenow: 'servicenow-secret-0123456789ab',
  'generic-form': 'form-secret-0123456789abcdef',
};
const SQUAT_CASES = 300;
const FLOOD_AMENDMENTS = 40;

async function ingest(source: string, payload: unknown): Promise<{ status: number; entries: CanonicalEventEntry[] }> {
  const rawBody = JSON.stringify(payload);
  const timestamp = Math.floor(NOW.getTime() / 1000);
  const entries: CanonicalEventEntry[] = [];
  const response = await handleIngestRequest(
    {
      secrets: { secretsFor: async (s) => (SECRETS[s] ? [SECRETS[s]] : []) },
      publish: async (e) => void entries.push(...e),
      deadLetters: new RecordingDeadLetters(),
      clock: { now: () => NOW },
    },
    {
      method: 'POST',
      source,
      headers: {
        'content-type': 'application/json',
        [GUARDRAIL_TIMESTAMP_HEADER]: String(timestamp),
        [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody, secret: SECRETS[source], timestamp }),
      },
      rawBody,
      receivedAt: NOW,
    },
  );
  return { status: response.status, entries };
}

const asDelivered = (entries: CanonicalEventEntry[], tag: string) =>
  entries.map((e, i) => deliveredEvent('purchase-request', JSON.parse(e.Detail), `${tag}-${i}`));

test('cross-source ids and amendment floods: no namespace taken, the latest revision decided once, floods bounded with a reason', async () => {
  const started = Date.now();
  const stage = await openStage({ separateProcess: true });
  const clock = new SimulatedClock(20);
  const world = createWorld(stage.endpoint, stage.tables);
  const containers = Array.from({ length: 4 }, () => createContainer(world, { clock, logLevel: 'SILENT', service: { sleep: (ms) => clock.sleep(ms) } }));
  const lambda = new AsyncLambda(new ContainerPool(containers), (c, e) => c.invoke(e), { clock });
  const read = async (recordId: string) => {
    const { Item } = await containers[0].documents.send(new GetCommand({ TableName: stage.tables.requests, Key: requestKey(recordId), ConsistentRead: true }));
    return Item ? { record: toRecord(Item), bytes: dynamoItemBytes(Item) } : undefined;
  };
  try {
    // --- Cross-source ids -------------------------------------------------------
    const requisition = nativeSamples(PROJECT_ROOT, 'coupa').find((s) => s.name.endsWith('requisition-single-supplier.json'))!.payload as Record<
      string,
      unknown
    >;
    const ritm = nativeSamples(PROJECT_ROOT, 'servicenow').find((s) => s.name.endsWith('table-api-ritm-variables.json'))!.payload as Record<string, unknown>;
    const form = nativeSamples(PROJECT_ROOT, 'generic-form').find((s) => s.name.endsWith('flat-form.json'))!.payload as Record<string, unknown>;
    const victims = [4822, 4823, 4824].map((id) => ({ ...requisition, id, total: '250000.00' }));
    const statedNumber = (ritm.result as Record<string, unknown> | undefined)?.number ?? ritm.number;
    const ritmNumber = typeof statedNumber === 'string' ? statedNumber : 'RITM0010001';
    const spellings = (id: string) => [
      id,
      `coupa-${id}`,
      `coupa:${id}`,
      `COUPA-${id}`,
      `coupa:${id}-1`,
      `servicenow:${ritmNumber}`,
      ritmNumber,
      `bus:${id}`,
      `form:generic:x:coupa:${id}`,
    ];
    const squatIds = new Set<string>();
    for (const v of victims) for (const s of spellings(String(v.id))) squatIds.add(s);
    fc.assert(
      fc.property(
        fc.constantFrom(...victims.map((v) => String(v.id))),
        fc.constantFrom('', 'coupa', 'coupa-', 'coupa:', 'servicenow:', 'bus:', 'form:'),
        fc.constantFrom('', '-1', '-2', '.0', ':x'),
        (id, prefix, suffix) => {
          squatIds.add(`${prefix}${id}${suffix}`);
        },
      ),
      { numRuns: SQUAT_CASES, seed: 9101 },
    );
    const squatEvents = [];
    let squatsAccepted = 0;
    for (const id of squatIds) {
      const { status, entries } = await ingest('generic-form', { ...form, request_id: id, amount: 1, currency: 'USD', source: 'coupa', vendor: 'Box' });
      if (status === 202) squatsAccepted++;
      squatEvents.push(...asDelivered(entries, `squat-${squatEvents.length}`));
    }
    await Promise.all(squatEvents.map((e) => lambda.deliver(e)));
    const squatRecordIds = squatEvents.map((e) => `${(e.detail as PurchaseRequest).source}:${(e.detail as PurchaseRequest).requestId}`);
    const outsideTheirNamespace = squatRecordIds.filter((id) => !id.startsWith('form:generic:')).length;

    const realEvents = [
      ...(await Promise.all(victims.map((v) => ingest('coupa', v)))).flatMap((r, i) => asDelivered(r.entries, `coupa-${i}`)),
      ...asDelivered((await ingest('servicenow', ritm)).entries, 'ritm'),
    ];
    const realOutcomes = await Promise.all(realEvents.map((e) => lambda.deliver(e)));
    const evaluatedOnTheirOwn = realOutcomes.filter((o) => o.status === 'succeeded' && (o.result as { delivery?: string }).delivery === 'first').length;
    const realRecords = await Promise.all(realEvents.map((e) => read(`${(e.detail as PurchaseRequest).source}:${(e.detail as PurchaseRequest).requestId}`)));
    const realIntact = realRecords.filter(
      (r, i) => r && r.record.revision === 1 && (r.record.detail as PurchaseRequest).amount?.value === (realEvents[i].detail as PurchaseRequest).amount?.value,
    ).length;

    // --- Amendment flood (dated revisions, concurrent) ---------------------------
    const prng = new Prng(9102);
    const base = { ...(realEvents[0].detail as PurchaseRequest), requestId: 'FLOOD-1', source: 'coupa' };
    const amendments = Array.from({ length: FLOOD_AMENDMENTS }, (_, i): PurchaseRequest => ({
      ...base,
      amount: { value: 1000 + i * (i % 3 === 0 ? 500 : -7) + 10_000, currency: 'USD' },
      vendor: i % 5 === 4 ? { name: 'WeTransfer', domain: 'wetransfer.com' } : base.vendor,
      justification: `edit ${i}`,
      revisedAt: new Date(NOW.getTime() + (i + 1) * 60_000).toISOString(),
    }));
    const floodDeliveries = [...amendments, ...amendments].map((d, i) => ({ d, key: prng.next(), i })).sort((a, b) => a.key - b.key);
    const floodStarted = Date.now();
    const floodOutcomes = await Promise.all(floodDeliveries.map(({ d, i }) => lambda.deliver(deliveredEvent('purchase-request', d, `flood-${i}`))));
    const floodSeconds = (Date.now() - floodStarted) / 1000;
    const floodId = `coupa:FLOOD-1`;
    const flooded = (await read(floodId))!;
    const latest = amendments[amendments.length - 1];
    const floodDecisionRevisions = world.eventBridge.stats.accepted.flatMap((call) =>
      ((call.input.Entries ?? []) as { Detail?: string; DetailType?: string }[])
        .filter((e) => e.DetailType === 'Guardrail Decision' && (JSON.parse(String(e.Detail)) as { recordId: string }).recordId === floodId)
        .map((e) => (JSON.parse(String(e.Detail)) as { revision: number }).revision),
    );
    const floodItMessages = world.sns.stats.accepted.filter((c) => c.input.TopicArn === TOPIC_ARN && recordIdOfPublish(c) === floodId).length;
    const floodRequesterMessages = world.sns.stats.accepted.filter((c) => c.input.TopicArn === REQUESTER_TOPIC_ARN).length;
    const notifiedEntries = flooded.record.history.filter((e) => e.type === 'notified');
    const recordedMessages = notifiedEntries.flatMap((e) => e.details.messageIds as string[]).length;
    const perRevisionOnce = new Set(notifiedEntries.map((e) => e.details.revision ?? 1)).size === notifiedEntries.length;
    const historyInOrder = flooded.record.history.every((e, i, all) => i === 0 || all[i - 1].at <= e.at);
    const deliveriesByKind: Record<string, number> = {};
    for (const o of floodOutcomes) {
      const kind =
        o.status === 'succeeded'
          ? String((o.result as { delivery?: string; status?: string }).delivery ?? (o.result as { status?: string }).status)
          : 'dead-lettered by Lambda';
      deliveriesByKind[kind] = (deliveriesByKind[kind] ?? 0) + 1;
    }

    // --- Past the revision limit (undated, one after another) --------------------
    const limitBase = { ...base, requestId: 'FLOOD-2' };
    const overLimit = MAX_REVISIONS + 5;
    const limitResults = [];
    for (let i = 0; i < overLimit; i++) {
      limitResults.push(
        await lambda.deliver(deliveredEvent('purchase-request', { ...limitBase, revisedAt: undefined, justification: `loop ${i}` }, `limit-${i}`)),
      );
    }
    const refused = limitResults.filter(
      (o) => o.status === 'succeeded' && (o.result as { status?: string; reason?: string }).status === 'dead-lettered',
    ).length;
    const limited = (await read('coupa:FLOOD-2'))!;
    const refusedLetters = world.sqs.stats.accepted.filter(
      (c) => typeof c.input.MessageBody === 'string' && c.input.MessageBody.includes('revision-limit'),
    ).length;

    recordFigures({
      suite: 'hostile-revisions',
      title: '4d. Hostile input: cross-source ids and amendment floods',
      figures: {
        'Form posts spelling other sources\' ids (1 USD, claiming source "coupa"), fast-check + fixed spellings': `${squatIds.size} posted / ${squatsAccepted} accepted into the form's own namespace`,
        'Of them stored outside form:generic:…': outsideTheirNamespace,
        'Real Coupa requisitions and ServiceNow items then arriving': realEvents.length,
        'Evaluated on their own (first delivery, not a duplicate)': `${evaluatedOnTheirOwn} / ${realEvents.length}`,
        'Stored with their own amount, revision 1': `${realIntact} / ${realEvents.length}`,
        'Amendment flood: dated amendments of one request, each sent twice, shuffled, 4 environments': `${FLOOD_AMENDMENTS} × 2 = ${floodDeliveries.length} deliveries in ${Math.round(floodSeconds * 10) / 10} s`,
        'Deliveries by what they were to the record': Object.entries(deliveriesByKind)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        'Lambda retries (a delivery found the side effects in progress)': lambda.stats.retries,
        'Revisions applied / final revision holds the latest content': `${flooded.record.revision} / ${(flooded.record.detail as PurchaseRequest).justification === latest.justification}`,
        'Guardrail Decision events: total / distinct revisions / for the final revision': `${floodDecisionRevisions.length} / ${new Set(floodDecisionRevisions).size} / ${floodDecisionRevisions.filter((r) => r === flooded.record.revision).length}`,
        'IT messages sent / recorded in the history (one per approver per revision)': `${floodItMessages} / ${recordedMessages}`,
        'Requester messages (an approval voided or a review restarted)': floodRequesterMessages,
        'History in time order, nothing back-dated': historyInOrder,
        'Final record item: bytes / write units per write': `${flooded.bytes} / ${writeUnits(flooded.bytes)}`,
        [`Past the limit: ${overLimit} undated amendments, one after another`]: `${limited.record.revision} revisions kept; ${refused} refused into the dead-letter queue with reason revision-limit (${refusedLetters} letters)`,
        'Record item at the limit: bytes / write units per write': `${limited.bytes} / ${writeUnits(limited.bytes)}`,
        'Run time (s)': Math.round((Date.now() - started) / 100) / 10,
      },
    });

    expect(squatsAccepted).toBe(squatIds.size);
    expect(outsideTheirNamespace).toBe(0);
    expect(evaluatedOnTheirOwn).toBe(realEvents.length);
    expect(realIntact).toBe(realEvents.length);
    expect((flooded.record.detail as PurchaseRequest).justification).toBe(latest.justification);
    expect(new Set(floodDecisionRevisions).size).toBe(floodDecisionRevisions.length);
    expect(Math.max(...floodDecisionRevisions)).toBe(flooded.record.revision);
    expect(floodItMessages).toBe(recordedMessages);
    expect(perRevisionOnce).toBe(true);
    expect(historyInOrder).toBe(true);
    expect(deliveriesByKind['dead-lettered by Lambda'] ?? 0).toBe(0);
    expect(limited.record.revision).toBe(MAX_REVISIONS);
    expect(refused).toBe(overLimit - MAX_REVISIONS);
    expect(refusedLetters).toBe(refused);
  } finally {
    for (const c of containers) c.destroy();
    await stage.close();
  }
});
