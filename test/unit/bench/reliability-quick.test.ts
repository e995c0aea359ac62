/**
 * The quick parts of the reliability suite, inside `npm test`: the same
 * scenarios and properties as test/reliability on fewer events and cases
 * (the long runs and their published figures are `npm run test:reliability`),
 * and the check that the benchmark harness builds the handlers with what the
 * production wiring builds, so neither the benchmarks nor the reliability
 * runs measure less than production does.
 */
import { APPROVALS_BASE_URL_ENV, DECISION_LINK_KEY_SECRET_ENV } from '../../../functions/adapters/security/decision-link-issuer';
import { defaultHandlerDeps } from '../../../functions/handlers/shared/wiring';
import { createContainer, createWorld } from '../../../bench/support/guardrail-harness';
import { canonicalFuzz, nativeFuzz } from '../../reliability/support/fuzz';
import { duplicateDeliveryScenario, mixedEvents, openStage } from '../../reliability/support/scenarios';

const LAMBDA_ENV = {
  POLICY_TABLE_NAME: 'policy',
  REQUESTS_TABLE_NAME: 'requests',
  IT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:it',
  EVENT_BUS_NAME: 'bus',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq',
  [DECISION_LINK_KEY_SECRET_ENV]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:links-AbCdEf',
  [APPROVALS_BASE_URL_ENV]: 'https://approvals.example.com/',
  REQUESTER_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:guardrail-requesters',
  AWS_REGION: 'us-east-1',
};

test('the harness gives the handlers every dependency the production wiring gives them', () => {
  const production = defaultHandlerDeps({ ...process.env, ...LAMBDA_ENV });
  const stage = { endpoint: 'http://127.0.0.1:9', tables: { policy: 'policy', requests: 'requests' } };
  const container = createContainer(createWorld(stage.endpoint, stage.tables));
  try {
    const kinds = (deps: object) =>
      Object.fromEntries(Object.entries(deps).map(([key, value]) => [key, value?.constructor?.name ?? typeof value]));
    const ours = kinds(container.deps.service);
    const theirs = kinds(production.service);
    // Same ports, same adapter classes (the clock and the logger may differ: the harness injects them).
    for (const key of ['clock', 'logger', 'sleep', 'claimLeaseMs', 'inFlightWaitMs']) {
      delete ours[key];
      delete theirs[key];
    }
    expect(ours).toEqual(theirs);
    expect(container.deps.deadLetters.constructor.name).toBe(production.deadLetters.constructor.name);
  } finally {
    container.destroy();
  }
});

test('duplicate delivery: 100 events delivered three times at once make 100 records and one notification each', async () => {
  const { figures } = await duplicateDeliveryScenario({ events: 100, deliveriesPerEvent: 3, containers: 3, concurrency: 4, seed: 7, separateProcess: false });
  expect(figures).toMatchObject({ records: 100, strayRecords: 0, complete: 100, lost: 0, duplicateNotifications: 0, notificationsMissing: 0, decisionEvents: 100, duplicateDecisionEvents: 0, deliveriesCollapsed: 200, wronglyDecided: 0 });
  expect(figures.snsPublishes).toBeGreaterThanOrEqual(figures.notifiedRecords);
});

test('bad input: 300 malformed canonical events and 600 native payloads end answered, dead-lettered with reasons or complete', async () => {
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
});
