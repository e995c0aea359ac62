/**
 * What turning one native payload (an Okta System Log event, a Coupa
 * requisition, a Graph audit page…) into canonical events can end in.
 *
 * Three outcomes, because the ingest path treats them differently:
 * - `ok`: canonical events to put on the bus;
 * - `ignored`: a real, well-formed event that is simply not about apps or
 *   purchases (another Okta event type, a failed call, a Google `revoke`) —
 *   acknowledged and dropped, with the reason for the log;
 * - `malformed`: the payload cannot be trusted or lacks what the canonical
 *   schema needs — dead-lettered with every problem naming its field path.
 *
 * A batch (Okta hook `data.events[]`, a Graph page, a CloudTrail log file)
 * can mix all three. Good entries are never held back by a bad neighbour:
 * `ok` then also lists the entries that were ignored or malformed, so the
 * caller can dead-letter the malformed ones and nothing is lost.
 */
import {
  AppConnectedSchema,
  PurchaseRequestSchema,
  SCHEMA_VERSION,
  type AppConnectedInput,
  type GuardrailEvent,
  type PurchaseRequestInput,
  withoutUndefined,
} from './events';
import { describeIssues } from './problems';

/** An entry of a batch that was skipped, and why. `item` is its path in the payload. */
export interface IgnoredItem {
  item: string;
  reason: string;
}

/** An entry of a batch that could not be normalised, with its problems. */
export interface MalformedItem {
  item: string;
  problems: string[];
}

export type NormalizeResult =
  | { status: 'ok'; events: GuardrailEvent[]; ignored?: IgnoredItem[]; malformed?: MalformedItem[] }
  | { status: 'ignored'; reason: string }
  | { status: 'malformed'; problems: string[] };

/** The outcome for a single native entry (no partial lists). */
export type ItemOutcome = { status: 'ok'; events: GuardrailEvent[] } | { status: 'ignored'; reason: string } | { status: 'malformed'; problems: string[] };

export const ignored = (reason: string): ItemOutcome => ({ status: 'ignored', reason });
export const malformed = (problems: string[]): ItemOutcome => ({ status: 'malformed', problems });

export type { SchemaIssue } from './problems';

/**
 * Validates a produced app-connected event against the canonical schema. A
 * normaliser's output that fails it is `malformed` with the canonical paths
 * (e.g. `app.name: must not contain control characters`): the source sent a
 * value the guardrail must not pass on.
 */
export function canonicalAppConnected(detail: Omit<AppConnectedInput, 'schemaVersion'>): ItemOutcome {
  const parsed = AppConnectedSchema.safeParse({ schemaVersion: SCHEMA_VERSION, ...withoutUndefined(detail) });
  if (!parsed.success) return malformed(describeIssues(parsed.error.issues, '', '(payload)', detail));
  return { status: 'ok', events: [{ kind: 'app-connected', detail: parsed.data }] };
}

/** As {@link canonicalAppConnected}, for purchase requests. */
export function canonicalPurchaseRequest(detail: Omit<PurchaseRequestInput, 'schemaVersion'>): ItemOutcome {
  const parsed = PurchaseRequestSchema.safeParse({ schemaVersion: SCHEMA_VERSION, ...withoutUndefined(detail) });
  if (!parsed.success) return malformed(describeIssues(parsed.error.issues, '', '(payload)', detail));
  return { status: 'ok', events: [{ kind: 'purchase-request', detail: parsed.data }] };
}

/**
 * Merges per-entry outcomes of one payload. Any event makes the whole result
 * `ok` (with the skipped entries listed); otherwise any malformed entry makes
 * it `malformed` (problems prefixed with the entry path when the payload held
 * several); otherwise it is `ignored`.
 */
export function combineOutcomes(entries: ReadonlyArray<{ item: string; outcome: ItemOutcome }>, emptyReason: string): NormalizeResult {
  if (entries.length === 0) return { status: 'ignored', reason: emptyReason };
  if (entries.length === 1) return entries[0].outcome;

  const events = entries.flatMap((e) => (e.outcome.status === 'ok' ? e.outcome.events : []));
  const skipped: IgnoredItem[] = [];
  const bad: MalformedItem[] = [];
  for (const { item, outcome } of entries) {
    if (outcome.status === 'ignored') skipped.push({ item, reason: outcome.reason });
    if (outcome.status === 'malformed') bad.push({ item, problems: outcome.problems });
  }

  if (events.length > 0) {
    return {
      status: 'ok',
      events,
      ...(skipped.length > 0 ? { ignored: skipped } : {}),
      ...(bad.length > 0 ? { malformed: bad } : {}),
    };
  }
  if (bad.length > 0) {
    return { status: 'malformed', problems: bad.flatMap((b) => b.problems.map((p) => prefixProblem(b.item, p))) };
  }
  const reasons = [...new Set(skipped.map((s) => s.reason))];
  return { status: 'ignored', reason: `all ${entries.length} entries ignored: ${reasons.join('; ')}` };
}

/** Native problems already carry the full path; canonical ones get the entry path in front. */
function prefixProblem(item: string, problem: string): string {
  const carriesPath = [`${item}.`, `${item}:`, `${item}[`].some((start) => problem.startsWith(start));
  return carriesPath ? problem : `${item}: ${problem}`;
}

export { withoutUndefined } from './events';
