/**
 * Outreach, pure: the periods a run reports on, each department's activity
 * (requests and app connections, grouped per app, with sanctioned
 * alternatives that have spare seats), and the two messages with every
 * outside name escaped per channel.
 */
import { departmentOutreach, shadowItReport } from '../../../../../functions/domain/notifications';
import type { RequestRecord } from '../../../../../functions/domain/records';
import { activityByDepartment, departmentMatcher, sanctionedAlternatives } from '../../../../../functions/domain/use-cases/outreach/activity';
import { lastCompleteMonth, lastCompleteWeek } from '../../../../../functions/domain/use-cases/outreach/periods';
import { defaultPolicy, recordFor } from '../../../../support/fixtures';
import { appEvent, purchase } from '../../../domain/fixtures';

const policy = defaultPolicy();
const at = (record: RequestRecord, receivedAt: string): RequestRecord => ({ ...record, receivedAt });

describe('periods', () => {
  test('the last complete ISO week (Monday to Monday, UTC) and calendar month before an instant', () => {
    expect(lastCompleteWeek(new Date('2026-12-08T08:00:00Z'))).toMatchObject({
      key: '2026-W49',
      start: new Date('2026-11-30T00:00:00Z'),
      end: new Date('2026-12-07T00:00:00Z'),
      label: '30 Nov – 6 Dec 2026',
    });
    // A Sunday night still reports the week before, not the one it is in.
    expect(lastCompleteWeek(new Date('2026-12-13T23:59:00Z')).key).toBe('2026-W49');
    // ISO years: 29 Dec 2025 starts week 1 of 2026.
    expect(lastCompleteWeek(new Date('2026-01-05T00:00:00Z')).key).toBe('2026-W01');
    expect(lastCompleteMonth(new Date('2027-01-01T08:00:00Z'))).toMatchObject({
      key: '2026-12',
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
      label: 'December 2026',
    });
  });
});

describe('activity by department', () => {
  const week = lastCompleteWeek(new Date('2026-12-08T08:00:00Z'));
  const dropbox = at(
    recordFor({
      kind: 'purchase-request',
      detail: purchase({
        requestId: 'PR-9',
        vendor: { name: 'Dropbox' },
        product: 'Dropbox Business',
        requester: { email: 'maria@example.com', name: 'Maria', department: 'mktg' },
      }),
    }),
    '2026-12-01T10:00:00Z',
  );
  const canva = (id: string, email: string, when: string) =>
    at(
      recordFor({ kind: 'app-connected', detail: appEvent({ sourceEventId: id, app: { name: 'Canva' }, subject: { email }, department: 'Marketing' }) }),
      when,
    );

  test('matches departments by name or alias, case-insensitively', () => {
    const match = departmentMatcher(policy.departments);
    expect(match('MKTG')?.name).toBe('Marketing');
    expect(match('  people operations ')?.name).toBe('People');
    expect(match('Moon Base')).toBeUndefined();
  });

  test('groups app connections per app, counts people once, knows what is new, and offers sanctioned tools with spare seats', () => {
    const records = [
      canva('e0', 'old@example.com', '2026-10-01T00:00:00Z'),
      canva('e1', 'a@example.com', '2026-12-02T00:00:00Z'),
      canva('e2', 'A@example.com', '2026-12-03T00:00:00Z'),
      canva('e3', 'b@example.com', '2026-12-04T00:00:00Z'),
      dropbox,
    ];
    const marketing = activityByDepartment(records, policy, week).get('Marketing')!;
    expect(marketing.requests).toEqual([
      expect.objectContaining({ vendor: 'Dropbox', requester: 'Maria', alternatives: [expect.objectContaining({ name: 'Box', spareSeats: 120 })] }),
    ]);
    expect(marketing.apps).toEqual([
      expect.objectContaining({ name: 'Canva', people: ['a@example.com', 'b@example.com'], isNew: false, firstSeen: '2026-10-01T00:00:00Z' }),
    ]);
    // Nothing from after the period, nothing for departments that did nothing.
    expect(activityByDepartment([canva('late', 'z@example.com', '2026-12-07T00:00:00Z')], policy, week).get('Marketing')).toMatchObject({
      apps: [],
      requests: [],
    });
  });

  test('a sanctioned tool with no spare seat is not offered; one without a seat count is', () => {
    const full = {
      ...policy,
      vendors: policy.vendors.map((v) => (v.id === 'box' ? { ...v, agreement: { type: 'enterprise' as const, seats: 10, seatsUsed: 10 } } : v)),
    };
    expect(sanctionedAlternatives(full, 'file-sharing', 'dropbox').map((a) => a.name)).not.toContain('Box');
    const uncounted = { ...policy, vendors: policy.vendors.map((v) => (v.id === 'box' ? { ...v, agreement: undefined } : v)) };
    const box = sanctionedAlternatives(uncounted, 'file-sharing', 'dropbox').find((a) => a.name === 'Box');
    expect(box).toBeDefined();
    expect(box?.spareSeats).toBeUndefined();
  });
});

describe('messages', () => {
  const week = lastCompleteWeek(new Date('2026-12-08T08:00:00Z'));
  const hostile = 'Evil <b>*bold*</b> https://evil.example/x';
  const record = at(
    recordFor({
      kind: 'app-connected',
      detail: appEvent({ sourceEventId: 'h1', app: { name: hostile }, subject: { email: 'x@example.com' }, department: 'Marketing' }),
    }),
    '2026-12-02T00:00:00Z',
  );
  const activity = activityByDepartment([record], policy, week);
  const marketing = { ...activity.get('Marketing')!, department: policy.departments[0] };

  test('the department note: addressed to its contact, filtered on its name, outside names never a live link or markup', () => {
    const note = departmentOutreach({ activity: marketing, period: week, policy, now: new Date('2026-12-08T08:00:00Z') });
    expect(note.to).toBe('marketing-ops@example.com');
    expect(note.attributes).toEqual({ type: 'outreach', kind: 'outreach', department: 'Marketing', cadence: 'weekly' });
    expect(note.text).toContain('https[:]//evil.example/x');
    expect(note.text).not.toContain('https://evil.example');
    expect(JSON.stringify(note.chat)).not.toContain('<b>');
    expect(note.data).toMatchObject({ audience: 'department', department: 'Marketing', period: '2026-W49', to: 'marketing-ops@example.com' });
  });

  test("IT's report goes to every approver and counts new apps, people and risky consents", () => {
    const month = lastCompleteMonth(new Date('2027-01-01T08:00:00Z'));
    const consent = at(
      recordFor({
        kind: 'app-connected',
        detail: appEvent({
          sourceEventId: 'c1',
          app: { name: 'Sketchy Notes' },
          connectionKind: 'oauth-consent',
          adminConsent: true,
          actor: { type: 'user', email: 'dev@example.com' },
          department: 'Nowhere',
        }),
      }),
      '2026-12-10T00:00:00Z',
    );
    const report = shadowItReport({
      activity: [...activityByDepartment([record, consent], policy, month).values()],
      period: month,
      now: new Date('2027-01-01T08:00:00Z'),
    });
    expect(report.attributes).toMatchObject({ type: 'shadow-it-report', recipient: 'all-approvers', severity: 'medium' });
    expect(report.text).toContain('New apps:                        2');
    expect(report.text).toContain('Nowhere (not in the policy departments)');
    expect(report.text).toMatch(/Risky consents\n• Nowhere: Sketchy Notes, admin consent/);
  });
});
