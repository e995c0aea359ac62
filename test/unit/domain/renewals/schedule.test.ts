import { defaultPolicy } from '../../../support/fixtures';
import { addMonths, nextRenewalDate, renewalCalendar, unusedSeats } from '../../../../functions/domain/renewals/calendar';
import { dueRenewalStep, renewalStanding, stepDueDates, type RenewalHistory } from '../../../../functions/domain/renewals/schedule';

const schedule = { remindDaysBefore: 30, remindAgainDaysBefore: 14, escalateDaysBefore: 7 };
const okta = { noticeDeadline: '2026-12-16', renewalDate: '2027-01-15' };
const none: RenewalHistory = { steps: {} };
const at = (iso: string) => new Date(iso);

describe('renewal steps', () => {
  it('fall due 30 and 14 days before the notice deadline, IT 7 days before', () => {
    expect(stepDueDates(okta, schedule)).toEqual({ reminder: '2026-11-16', 'second-reminder': '2026-12-02', escalation: '2026-12-09' });
    expect(dueRenewalStep(okta, none, schedule, at('2026-11-15T23:59:00Z'))).toBeUndefined();
    expect(dueRenewalStep(okta, none, schedule, at('2026-11-30T07:00:00Z'))).toBe('reminder');
    const reminded = { steps: { reminder: { sentAt: '2026-11-30T07:00:00.000Z' } } };
    expect(dueRenewalStep(okta, reminded, schedule, at('2026-12-01T07:00:00Z'))).toBeUndefined();
    expect(dueRenewalStep(okta, reminded, schedule, at('2026-12-02T07:00:00Z'))).toBe('second-reminder');
  });

  it('go in order and a day apart when the guard first runs late, and stop at a decision or the renewal date', () => {
    // First run after every due date: the reminder only, never the escalation first.
    expect(dueRenewalStep(okta, none, schedule, at('2026-12-20T07:00:00Z'))).toBe('reminder');
    const one = { steps: { reminder: { sentAt: '2026-12-20T07:00:00.000Z' } } };
    expect(dueRenewalStep(okta, one, schedule, at('2026-12-20T20:00:00Z'))).toBeUndefined();
    expect(dueRenewalStep(okta, one, schedule, at('2026-12-21T07:00:00Z'))).toBe('second-reminder');
    const decided = { ...one, decision: { action: 'renew' as const, by: 'security@example.com', at: '2026-12-20T09:00:00.000Z', via: 'link' as const } };
    expect(dueRenewalStep(okta, decided, schedule, at('2026-12-21T07:00:00Z'))).toBeUndefined();
    expect(dueRenewalStep(okta, none, schedule, at('2027-01-15T00:00:00Z'))).toBeUndefined();
  });

  it('describe where a renewal stands', () => {
    expect(renewalStanding(okta, none, '2026-11-01')).toBe('upcoming');
    expect(renewalStanding(okta, { steps: { reminder: { sentAt: 'x' } } }, '2026-11-30')).toBe('reminded');
    expect(renewalStanding(okta, { steps: { escalation: { sentAt: 'x' } } }, '2026-12-10')).toBe('escalated');
    expect(renewalStanding(okta, none, '2026-12-17')).toBe('notice-passed');
  });
});

describe('renewal calendar', () => {
  it('lists catalogue agreements soonest first with notice deadlines, seats and sanctioned alternatives', async () => {
    const calendar = await renewalCalendar({ policy: defaultPolicy(), contracts: [], today: '2026-11-30', withinDays: 120 });
    const okta = calendar.find((r) => r.key === 'vendor:okta');
    expect(okta).toMatchObject({
      renewalDate: '2027-01-15',
      noticeDeadline: '2026-12-16',
      noticeDays: 30,
      seats: 2600,
      seatsUsed: 2512,
      annualPrice: { amount: 187200, currency: 'USD' },
    });
    expect(unusedSeats(okta!)).toBe(88);
    expect(calendar.map((r) => r.renewalDate)).toEqual([...calendar.map((r) => r.renewalDate)].sort());
    expect(calendar.every((r) => r.renewalDate <= '2027-03-30')).toBe(true);
    const box = (await renewalCalendar({ policy: defaultPolicy(), contracts: [], today: '2026-11-30' })).find((r) => r.key === 'vendor:box');
    expect(box?.alternatives).not.toContain('Box');
  });

  it('takes seats used from the source it is given (the inventory, once it knows)', async () => {
    const calendar = await renewalCalendar({
      policy: defaultPolicy(),
      contracts: [],
      today: '2026-11-30',
      seatsUsed: { seatsUsed: async (v) => (v.id === 'okta' ? { count: 2400, from: 'from the Okta assignment list imported 2026-11-20' } : undefined) },
    });
    expect(calendar.find((r) => r.key === 'vendor:okta')).toMatchObject({
      seatsUsed: 2400,
      seatsUsedFrom: 'from the Okta assignment list imported 2026-11-20',
    });
    // The policy's own number says so.
    const fromPolicy = await renewalCalendar({ policy: defaultPolicy(), contracts: [], today: '2026-11-30' });
    expect(fromPolicy.find((r) => r.key === 'vendor:box')).toMatchObject({ seatsUsed: 380, seatsUsedFrom: 'from the policy' });
  });

  it('rolls an auto-renewing date forward by its term, and drops one that ended', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(nextRenewalDate('2025-01-15', '2026-11-30', 12, true)).toBe('2027-01-15');
    expect(nextRenewalDate('2025-01-15', '2026-11-30', 12, false)).toBeUndefined();
    expect(nextRenewalDate('2027-01-15', '2026-11-30', undefined, undefined)).toBe('2027-01-15');
  });

  it('places an approved contract at signing date + term, owned by its requester', async () => {
    const calendar = await renewalCalendar({
      policy: defaultPolicy(),
      contracts: [
        {
          recordId: 'coupa:PR-1',
          title: 'Dropbox Business',
          category: 'file-sharing',
          owner: 'maria@example.com',
          signingDate: '2026-02-10',
          termMonths: 12,
          autoRenews: true,
          seats: 20,
        },
      ],
      today: '2026-11-30',
    });
    expect(calendar.find((r) => r.key === 'request:coupa:PR-1')).toMatchObject({
      source: 'contract',
      renewalDate: '2027-02-10',
      owner: 'maria@example.com',
      alternatives: ['Box'],
    });
  });
});
