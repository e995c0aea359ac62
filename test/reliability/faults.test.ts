/**
 * Reliability 2 — faults: 1,000 events replayed with the retry behaviour
 * EventBridge and Lambda really have (throttled Invokes retried by
 * EventBridge; two Lambda retries about 1 and 2 minutes apart, then the
 * function's dead-letter queue; occasional redelivery of a success), while a
 * share of DynamoDB, SNS and EventBridge calls fail (throttling, 5xx,
 * timeouts before and after the service acted) and dynalite is stopped and
 * restarted mid-run for longer than Lambda keeps retrying (at least 10 s real,
 * and until Lambda has dead-lettered an event). Every event must
 * end decided exactly once or in the dead-letter queue with its reason; after
 * the queue is redriven, every event is decided. Duplicate notifications are
 * counted and explained by cause, not assumed away.
 */
import { recordFigures } from './support/figures';
import { faultScenario } from './support/scenarios';

const EVENTS = 1_000;

/** Cut at a word boundary, marked. */
const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, text.lastIndexOf(' ', max))} …`);

test('faults, throttles and a DynamoDB outage: nothing lost, every event decided once or dead-lettered with its reason', async () => {
  const { figures: f } = await faultScenario({
    events: EVENTS,
    containers: 8,
    seed: 1127,
    dynamoFaultRate: 0.05,
    snsFaultRate: 0.08,
    eventBridgeFaultRate: 0.03,
    faultMix: { throttle: 3, 'server-error': 2, 'timeout-before': 2, 'timeout-after': 1 },
    // 10 s at ×20 is 200 simulated seconds, longer than Lambda's retries span (about 3 minutes), and the outage lasts
    // until an event has been dead-lettered: those that arrive as it starts end in the DLQ, later ones ride it out.
    outage: { afterShare: 0.25, downtimeMs: 10_000 },
    arrivalsPerSecond: 40,
    invokeThrottleShare: 0.05,
    redeliveryShare: 0.02,
    timeScale: 20,
  });
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const kinds = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  recordFigures({
    suite: 'faults',
    title: '2. Faults, retries and a DynamoDB outage',
    figures: {
      Events: f.events,
      'DynamoDB attempts / calls that failed': `${f.attempts.dynamodb} / ${sum(f.injected.dynamodb)} (${kinds(f.injected.dynamodb)})`,
      'SNS attempts / failed': `${f.attempts.sns} / ${sum(f.injected.sns)} (${kinds(f.injected.sns)})`,
      'EventBridge PutEvents attempts / failed': `${f.attempts.eventbridge} / ${sum(f.injected.eventbridge)} (${kinds(f.injected.eventbridge)})`,
      'dynalite stopped after / for': f.outage
        ? `${f.outage.stoppedAfterEvents} events / ${f.outage.realMs} ms real = ${f.outage.simulatedSeconds} s simulated`
        : 'not stopped',
      'Invokes throttled (EventBridge retried)': f.lambda.throttledInvokes,
      'Lambda invocations / retries': `${f.lambda.invocations} / ${f.lambda.retries}`,
      'Successful events delivered again (at least once)': f.lambda.redeliveries,
      "Dead-lettered after Lambda's retries": f.beforeRedrive.deadLettered,
      'Dead-letter reasons (the error Lambda records with each)': Object.entries(f.beforeRedrive.deadLetterReasons)
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => `${n} × ${shorten(reason.replace(/127\.0\.0\.1:\d+/, 'dynalite'), 110)}`)
        .join('; '),
      'of which already recorded (a later step failed)': f.beforeRedrive.deadLetteredWithRecord,
      'Decided and complete before the redrive': f.beforeRedrive.complete,
      'Events lost (neither complete nor dead-lettered)': f.beforeRedrive.lost,
      'Decided and complete after redriving the DLQ': f.afterRedrive.complete,
      'Events lost after the redrive': f.afterRedrive.lost,
      'Records (one per event)': `${f.afterRedrive.records} (+${f.afterRedrive.strayRecords} stray)`,
      'Stored decisions differing from a fresh evaluation': f.wronglyDecided,
      'Duplicate notifications': f.duplicateNotifications,
      'Duplicate notifications by cause': Object.keys(f.duplicateNotificationsByCause).length === 0 ? 'none' : kinds(f.duplicateNotificationsByCause),
      'Records marked notified without an accepted publish': f.notificationsMissing,
      'Duplicate Guardrail Decision events (consumers dedupe by recordId)': f.duplicateDecisionEvents,
      'Run time (s)': f.seconds,
    },
    details: { ...f },
  });
  expect(f.beforeRedrive.lost).toBe(0);
  expect(f.beforeRedrive.deadLettered).toBeGreaterThan(0); // the outage outlasted Lambda's retries
  expect(Object.keys(f.beforeRedrive.deadLetterReasons).length).toBeGreaterThan(0);
  expect(f.afterRedrive.lost).toBe(0);
  expect(f.afterRedrive.complete).toBe(EVENTS);
  expect(f.afterRedrive.records).toBe(EVENTS);
  expect(f.afterRedrive.strayRecords).toBe(0);
  expect(f.notificationsMissing).toBe(0);
  expect(f.wronglyDecided).toBe(0);
  // Duplicates can only come from the two at-least-once windows the ledger names.
  expect(sum(f.duplicateNotificationsByCause)).toBe(f.duplicateNotifications);
});
