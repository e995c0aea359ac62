import { EffectsGathering, inRounds } from '../../../../../functions/domain/use-cases/guardrail/effects-gathering';
import { performEffectsTogether, type RevisionEffectDeps, type RevisionEffectsJob } from '../../../../../functions/domain/use-cases/guardrail/revision-effects';
import { approvalSettingsOf } from '../../../../../functions/domain/use-cases/approvals/settings';
import type { DecisionEvent } from '../../../../../functions/domain/decision-event';
import type { Notification } from '../../../../../functions/domain/ports/notifier';
import { TestClock, defaultPolicy, recordFor, sampleEvent } from '../../../../support/fixtures';

const settings = approvalSettingsOf(defaultPolicy());
const review = (requestId: string) => {
  const event = sampleEvent('purchase-request/dropbox-marketing-confidential.json');
  const record = recordFor({ ...event, detail: { ...event.detail, requestId } } as typeof event);
  return { record: { ...record, lease: '2026-11-27T12:00:00.000Z' }, leasedAt: '2026-11-27T12:00:00.000Z', settings } satisfies RevisionEffectsJob;
};

/** Ports that record what was sent, with batch calls; `failing` record ids fail their notification. */
function ports(failing = new Set<string>()) {
  const sent = { single: [] as string[], batches: [] as string[][], decisionBatches: [] as string[][], settled: [] as string[] };
  const deps: RevisionEffectDeps = {
    clock: new TestClock(),
    requests: {
      get: () => Promise.resolve(undefined),
      settle: (recordId: string) => {
        sent.settled.push(recordId);
        return Promise.resolve(true);
      },
    },
    notifier: {
      notify: (n: Notification) => {
        sent.single.push(n.recordId);
        return failing.has(n.recordId) ? Promise.reject(new Error('SNS down')) : Promise.resolve({ messageId: `one-${n.recordId}` });
      },
      notifyEach: (ns: readonly Notification[]) => {
        sent.batches.push(ns.map((n) => n.recordId));
        return Promise.resolve(ns.map((n) => (failing.has(n.recordId) ? { error: new Error('SNS refused it') } : { messageId: `batch-${n.recordId}` })));
      },
    },
    decisions: {
      publish: () => Promise.reject(new Error('not expected: the batch call is used')),
      publishEach: (events: readonly DecisionEvent[]) => {
        sent.decisionBatches.push(events.map((e) => e.recordId));
        return Promise.resolve(events.map(() => undefined));
      },
    },
  };
  return { deps, sent };
}

describe('inRounds', () => {
  it('puts each key at most once in a round, keeping the order', () => {
    expect(inRounds(['a1', 'b1', 'a2', 'c1', 'a3', 'b2'], (s) => s[0])).toEqual([['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
    expect(inRounds([], (s: string) => s)).toEqual([]);
  });
});

describe('EffectsGathering', () => {
  it('sends nothing until every member has arrived or left, then all waiting effects in one call each', async () => {
    const { deps, sent } = ports();
    const gathering = new EffectsGathering(3);
    const [a, b, c] = [gathering.member(), gathering.member(), gathering.member()];
    const first = a.runEffects(deps, review('PR-1'));
    const second = b.runEffects(deps, review('PR-2'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.batches).toEqual([]);
    c.leave(); // the third event finished without side effects (a duplicate, or a dead letter)
    const outcomes = await Promise.all([first, second]);
    expect(outcomes.map((o) => [o.notified, o.decisionPublished, o.failures])).toEqual([
      [true, true, []],
      [true, true, []],
    ]);
    expect(sent.batches).toEqual([['coupa:PR-1', 'coupa:PR-2']]);
    expect(sent.decisionBatches).toEqual([['coupa:PR-1', 'coupa:PR-2']]);
    expect(sent.single).toEqual([]);
    expect(sent.settled.sort()).toEqual(['coupa:PR-1', 'coupa:PR-2']);
    // Leaving after arriving changes nothing.
    a.leave();
    b.leave();
  });

  it('gives each job its own failure: one refused notification fails only its record', async () => {
    const { deps, sent } = ports(new Set(['coupa:PR-2']));
    const gathering = new EffectsGathering(2);
    const [a, b] = [gathering.member(), gathering.member()];
    const [ok, failed] = await Promise.all([a.runEffects(deps, review('PR-1')), b.runEffects(deps, review('PR-2'))]);
    expect(ok.failures).toEqual([]);
    expect(failed.notified).toBe(false);
    expect(failed.decisionPublished).toBe(true);
    expect(failed.failures.map((f) => f.step)).toEqual(['notification']);
    // Both are settled: the failed one records its published decision, so a retry only notifies.
    expect(sent.settled.sort()).toEqual(['coupa:PR-1', 'coupa:PR-2']);
  });

  it('refuses a member that reaches its side effects twice, and a member beyond its size', async () => {
    const { deps } = ports();
    const gathering = new EffectsGathering(2);
    const a = gathering.member();
    gathering.member().leave();
    await a.runEffects(deps, review('PR-1'));
    await expect(a.runEffects(deps, review('PR-1'))).rejects.toThrow(/reached its side effects twice/);
    expect(() => gathering.member()).toThrow(/one more member/);
  });
});

describe('performEffectsTogether', () => {
  it('uses the single calls when one job has one message, as an event on its own always did', async () => {
    const { deps, sent } = ports();
    deps.decisions = { publish: () => Promise.resolve() };
    const [outcome] = await performEffectsTogether(deps, [review('PR-9')]);
    expect(outcome).toMatchObject({ notified: true, decisionPublished: true, failures: [] });
    expect(sent.single).toEqual(['coupa:PR-9']);
    expect(sent.batches).toEqual([]);
  });

  it('reports a throwing batch call as every job’s failure, and still settles each', async () => {
    const { deps, sent } = ports();
    deps.decisions = { publish: () => Promise.resolve(), publishEach: () => Promise.reject(new Error('bus down')) };
    const outcomes = await performEffectsTogether(deps, [review('PR-1'), review('PR-2')]);
    expect(outcomes.map((o) => o.failures.map((f) => f.step))).toEqual([['decision-event'], ['decision-event']]);
    expect(outcomes.every((o) => o.notified)).toBe(true);
    expect(sent.settled).toHaveLength(2);
  });
});
