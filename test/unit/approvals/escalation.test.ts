import fc from 'fast-check';
import {
  DEFAULT_ESCALATION_CONFIG,
  auditEntryId,
  decisionDeadline,
  initialApprovalState,
  parseEscalationConfig,
  runEscalation,
  applyApproverAction,
  signingDeadline,
  type ApprovalState,
  type EscalationConfig,
} from '../../../functions/domain/approvals';
import { at, decision, director } from './fixtures';

const RECEIVED = '2026-11-01T09:00:00.000Z';
const SIGNING = '2026-12-10';

/** A tiny scheduler: plans and applies at the given instant, returning the new state. */
function tick(state: ApprovalState, now: string, opts: { signing?: string; received?: string; config?: EscalationConfig } = {}) {
  const out = runEscalation({
    state,
    recordId: 'REQ-1001',
    expectedSigningDate: 'signing' in opts ? opts.signing : SIGNING,
    receivedAt: opts.received ?? RECEIVED,
    config: opts.config,
    now: at(now),
  });
  return out;
}

function fresh(opts: { signing?: string; received?: string; requiredApprover?: 'it-manager' | 'it-director' | 'cio' } = {}) {
  const received = opts.received ?? RECEIVED;
  return initialApprovalState(decision({ requiredApprover: opts.requiredApprover ?? 'it-manager' }), at(received), {
    expectedSigningDate: 'signing' in opts ? opts.signing : SIGNING,
    receivedAt: at(received),
  });
}

describe('signing deadline', () => {
  it('is the start of the signing date in UTC', () => {
    expect(signingDeadline('2026-12-10').toISOString()).toBe('2026-12-10T00:00:00.000Z');
    expect(() => signingDeadline('10/12/2026')).toThrow(/expectedSigningDate/);
  });

  it('falls back to the no-date expiry, or none when switched off', () => {
    expect(decisionDeadline({ receivedAt: RECEIVED })?.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(decisionDeadline({ receivedAt: RECEIVED, config: { ...DEFAULT_ESCALATION_CONFIG, noDateExpireAfterHours: 0 } })).toBeUndefined();
  });
});

describe('escalation with a signing date', () => {
  it('reminds at the lead time, escalates later, resets the clock per tier, and expires at the signing date', () => {
    let s = fresh();
    expect(s.escalation.nextDueAt).toBe('2026-12-05T00:00:00.000Z');

    // Nothing before the reminder lead time.
    let out = tick(s, '2026-12-04T23:59:59.000Z');
    expect(out.plan).toMatchObject({ action: 'none', nextCheckAt: '2026-12-05T00:00:00.000Z' });
    expect(out.audit).toBeUndefined();

    // 120 h before: remind the IT manager.
    out = tick(s, '2026-12-05T00:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'remind', tier: 'it-manager', nextCheckAt: '2026-12-07T00:00:00.000Z' });
    expect(out.audit).toMatchObject({ type: 'reminded', actor: { kind: 'system', id: 'scheduler' }, details: { tier: 'it-manager', level: 0 } });
    s = out.state;
    expect(s.escalation).toMatchObject({ remindedAt: '2026-12-05T00:00:00.000Z', nextDueAt: '2026-12-07T00:00:00.000Z' });

    // A second run at the same time does not remind twice.
    expect(tick(s, '2026-12-05T00:05:00.000Z').plan.action).toBe('none');

    // 72 h before: escalate to the IT director, who still has three days.
    out = tick(s, '2026-12-07T00:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'escalate', fromTier: 'it-manager', tier: 'it-director', nextCheckAt: '2026-12-07T08:00:00.000Z' });
    expect(out.audit).toMatchObject({ type: 'escalated', details: { fromTier: 'it-manager', toTier: 'it-director', level: 1 } });
    s = out.state;
    expect(s.escalation).toMatchObject({ level: 1, currentTier: 'it-director', clockStartedAt: '2026-12-07T00:00:00.000Z' });
    expect(s.escalation.remindedAt).toBeUndefined();

    // The clock was reset: the director gets the after-escalation wait (8 h) before a reminder.
    expect(tick(s, '2026-12-07T07:59:00.000Z').plan.action).toBe('none');
    out = tick(s, '2026-12-07T08:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'remind', tier: 'it-director', nextCheckAt: '2026-12-07T16:00:00.000Z' });
    s = out.state;

    // The CIO has three days still: reminded after the after-escalation wait, expired at the signing date.
    out = tick(s, '2026-12-07T16:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'escalate', tier: 'cio', nextCheckAt: '2026-12-08T00:00:00.000Z' });
    s = out.state;

    // The signing date arrives undecided: marked and reported once.
    out = tick(s, '2026-12-10T00:00:00.000Z');
    expect(out.plan.action).toBe('expire');
    expect(out.state.status).toBe('expired-undecided');
    expect(out.state.escalation.expiredAt).toBe('2026-12-10T00:00:00.000Z');
    expect(out.state.escalation.nextDueAt).toBeUndefined();
    expect(out.audit).toMatchObject({ type: 'expired', details: { signingDate: SIGNING, tier: 'cio', level: 2, statusBefore: 'pending' } });
    expect(tick(out.state, '2026-12-11T00:00:00.000Z').plan).toMatchObject({ action: 'none', reason: expect.stringMatching(/expired-undecided/) });
  });

  it('reminds before escalating even when the scheduler was down past both times', () => {
    const s = fresh();
    const out = tick(s, '2026-12-09T12:00:00.000Z');
    expect(out.plan.action).toBe('remind');
    // Escalation only after the minimum gap following the reminder.
    expect(out.plan.nextCheckAt).toBe('2026-12-09T14:00:00.000Z');
    expect(tick(out.state, '2026-12-09T13:59:00.000Z').plan.action).toBe('none');
    expect(tick(out.state, '2026-12-09T14:00:00.000Z').plan.action).toBe('escalate');
  });

  it('gives a request that arrives with time left a moment before its first reminder, and escalates at the lead time', () => {
    const received = '2026-12-05T20:00:00.000Z';
    const s = fresh({ received });
    expect(s.escalation.nextDueAt).toBe('2026-12-05T22:00:00.000Z');
    expect(tick(s, '2026-12-05T20:30:00.000Z', { received }).plan.action).toBe('none');
    const reminded = tick(s, '2026-12-05T22:00:00.000Z', { received });
    expect(reminded.plan).toMatchObject({ action: 'remind', nextCheckAt: '2026-12-07T00:00:00.000Z' });
  });

  it('escalates at once a request that arrives with less than the escalation lead left', () => {
    const received = '2026-12-07T12:00:00.000Z';
    const s = fresh({ received });
    expect(s.escalation.nextDueAt).toBe(received);
    const out = tick(s, '2026-12-07T12:15:00.000Z', { received });
    expect(out.plan).toMatchObject({
      action: 'escalate',
      fromTier: 'it-manager',
      tier: 'it-director',
      reason: expect.stringMatching(/no time for a reminder/),
    });
    // The next tier gets the ordinary after-escalation wait before its own reminder.
    expect(out.plan.nextCheckAt).toBe('2026-12-07T20:15:00.000Z');
  });

  it('expires straight away a request received after its signing date', () => {
    const received = '2026-12-11T08:00:00.000Z';
    const s = fresh({ received });
    expect(s.escalation.nextDueAt).toBe('2026-12-10T00:00:00.000Z');
    expect(tick(s, received, { received }).plan.action).toBe('expire');
  });

  it('does not escalate beyond the CIO: after its reminder it waits for the deadline', () => {
    let s = fresh({ requiredApprover: 'cio' });
    let out = tick(s, '2026-12-07T00:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'remind', tier: 'cio', nextCheckAt: '2026-12-10T00:00:00.000Z' });
    s = out.state;
    out = tick(s, '2026-12-09T12:00:00.000Z');
    expect(out.plan).toMatchObject({ action: 'none', nextCheckAt: '2026-12-10T00:00:00.000Z' });
    expect(tick(s, '2026-12-10T00:00:00.000Z').plan.action).toBe('expire');
  });

  it('pauses reminders while information is requested, but still expires at the signing date', () => {
    const asked = applyApproverAction({
      state: fresh(),
      recordId: 'REQ-1001',
      approver: director,
      action: 'request-info',
      comment: 'Which team?',
      now: at('2026-12-01T00:00:00.000Z'),
      schedule: { expectedSigningDate: SIGNING, receivedAt: RECEIVED },
    });
    if (!asked.ok) throw new Error(asked.reason);
    expect(asked.state.escalation.nextDueAt).toBe('2026-12-10T00:00:00.000Z');
    expect(tick(asked.state, '2026-12-09T00:00:00.000Z').plan).toMatchObject({ action: 'none', reason: expect.stringMatching(/requester/) });
    const out = tick(asked.state, '2026-12-10T00:00:00.000Z');
    expect(out.plan.action).toBe('expire');
    expect(out.state.status).toBe('expired-undecided');
    expect(out.audit?.details.statusBefore).toBe('info-requested');
  });

  it('does nothing for decided or not-required requests', () => {
    const done = applyApproverAction({ state: fresh(), recordId: 'REQ-1001', approver: director, action: 'approve', now: at('2026-12-01T00:00:00.000Z') });
    if (!done.ok) throw new Error(done.reason);
    expect(tick(done.state, '2026-12-10T00:00:00.000Z').plan).toMatchObject({ action: 'none' });
    expect(tick(done.state, '2026-12-10T00:00:00.000Z').changed).toBe(false);
    const allowed = initialApprovalState(decision({ outcome: 'allow' }), at(RECEIVED));
    expect(tick(allowed, '2027-01-01T00:00:00.000Z').plan.action).toBe('none');
  });

  it('produces the same audit entry id when a scheduler run is retried', () => {
    const a = tick(fresh(), '2026-12-07T00:00:00.000Z');
    const b = tick(fresh(), '2026-12-07T00:00:00.000Z');
    expect(auditEntryId(a.audit!)).toBe(auditEntryId(b.audit!));
    expect(auditEntryId(a.audit!)).toMatch(/^2026-12-07T00:00:00.000Z#reminded#[0-9a-f]{16}$/);
  });
});

describe('escalation without a signing date', () => {
  const noDate = { signing: undefined };

  it('reminds after the wait, escalates after twice the wait, resets per tier, and expires after the no-date limit', () => {
    let s = fresh(noDate);
    expect(s.escalation.nextDueAt).toBe('2026-11-03T09:00:00.000Z');
    const steps: string[] = [];
    let now = s.escalation.nextDueAt!;
    for (let i = 0; i < 10 && now; i++) {
      const out = tick(s, now, noDate);
      steps.push(`${now} ${out.plan.action} ${out.plan.tier}`);
      s = out.state;
      now = out.plan.nextCheckAt!;
    }
    expect(steps).toEqual([
      '2026-11-03T09:00:00.000Z remind it-manager',
      '2026-11-05T09:00:00.000Z escalate it-director',
      '2026-11-07T09:00:00.000Z remind it-director',
      '2026-11-09T09:00:00.000Z escalate cio',
      '2026-11-11T09:00:00.000Z remind cio',
      '2026-12-01T09:00:00.000Z expire cio',
    ]);
    expect(s.status).toBe('expired-undecided');
  });

  it('never expires when the no-date limit is switched off', () => {
    const config = parseEscalationConfig({ noDateExpireAfterHours: 0 });
    let s = fresh({ ...noDate, requiredApprover: 'cio' });
    s = tick(s, '2026-11-03T09:00:00.000Z', { ...noDate, config }).state;
    const out = tick(s, '2027-06-01T00:00:00.000Z', { ...noDate, config });
    expect(out.plan).toMatchObject({ action: 'none' });
    expect(out.plan.nextCheckAt).toBeUndefined();
  });
});

describe('escalation config', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_ESCALATION_CONFIG).toEqual({
      reminderLeadHours: 120,
      escalationLeadHours: 72,
      noDateWaitHours: 48,
      afterEscalationWaitHours: 8,
      noDateExpireAfterHours: 720,
      minimumGapHours: 2,
    });
  });

  it('names the bad field', () => {
    expect(() => parseEscalationConfig({ reminderLeadHours: 24, escalationLeadHours: 48 })).toThrow(/escalationLeadHours: must be less than reminderLeadHours/);
    expect(() => parseEscalationConfig({ noDateWaitHours: -1 })).toThrow(/noDateWaitHours/);
    expect(() => parseEscalationConfig({ noDateWaitHours: 'soon' })).toThrow(/noDateWaitHours/);
  });
});

describe('escalation invariants (property test with a controllable clock)', () => {
  it('reminds before each escalation, never passes the CIO, expires once and never early', () => {
    fc.assert(
      fc.property(
        fc.record({
          receivedOffsetHours: fc.integer({ min: 0, max: 24 * 40 }),
          signingInDays: fc.option(fc.integer({ min: -2, max: 40 }), { nil: undefined }),
          tier: fc.constantFrom('it-manager' as const, 'it-director' as const, 'cio' as const),
          config: fc.record({
            reminderLeadHours: fc.integer({ min: 2, max: 200 }),
            escalationLeadHours: fc.integer({ min: 0, max: 1 }),
            noDateWaitHours: fc.integer({ min: 1, max: 100 }),
            afterEscalationWaitHours: fc.integer({ min: 1, max: 48 }),
            noDateExpireAfterHours: fc.integer({ min: 0, max: 2000 }),
            minimumGapHours: fc.integer({ min: 0, max: 6 }),
          }),
          jitterMinutes: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 30, maxLength: 30 }),
        }),
        ({ receivedOffsetHours, signingInDays, tier, config, jitterMinutes }) => {
          const cfg = parseEscalationConfig({ ...config, escalationLeadHours: Math.min(config.escalationLeadHours * 24, config.reminderLeadHours - 1) });
          const received = new Date(Date.UTC(2026, 10, 1) + receivedOffsetHours * 3_600_000);
          const signing = signingInDays === undefined ? undefined : new Date(received.getTime() + signingInDays * 86_400_000).toISOString().slice(0, 10);
          let s = initialApprovalState(decision({ requiredApprover: tier }), received, { expectedSigningDate: signing, receivedAt: received, escalation: cfg });
          const deadline = decisionDeadline({ expectedSigningDate: signing, receivedAt: received, config: cfg });
          const log: { action: string; level: number; at: number }[] = [];
          let now = s.escalation.nextDueAt ? Date.parse(s.escalation.nextDueAt) : undefined;
          for (let i = 0; i < 30 && now !== undefined; i++) {
            // The scheduler runs at or somewhat after the due time.
            const t = now + jitterMinutes[i] * 60_000;
            const out = runEscalation({ state: s, recordId: 'R', expectedSigningDate: signing, receivedAt: received, config: cfg, now: new Date(t) });
            if (out.plan.action !== 'none') log.push({ action: out.plan.action, level: s.escalation.level, at: t });
            if (out.plan.nextCheckAt) expect(Date.parse(out.plan.nextCheckAt)).toBeGreaterThan(out.plan.action === 'none' ? t - 1 : -Infinity);
            s = out.state;
            now = out.plan.nextCheckAt ? Date.parse(out.plan.nextCheckAt) : undefined;
          }
          const expires = log.filter((l) => l.action === 'expire');
          expect(expires.length).toBeLessThanOrEqual(1);
          if (expires.length) {
            expect(deadline).toBeDefined();
            expect(expires[0].at).toBeGreaterThanOrEqual(deadline!.getTime());
            expect(log[log.length - 1].action).toBe('expire');
            expect(s.status).toBe('expired-undecided');
          }
          for (const l of log) if (l.action !== 'expire' && deadline) expect(l.at).toBeLessThan(deadline.getTime());
          // Each escalation follows a reminder at the same level, except the first one of a request
          // that arrived with less than the escalation lead (and a gap) left: it goes up at once.
          const tooClose =
            deadline !== undefined &&
            signing !== undefined &&
            received.getTime() + cfg.minimumGapHours * 3_600_000 >= deadline.getTime() - cfg.escalationLeadHours * 3_600_000;
          log.forEach((l, i) => {
            if (l.action !== 'escalate') return;
            if (i === 0 && l.level === 0 && tooClose) return;
            expect(log[i - 1]).toMatchObject({ action: 'remind', level: l.level });
          });
          expect(s.escalation.currentTier).not.toBe('none');
          expect(s.escalation.level).toBeLessThanOrEqual(3);
          // A request that ran out of checks is either expired or waiting on a top tier that was reminded with no expiry.
          if (now === undefined && s.status === 'pending') {
            expect(deadline).toBeUndefined();
            expect(s.escalation.currentTier).toBe('cio');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
