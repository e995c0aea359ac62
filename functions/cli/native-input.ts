/**
 * Native payloads (an Okta System Log event, a Graph audit page, a CloudTrail
 * record, a Coupa requisition…) read through the issue-3 normalisers, the same
 * ones the ingest path uses. Without `--source`, the source is detected.
 */
import type { GuardrailEvent } from '../domain/events';
import type { IgnoredItem, MalformedItem, NormalizeResult } from '../domain/normalization';
import { isSourceName, normalize, SOURCE_NAMES, type SourceName } from '../adapters/sources';
import { looksLikeEventBridgeEnvelope } from '../adapters/sources/envelope';
import { IAM_IDENTITY_CENTER_BUS_SOURCE } from '../adapters/sources/iam-identity-center';
import { OKTA_PARTNER_SOURCE_PREFIX } from '../adapters/sources/okta';
import { SOURCE_SHAPES, sourcesResembling } from '../adapters/sources/shapes';
import { CliError } from './io';

export type NativeReading =
  | { status: 'ok'; source: SourceName; events: GuardrailEvent[]; ignored: IgnoredItem[]; malformed: MalformedItem[] }
  | { status: 'ignored'; source: SourceName; reason: string }
  | { status: 'malformed'; source: SourceName; problems: string[] };

/** Normalises `body` as `source` (validated), or as the detected source; undefined when no source recognises it. */
export function readNative(body: unknown, file: string, source: string | undefined, options?: unknown): NativeReading | undefined {
  if (source !== undefined) {
    if (!isSourceName(source)) {
      throw new CliError(`--source: "${source}" is not a known source; use one of ${SOURCE_NAMES.join(', ')}`);
    }
    return reading(source, normalizeAs(source, body, options));
  }
  const detected = detectSource(body, file, options);
  return detected && reading(detected.source, detected.result);
}

function reading(source: SourceName, result: NormalizeResult): NativeReading {
  if (result.status === 'ok') {
    return { status: 'ok', source, events: result.events, ignored: result.ignored ?? [], malformed: result.malformed ?? [] };
  }
  return { ...result, source };
}

function normalizeAs(source: SourceName, body: unknown, options: unknown): NormalizeResult {
  // Options are the source's own (app names, field mapping…): the normaliser validates what it reads.
  return normalize(source, body, options as never);
}

/**
 * Which source sent `body`. An EventBridge envelope names it (`aws.partner/okta.com/…`,
 * `aws.sso`); anything else is offered to every normaliser, and the one that
 * turns it into events wins (or, failing that, the only one that recognises
 * it as an event it deliberately ignores). When none accepts it but it looks
 * like one source's payload, that source's problems are the answer: the
 * near miss ("looks like a Coupa requisition, but: …"), not "not an event".
 */
function detectSource(body: unknown, file: string, options: unknown): { source: SourceName; result: NormalizeResult } | undefined {
  if (looksLikeEventBridgeEnvelope(body)) {
    const stated = (body as { source?: unknown }).source;
    const envelopeSource = typeof stated === 'string' ? stated : '';
    const source: SourceName | undefined = envelopeSource.startsWith(OKTA_PARTNER_SOURCE_PREFIX)
      ? 'okta'
      : envelopeSource === IAM_IDENTITY_CENTER_BUS_SOURCE
        ? 'iam-identity-center'
        : undefined;
    return source && { source, result: normalizeAs(source, body, options) };
  }
  const results = SOURCE_NAMES.map((source) => ({ source, result: normalizeAs(source, body, options) }));
  const resembles = sourcesResembling(body);
  const ok = results.filter((r) => r.result.status === 'ok');
  if (ok.length > 0) return ok.find((r) => resembles.includes(r.source)) ?? ok[0];
  const ignoredBy = results.filter((r) => r.result.status === 'ignored');
  if (ignoredBy.length === 1) return ignoredBy[0];
  if (ignoredBy.length > 1) {
    const likely = ignoredBy.find((r) => resembles.includes(r.source));
    if (likely) return likely;
    throw new CliError(`${file}: could be from ${ignoredBy.map((r) => r.source).join(' or ')}; pass --source NAME to say which`);
  }
  const nearMiss = results.find((r) => resembles.includes(r.source) && r.result.status === 'malformed');
  if (nearMiss && nearMiss.result.status === 'malformed') {
    throw new CliError(
      `${file}: looks like ${SOURCE_SHAPES[nearMiss.source].label} (--source ${nearMiss.source}), but:\n- ${nearMiss.result.problems.join('\n- ')}`,
    );
  }
  return undefined;
}

/** Lines for the stderr note about entries of a batch that were skipped or rejected. */
export function partialNotes(reading: Extract<NativeReading, { status: 'ok' }>): string[] {
  return [...reading.ignored.map((i) => `ignored ${i.item}: ${i.reason}`), ...reading.malformed.map((m) => `malformed ${m.item}: ${m.problems.join('; ')}`)];
}
