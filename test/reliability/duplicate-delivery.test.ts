/**
 * Reliability 1 — duplicate delivery: 1,000 events, each delivered three
 * times at once to three different Lambda execution environments (what
 * EventBridge and Lambda's at-least-once delivery can do), through the real
 * handlers on dynalite. Exactly one record per event, one decision event
 * each, and each record that needs a notification notified once: the
 * messages SNS accepted for it are exactly the ones it records as sent (one
 * per approver it addresses), none more.
 */
import { recordFigures } from './support/figures';
import { duplicateDeliveryScenario } from './support/scenarios';

const EVENTS = 1_000;

test('1,000 events delivered three times concurrently: 1,000 records, each notified once and one decision event each', async () => {
  const { figures } = await duplicateDeliveryScenario({
    events: EVENTS,
    deliveriesPerEvent: 3,
    containers: 3,
    concurrency: 8,
    seed: 2026,
    separateProcess: true,
  });
  recordFigures({
    suite: 'duplicate-delivery',
    title: '1. Duplicate delivery',
    figures: {
      Events: figures.events,
      'Deliveries (3 concurrent copies of each, to 3 execution environments)': figures.deliveries,
      'Records stored': figures.records,
      'Records complete (decided, notified if needed, decision published)': figures.complete,
      'Events lost': figures.lost,
      'Records needing a notification': figures.notifiedRecords,
      'SNS messages sent (one per addressed approver)': figures.snsPublishes,
      'Duplicate notifications (messages beyond those each record sent once)': figures.duplicateNotifications,
      'Records marked notified without their messages accepted': figures.notificationsMissing,
      'Guardrail Decision events': figures.decisionEvents,
      'Duplicate decision events': figures.duplicateDecisionEvents,
      'Deliveries collapsed as repeats': figures.deliveriesCollapsed,
      'Deliveries retried by Lambda (a copy found a step in progress)': figures.deliveriesRetried,
      'Stored decisions differing from a fresh evaluation': figures.wronglyDecided,
      'Run time (s)': figures.seconds,
    },
  });
  expect(figures.records).toBe(EVENTS);
  expect(figures.strayRecords).toBe(0);
  expect(figures.complete).toBe(EVENTS);
  expect(figures.lost).toBe(0);
  expect(figures.duplicateNotifications).toBe(0);
  expect(figures.notificationsMissing).toBe(0);
  expect(figures.snsPublishes).toBeGreaterThanOrEqual(figures.notifiedRecords);
  expect(figures.decisionEvents).toBe(EVENTS);
  expect(figures.duplicateDecisionEvents).toBe(0);
  expect(figures.deliveriesCollapsed).toBe(EVENTS * 2);
  expect(figures.deadLettered).toBe(0);
  expect(figures.wronglyDecided).toBe(0);
});
