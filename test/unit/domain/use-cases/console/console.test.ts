/**
 * The console's figures and list, pure: filters, search, a stable order
 * that pages never repeat or skip, query problems named by parameter, and
 * "what matters now" (deadlines bucketed, this week's outcomes, new apps,
 * spend by department).
 */
import type { RequestRecord } from '../../../../../functions/domain/records';
import { overviewOf } from '../../../../../functions/domain/use-cases/console/overview';
import { listRequests, parseRequestQuery } from '../../../../../functions/domain/use-cases/console/request-list';
import { recordFor } from '../../../../support/fixtures';
import { appEvent, purchase } from '../../../domain/fixtures';

const pr = (id: string, overrides: Parameters<typeof purchase>[0], receivedAt: string): RequestRecord => ({
  ...recordFor({ kind: 'purchase-request', detail: purchase({ requestId: id, ...overrides }) }),
  receivedAt,
});
const app = (id: string, name: string, receivedAt: string, email = 'someone@example.com'): RequestRecord => ({
  ...recordFor({ kind: 'app-connected', detail: appEvent({ sourceEventId: id, app: { name }, subject: { email }, department: 'Sales' }) }),
  receivedAt,
});

describe('request list', () => {
  const records = Array.from({ length: 30 }, (_, i) =>
    pr(
      `PR-${i}`,
      {
        vendor: { name: i % 2 ? 'Dropbox' : 'Slack' },
        requester: { email: `p${i}@example.com`, name: `Person ${i}`, department: i % 3 ? 'Sales' : 'Finance' },
        source: i % 2 ? 'coupa' : 'servicenow',
      },
      `2026-11-${String(1 + (i % 5)).padStart(2, '0')}T00:00:00Z`,
    ),
  );

  test('pages in one stable order, newest first then by id, never repeating or skipping', () => {
    const first = listRequests(records, { page: 1 }, 12);
    const rest = [2, 3].flatMap((page) => listRequests(records, { page }, 12).records);
    const ids = [...first.records, ...rest].map((r) => r.recordId);
    expect(new Set(ids).size).toBe(30);
    expect(first.pages).toBe(3);
    expect(first.records[0].receivedAt).toBe('2026-11-05T00:00:00Z');
    expect(listRequests([...records].reverse(), { page: 1 }, 12).records.map((r) => r.recordId)).toEqual(first.records.map((r) => r.recordId));
  });

  test('filters by department and source case-insensitively and searches every word in vendor, requester and id', () => {
    const list = listRequests(records, { department: 'finance', source: 'COUPA', page: 1 });
    expect(list.records.every((r) => r.kind === 'purchase-request' && r.detail.requester.department === 'Finance' && r.detail.source === 'coupa')).toBe(true);
    expect(list.total).toBe(5);
    // Every word must match somewhere: the vendor, then the requester's name.
    expect(
      listRequests(records, { q: 'DROPBOX person 1', page: 1 })
        .records.map((r) => r.recordId.replace(/^.*:/, ''))
        .sort(),
    ).toEqual(['PR-1', 'PR-11', 'PR-13', 'PR-15', 'PR-17', 'PR-19', 'PR-21']);
    expect(listRequests(records, { q: 'p12@example.com', page: 1 }).records.map((r) => r.recordId)).toEqual([expect.stringMatching(/PR-12$/)]);
    expect(list.facets).toEqual({ departments: ['Finance', 'Sales'], sources: ['coupa', 'servicenow'] });
  });

  test('names every bad parameter', () => {
    expect(parseRequestQuery({ outcome: 'maybe', status: 'lost', page: '0', kind: 'x' })).toEqual({
      problems: [
        'kind: "x" is not one of purchase-request, app-connected',
        'outcome: "maybe" is not one of allow, review, block',
        expect.stringMatching(/^status: "lost" is not one of pending/),
        'page: "0" is not a page number (1, 2, …)',
      ],
    });
    expect(parseRequestQuery({ q: '  dropbox ', department: '' })).toEqual({ query: { q: 'dropbox', page: 1 } });
  });
});

describe('what matters now', () => {
  const now = new Date('2026-12-03T09:00:00Z');
  test('buckets deadlines, counts this week, finds first-seen apps and sums spend by department', () => {
    const overdue = pr(
      'PR-A',
      { expectedSigningDate: '2026-12-01', vendor: { name: 'Dropbox' }, requester: { email: 'a@example.com', department: 'Marketing' } },
      '2026-11-20T00:00:00Z',
    );
    const soon = pr(
      'PR-B',
      { expectedSigningDate: '2026-12-06', vendor: { name: 'Dropbox' }, requester: { email: 'b@example.com', department: 'Marketing' } },
      '2026-12-02T00:00:00Z',
    );
    const old = pr('PR-C', { requester: { email: 'c@example.com', department: 'Finance' } }, '2026-10-01T00:00:00Z');
    const apps = [
      app('e1', 'Canva', '2026-12-02T00:00:00Z', 'x@example.com'),
      app('e2', 'Canva', '2026-12-02T01:00:00Z', 'y@example.com'),
      app('e3', 'Miro', '2026-10-02T00:00:00Z'),
      app('e4', 'Miro', '2026-12-02T00:00:00Z'),
    ];
    const o = overviewOf({ open: [overdue, soon], records: [overdue, soon, old, ...apps], now });
    expect(o.pending.byDeadline).toMatchObject({ overdue: 1, 'this week': 1 });
    expect(o.pending.soonest.map((s) => s.recordId.replace(/^.*:/, ''))).toEqual(['PR-A', 'PR-B']);
    expect(o.decisionsThisWeek.evaluated.review + o.decisionsThisWeek.evaluated.allow + o.decisionsThisWeek.evaluated.block).toBe(4);
    expect(o.newApps).toEqual([expect.objectContaining({ name: 'Canva', people: 2, department: 'Sales' })]);
    expect(o.spendByDepartment.map((s) => s.department)).toEqual(['Marketing']);
  });
});
