/**
 * The side-effects lease on its own: a record nobody holds (or whose holder's
 * lease ran out) is handed back at once; a live holder is waited for with
 * backoff, and if it does not finish the delivery fails so Lambda retries.
 */
import { StepInProgressError, hasPendingEffects, staleBefore, whenUnleased, type OnceDeps } from '../../../../../functions/domain/use-cases/guardrail/once';
import type { RequestRecord } from '../../../../../functions/domain/records';
import { NOW, TestClock, recordFor, sampleEvent } from '../../../../support/fixtures';

const LEASE = 120_000;
const leased = (at: Date = NOW): RequestRecord => ({
  ...recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')),
  lease: at.toISOString(),
});
const free = (record: RequestRecord): RequestRecord => ({ ...record, lease: undefined });

function harness(reads: (RequestRecord | undefined)[] = []) {
  const slept: number[] = [];
  const queue = [...reads];
  const deps: OnceDeps = {
    requests: { get: async () => (queue.length > 0 ? queue.shift() : leased()) },
    clock: new TestClock(),
    inFlightWaitMs: 1000,
    sleep: async (ms) => {
      slept.push(ms);
    },
  };
  return { deps, slept };
}

it('hands back a record nobody holds, without reading or waiting', async () => {
  const { deps, slept } = harness();
  const record = free(leased());
  expect(await whenUnleased(deps, record, LEASE)).toBe(record);
  expect(slept).toEqual([]);
});

it('hands back a record whose holder outlived its lease (a crashed delivery): it may be taken over', async () => {
  const { deps } = harness();
  const dead = leased(new Date(NOW.getTime() - LEASE - 1));
  expect(await whenUnleased(deps, dead, LEASE)).toBe(dead);
});

it('waits for a live holder and hands back the record once it let go', async () => {
  const record = leased();
  const { deps, slept } = harness([record, free(record)]);
  expect((await whenUnleased(deps, record, LEASE)).lease).toBeUndefined();
  expect(slept).toEqual([50, 100]);
});

it('fails for a retry when the holder does not finish within the wait (it may have crashed)', async () => {
  const { deps, slept } = harness();
  const failure = whenUnleased(deps, leased(), LEASE);
  await expect(failure).rejects.toBeInstanceOf(StepInProgressError);
  await expect(failure).rejects.toMatchObject({ recordId: leased().recordId });
  // Backs off 50, 100, 200, 400, then 500 ms at most, until the wait is used up.
  expect(slept).toEqual([50, 100, 200, 400, 500]);
});

it('fails when the record disappears while it waits', async () => {
  const { deps } = harness([undefined]);
  await expect(whenUnleased(deps, leased(), LEASE)).rejects.toThrow(/disappeared/);
});

it('knows when a revision still has side effects to perform, and which leases are dead', () => {
  const record = leased();
  expect(hasPendingEffects(record)).toBe(true);
  expect(
    hasPendingEffects({
      ...record,
      notification: { state: 'sent', sentAt: NOW.toISOString(), messageId: 'm' },
      decisionEvent: { state: 'published', publishedAt: NOW.toISOString() },
    }),
  ).toBe(false);
  expect(hasPendingEffects({ ...record, notification: { state: 'held-for-digest', heldAt: '', digestAt: '' }, decisionEvent: { state: 'pending' } })).toBe(
    true,
  );
  expect(staleBefore(NOW, LEASE)).toBe(new Date(NOW.getTime() - LEASE).toISOString());
});
