/**
 * The console's request list: every stored request (decided ones too)
 * filtered by outcome, approval status, department and source, searched by
 * vendor, requester or id, in one stable order (newest first, then by id),
 * one page at a time. Pure: the caller brings the records it may show.
 */
import { APPROVAL_STATUSES, type ApprovalStatus } from '../../approvals';
import { OUTCOMES, type Outcome } from '../../decision';
import type { RequestRecord } from '../../records';

export const PAGE_SIZE = 25;

export const RECORD_KINDS = ['purchase-request', 'app-connected'] as const;

export interface RequestQuery {
  kind?: (typeof RECORD_KINDS)[number];
  outcome?: Outcome;
  status?: ApprovalStatus;
  /** Compared case-insensitively. */
  department?: string;
  /** `coupa`, `okta`, … (a purchase request's tool, an app event's identity provider). */
  source?: string;
  /** Words all found in the vendor, product, app, requester or id (case-insensitive). */
  q?: string;
  /** 1-based. */
  page: number;
}

export interface RequestListPage {
  query: RequestQuery;
  records: RequestRecord[];
  total: number;
  pages: number;
  /** Values present in the records, for the filter menus. */
  facets: { departments: string[]; sources: string[] };
}

/** Reads `?outcome=&status=&department=&source=&q=&page=`; returns the query or the problems, each naming the parameter. */
export function parseRequestQuery(params: Record<string, string | undefined>): { query: RequestQuery } | { problems: string[] } {
  const problems: string[] = [];
  const text = (name: string, max: number) => {
    const value = params[name]?.trim();
    if (!value) return undefined;
    if (value.length > max) problems.push(`${name}: at most ${max} characters`);
    return value.slice(0, max);
  };
  const kind = text('kind', 32);
  if (kind && !(RECORD_KINDS as readonly string[]).includes(kind)) problems.push(`kind: "${kind}" is not one of ${RECORD_KINDS.join(', ')}`);
  const outcome = text('outcome', 16);
  if (outcome && !(OUTCOMES as readonly string[]).includes(outcome)) problems.push(`outcome: "${outcome}" is not one of ${OUTCOMES.join(', ')}`);
  const status = text('status', 32);
  if (status && !(APPROVAL_STATUSES as readonly string[]).includes(status)) problems.push(`status: "${status}" is not one of ${APPROVAL_STATUSES.join(', ')}`);
  const rawPage = text('page', 6);
  const page = rawPage === undefined ? 1 : Number(rawPage);
  if (!Number.isInteger(page) || page < 1) problems.push(`page: "${rawPage}" is not a page number (1, 2, …)`);
  if (problems.length > 0) return { problems };
  const department = text('department', 100);
  const source = text('source', 64);
  const q = text('q', 200);
  return {
    query: {
      ...(kind ? { kind: kind as RequestQuery['kind'] } : {}),
      ...(outcome ? { outcome: outcome as Outcome } : {}),
      ...(status ? { status: status as ApprovalStatus } : {}),
      ...(department ? { department } : {}),
      ...(source ? { source } : {}),
      ...(q ? { q } : {}),
      page,
    },
  };
}

export function sourceOfRecord(record: RequestRecord): string | undefined {
  return record.detail.source;
}

export function departmentOfRecord(record: RequestRecord): string | undefined {
  return record.kind === 'purchase-request' ? record.detail.requester.department : record.detail.department;
}

/** Everything the search matches against, lower case. */
function searchText(record: RequestRecord): string {
  const parts: (string | undefined)[] = [record.recordId, record.decision.vendor?.name];
  if (record.kind === 'purchase-request') {
    const d = record.detail;
    parts.push(d.requestId, d.vendor.name, d.vendor.domain, d.product, d.requester.email, d.requester.name);
  } else {
    const d = record.detail;
    parts.push(d.sourceEventId, d.app.name, d.app.domain, d.actor.email, d.actor.displayName, d.subject?.email, d.subject?.displayName);
  }
  return parts.filter(Boolean).join('\n').toLowerCase();
}

/** Newest first; the id breaks ties, so a page never shows a record twice or skips one. */
export function newestFirst(a: RequestRecord, b: RequestRecord): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? 1 : -1;
  return a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0;
}

export function listRequests(records: readonly RequestRecord[], query: RequestQuery, pageSize = PAGE_SIZE): RequestListPage {
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const same = (a: string | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();
  const matching = records
    .filter((r) => !query.kind || r.kind === query.kind)
    .filter((r) => !query.outcome || r.decision.outcome === query.outcome)
    .filter((r) => !query.status || r.approval.status === query.status)
    .filter((r) => !query.department || same(departmentOfRecord(r), query.department))
    .filter((r) => !query.source || same(sourceOfRecord(r), query.source))
    .filter((r) => {
      if (words.length === 0) return true;
      const text = searchText(r);
      return words.every((w) => text.includes(w));
    })
    .sort(newestFirst);
  const pages = Math.max(1, Math.ceil(matching.length / pageSize));
  const start = (query.page - 1) * pageSize;
  return {
    query,
    records: matching.slice(start, start + pageSize),
    total: matching.length,
    pages,
    facets: { departments: distinct(records.map(departmentOfRecord)), sources: distinct(records.map(sourceOfRecord)) },
  };
}

function distinct(values: (string | undefined)[]): string[] {
  const byKey = new Map<string, string>();
  for (const v of values) if (v && v.trim() && !byKey.has(v.trim().toLowerCase())) byKey.set(v.trim().toLowerCase(), v.trim());
  return [...byKey.values()].sort((a, b) => a.localeCompare(b));
}
