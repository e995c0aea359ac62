/**
 * Helpers every source normaliser shares: validating the native shape,
 * reading optional strings, unwrapping EventBridge envelopes, recognising
 * emails. Kept here so each source module only holds what is specific to it.
 */
import * as z from '../../domain/zod-mini';
import type { AppConnectedInput } from '../../domain/events';
import { combineOutcomes, ignored, malformed, type ItemOutcome, type NormalizeResult } from '../../domain/normalization';
import { describeIssues, joinPath } from '../../domain/problems';

// One import surface for the source modules: the result contract and path joining live in the domain.
export { canonicalAppConnected, canonicalPurchaseRequest, combineOutcomes, ignored, malformed } from '../../domain/normalization';
export type { ItemOutcome, NormalizeResult } from '../../domain/normalization';
export { joinPath } from '../../domain/problems';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates a native payload (or a part of it) with a loose zod schema:
 * only the fields a normaliser reads are declared, extras pass. Problems name
 * the field path from the payload root (`basePath` is where `value` sits).
 */
export function parseNative<S extends z.ZodMiniType>(schema: S, value: unknown, basePath = ''): Parsed<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: describeIssues(parsed.error.issues, basePath, '(payload)', value) };
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string that may be null or blank in the source: blank means absent. */
export const optionalText = z.pipe(
  z.nullish(z.string()),
  z.transform((s: string | null | undefined) => (s == null || s.trim() === '' ? undefined : s)),
);

/** Trimmed non-blank string, or undefined. */
export function present(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  return value.trim() === '' ? undefined : value;
}

/** The first argument that is a non-blank string. */
export function firstPresent(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

const emailShape = z.email();

/**
 * The value when it is an email address, else undefined. Sources put
 * logins, UPNs, hex ids or session names where an email often sits; only a
 * real address becomes `email` (never a guess).
 */
export function emailIfValid(value: string | null | undefined): string | undefined {
  const candidate = present(value)?.trim();
  if (candidate === undefined || candidate.length > 254) return undefined;
  return emailShape.safeParse(candidate).success ? candidate : undefined;
}

/**
 * A number or its text (`"14400.00"`, `4821`): procurement APIs send
 * decimals and ids either way. Null/absent is for the caller to allow.
 */
export const numberOrText = z.union([z.number(), z.string()], {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number or text'),
});

/** ISO 8601 date-time with offset, as the canonical schema wants it. */
export const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' });

/** `2026-03-01`, `2026-03-01T00:00:00-08:00` or `2026-03-01 00:00:00` → `2026-03-01`. */
export function datePart(value: string | null | undefined): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(present(value)?.trim() ?? '');
  return match?.[1];
}

/** An EventBridge event as delivered to a rule target (the fields read here). */
export const EventBridgeEnvelopeSchema = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
});

/**
 * The `detail` of an EventBridge event from the expected source and
 * detail-type, through `each`; otherwise why it is ignored (or, when the
 * envelope cannot come from this source at all, malformed).
 */
export function fromEnvelope(
  payload: unknown,
  expected: { source: (source: string) => string | undefined; detailType: string; detailTypeMeans: string },
  each: (detail: unknown, base: string) => ItemOutcome,
): ItemOutcome {
  const envelope = parseNative(EventBridgeEnvelopeSchema, payload);
  if (!envelope.ok) return malformed(envelope.problems);
  const { source, 'detail-type': detailType, detail } = envelope.value;
  const wrongSource = expected.source(source);
  if (wrongSource !== undefined) return wrongSource.startsWith('source:') ? malformed([wrongSource]) : ignored(wrongSource);
  if (detailType !== expected.detailType) return ignored(`detail-type ${quote(detailType)} is not ${expected.detailTypeMeans}`);
  return each(detail, 'detail');
}

/** True when the payload has the shape of an EventBridge event rather than a bare source record. */
export function looksLikeEventBridgeEnvelope(payload: unknown): boolean {
  return isRecord(payload) && 'detail-type' in payload && 'detail' in payload;
}

/**
 * A value as quoted in a problem or reason: text shortened (a 5 MB field
 * must never end up in a dead letter's reason), structures only named.
 */
export function quote(value: unknown, max = 60): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** What every app-connected event of a source starts with: who said what happened, when, by whom. */
export function appEventBase<S extends AppConnectedInput['source']>(source: S, sourceEventId: string, occurredAt: string, actor: AppConnectedInput['actor']) {
  return { source, sourceEventId, occurredAt, actor };
}

/** Options shared by the identity-provider normalisers. */
export interface AppNameOptions {
  /**
   * Names for apps a source identifies only by id (Okta consent events name
   * the OAuth client id, IAM Identity Center assignments only the application
   * ARN). Keyed by that id. Without an entry the id itself stands in as the
   * name, so policy shows exactly what the source said instead of a guess.
   */
  appNames?: Readonly<Record<string, string>>;
}

/** The configured name for an app id, else the id itself (see {@link AppNameOptions}). */
export function appNameFor(id: string, options: AppNameOptions | undefined): string {
  const configured = options?.appNames?.[id];
  return configured !== undefined && configured.trim() !== '' ? configured : id;
}

/**
 * Each entry of a batch through `each`, merged (good entries are never held
 * back by a bad neighbour). `basePath` is where the array sits in the payload.
 */
export function eachOf(
  values: readonly unknown[],
  basePath: string,
  empty: string,
  each: (value: unknown, item: string) => ItemOutcome | Array<{ item: string; outcome: ItemOutcome }>,
): NormalizeResult {
  const entries = entriesOf(values, basePath).flatMap(({ item, value }) => {
    const outcome = each(value, item);
    return Array.isArray(outcome) ? outcome : [{ item, outcome }];
  });
  return combineOutcomes(entries, empty);
}

/** A payload that is one entry or an array of them, each through `each`. */
export function eachEntry(payload: unknown, { empty }: { arrayAt: ''; empty: string }, each: (value: unknown, item: string) => ItemOutcome): NormalizeResult {
  return Array.isArray(payload) ? eachOf(payload, '', empty, each) : each(payload, '');
}

/** Array entries as `{ item, value }` with their paths, for batch payloads. */
export function entriesOf(values: readonly unknown[], basePath: string): Array<{ item: string; value: unknown }> {
  return values.map((value, index) => ({ item: joinPath(basePath, index), value }));
}
