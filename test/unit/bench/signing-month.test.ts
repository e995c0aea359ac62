import { PREVIOUS_SCHEDULE, simulateSigningMonth } from '../../../bench/signing-month';

describe('the simulated month (aheadOfSigningShare)', () => {
  const result = simulateSigningMonth({ requests: 200, seed: 7, start: '2027-03-01' });

  it('decides or escalates every request at least 48 h ahead under the default schedule, and none expires silently', () => {
    expect(result.current.eligible).toBeGreaterThan(100);
    expect(result.current.aheadOfSigningShare).toBe(1);
    expect(result.current.expiredSilently).toBe(0);
    expect(result.current.leadTimes.slice(0, 3).every((b) => b.requests === 0)).toBe(true);
    // Late arrivals go up a tier at the next sweep.
    expect(result.current.lateArrivals.maxHoursToEscalation).toBeLessThanOrEqual(0.25);
  });

  it('shows the previous schedule (escalation 24 h before signing) falling short on the same requests', () => {
    expect(result.previous.schedule).toMatchObject({ reminderLeadHours: PREVIOUS_SCHEDULE.reminderLeadHours, escalationLeadHours: 24 });
    expect(result.previous.aheadOfSigningShare).toBeLessThan(1);
    expect(result.previous.expiredSilently).toBe(0);
  });

  it('is deterministic for a seed', () => {
    expect(simulateSigningMonth({ requests: 200, seed: 7, start: '2027-03-01' })).toEqual(result);
  });
});
