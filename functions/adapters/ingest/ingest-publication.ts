/**
 * What happens to an authenticated, parsed payload: its canonical events go
 * on the bus in calls of at most 10 (publish first, dead-letter after, so a
 * retry never dead-letters twice), and what cannot be published (malformed
 * entries, events over EventBridge's size limit, a malformed payload) is
 * kept in the dead-letter queue, bounded to fit an SQS message.
 */
import { createHash } from 'node:crypto';
import type { EventKind, GuardrailEvent } from '../../domain/events';
import { recordIdOf } from '../../domain/events';
import { errorMessage } from '../../domain/errors';
import {
  INGEST_DEAD_LETTER_REASONS,
  IngestPublishError,
  canonicalEventEntry,
  malformedEntryLetters,
  malformedPayloadLetter,
  type CanonicalEventEntry,
  type PublishReceipt,
} from '../../domain/ingest';
import type { IgnoredItem, MalformedItem } from '../../domain/normalization';
import type { DeadLetter } from '../../domain/ports/dead-letter';
import { MAX_ENTRIES_PER_CALL, MAX_REQUEST_BYTES, entrySize } from '../eventbridge/event-bus';
import type { SourceName } from '../sources/source-names';
import { logFailure, type Answer, type IngestDeps, type IngestLogger, type IngestResponse } from './ingest-answer';

/** Dead letters hold at most this much of a payload (an SQS message must stay under its size limit). */
export const MAX_DEAD_LETTER_PAYLOAD_BYTES = 192 * 1024;
/** Beyond this many malformed entries in one batch, one letter holds the batch instead of one letter each. */
export const MAX_ENTRY_LETTERS = 20;
/** Problems listed in an answer (dead letters keep up to {@link MAX_LETTER_PROBLEMS}). */
const MAX_ANSWER_PROBLEMS = 100;
const MAX_LETTER_PROBLEMS = 500;

export async function acceptEvents(
  deps: IngestDeps,
  source: SourceName,
  kind: EventKind,
  events: readonly GuardrailEvent[],
  ignored: readonly IgnoredItem[],
  malformed: readonly MalformedItem[],
  parsed: { value: unknown; text: string },
  receivedAt: Date,
  answer: Answer,
  log: IngestLogger,
): Promise<IngestResponse> {
  // An event EventBridge would refuse for its size can never be published: reject it like a malformed entry.
  const publishable: Array<{ event: GuardrailEvent; entry: CanonicalEventEntry }> = [];
  const rejected: MalformedItem[] = [...malformed];
  const letters: DeadLetter[] = [];
  for (const event of events) {
    const entry = canonicalEventEntry(event);
    const size = entrySize(entry);
    if (size <= MAX_REQUEST_BYTES) {
      publishable.push({ event, entry });
      continue;
    }
    const problem = `${recordIdOf(event)}: the canonical event is ${size} bytes, over EventBridge's ${MAX_REQUEST_BYTES / 1024} KB limit`;
    rejected.push({ item: recordIdOf(event), problems: [problem] });
    letters.push(
      malformedPayloadLetter({
        source,
        kind,
        problems: [problem],
        payload: boundedPayload(event.detail, entry.Detail),
        receivedAt,
        reason: INGEST_DEAD_LETTER_REASONS.oversized,
      }),
    );
  }
  letters.push(...entryLetters(source, kind, malformed, parsed, receivedAt));

  // Publish first, dead-letter after: if the bus fails the sender retries the whole request,
  // and the rejected entries must not have been dead-lettered twice by then.
  const published: GuardrailEvent[] = [];
  const receipts: PublishReceipt[] = [];
  for (let start = 0; start < publishable.length; start += MAX_ENTRIES_PER_CALL) {
    const chunk = publishable.slice(start, start + MAX_ENTRIES_PER_CALL);
    try {
      const receipt = await deps.publish(chunk.map((c) => c.entry));
      if (receipt) receipts.push(receipt);
      published.push(...chunk.map((c) => c.event));
    } catch (error) {
      const acceptedHere = error instanceof IngestPublishError ? error.acceptedIndexes : [];
      published.push(...acceptedHere.filter((i) => i >= 0 && i < chunk.length).map((i) => chunk[i].event));
      log.error('Putting ingested events on the bus failed; the sender is told to retry', {
        source,
        published: published.length,
        of: publishable.length,
        error: errorMessage(error),
      });
      answer.counts.accepted = published.length;
      return answer.send(
        503,
        'unavailable',
        {
          error: 'the guardrail bus did not take every event; retry the same request',
          accepted: published.length,
          ids: uniqueIds(published),
          retry: 'events already accepted are recognised by their record id on a retry: no second record or notification',
        },
        { 'retry-after': '5' },
      );
    }
  }
  answer.counts.accepted = published.length;

  if (letters.length > 0) {
    log.warn('Malformed entries of an ingest batch: kept in the dead-letter queue', {
      source,
      rejected: rejected.length,
      problems: rejected.slice(0, 10).flatMap((r) => r.problems.slice(0, 3)),
    });
    if (!(await deadLetter(deps, letters, log))) return deadLetterUnavailable(answer, published.length, uniqueIds(published));
    answer.counts.deadLettered = letters.length;
  }
  answer.counts.ignored = ignored.length;
  answer.counts.rejected = rejected.length;

  if (published.length === 0) {
    // Every event was too large for the bus: nothing was accepted.
    return answer.send(422, 'malformed', {
      error: `none of the ${source} events can be put on the bus; they were kept in the dead-letter queue`,
      problems: limited(rejected.flatMap((r) => r.problems)),
      deadLettered: true,
    });
  }

  log.info('Ingest payload accepted', { source, accepted: published.length, ignored: ignored.length, rejected: rejected.length });
  const eventIds = receipts.flatMap((r) => r.eventIds ?? []);
  const deliveries = receipts.flatMap((r) => r.deliveries ?? []);
  return answer.send(202, 'accepted', {
    accepted: published.length,
    ids: uniqueIds(published),
    ignored: ignored.slice(0, MAX_ANSWER_PROBLEMS),
    rejected: rejected.slice(0, MAX_ANSWER_PROBLEMS).map((r) => ({ item: r.item, problems: limited(r.problems) })),
    ...(rejected.length > 0 ? { deadLettered: true } : {}),
    ...(eventIds.length > 0 ? { eventIds } : {}),
    ...(deliveries.length > 0 ? { deliveries } : {}),
  });
}

/** One letter per malformed entry; a batch with very many becomes one letter holding it all. */
function entryLetters(
  source: SourceName,
  kind: EventKind,
  malformed: readonly MalformedItem[],
  parsed: { value: unknown; text: string },
  receivedAt: Date,
): DeadLetter[] {
  if (malformed.length === 0) return [];
  if (malformed.length > MAX_ENTRY_LETTERS) {
    const letter = malformedPayloadLetter({
      source,
      kind,
      problems: boundedProblems(malformed.flatMap((m) => m.problems)),
      payload: boundedPayload(parsed.value, parsed.text),
      receivedAt,
      reason: INGEST_DEAD_LETTER_REASONS.entry,
    });
    return [
      {
        ...letter,
        event: {
          ...(letter.event as object),
          item: `${malformed.length} entries: ${malformed
            .map((m) => m.item)
            .join(', ')
            .slice(0, 2000)}`,
        },
      },
    ];
  }
  return malformedEntryLetters({ source, kind, malformed, payload: parsed.value, receivedAt }).map((letter) => {
    const event = letter.event as { payload: unknown };
    return { ...letter, problems: boundedProblems(letter.problems), event: { ...event, payload: boundedPayload(event.payload) } };
  });
}

/** Sends letters a few at a time; false when the queue refused any (the caller answers 503). */
export async function deadLetter(deps: IngestDeps, letters: readonly DeadLetter[], log: IngestLogger): Promise<boolean> {
  try {
    for (let start = 0; start < letters.length; start += 5) {
      await Promise.all(letters.slice(start, start + 5).map((letter) => deps.deadLetters.send(letter)));
    }
    return true;
  } catch (error) {
    logFailure(log, 'The dead-letter queue refused a malformed ingest payload; the sender is told to retry', error);
    return false;
  }
}

export function deadLetterUnavailable(answer: Answer, accepted: number, ids: string[]): IngestResponse {
  return answer.send(
    503,
    'unavailable',
    {
      error: 'the guardrail could not keep the malformed part of this payload; retry the same request',
      accepted,
      ids,
      retry: 'events already accepted are recognised by their record id on a retry: no second record or notification',
    },
    { 'retry-after': '30' },
  );
}

/**
 * A payload small enough for a dead letter. A bigger one keeps its size, its
 * SHA-256 (to match it against the sender's copy) and its beginning: the
 * sender was told 422 and still holds the whole of it.
 */
export function boundedPayload(value: unknown, text?: string): unknown {
  const json = text ?? JSON.stringify(value) ?? 'null';
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_DEAD_LETTER_PAYLOAD_BYTES) return value;
  return {
    truncated: true,
    bytes,
    sha256: createHash('sha256').update(json, 'utf8').digest('hex'),
    beginning: json.slice(0, 64 * 1024),
  };
}

export function boundedProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_LETTER_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_LETTER_PROBLEMS), `… and ${problems.length - MAX_LETTER_PROBLEMS} more problems`];
}

export function limited(problems: readonly string[]): string[] {
  if (problems.length <= MAX_ANSWER_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_ANSWER_PROBLEMS), `… and ${problems.length - MAX_ANSWER_PROBLEMS} more (all are in the dead letter)`];
}

export function uniqueIds(events: readonly GuardrailEvent[]): string[] {
  return [...new Set(events.map((event) => recordIdOf(event)))];
}
