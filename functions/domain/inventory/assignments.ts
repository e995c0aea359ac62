/**
 * An app's complete assignment list, from an identity provider's export:
 * Okta's "Current Assignments" report (User, Login, Application name,
 * Application instance, Assigned on, Unassigned on) or its `/apps/{id}/users`
 * JSON (credentials.userName, profile.email), Microsoft Graph's
 * `appRoleAssignedTo` JSON (`value[]`, principalType, principalDisplayName),
 * or any CSV/JSON with an email column (Google's token report "User").
 * Every unreadable row is named; a group assignment is one (seats are people).
 */
import { z } from 'zod';
import { parseCsv } from './people';
import { normalisedNameKey } from '../vendor-catalogue';
import { cleanText } from '../values';

export type { AssignmentsComplete } from './seat-counts';

export interface AssignedPerson {
  /** Lower-case email, or `<source>:<id>` when the export names only an id. */
  personKey: string;
  email?: string;
  name?: string;
}

export interface AssignmentRowProblem {
  row: number;
  problem: string;
}

export interface AssignmentReading {
  people: AssignedPerson[];
  problems: AssignmentRowProblem[];
  /** Rows for other apps (an Okta report of every app), left out. */
  otherApps: number;
  /** Rows whose assignment has ended ("Unassigned on" set), left out. */
  unassigned: number;
  /** The same person on more than one row (assigned directly and through a group): counted once. */
  repeated: number;
}

export const ASSIGNMENT_SOURCES = ['okta', 'entra-id', 'google-workspace', 'iam-identity-center', 'file'] as const;
export type AssignmentSource = (typeof ASSIGNMENT_SOURCES)[number];

type Column = 'email' | 'login' | 'user' | 'name' | 'app' | 'unassigned' | 'principalType' | 'id';
const COLUMNS: Record<string, Column> = {
  email: 'email',
  mail: 'email',
  'email address': 'email',
  'primary email': 'email',
  'user principal name': 'email',
  userprincipalname: 'email',
  login: 'login',
  username: 'login',
  'user name': 'login',
  'application login': 'login',
  // Okta's report: "User" is the person's name; Google's token report: "User" is the address.
  user: 'user',
  actor: 'user',
  name: 'name',
  'display name': 'name',
  displayname: 'name',
  'full name': 'name',
  principaldisplayname: 'name',
  'application name': 'app',
  'application instance': 'app',
  'app name': 'app',
  application: 'app',
  resourcedisplayname: 'app',
  'unassigned on': 'unassigned',
  principaltype: 'principalType',
  'object type': 'principalType',
  principalid: 'id',
  id: 'id',
};

const emailSchema = z.email();

type Row = { row: number; fields: Partial<Record<Column, string>> };

/**
 * Reads an export of the people assigned to one app. `appNames` are the
 * names the app goes by (catalogue name and aliases): rows naming another
 * app are left out, so an org-wide report can be imported as it is.
 */
export function readAssignmentExport(content: string, format: 'csv' | 'json', appNames: readonly string[], source: AssignmentSource): AssignmentReading {
  const { rows, problems } = format === 'json' ? jsonRows(content) : csvRows(content);
  const wanted = new Set(appNames.map((n) => normalisedNameKey(n)).filter((k) => k !== ''));
  const reading: AssignmentReading = { people: [], problems, otherApps: 0, unassigned: 0, repeated: 0 };
  const seen = new Set<string>();
  const otherNames = new Set<string>();
  for (const { row, fields } of rows) {
    if (fields.app && wanted.size > 0 && !wanted.has(normalisedNameKey(fields.app))) {
      reading.otherApps++;
      otherNames.add(cleanText(fields.app).slice(0, 60));
      continue;
    }
    if (fields.unassigned && fields.unassigned.trim() !== '') {
      reading.unassigned++;
      continue;
    }
    const type = fields.principalType?.trim().toLowerCase();
    if (type && type !== 'user') {
      problems.push({ row, problem: `a ${type} assignment: list its members (seats are people), not the ${type}` });
      continue;
    }
    const person = personOf(fields, source);
    if (typeof person === 'string') {
      problems.push({ row, problem: person });
      continue;
    }
    if (seen.has(person.personKey)) {
      reading.repeated++;
      continue;
    }
    seen.add(person.personKey);
    reading.people.push(person);
  }
  if (reading.people.length === 0 && reading.otherApps > 0 && problems.length === 0) {
    problems.push({ row: 0, problem: `no row is for ${appNames[0]}; the file lists ${[...otherNames].slice(0, 5).join(', ')}` });
  }
  return reading;
}

function personOf(fields: Row['fields'], source: string): AssignedPerson | string {
  const isAddress = (v: string | undefined) => v !== undefined && emailSchema.safeParse(v.trim().toLowerCase()).success;
  const named = fields.name ?? (isAddress(fields.user) ? undefined : fields.user);
  const name = named ? cleanText(named).slice(0, 200) || undefined : undefined;
  // Okta's "Login" is usually the email; the first column holding an address names the person.
  const address = [fields.email, fields.login, fields.user].find(isAddress)?.trim().toLowerCase();
  if (address) return strip({ personKey: address, email: address, name });
  const given = fields.email?.trim() || fields.login?.trim() || fields.user?.trim();
  if (given) return `"${cleanText(given).slice(0, 80)}" is not an email address`;
  const id = fields.id?.trim();
  if (id && /^[\w.-]{1,128}$/.test(id)) return strip({ personKey: `${source}:${id}`, name });
  return 'names no person (no email, login or id)';
}

function csvRows(content: string): { rows: Row[]; problems: AssignmentRowProblem[] } {
  const lines = parseCsv(content.replace(/^\uFEFF/, ''));
  if (lines.length === 0) return { rows: [], problems: [{ row: 1, problem: 'the file is empty: expected a header row (e.g. User,Login,Application name)' }] };
  const header = lines[0].cells.map((h) => COLUMNS[h.trim().toLowerCase()]);
  if (!header.some((c) => c === 'email' || c === 'login' || c === 'user' || c === 'id')) {
    return { rows: [], problems: [{ row: 1, problem: `the header names no email, login or id column (found: ${lines[0].cells.join(', ').slice(0, 200)})` }] };
  }
  const rows: Row[] = [];
  for (const line of lines.slice(1)) {
    if (line.cells.every((c) => c.trim() === '')) continue;
    const fields: Row['fields'] = {};
    header.forEach((column, i) => {
      const cell = line.cells[i];
      // The first column of a kind wins ("Application name" before "Application instance").
      if (column && cell !== undefined && cell.trim() !== '' && fields[column] === undefined) fields[column] = cell;
    });
    rows.push({ row: line.line, fields });
  }
  return { rows, problems: [] };
}

function jsonRows(content: string): { rows: Row[]; problems: AssignmentRowProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return { rows: [], problems: [{ row: 0, problem: `not valid JSON (${(error as Error).message})` }] };
  }
  const holder = parsed as { value?: unknown; people?: unknown; users?: unknown } | null;
  const list = Array.isArray(parsed) ? parsed : (holder?.value ?? holder?.people ?? holder?.users);
  if (!Array.isArray(list))
    return { rows: [], problems: [{ row: 0, problem: 'expected a list of assignments, or an object with a "value", "people" or "users" list' }] };
  const rows: Row[] = [];
  const problems: AssignmentRowProblem[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ row: i + 1, problem: 'is not an object' });
      return;
    }
    const fields: Row['fields'] = {};
    const take = (column: Column, value: unknown) => {
      if (typeof value === 'string' && value.trim() !== '' && fields[column] === undefined) fields[column] = value;
    };
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const column = COLUMNS[key.trim().toLowerCase()];
      if (column) take(column, value);
    }
    // Okta's AppUser: credentials.userName, profile.email, status (only assigned users are listed).
    const okta = item as { credentials?: { userName?: unknown }; profile?: { email?: unknown; name?: unknown } };
    take('email', okta.profile?.email);
    take('login', okta.credentials?.userName);
    take('name', okta.profile?.name);
    rows.push({ row: i + 1, fields });
  });
  return { rows, problems };
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
