/**
 * Native events that reach us on EventBridge itself, not through the ingest
 * endpoint: Okta's System Log on its partner event bus and IAM Identity
 * Center's CloudTrail calls (`aws.sso`) on the default bus. The rules deliver
 * them to one Lambda, which hands each to {@link processNativeEvent}:
 * normalise by the envelope's source, put the canonical events on the
 * guardrail bus, and keep anything malformed in the dead-letter queue.
 *
 * Failure policy (the same as the guardrail handlers): bad input is
 * permanent, so it is dead-lettered and the invocation succeeds; a bus or
 * queue that is unavailable throws, and Lambda's retries (then the rule's
 * DLQ) keep the event. A retry may re-put canonical events already accepted:
 * the guardrail collapses those by record id.
 */
import type { EventKind } from '../../domain/events';
import {
  INGEST_DEAD_LETTER_REASONS,
  canonicalEventEntry,
  malformedEntryLetters,
  malformedPayloadLetter,
  recordIdsOf,
  type IngestPublish,
} from '../../domain/ingest';
import type { IgnoredItem, MalformedItem } from '../../domain/normalization';
import type { Clock } from '../../domain/ports/clock';
import type { DeadLetterSink } from '../../domain/ports/dead-letter';
import { MAX_ENTRIES_PER_CALL } from '../eventbridge/event-bus';
import { SOURCE_EVENT_KIND, type SourceName, type SourceOptions } from '../sources/source-names';
import { normalizeWith, type Normalizer } from '../sources/normalize';
import { IAM_IDENTITY_CENTER_BUS_SOURCE, normalizeIamIdentityCenter } from '../sources/iam-identity-center';
import { OKTA_PARTNER_SOURCE_PREFIX, normalizeOkta } from '../sources/okta';

/** The two sources that arrive on EventBridge; only their normalisers are bundled with this function. */
const NATIVE_NORMALIZERS = { okta: normalizeOkta, 'iam-identity-center': normalizeIamIdentityCenter } as const;
type NativeSourceName = keyof typeof NATIVE_NORMALIZERS;

export interface NativeEventDeps {
  publish: IngestPublish;
  deadLetters: DeadLetterSink;
  sourceOptions?: Partial<SourceOptions>;
  clock: Clock;
}

export type NativeEventResult =
  | { status: 'published'; source: SourceName; accepted: number; ids: string[]; ignored: IgnoredItem[]; rejected: MalformedItem[] }
  | { status: 'ignored'; source: SourceName; reason: string }
  | { status: 'dead-lettered'; source?: SourceName; reason: string; problems: string[] };

/**
 * Which normaliser reads an EventBridge event, by its envelope `source`:
 * `aws.sso` → IAM Identity Center, `aws.partner/okta.com/…` → Okta.
 */
export function nativeSourceOf(event: unknown): NativeSourceName | undefined {
  const source = typeof event === 'object' && event !== null ? (event as { source?: unknown }).source : undefined;
  if (typeof source !== 'string') return undefined;
  if (source === IAM_IDENTITY_CENTER_BUS_SOURCE) return 'iam-identity-center';
  if (source.startsWith(OKTA_PARTNER_SOURCE_PREFIX)) return 'okta';
  return undefined;
}

/** Normalises one native EventBridge event and puts its canonical events on the guardrail bus. */
export async function processNativeEvent(deps: NativeEventDeps, event: unknown): Promise<NativeEventResult> {
  const receivedAt = deps.clock.now();
  const source = nativeSourceOf(event);
  if (!source) {
    const envelopeSource = typeof event === 'object' && event !== null ? (event as { source?: unknown }).source : undefined;
    const problems = [
      `source: ${JSON.stringify(typeof envelopeSource === 'string' ? envelopeSource.slice(0, 128) : (envelopeSource ?? null))} is neither ` +
        `"${IAM_IDENTITY_CENTER_BUS_SOURCE}" nor an Okta partner source (${OKTA_PARTNER_SOURCE_PREFIX}…): check the rule that routes to this function`,
    ];
    await deps.deadLetters.send(
      malformedPayloadLetter({ source: 'unknown', problems, payload: event, receivedAt, reason: INGEST_DEAD_LETTER_REASONS.unexpectedSource }),
    );
    return { status: 'dead-lettered', reason: INGEST_DEAD_LETTER_REASONS.unexpectedSource, problems };
  }

  const kind: EventKind = SOURCE_EVENT_KIND[source];
  const result = normalizeWith(NATIVE_NORMALIZERS[source] as Normalizer<SourceOptions[typeof source]>, source, event, deps.sourceOptions?.[source]);
  if (result.status === 'ignored') return { status: 'ignored', source, reason: result.reason };
  if (result.status === 'malformed') {
    await deps.deadLetters.send(malformedPayloadLetter({ source, kind, problems: result.problems, payload: event, receivedAt }));
    return { status: 'dead-lettered', source, reason: INGEST_DEAD_LETTER_REASONS.payload, problems: result.problems };
  }

  const entries = result.events.map(canonicalEventEntry);
  for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_CALL) {
    await deps.publish(entries.slice(start, start + MAX_ENTRIES_PER_CALL));
  }
  const malformed = result.malformed ?? [];
  for (const letter of malformedEntryLetters({ source, kind, malformed, payload: event, receivedAt })) {
    await deps.deadLetters.send(letter);
  }
  return {
    status: 'published',
    source,
    accepted: result.events.length,
    ids: recordIdsOf(result.events),
    ignored: result.ignored ?? [],
    rejected: malformed,
  };
}
