/**
 * The quick inventory reliability run inside `npm test` (the long one with
 * its published figures is test/reliability/inventory.test.ts): counts stay
 * exact and one review stands per app when every event arrives three times
 * at once and DynamoDB calls fail.
 */
import { inventoryScenario } from '../../reliability/support/inventory-scenario';

test('20 people per app, each event delivered three times with 20% of DynamoDB calls failing: exact counts, one review', async () => {
  const figures = await inventoryScenario({ people: 20, copies: 3, containers: 3, concurrency: 6, faultRate: 0.2, seed: 11, separateProcess: false });
  expect(figures).toMatchObject({ assignedCounted: 20, consentedCounted: 20, consentReviews: 1, assignedRecords: 20, undelivered: 0 });
  // Faults were injected (whether any outlasted the SDK's retries and failed a whole delivery varies by run).
  expect(figures.dynamoFaults).toBeGreaterThan(0);
  expect(figures.consentMessages).toBe(figures.reviewMessages);
  expect(figures.reviewMessages).toBeGreaterThan(0);
}, 180_000);
