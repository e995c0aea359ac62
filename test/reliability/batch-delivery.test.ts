/**
 * Reliability 1b — the deployed path: 1,000 events in SQS batches of ten,
 * each batch delivered three times at once to three execution environments,
 * through the real batch handlers on dynalite. A copy that finds another
 * holding a record's side effects hands that message back; the queue
 * delivers it again after its visibility timeout. Exactly one record per
 * event, one decision event each, each record notified once, none parked.
 */
import { recordFigures } from './support/figures';
import { batchDeliveryScenario } from './support/scenarios';

const EVENTS = 1_000;

test('1,000 events in batches of ten, each batch delivered three times concurrently: 1,000 records, each notified once, one decision event each', async () => {
  const { figures } = await batchDeliveryScenario({
    events: EVENTS,
    batchSize: 10,
    copies: 3,
    concurrency: 4,
    seed: 2027,
    maxReceives: 5,
    visibilityMs: 3 * 60 * 1000,
  });
  recordFigures({
    suite: 'batch-delivery',
    title: '1b. Duplicate delivery of SQS batches (as deployed)',
    figures: {
      Events: figures.events,
      'Batches (ten events of one kind)': figures.batches,
      'Batch deliveries (3 concurrent copies of each, to 3 execution environments)': figures.deliveries,
      'Records stored': figures.records,
      'Records complete (decided, notified if needed, decision published)': figures.complete,
      'Events lost': figures.lost,
      'Records needing a notification': figures.notifiedRecords,
      'SNS messages sent (one per addressed approver)': figures.snsPublishes,
      'Duplicate notifications (messages beyond those each record sent once)': figures.duplicateNotifications,
      'Records marked notified without their messages accepted': figures.notificationsMissing,
      'Guardrail Decision events': figures.decisionEvents,
      'Duplicate decision events': figures.duplicateDecisionEvents,
      'Messages handed back to the queue and delivered again': figures.messagesReturned,
      'Messages parked after their last receive': figures.deadLettered,
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
  expect(figures.deadLettered).toBe(0);
  expect(figures.wronglyDecided).toBe(0);
});

test('1,000 events in batches of ten while SNS, EventBridge and DynamoDB calls fail: each event decided once, or parked and decided after the redrive', async () => {
  const { figures: f } = await batchDeliveryScenario({
    events: EVENTS,
    batchSize: 10,
    copies: 2,
    concurrency: 4,
    seed: 1201,
    maxReceives: 5,
    visibilityMs: 3 * 60 * 1000,
    faults: {
      dynamoFaultRate: 0.05,
      snsFaultRate: 0.08,
      eventBridgeFaultRate: 0.05,
      faultMix: { throttle: 3, 'server-error': 2, 'timeout-before': 2, 'timeout-after': 1 },
    },
  });
  const kinds = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${v} × ${k}`)
      .join('; ');
  recordFigures({
    suite: 'batch-faults',
    title: '1c. SQS batches while calls fail',
    figures: {
      Events: f.events,
      'Batches (ten events of one kind), each delivered twice at once': f.batches,
      'Calls that failed (SNS / EventBridge / DynamoDB attempts)': `${f.injected.sns} / ${f.injected.eventbridge} / ${f.injected.dynamodb}`,
      'Messages handed back to the queue and delivered again': f.messagesReturned,
      'Messages parked after their fifth receive': f.deadLettered,
      'Events lost before the redrive (neither complete nor parked)': f.lostBeforeRedrive,
      'Records complete after redriving the parked messages': f.complete,
      'Events lost after the redrive': f.lost,
      'Records (one per event)': `${f.records} (+${f.strayRecords} stray)`,
      'Duplicate notifications': f.duplicateNotifications,
      'Duplicate notifications by cause': Object.keys(f.duplicateNotificationsByCause).length === 0 ? 'none' : kinds(f.duplicateNotificationsByCause),
      'Records marked notified without an accepted publish': f.notificationsMissing,
      'Duplicate Guardrail Decision events (consumers dedupe by recordId)': f.duplicateDecisionEvents,
      'Stored decisions differing from a fresh evaluation': f.wronglyDecided,
      'Run time (s)': f.seconds,
    },
  });
  expect(f.injected.sns + f.injected.eventbridge + f.injected.dynamodb).toBeGreaterThan(0);
  expect(f.messagesReturned).toBeGreaterThan(0); // failures went back to the queue, alone
  expect(f.lostBeforeRedrive).toBe(0);
  expect(f.parkedAfterRedrive).toBe(0);
  expect(f.lost).toBe(0);
  expect(f.complete).toBe(EVENTS);
  expect(f.records).toBe(EVENTS);
  expect(f.strayRecords).toBe(0);
  expect(f.notificationsMissing).toBe(0);
  expect(f.wronglyDecided).toBe(0);
  // Duplicates can only come from the at-least-once windows the ledger names.
  expect(Object.values(f.duplicateNotificationsByCause).reduce((a, b) => a + b, 0)).toBe(f.duplicateNotifications);
});
