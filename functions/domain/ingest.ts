/**
 * The pure part of getting native payloads into the guardrail: what the
 * ingest endpoint and the native-source Lambda need from the outside world
 * (secrets, a way to put canonical events on the bus), the bus entry a
 * canonical event becomes, and the dead letters a malformed payload or batch
 * entry is kept as. No AWS SDK, no fs, no env: the Lambda handlers and the
 * local runtime plug in their own adapters.
 */
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from './event-routes';
import { recordIdOf, type EventKind, type GuardrailEvent } from './events';
import type { MalformedItem } from './normalization';
import type { DeadLetter } from './ports/dead-letter';

/**
 * Per-source shared secrets for authenticating pushes. A source may have
 * several while a secret is rotated (any of them verifies); none means the
 * source is not configured, and every request from it is refused.
 */
export interface IngestSecretProvider {
  /**
   * The secrets for `source`. `fresh: true` asks for a re-read past any cache
   * (after a signature mismatch, so a secret added during a rotation is seen
   * within seconds); a provider may rate-limit that.
   */
  secretsFor(source: string, options?: { fresh?: boolean }): Promise<readonly string[]>;
}

/**
 * A canonical event as a PutEvents entry (without the bus name, which the
 * publisher adds): the exact shape the guardrail's own rules select, and the
 * shape the local runtime's `/events` intake reads.
 */
export interface CanonicalEventEntry {
  Source: typeof GUARDRAIL_SOURCE;
  DetailType: (typeof DETAIL_TYPES)[EventKind];
  /** The canonical detail, JSON-encoded. */
  Detail: string;
}

/** The entry for one canonical event: source `procurement-guardrail`, detail-type by kind. */
export function canonicalEventEntry(event: GuardrailEvent): CanonicalEventEntry {
  return { Source: GUARDRAIL_SOURCE, DetailType: DETAIL_TYPES[event.kind], Detail: JSON.stringify(event.detail) };
}

/** What a publisher may report back; the ingest answer passes it on. */
export interface PublishReceipt {
  /** EventBridge event ids, in the order of the entries. */
  eventIds?: string[];
  /** Whatever the local runtime's rules answered (its decisions), in order. */
  deliveries?: unknown[];
}

/**
 * Puts canonical entries on the guardrail bus. Resolves once every entry was
 * accepted; rejects otherwise, with an {@link IngestPublishError} when it
 * knows which entries did get through.
 */
export type IngestPublish = (entries: readonly CanonicalEventEntry[]) => Promise<PublishReceipt | void>;

/**
 * Some (or none) of the entries given to one publish call were accepted.
 * Lets the ingest answer say exactly what is already on the bus, so a sender
 * that retries knows the repeat is absorbed by the record-id dedupe.
 */
export class IngestPublishError extends Error {
  constructor(
    message: string,
    /** Positions (in the entries given to the call) that the bus did accept. */
    readonly acceptedIndexes: readonly number[],
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'IngestPublishError';
  }
}

/** The record ids of canonical events, in order, each once. */
export function recordIdsOf(events: readonly GuardrailEvent[]): string[] {
  return [...new Set(events.map((event) => recordIdOf(event)))];
}

/** Why a native payload ended in the dead-letter queue. */
export const INGEST_DEAD_LETTER_REASONS = {
  /** The whole payload could not be normalised. */
  payload: 'malformed-native-payload',
  /** One entry of a batch (hook delivery, Graph page, CloudTrail log file) could not be normalised. */
  entry: 'malformed-native-entry',
  /** A canonical event too large for the bus (EventBridge's 256 KB entry limit). */
  oversized: 'canonical-event-too-large',
  /** An EventBridge event from a source no normaliser reads (a rule pointing at the wrong function). */
  unexpectedSource: 'unexpected-native-source',
} as const;

/**
 * What a native dead letter holds as its `event`: which source sent it, where
 * in the payload the bad part sits, and that part itself, so an operator can
 * fix the source and replay exactly it (`guardrail send --source`).
 */
export interface NativeDeadLetterEvent {
  source: string;
  /** Path of the entry in the payload (`data.events[2]`); absent for a whole payload. */
  item?: string;
  payload: unknown;
}

/**
 * The dead letter for a payload that could not be normalised at all.
 * `kind` is the canonical kind the source produces (for the queue's filter attribute).
 */
export function malformedPayloadLetter(input: {
  source: string;
  kind?: EventKind;
  problems: readonly string[];
  payload: unknown;
  receivedAt: Date;
  reason?: string;
}): DeadLetter {
  const event: NativeDeadLetterEvent = { source: input.source, payload: input.payload };
  return {
    reason: input.reason ?? INGEST_DEAD_LETTER_REASONS.payload,
    problems: [...input.problems],
    ...(input.kind ? { kind: input.kind } : {}),
    receivedAt: input.receivedAt.toISOString(),
    event,
  };
}

/**
 * One dead letter per malformed entry of a batch that was otherwise
 * accepted. Each holds only its entry (found by its path in the payload), not
 * the whole batch, so a replay cannot re-send the good neighbours; when the
 * path cannot be followed the whole payload is kept rather than nothing.
 */
export function malformedEntryLetters(input: {
  source: string;
  kind?: EventKind;
  malformed: readonly MalformedItem[];
  payload: unknown;
  receivedAt: Date;
}): DeadLetter[] {
  return input.malformed.map(({ item, problems }) => {
    const found = valueAtPath(input.payload, item);
    const event: NativeDeadLetterEvent = { source: input.source, item, payload: found.found ? found.value : input.payload };
    return {
      reason: INGEST_DEAD_LETTER_REASONS.entry,
      problems: [...problems],
      ...(input.kind ? { kind: input.kind } : {}),
      receivedAt: input.receivedAt.toISOString(),
      event,
    };
  });
}

/**
 * Follows a problem path such as `data.events[2]` or `value[0].target` into
 * a parsed JSON value. Property names are taken literally (no `__proto__`
 * walking: only own properties are read).
 */
export function valueAtPath(root: unknown, path: string): { found: true; value: unknown } | { found: false } {
  if (path === '' || path === '(payload)') return { found: true, value: root };
  const steps: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    const between = path.slice(consumed, match.index);
    if (between !== '' && between !== '.') return { found: false };
    steps.push(match[2] !== undefined ? Number(match[2]) : match[1]);
    consumed = match.index + match[0].length;
  }
  if (consumed !== path.length || steps.length === 0) return { found: false };

  let node: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return { found: false };
      node = node[step];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) {
        return { found: false };
      }
      node = (node as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: node };
}
