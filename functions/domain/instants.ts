/**
 * Instants as people type them on a command line or in a query string: a
 * date (`2026-11-01`, midnight UTC) or an ISO 8601 time with its offset
 * (`2026-11-01T09:00:00Z`, `…+01:00`). A date used as an upper bound means
 * the end of that day, so `until=2026-11-27` includes the 27th.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const INSTANT_FORMS = 'a date such as 2026-11-01 or an ISO time such as 2026-11-01T09:00:00Z';

/** The instant `text` names, or undefined when it is not a date or an ISO time with an offset. */
export function parseInstant(text: string, edge: 'start' | 'end' = 'start'): Date | undefined {
  const value = text.trim();
  if (DATE.test(value)) {
    const start = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value) return undefined;
    return edge === 'start' ? start : new Date(start.getTime() + 24 * 3600 * 1000 - 1);
  }
  if (!DATE_TIME.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
