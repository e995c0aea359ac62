/**
 * The quick parts of the reliability suite, inside `npm test`: the same
 * scenarios and properties as test/reliability on fewer events and cases
 * (the long runs and their published figures are `npm run test:reliability`).
 * The harness builds the handlers through the same composition root as the
 * Lambdas, so neither the benchmarks nor these runs measure less than
 * production does.
 */
import { createContainer, createWorld } from '../../../bench/support/guardrail-harness';
import { canonicalFuzz, nativeFuzz } from '../../reliability/support/fuzz';
import { duplicateDeliveryScenario, mixedEvents, openStage } from '../../reliability/support/scenarios';

/** The scenarios take about 10 s on a quiet machine; a busy shared one stretches that several times. */
const SCENARIO_TIMEOUT_MS = 120_000;

test(
  'duplicate delivery: 100 events delivered three times at once make 100 records and one notification each',
  async () => {
    const { figures } = await duplicateDeliveryScenario({ events: 100, deliveriesPerEvent: 3, containers: 3, concurrency: 4, seed: 7, separateProcess: false });
    expect(figures).toMatchObject({
      records: 100,
      strayRecords: 0,
      complete: 100,
      lost: 0,
      duplicateNotifications: 0,
      notificationsMissing: 0,
      decisionEvents: 100,
      duplicateDecisionEvents: 0,
      deliveriesCollapsed: 200,
      wronglyDecided: 0,
    });
    expect(figures.snsPublishes).toBeGreaterThanOrEqual(figures.notifiedRecords);
  },
  SCENARIO_TIMEOUT_MS,
);

test(
  'bad input: 300 malformed canonical events and 600 native payloads end answered, dead-lettered with reasons or complete',
  async () => {
    const stage = await openStage({ separateProcess: false });
    const world = createWorld(stage.endpoint, stage.tables);
    const container = createContainer(world, { logLevel: 'SILENT' });
    try {
      // Fixed seeds: the same cases every run. The long suite runs 10,000 of each (and reports what it finds).
      const canonical = await canonicalFuzz({ pool: mixedEvents(stage.policy, 100, 5, 'QPOOL'), container, world, cases: 300, seed: 1 });
      expect(canonical).toMatchObject({ cases: 300, crashes: 0, writtenHalfWay: 0, problemsWithoutPath: 0 });
      expect(canonical.lettersMatched).toBe(canonical.deadLettered);
      expect(canonical.processed).toBeGreaterThan(0);
      const native = await nativeFuzz({ cases: 600, nativeEventCases: 200, seed: 2 });
      expect(native).toMatchObject({ crashes: 0, unexpectedStatus: 0, inconsistent: 0, publishedInvalid: 0 });
      expect(native.published).toBeGreaterThan(0);
    } finally {
      container.destroy();
      await stage.close();
    }
  },
  SCENARIO_TIMEOUT_MS,
);
