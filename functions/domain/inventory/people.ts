/**
 * The people directory: email → name, department, manager, aliases, from an
 * HR or identity-provider export (CSV or JSON) or from events that carry
 * them. It attributes app usage to departments. Reading an export names
 * every bad row and what is wrong with it; good rows are kept either way.
 */
import { z } from 'zod';
import { cleanText } from '../values';

export interface Person {
  email: string;
  name?: string;
  department?: string;
  manager?: string;
  aliases: string[];
  /** `import` (an export) or `event` (what an event said; an import replaces it). */
  origin: 'import' | 'event';
}

const email = z.email('is not an email address').transform((s) => s.trim().toLowerCase());
const text = (max: number) =>
  z
    .string()
    .transform(cleanText)
    .pipe(z.string().max(max, `is longer than ${max} characters`))
    .optional()
    .transform((s) => (s === '' ? undefined : s));

const PersonRowSchema = z.object({
  email,
  name: text(200),
  department: text(100),
  manager: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()))
    .pipe(email.optional()),
  aliases: z.array(email).max(20, 'has more than 20 aliases').default([]),
});

export interface DirectoryRowProblem {
  /** 1-based: the line of a CSV file (the header is line 1), the position in a JSON list. */
  row: number;
  problem: string;
}

export interface DirectoryReading {
  people: Person[];
  problems: DirectoryRowProblem[];
}

const HEADER_NAMES: Record<string, keyof z.input<typeof PersonRowSchema>> = {
  email: 'email',
  mail: 'email',
  'e-mail': 'email',
  'email address': 'email',
  name: 'name',
  'full name': 'name',
  'display name': 'name',
  displayname: 'name',
  department: 'department',
  dept: 'department',
  manager: 'manager',
  'manager email': 'manager',
  manageremail: 'manager',
  aliases: 'aliases',
  alias: 'aliases',
  'other emails': 'aliases',
};

/** Reads a CSV (header row) or JSON (a list, or `{ "people": [...] }`) export. */
export function readDirectoryExport(content: string, format: 'csv' | 'json'): DirectoryReading {
  const rows = format === 'json' ? jsonRows(content) : csvRows(content);
  const people: Person[] = [];
  const problems: DirectoryRowProblem[] = [...rows.problems];
  const seen = new Map<string, number>();
  for (const { row, fields } of rows.rows) {
    const parsed = PersonRowSchema.safeParse(fields);
    if (!parsed.success) {
      problems.push({ row, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'} ${i.message}`).join('; ') });
      continue;
    }
    const person = parsed.data;
    const earlier = seen.get(person.email);
    if (earlier !== undefined) {
      problems.push({ row, problem: `${person.email} is already on row ${earlier}; the first row is kept` });
      continue;
    }
    seen.set(person.email, row);
    people.push({ ...strip(person), aliases: person.aliases.filter((a) => a !== person.email), origin: 'import' });
  }
  return { people: withoutClaimedAliases(people, problems, seen), problems };
}

type RawRows = { rows: { row: number; fields: Record<string, unknown> }[]; problems: DirectoryRowProblem[] };

function jsonRows(content: string): RawRows {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return { rows: [], problems: [{ row: 0, problem: `not valid JSON (${(error as Error).message})` }] };
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { people?: unknown } | null)?.people;
  if (!Array.isArray(list)) return { rows: [], problems: [{ row: 0, problem: 'expected a list of people, or an object with a "people" list' }] };
  const rows: RawRows['rows'] = [];
  const problems: DirectoryRowProblem[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ row: i + 1, problem: 'is not an object with an email' });
      return;
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const name = HEADER_NAMES[key.trim().toLowerCase()];
      if (name) fields[name] = name === 'aliases' && typeof value === 'string' ? splitList(value) : value;
    }
    rows.push({ row: i + 1, fields });
  });
  return { rows, problems };
}

function csvRows(content: string): RawRows {
  const lines = parseCsv(content.replace(/^\uFEFF/, ''));
  if (lines.length === 0)
    return { rows: [], problems: [{ row: 1, problem: 'the file is empty: expected a header row such as email,name,department,manager,aliases' }] };
  const header = lines[0].cells.map((h) => HEADER_NAMES[h.trim().toLowerCase()]);
  if (!header.includes('email')) return { rows: [], problems: [{ row: 1, problem: `the header names no email column (found: ${lines[0].cells.join(', ')})` }] };
  const rows: RawRows['rows'] = [];
  for (const line of lines.slice(1)) {
    if (line.cells.every((c) => c.trim() === '')) continue;
    const fields: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const cell = line.cells[i];
      if (!name || cell === undefined) return;
      fields[name] = name === 'aliases' ? splitList(cell) : cell;
    });
    rows.push({ row: line.line, fields });
  }
  return { rows, problems: [] };
}

function splitList(text: string): string[] {
  return text
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** RFC 4180 CSV: quoted cells may hold commas, quotes ("") and line breaks; each row keeps the line it started on. */
export function parseCsv(content: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/**
 * An alias that is another row's own address, or that two people claim, would
 * make two people one (approvals would then refuse one the other's request):
 * such a row is named and left out.
 */
function withoutClaimedAliases(people: Person[], problems: DirectoryRowProblem[], rows: ReadonlyMap<string, number>): Person[] {
  const claims = new Map<string, string[]>();
  for (const p of people) for (const alias of p.aliases) claims.set(alias, [...(claims.get(alias) ?? []), p.email]);
  return people.filter((p) => {
    const clash = p.aliases.find((a) => rows.has(a) || (claims.get(a)?.length ?? 0) > 1);
    if (clash === undefined) return true;
    const why = rows.has(clash)
      ? `is the address of the person on row ${rows.get(clash)}`
      : `is also claimed by ${claims.get(clash)!.find((e) => e !== p.email)}`;
    problems.push({ row: rows.get(p.email) ?? 0, problem: `alias ${clash} ${why}` });
    return false;
  });
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
