/** Turning a native payload into stamped canonical events with one source's normaliser. */
import type { NormalizeResult } from '../../domain/normalization';
import { withSource } from '../../domain/request-identity';
import { looksLikeXml, sourceNamespace, XML_SOURCES, type SourceName, type SourceOptions } from './source-names';

export type Normalizer<O> = (payload: unknown, options?: O) => NormalizeResult;

/**
 * Normalises a native payload from `source`. The payload may be parsed JSON
 * or the raw body text. Never throws: unreadable JSON, or a fault in a
 * normaliser, comes back as `malformed` so the payload is dead-lettered with
 * its reason rather than lost.
 *
 * `source` is the one the caller authenticated (the ingest route's secret,
 * the EventBridge rule's source): every event is stamped with its namespace,
 * whatever the payload claims, so one source can never write another's ids.
 */
export function normalizeWith<S extends SourceName>(
  normalizer: Normalizer<SourceOptions[S]>,
  source: S,
  payload: unknown,
  options?: SourceOptions[S],
): NormalizeResult {
  let body = payload;
  if (typeof payload === 'string' && !(XML_SOURCES.has(source) && looksLikeXml(payload))) {
    try {
      body = JSON.parse(payload);
    } catch (error) {
      return { status: 'malformed', problems: [`(payload): not valid JSON (${(error as Error).message})`] };
    }
  }
  try {
    const result = normalizer(body, options);
    if (result.status !== 'ok') return result;
    const namespace = sourceNamespace(source, options);
    return { ...result, events: result.events.map((event) => withSource(event, namespace)) };
  } catch (error) {
    return { status: 'malformed', problems: [`(payload): the ${source} normaliser could not read it (${(error as Error).message})`] };
  }
}
