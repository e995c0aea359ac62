/**
 * Reads the events a CLI command was given, in any of the shapes the local
 * runtime accepts (EventBridge entry, delivered event, detail with `kind`,
 * `{Entries}`), or as a native payload from a known source. Validation is the
 * handlers' own (`validateGuardrailEvent`), so the CLI rejects exactly what a
 * Lambda would dead-letter, with the same field paths.
 */
import type { GuardrailEvent } from '../domain/events';
import { validateGuardrailEvent } from '../domain/use-cases/guardrail/validate';
import { entriesOf, matchingKinds, noRuleMessage, toBusEvent } from '../local/event-intake';
import { CliError } from './io';
import { SOURCE_NAMES } from '../adapters/sources';
import { partialNotes, readNative } from './native-input';

export interface CanonicalInput {
  events: GuardrailEvent[];
  /** Whether the file held several entries (print an array then). */
  many: boolean;
  /** The native source the events came from, when they were normalised. */
  source?: string;
  /** Why a native payload produced no events (a source event that is not about apps or purchases). */
  ignoredReason?: string;
  /** Entries of a native batch that were skipped or rejected, for stderr. */
  notes: string[];
}

/**
 * The canonical events in `body`. With `source`, `body` is that source's
 * native payload; without, an envelope is tried first and a native payload
 * second (detected by the normalisers).
 * @throws CliError (exit 2) naming every bad field
 */
export function canonicalEventsOf(body: unknown, file: string, source?: string, options?: unknown): CanonicalInput {
  if (source !== undefined) return nativeEvents(body, file, source, options)!;

  const split = entriesOf(body);
  if (!split.ok) throw invalid(file, split.problems);
  const problems: string[] = [];
  const events: GuardrailEvent[] = [];
  let unrecognised = false;
  for (const { path, entry } of split.entries) {
    const bus = toBusEvent(entry, path);
    if (!bus.ok) {
      unrecognised = true;
      problems.push(...bus.problems);
      continue;
    }
    const kinds = matchingKinds(bus.event);
    if (kinds.length === 0) {
      unrecognised = true;
      problems.push(`${path}${noRuleMessage(bus.event)}`);
      continue;
    }
    for (const kind of kinds) {
      const validation = validateGuardrailEvent(kind, bus.event.detail);
      if (validation.ok) events.push(validation.event);
      else problems.push(...validation.problems.map((p) => (path ? `${path}${p}` : p)));
    }
  }
  if (problems.length === 0) return { events, many: split.batch, notes: [] };

  // Not a guardrail envelope at all: it may be a source's own payload (an Okta System Log event, …).
  if (unrecognised && !split.batch) {
    const native = nativeEvents(body, file, undefined, options);
    if (native) return native;
    problems.push(`(or, for a native payload, pass --source with one of ${SOURCE_NAMES.join(', ')})`);
  }
  throw invalid(file, problems);
}

/** A native payload as canonical events; undefined when no source recognises it. */
function nativeEvents(body: unknown, file: string, source: string | undefined, options: unknown): CanonicalInput | undefined {
  const reading = readNative(body, file, source, options);
  if (!reading) return undefined;
  if (reading.status === 'malformed') {
    throw new CliError(
      `${file}: malformed ${reading.source} payload (${reading.problems.length} problem${reading.problems.length === 1 ? '' : 's'}):\n- ${reading.problems.join('\n- ')}`,
    );
  }
  if (reading.status === 'ignored') return { events: [], many: false, source: reading.source, ignoredReason: reading.reason, notes: [] };
  return { events: reading.events, many: reading.events.length > 1, source: reading.source, notes: partialNotes(reading) };
}

export function invalid(file: string, problems: string[]): CliError {
  return new CliError(`${file}: invalid event (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`);
}
