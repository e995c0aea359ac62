/**
 * Reliability — the app inventory under duplicate delivery and faults: 500
 * people assigned to one app and 500 consenting to another (each consent
 * needing review on its own), every event delivered three times at once to
 * three execution environments, 10% of DynamoDB calls failing (throttles,
 * 500s, timeouts before and after the call), failed deliveries retried as
 * Lambda would. Counts must be exact (never doubled by a redelivery or an
 * ambiguous write, never lost), and the consent app must have one review
 * and one round of IT messages.
 */
import { recordFigures } from './support/figures';
import { inventoryScenario } from './support/inventory-scenario';

const PEOPLE = 500;

test('500 people per app, three concurrent copies of each event, 10% DynamoDB faults: exact counts, one review', async () => {
  const figures = await inventoryScenario({ people: PEOPLE, copies: 3, containers: 3, concurrency: 8, faultRate: 0.1, seed: 2026, separateProcess: true });
  recordFigures({
    suite: 'inventory',
    title: 'Inventory under duplicate delivery and faults',
    figures: {
      'Events (500 assignments of one app, 500 consents to another, each consent needing review)': figures.events,
      'Deliveries (3 concurrent copies of each, to 3 execution environments)': figures.deliveries,
      'DynamoDB calls failed by injection (10%: throttle, 500, timeout before, timeout after)': figures.dynamoFaults,
      'Deliveries that failed and were retried (faults beyond the SDK retries)': figures.failedAttempts,
      'Events never processed': figures.undelivered,
      'People counted for the assigned app (500 expected)': figures.assignedCounted,
      'People counted for the consented app (500 expected)': figures.consentedCounted,
      'Review records for the consented app (1 expected)': figures.consentReviews,
      'IT messages about the consented app (all about its one review)': `${figures.consentMessages} (${figures.reviewMessages})`,
      'Of which review updates (user spikes: each at least double the people told before)': figures.reviewUpdates,
      'Records of the allowed assignments (one each)': figures.assignedRecords,
      'Run time (s)': figures.seconds,
    },
  });
  expect(figures).toMatchObject({ assignedCounted: PEOPLE, consentedCounted: PEOPLE, consentReviews: 1, assignedRecords: PEOPLE, undelivered: 0 });
  expect(figures.consentMessages).toBe(figures.reviewMessages);
  expect(figures.reviewMessages).toBeGreaterThan(figures.reviewUpdates);
  // Spikes from 1 to 500 people, each at least double the last: at most log2(500) ≈ 9 notices.
  expect(figures.reviewUpdates).toBeLessThanOrEqual(9);
});
