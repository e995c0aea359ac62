/** EventBridge envelopes around a source's events: unwrapped when they come from the expected source. */
import * as z from '../../domain/zod-mini';
import { ignored, malformed, type ItemOutcome } from '../../domain/normalization';
import { isRecord, parseNative, quote } from './native-values';

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
