/**
 * One review per app, not per event. Every app-connected event updates the
 * app's inventory entry (and counts its person once); only the first
 * sighting of an app that needs review, or a change in its risk after its
 * last review was decided, goes through the guardrail as a review of its own.
 * While that review is open, further events only update the inventory and
 * the review's context (new risky scopes, an admin consent, a new
 * department, a spike in users), and send nothing new. Purchase requests are
 * linked to the entry of the app they buy.
 *
 * Every write is single-item and conditional: a redelivered event finds its
 * person counted, its facts present, and the review claimed by itself (then
 * resumes that review) or by another event (then folds into it again).
 */
import { FINAL_STATUSES } from '../../approvals/types';
import type { Decision } from '../../decision';
import { evaluateEvent } from '../../evaluate';
import { recordIdOf, type GuardrailEvent, type PurchaseRequest } from '../../events';
import {
  appKeyOf,
  entryOf,
  hasFacts,
  isSpike,
  isTallyCheckpoint,
  newFactsOf,
  reviewChangesOf,
  sightingOf,
  type AppReview,
  type InventoryEntry,
  type ReviewChange,
} from '../../inventory/app-inventory';
import type { PreparedPolicy } from '../../prepared-policy';
import { sourceLabel } from '../../rules/app-connection';
import { appReviewUpdate, broadcast } from '../../notifications';
import { pageLinksFor } from '../approvals/approver-prompts';
import type { AppInventoryStore, PeopleDirectory } from '../../ports/app-inventory';
import { processGuardrailEvent, type GuardrailDeps, type ProcessResult } from '../guardrail/process';

export interface InventoryDeps {
  inventory: AppInventoryStore;
  directory?: PeopleDirectory;
}

export type GuardrailServiceDeps = GuardrailDeps & { inventory?: InventoryDeps };

/** What happened to an event: processed as its own record, or folded into its app's open review. */
export type GuardrailOutcome = ProcessResult & {
  /** The event needed no review of its own: its app's review `into` stands, with `changes` noted on it. */
  folded?: { into: string; eventId: string; changes: number };
};

/**
 * A claimed review whose record does not exist yet is being opened by
 * another delivery; after this long without one that delivery is taken to
 * have died, and the next event may open the review instead.
 */
export const REVIEW_OPENING_LEASE_MS = 5 * 60 * 1000;

/** The guardrail with the inventory in front of it (without one, the guardrail alone). */
export async function handleGuardrailEvent(deps: GuardrailServiceDeps, event: GuardrailEvent): Promise<GuardrailOutcome> {
  const inventory = deps.inventory;
  if (!inventory) return processGuardrailEvent(deps, event);
  if (event.kind === 'purchase-request') {
    const result = await processGuardrailEvent(deps, event);
    const record = await deps.requests.get(result.recordId);
    if (record) await inventory.inventory.linkRequest(requestedEntryOf(event.detail, record.decision, record.receivedAt), result.recordId);
    return result;
  }
  return recordAppSighting({ ...deps, inventory }, event);
}

async function recordAppSighting(
  deps: GuardrailDeps & { inventory: InventoryDeps },
  event: GuardrailEvent & { kind: 'app-connected' },
): Promise<GuardrailOutcome> {
  const { inventory, directory } = deps.inventory;
  const policy = await deps.policy.current();
  const now = deps.clock.now();
  const decision = evaluateEvent(event, policy, now);
  const eventId = recordIdOf(event);
  const detail = event.detail;
  const address = (detail.subject ?? detail.actor).email;
  const person = address && directory ? await directory.find(address) : undefined;
  const riskyScopes = (detail.scopes ?? []).filter((s) => policy.riskyScopes.match(s) !== undefined);
  const sighting = sightingOf({ event: detail, decision, eventId, riskyScopes, directory: person });

  // Read first: a burst of assignments writes the entry only when its facts change, never once per event.
  let entry = await inventory.get(sighting.appKey);
  let created = false;
  if (!entry) ({ created, entry } = await inventory.createIfAbsent(entryOf(sighting, ownerOf(policy, sighting.catalogue?.vendorId))));
  const facts = newFactsOf(entry, sighting);
  const changes: ReviewChange[] = created ? [] : reviewChangesOf(entry, facts, sighting);
  if (!created && hasFacts(facts)) await inventory.addFacts(sighting.appKey, facts);

  let people: number | undefined;
  if (sighting.user) {
    const usage = await inventory.recordUser(sighting.appKey, sighting.user);
    if (usage.newUser && !person && directory && address && (detail.subject ?? detail.actor).displayName) {
      await directory.learn({
        email: address.toLowerCase(),
        name: (detail.subject ?? detail.actor).displayName,
        department: detail.department,
        aliases: [],
        origin: 'event',
      });
    }
    const reviewed = entry.review?.people;
    if (usage.tally !== undefined && isTallyCheckpoint(usage.tally) && reviewed !== undefined) {
      const estimate = await inventory.estimateUsers(sighting.appKey);
      if (isSpike(reviewed, estimate)) {
        // A milestone (a power of two), so racing checkers note the same change once.
        people = 2 ** Math.floor(Math.log2(estimate));
        changes.push({ kind: 'user-spike', detail: `at least ${people} people use it (${reviewed} when last counted)`, at: sighting.at, eventId });
      }
    }
  }

  if (decision.outcome === 'allow') return processGuardrailEvent(deps, event);
  return reviewOnce(deps, event, entry, changes, people, decision);
}

/** Opens the app's one review with this event, or folds the event into the review that stands. */
async function reviewOnce(
  deps: GuardrailDeps & { inventory: InventoryDeps },
  event: GuardrailEvent & { kind: 'app-connected' },
  entry: InventoryEntry,
  changes: ReviewChange[],
  people: number | undefined,
  decision: Decision,
): Promise<GuardrailOutcome> {
  const { inventory } = deps.inventory;
  const eventId = recordIdOf(event);
  let review = entry.review;
  for (let attempt = 0; attempt < 5; attempt++) {
    // The review's own event, redelivered: resume it (the guardrail does only what is left).
    if (review?.recordId === eventId) return processGuardrailEvent(deps, event);
    const open = review !== undefined && (await reviewStands(deps, review));
    if (review && (open || changes.length === 0)) {
      const noted = changes.length > 0 ? await inventory.noteReviewChanges(entry.appKey, review.recordId, changes, people) : false;
      if (noted) {
        deps.logger?.info('App review updated', { appKey: entry.appKey, review: review.recordId, changes: changes.map((c) => c.kind) });
        // Told once, by the delivery whose write noted the changes (a retry finds them noted and sends nothing).
        const latest = (await inventory.get(entry.appKey)) ?? entry;
        await deps.notifier.notify(
          broadcast(
            appReviewUpdate({
              entry: latest,
              reviewId: review.recordId,
              changes,
              people: people ?? (await inventory.estimateUsers(entry.appKey)),
              links: pageLinksFor(deps.links, review.recordId),
            }),
          ),
        );
      }
      return folded(review, eventId, decision, noted ? changes.length : 0);
    }
    // No review yet, or the last one was decided and the risk changed since: this event opens the app's review.
    const opened: AppReview = {
      recordId: eventId,
      openedAt: deps.clock.now().toISOString(),
      people: await inventory.estimateUsers(entry.appKey),
      changes: review
        ? changes
        : [{ kind: 'first-sighting', detail: `first seen in ${sourceLabel(event.detail.source)}`, at: event.detail.occurredAt, eventId }],
    };
    if (await inventory.claimReview(entry.appKey, opened, review?.recordId)) {
      deps.logger?.info('App review opened', { appKey: entry.appKey, review: eventId });
      return processGuardrailEvent(deps, event);
    }
    // Another event opened it first: fold into theirs.
    review = (await inventory.get(entry.appKey))?.review;
  }
  throw new Error(`app ${entry.appKey}: its review changed hands five times while this event was folded in; a retry settles it`);
}

/** Whether a review still stands: undecided, or being opened right now by another delivery. */
async function reviewStands(deps: GuardrailDeps, review: AppReview): Promise<boolean> {
  const record = await deps.requests.get(review.recordId);
  if (!record) return deps.clock.now().getTime() - Date.parse(review.openedAt) < REVIEW_OPENING_LEASE_MS;
  return !FINAL_STATUSES.includes(record.approval.status);
}

function folded(review: AppReview, eventId: string, decision: Decision, changes: number): GuardrailOutcome {
  return {
    recordId: review.recordId,
    outcome: decision.outcome,
    duplicate: false,
    // A new event, though no record of its own: the review it folded into keeps its own revisions.
    delivery: 'first',
    revision: 0,
    notified: false,
    decisionPublished: false,
    policyVersion: decision.policyVersion,
    folded: { into: review.recordId, eventId, changes },
  };
}

function ownerOf(policy: PreparedPolicy, vendorId: string | undefined): string | undefined {
  return vendorId ? policy.policy.vendors.find((v) => v.id === vendorId)?.agreement?.owner : undefined;
}

/** The entry a purchase request links to (created when the app was never seen: it is asked for before anyone uses it). */
export function requestedEntryOf(request: PurchaseRequest, decision: Decision, receivedAt: string): InventoryEntry {
  const name = request.product ?? request.vendor.name ?? request.vendor.domain ?? 'unnamed app';
  const match = decision.vendor && (decision.vendor.confidence === 'exact' || decision.vendor.confidence === 'high') ? decision.vendor : undefined;
  return {
    appKey: appKeyOf(match?.name ?? request.vendor.name ?? name, decision.vendor),
    name: match?.name ?? name,
    ...(match ? { catalogue: { vendorId: match.vendorId, name: match.name, category: match.category } } : {}),
    status: match?.status ?? 'discovered',
    firstSeen: receivedAt,
    lastSeen: receivedAt,
    departments: request.requester.department ? [request.requester.department] : [],
    sources: [request.source ?? 'purchase-request'],
    connections: [],
    riskyScopes: [],
    highestRisk: decision.severity,
    requests: [],
  };
}
