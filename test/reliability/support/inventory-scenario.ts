/**
 * The app inventory under duplicate delivery and faults: two apps, one
 * assigned to many people (allowed: every event is its own record), one
 * consented to by many (each consent needs review on its own: one review,
 * the rest folded into it). Every event is delivered several times at once
 * to different execution environments; optionally a share of DynamoDB calls
 * fail (throttles, 500s, timeouts before the call, and timeouts after it
 * succeeded, which turn a conditional put into an ambiguous answer). A
 * delivery that fails is retried the way Lambda's async retries would, until
 * it succeeds. Afterwards the counts must be exact, and the consent app must
 * have exactly one review record and one round of IT messages.
 */
import { createDynamoDbDocumentClient } from '../../../functions/adapters/dynamodb/document-client';
import { openInventory, openPolicyStore } from '../../../functions/composition/root';
import type { AppConnected } from '../../../functions/domain/events';
import { appKeyOf } from '../../../functions/domain/inventory/app-inventory';
import { startLocalDynamoDb } from '../../../functions/local/dynalite';
import { FAULT_KINDS, type FaultPlan } from '../../../bench/support/fake-aws';
import { createGuardrailTables, startDynaliteProcess } from '../../../bench/support/dynalite-process';
import { createContainer, createWorld, type GuardrailContainer } from '../../../bench/support/guardrail-harness';
import { Prng } from '../../../bench/support/prng';
import { deliveredEvent } from '../../../bench/support/requests';
import { defaultPolicy } from '../../support/fixtures';

export interface InventoryScenarioOptions {
  /** People per app. */
  people: number;
  /** Copies of each event delivered at once. */
  copies: number;
  containers: number;
  concurrency: number;
  /** Share of DynamoDB calls that fail (0 for none). */
  faultRate: number;
  seed: number;
  separateProcess: boolean;
}

export interface InventoryFigures {
  events: number;
  deliveries: number;
  attempts: number;
  failedAttempts: number;
  dynamoFaults: number;
  assignedCounted: number;
  consentedCounted: number;
  /** Review records of the consent app (must be 1), and consent events stored as records of their own beyond it. */
  consentReviews: number;
  /** IT messages about the consent app, and about its review record (its notification round plus updates). */
  consentMessages: number;
  reviewMessages: number;
  /** Of those, the review-update notices (a spike in users: at least double and ten more since last told). */
  reviewUpdates: number;
  assignedRecords: number;
  undelivered: number;
  seconds: number;
}

const MAX_ATTEMPTS = 12;

export async function inventoryScenario(options: InventoryScenarioOptions): Promise<InventoryFigures> {
  const started = Date.now();
  const prng = new Prng(options.seed);
  const proc = options.separateProcess ? await startDynaliteProcess() : undefined;
  const local = proc ? undefined : await startLocalDynamoDb();
  const endpoint = proc?.endpoint ?? local!.endpoint;
  const tables = { policy: 'guardrail-policy', requests: 'guardrail-requests', inventory: 'guardrail-inventory' };
  const admin = createDynamoDbDocumentClient({ endpoint, region: 'us-east-1' });
  const containers: GuardrailContainer[] = [];
  try {
    await createGuardrailTables(endpoint, tables);
    await openPolicyStore(admin, tables.policy).importPolicy(defaultPolicy());
    const world = createWorld(endpoint, tables);
    const faultPrng = new Prng(options.seed + 1);
    // Faults on every attempt alike: the SDK's own retries see them too, and some calls fail outright.
    const plan: FaultPlan | undefined =
      options.faultRate > 0 ? () => (faultPrng.chance(options.faultRate) ? FAULT_KINDS[faultPrng.int(0, FAULT_KINDS.length - 1)] : undefined) : undefined;
    // No in-flight waits: a copy that finds a step held fails at once and is retried, as Lambda would later.
    for (let i = 0; i < options.containers; i++)
      containers.push(
        createContainer(world, { logLevel: 'SILENT', ...(plan ? { dynamoFaults: plan } : {}), service: { inFlightWaitMs: 0, claimLeaseMs: 50 } }),
      );

    const assigned = { name: 'Redelivery Boards' };
    const consented = { name: 'Consentify Notes' };
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < options.people; i++) {
      const at = new Date(Date.parse('2026-11-27T09:00:00Z') + i * 1000).toISOString();
      const assignment: AppConnected = {
        source: 'okta',
        sourceEventId: `assign-${i}`,
        occurredAt: at,
        app: assigned,
        actor: { type: 'user', email: 'okta.admin@example.com' },
        subject: { email: `person.${i}@example.com` },
        connectionKind: 'user-assigned',
        department: i % 2 ? 'Sales' : 'Marketing',
      };
      const consent: AppConnected = {
        source: 'google-workspace',
        sourceEventId: `consent-${i}`,
        occurredAt: at,
        app: consented,
        actor: { type: 'user', email: `person.${i}@example.com` },
        connectionKind: 'oauth-consent',
        scopes: ['https://www.googleapis.com/auth/drive.readonly'],
        department: 'Marketing',
      };
      events.push(deliveredEvent('app-connected', assignment, `a-${i}`), deliveredEvent('app-connected', consent, `c-${i}`));
    }
    const deliveries = events.flatMap((event) => Array.from({ length: options.copies }, () => event));
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = prng.int(0, i);
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }

    let attempts = 0;
    let failedAttempts = 0;
    let undelivered = 0;
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < deliveries.length; index = next++) {
        for (let attempt = 1; ; attempt++) {
          attempts++;
          try {
            const answer = await containers[(index + attempt) % containers.length].invoke(deliveries[index]);
            if ((answer as { status: string }).status !== 'processed') throw new Error(`not processed: ${JSON.stringify(answer)}`);
            break;
          } catch {
            failedAttempts++;
            if (attempt >= MAX_ATTEMPTS) {
              undelivered++;
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 60 + attempt * 10));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));

    // Read back without injected faults.
    const reader = createContainer(world, { logLevel: 'SILENT' });
    containers.push(reader);
    const inventory = openInventory(admin, tables.inventory).inventory;
    const consentKey = appKeyOf(consented.name);
    const records = await Promise.all(Array.from({ length: options.people }, (_, i) => reader.store.get(`google-workspace:consent-${i}`)));
    const assignedRecords = (await Promise.all(Array.from({ length: options.people }, (_, i) => reader.store.get(`okta:assign-${i}`)))).filter(Boolean).length;
    const review = (await inventory.get(consentKey))?.review?.recordId;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const messages = world.sns.stats.accepted.map((call) => text(call.input.Message));
    const updates = world.sns.stats.accepted.filter(
      (call) => text(call.input.Subject).startsWith('Review update:') && text(call.input.Message).includes(consented.name),
    );
    return {
      events: events.length,
      deliveries: deliveries.length,
      attempts,
      failedAttempts,
      dynamoFaults: containers.reduce((n, c) => n + (c.dynamoFaults ? Object.values(c.dynamoFaults.faults).reduce((a, b) => a + b, 0) : 0), 0),
      assignedCounted: await inventory.countUsers(appKeyOf(assigned.name)),
      consentedCounted: await inventory.countUsers(consentKey),
      consentReviews: records.filter(Boolean).length,
      consentMessages: messages.filter((m) => m.includes(consented.name)).length,
      reviewMessages: review ? messages.filter((m) => m.includes(review)).length : 0,
      reviewUpdates: updates.length,
      assignedRecords,
      undelivered,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    for (const c of containers) c.destroy();
    admin.destroy();
    if (proc) await proc.stop();
    else await local?.close();
  }
}
