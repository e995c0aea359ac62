/**
 * PutEvents done properly. The API takes at most 10 entries and 256 KB per
 * call, and it can accept a call while rejecting some of its entries
 * (`FailedEntryCount`): the SDK does not retry those, so an event would be
 * lost silently. This sends in batches, retries only the failed entries with
 * backoff, and throws, naming what failed, when they still fail.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { batchCalls } from '../batch-calls';

export const MAX_ENTRIES_PER_CALL = 10;
/** PutEvents limit for the whole request, counted as EventBridge counts it (see `entrySize`). */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** Entry errors retrying cannot fix: the same entry would be rejected again. */
const PERMANENT_ERROR_CODES = new Set([
  'MalformedDetail',
  'InvalidArgument',
  'ValidationException',
  'AccessDeniedException',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

export interface PutEventsOptions {
  /** Attempts per entry, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff delay; doubles each attempt, with jitter (default 100 ms). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface FailedEntry {
  /** Position in the `entries` given to `putEvents`. */
  index: number;
  errorCode?: string;
  errorMessage?: string;
}

export class PutEventsError extends Error {
  constructor(
    readonly failed: FailedEntry[],
    readonly attempts: number,
  ) {
    super(
      `EventBridge rejected ${failed.length} event(s) after ${attempts} attempt(s): ${failed
        .slice(0, 5)
        .map((f) => `#${f.index} ${f.errorCode ?? 'error'}${f.errorMessage ? ` (${f.errorMessage})` : ''}`)
        .join(', ')}${failed.length > 5 ? ', …' : ''}`,
    );
    this.name = 'PutEventsError';
  }
}

/**
 * Puts every entry on the bus or throws. Returns the event ids in the order of `entries`.
 */
export async function putEvents(
  client: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
  options: PutEventsOptions = {},
): Promise<{ eventIds: string[] }> {
  // All or nothing: an entry that can never go is refused before any is sent.
  const oversized = entries.map(tooLarge).find((failure) => failure !== undefined);
  if (oversized) throw new PutEventsError([oversized], 0);
  const { eventIds, failed, attempts } = await putEventsSettled(client, entries, options);
  if (failed.length > 0) throw new PutEventsError(failed, attempts);
  return { eventIds: eventIds as string[] };
}

/**
 * Puts what the bus accepts and reports the rest entry by entry (after the
 * same retries): for callers whose entries answer for themselves, such as a
 * batch's decisions. An entry over the size limit fails without a call.
 */
export async function putEventsSettled(
  client: EventBridgeClient,
  entries: readonly PutEventsRequestEntry[],
  options: PutEventsOptions = {},
): Promise<{ eventIds: (string | undefined)[]; failed: FailedEntry[]; attempts: number }> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const eventIds = new Array<string | undefined>(entries.length).fill(undefined);
  const permanent: FailedEntry[] = [];
  let pending: number[] = [];
  entries.forEach((entry, index) => {
    const oversized = tooLarge(entry, index);
    if (oversized) permanent.push(oversized);
    else pending.push(index);
  });
  let lastFailures: FailedEntry[] = [];
  let attempt = 0;
  while (pending.length > 0 && attempt < maxAttempts) {
    if (attempt > 0) await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    attempt++;
    const retry: number[] = [];
    lastFailures = [];
    for (const batch of batchCalls(pending, (i) => entrySize(entries[i]), { maxEntries: MAX_ENTRIES_PER_CALL, maxBytes: MAX_REQUEST_BYTES })) {
      const response = await client.send(new PutEventsCommand({ Entries: batch.map((i) => entries[i]) }));
      const results = response.Entries ?? [];
      batch.forEach((index, position) => {
        const result = results[position];
        if (result?.EventId && !result.ErrorCode) {
          eventIds[index] = result.EventId;
          return;
        }
        const failure: FailedEntry = { index, errorCode: result?.ErrorCode, errorMessage: result?.ErrorMessage };
        if (failure.errorCode && PERMANENT_ERROR_CODES.has(failure.errorCode)) permanent.push(failure);
        else {
          retry.push(index);
          lastFailures.push(failure);
        }
      });
    }
    pending = retry;
  }
  const failed = [...permanent, ...lastFailures].sort((a, b) => a.index - b.index);
  return { eventIds, failed, attempts: attempt };
}

/** The failure of an entry no call can take (over the 256 KB limit by itself), or undefined. */
function tooLarge(entry: PutEventsRequestEntry, index: number): FailedEntry | undefined {
  const size = entrySize(entry);
  return size > MAX_REQUEST_BYTES ? { index, errorCode: 'EntryTooLarge', errorMessage: `${size} bytes, over the 256 KB PutEvents limit` } : undefined;
}

/**
 * An entry's size as EventBridge counts it: 14 bytes for a Time, plus the
 * UTF-8 bytes of Source, DetailType, Detail and each Resource.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += Buffer.byteLength(text, 'utf8');
  }
  return size;
}
