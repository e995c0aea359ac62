/**
 * Intake notes: how a value in a canonical event came to be what it is when
 * not simply as the source said it. Policy turns them into findings, so a
 * decision shows what was defaulted, inferred, shortened or not understood.
 */
import { cleanText, readDomain, shorten } from './values';
import { formatCount } from './number-format';

/**
 * How a value came to be what the record holds, when not simply as the
 * source said it: a connector's configured default, inferred from the
 * payload's words, shortened, a value that could not be read (kept as
 * stated), or a reference the connector could not resolve.
 */
export const INTAKE_NOTE_KINDS = ['configured-default', 'inferred', 'shortened', 'unrecognised', 'unresolved'] as const;
export type IntakeNoteKind = (typeof INTAKE_NOTE_KINDS)[number];

export interface IntakeNote {
  /** Canonical field path, e.g. `billingPeriod`, `requester.email`. */
  field: string;
  kind: IntakeNoteKind;
  /** What the source said (unrecognised or inferred from), shortened. */
  stated?: string;
  /** Where or how, for a person ("from requisition-lines[0].description"). */
  detail?: string;
}

const MAX_NOTE_TEXT = 300;
/** At most this many notes per event. */
const MAX_NOTES = 20;

/** Intake notes of one event: those it arrived with, plus what parsing adds; bounded and without repeats. */
export class IntakeNotes {
  private readonly notes: IntakeNote[] = [];

  constructor(initial: ReadonlyArray<{ field: string; kind: IntakeNoteKind; stated?: string; detail?: string }> | undefined) {
    for (const note of initial ?? []) this.add(note);
  }

  add(note: IntakeNote): void {
    const bounded = withoutUndefined({
      field: note.field,
      kind: note.kind,
      stated: note.stated === undefined ? undefined : shorten(cleanText(note.stated), MAX_NOTE_TEXT),
      detail: note.detail === undefined ? undefined : shorten(cleanText(note.detail), MAX_NOTE_TEXT),
    });
    if (this.notes.length >= MAX_NOTES) return;
    if (this.notes.some((n) => n.field === bounded.field && n.kind === bounded.kind && n.stated === bounded.stated)) return;
    this.notes.push(bounded);
  }

  /** The text within `max`, noting the shortening. */
  bounded(field: string, text: string | undefined, max: number): string | undefined {
    if (text === undefined || text.length <= max) return text;
    this.add({ field, kind: 'shortened', detail: `${formatCount(text.length)} characters, kept ${max}` });
    return shorten(text, max);
  }

  /** The domain as a host name; text that is not one is noted and left out. */
  domain(field: string, text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const host = readDomain(text);
    if (host === undefined) this.add({ field, kind: 'unrecognised', stated: text, detail: 'not a domain name such as dropbox.com' });
    return host;
  }

  list(): IntakeNote[] | undefined {
    return this.notes.length > 0 ? this.notes : undefined;
  }
}

/** Drops keys whose value is `undefined`, recursively, so absent stays absent. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== undefined) out[key] = withoutUndefined(v);
  }
  return out as T;
}

/** The notes about one field, in order. */
export function notesFor(notes: readonly IntakeNote[] | undefined, field: string, kind?: IntakeNoteKind): IntakeNote[] {
  return (notes ?? []).filter((n) => n.field === field && (kind === undefined || n.kind === kind));
}
