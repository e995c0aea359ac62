/**
 * The leased-claim protocol on its own: a step is performed by whoever takes
 * the claim, handed back when it fails, and a delivery that cannot take it
 * waits briefly for the holder, then fails so Lambda retries.
 */
import { performOnce, StepInProgressError, type OnceDeps } from '../../../../../functions/domain/use-cases/guardrail/once';
import type { RequestRecord } from '../../../../../functions/domain/records';
import { NOW, TestClock, recordFor, sampleEvent } from '../../../../support/fixtures';

const pending = (): RequestRecord => recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
const sent = (record: RequestRecord): RequestRecord => ({ ...record, notification: { state: 'sent', sentAt: NOW.toISOString(), messageId: 'm-1' } });

function harness(options: { claims: boolean[]; reads?: (RequestRecord | undefined)[]; perform?: () => Promise<void> }) {
  const calls = { claimed: [] as Date[], released: [] as Date[], performed: 0, slept: [] as number[] };
  const reads = [...(options.reads ?? [])];
  const claims = [...options.claims];
  const deps: OnceDeps = {
    requests: { get: async () => (reads.length > 0 ? reads.shift() : pending()) },
    clock: new TestClock(),
    inFlightWaitMs: 1000,
    sleep: async (ms) => {
      calls.slept.push(ms);
    },
  };
  const actions = {
    settled: (r: RequestRecord) => r.notification.state === 'sent',
    claim: async (at: Date) => {
      calls.claimed.push(at);
      return claims.shift() ?? false;
    },
    release: async (at: Date) => {
      calls.released.push(at);
    },
    perform: async () => {
      calls.performed++;
      await options.perform?.();
    },
  };
  return { deps, actions, calls };
}

it('does nothing for a settled step', async () => {
  const { deps, actions, calls } = harness({ claims: [true] });
  expect(await performOnce(deps, 'notification', sent(pending()), actions)).toBe(false);
  expect(calls).toMatchObject({ claimed: [], performed: 0 });
});

it('performs the step once the claim is taken', async () => {
  const { deps, actions, calls } = harness({ claims: [true] });
  expect(await performOnce(deps, 'notification', pending(), actions)).toBe(true);
  expect(calls).toMatchObject({ performed: 1, released: [] });
});

it('hands the claim back when the step fails, with the time it was taken, and fails too', async () => {
  const { deps, actions, calls } = harness({ claims: [true], perform: () => Promise.reject(new Error('SNS down')) });
  await expect(performOnce(deps, 'notification', pending(), actions)).rejects.toThrow('SNS down');
  expect(calls.released).toEqual(calls.claimed);
});

it('waits for a concurrent holder and succeeds empty-handed once it finished', async () => {
  const record = pending();
  const { deps, actions, calls } = harness({ claims: [false], reads: [record, sent(record)] });
  expect(await performOnce(deps, 'notification', record, actions)).toBe(false);
  expect(calls).toMatchObject({ performed: 0, slept: [50, 100] });
});

it('fails for a retry when the holder does not finish within the wait (it may have crashed)', async () => {
  const { deps, actions, calls } = harness({ claims: [] });
  const failure = performOnce(deps, 'decision-event', pending(), actions);
  await expect(failure).rejects.toBeInstanceOf(StepInProgressError);
  await expect(failure).rejects.toMatchObject({ step: 'decision-event', recordId: pending().recordId });
  // Backs off 50, 100, 200, 400, then 500 ms at most, until the wait is used up.
  expect(calls.slept).toEqual([50, 100, 200, 400, 500]);
  expect(calls.performed).toBe(0);
});

it('fails when the record disappears while it waits', async () => {
  const { deps, actions } = harness({ claims: [false], reads: [undefined] });
  await expect(performOnce(deps, 'notification', pending(), actions)).rejects.toThrow(/disappeared/);
});
