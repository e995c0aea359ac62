import {
  applyApproverAction,
  approvalProgress,
  authorizeApproverAction,
  firstSignatureTier,
  initialApprovalState,
  resumeAfterInformation,
  validateComment,
  MAX_COMMENT_LENGTH,
  type ApprovalState,
} from '../../../functions/domain/approvals';
import { REQUESTER, at, cio, decision, director, director2, manager, manager2 } from './fixtures';

const NOW = at('2026-11-02T10:00:00.000Z');

function pending(overrides: Parameters<typeof decision>[0] = {}): ApprovalState {
  return initialApprovalState(decision(overrides), at('2026-11-01T09:00:00.000Z'), { expectedSigningDate: '2026-12-10' });
}

function act(state: ApprovalState, approver: typeof manager, action: string, comment?: string, now = NOW) {
  return applyApproverAction({ state, recordId: 'REQ-1001', requesterEmail: REQUESTER, approver, action, comment, now });
}

describe('initialApprovalState', () => {
  it('needs no approval when the policy allows', () => {
    const s = initialApprovalState(decision({ outcome: 'allow', findings: [], severity: 'info' }), NOW);
    expect(s.status).toBe('not-required');
    expect(s.requiredApprover).toBe('none');
    expect(s.escalation.nextDueAt).toBeUndefined();
  });

  it('puts a review in front of the tier the spend demands, with the first check scheduled', () => {
    const s = initialApprovalState(decision({ requiredApprover: 'cio', twoStepApproval: true }), NOW, { expectedSigningDate: '2026-12-10' });
    expect(s).toMatchObject({ status: 'pending', requiredApprover: 'cio', twoStep: true, steps: [], revision: 0 });
    // Two-step: the director (tier below) is asked first.
    expect(s.escalation.currentTier).toBe('it-director');
    // Reminder 120 h before the signing date (start of day UTC).
    expect(s.escalation.nextDueAt).toBe('2026-12-05T00:00:00.000Z');
  });

  it('raises a review with no spend tier to at least an IT manager', () => {
    const s = initialApprovalState(decision({ requiredApprover: undefined, kind: 'app-connected' }), NOW);
    expect(s.requiredApprover).toBe('it-manager');
  });

  it('makes a block need at least an IT director, but keeps a higher spend tier', () => {
    expect(initialApprovalState(decision({ outcome: 'block', requiredApprover: 'it-manager' }), NOW).requiredApprover).toBe('it-director');
    expect(initialApprovalState(decision({ outcome: 'block', requiredApprover: 'cio' }), NOW).requiredApprover).toBe('cio');
  });

  it('lets the minimum tiers be configured', () => {
    const s = initialApprovalState(decision({ outcome: 'block', requiredApprover: undefined }), NOW, { rules: { blockMinimumTier: 'cio' } });
    expect(s.requiredApprover).toBe('cio');
  });
});

describe('authorizeApproverAction: separation of duties', () => {
  const state = pending();
  it.each([
    ['the same address', 'Alice.Requester@example.com'],
    ['another case', 'alice.requester@EXAMPLE.com'],
    ['a plus-address', 'alice.requester+procurement@example.com'],
    ['surrounding spaces', '  alice.requester@example.com '],
  ])('refuses the requester approving under %s', (_label, email) => {
    const r = authorizeApproverAction({ state, requesterEmail: REQUESTER, approver: { email, tier: 'cio' }, action: 'approve', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    if (!r.ok) expect(r.reason).toMatch(/separation of duties/);
  });

  it('refuses the requester rejecting or asking for information too', () => {
    for (const action of ['reject', 'request-info']) {
      const r = authorizeApproverAction({ state, requesterEmail: [REQUESTER], approver: { email: REQUESTER, tier: 'cio' }, action, now: NOW });
      expect(r).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
    }
  });

  it('checks every person behind an app event (actor and subject)', () => {
    const r = authorizeApproverAction({
      state,
      requesterEmail: ['dev@example.com', 'mia.manager@example.com'],
      approver: manager,
      action: 'approve',
      now: NOW,
    });
    expect(r).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
  });

  it('does not confuse similar addresses on another domain', () => {
    const r = authorizeApproverAction({
      state,
      requesterEmail: REQUESTER,
      approver: { email: 'alice.requester@example.org', tier: 'it-manager' },
      action: 'approve',
      now: NOW,
    });
    expect(r.ok).toBe(true);
  });
});

describe('authorizeApproverAction: tiers', () => {
  it('refuses an approver below the required tier, naming both tiers', () => {
    const r = authorizeApproverAction({
      state: pending({ requiredApprover: 'cio' }),
      requesterEmail: REQUESTER,
      approver: director,
      action: 'approve',
      now: NOW,
    });
    expect(r).toMatchObject({ ok: false, code: 'TIER_TOO_LOW' });
    if (!r.ok) expect(r.reason).toBe('This approval needs a CIO or higher; you are an IT director.');
  });

  it('lets a higher tier approve', () => {
    expect(authorizeApproverAction({ state: pending(), requesterEmail: REQUESTER, approver: cio, action: 'approve', now: NOW })).toMatchObject({
      ok: true,
      final: true,
      statusAfter: 'approved',
    });
  });

  it('refuses someone who is not an approver at all', () => {
    const r = authorizeApproverAction({
      state: pending(),
      requesterEmail: REQUESTER,
      approver: { email: 'x@example.com', tier: 'none' },
      action: 'request-info',
      now: NOW,
    });
    expect(r).toMatchObject({ ok: false, code: 'TIER_TOO_LOW' });
    if (!r.ok) expect(r.reason).toMatch(/you are not an approver/);
  });

  it('needs the required tier to reject a single-step request', () => {
    const state = pending({ requiredApprover: 'it-director' });
    expect(authorizeApproverAction({ state, requesterEmail: REQUESTER, approver: manager, action: 'reject', now: NOW })).toMatchObject({
      ok: false,
      code: 'TIER_TOO_LOW',
    });
    expect(authorizeApproverAction({ state, requesterEmail: REQUESTER, approver: director, action: 'reject', now: NOW })).toMatchObject({
      ok: true,
      statusAfter: 'rejected',
    });
  });

  it('refuses unknown actions without throwing', () => {
    expect(authorizeApproverAction({ state: pending(), approver: cio, action: 'delete-everything', now: NOW })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_ACTION',
    });
    expect(authorizeApproverAction({ state: pending(), approver: cio, action: '__proto__', now: NOW })).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });
});

describe('two-step approval', () => {
  const twoStep = () => pending({ requiredApprover: 'cio', twoStepApproval: true });

  it('takes the first signature from the tier below and the second from the required tier', () => {
    expect(firstSignatureTier('cio')).toBe('it-director');
    expect(firstSignatureTier('it-manager')).toBe('it-manager');

    const first = act(twoStep(), director, 'approve', 'Fine by me');
    if (!first.ok) throw new Error(first.reason);
    expect(first.final).toBe(false);
    expect(first.state.status).toBe('pending');
    expect(first.step).toMatchObject({ action: 'approve', stage: 1, by: { email: director.email, tier: 'it-director' } });
    expect(first.audit).toMatchObject({ type: 'decided', details: { action: 'approve', stage: '1', statusAfter: 'pending' } });
    // The CIO is asked now, with a fresh clock.
    expect(first.state.escalation).toMatchObject({ currentTier: 'cio', clockResetBy: 'first-signature', clockStartedAt: NOW.toISOString() });
    expect(approvalProgress(first.state)).toMatchObject({ stage: 'second-signature', neededTier: 'cio', firstSigner: { email: director.email } });

    const second = act(first.state, cio, 'approve', undefined, at('2026-11-03T10:00:00.000Z'));
    if (!second.ok) throw new Error(second.reason);
    expect(second.final).toBe(true);
    expect(second.state).toMatchObject({ status: 'approved', decidedAt: '2026-11-03T10:00:00.000Z', revision: 2 });
    expect(second.step.stage).toBe(2);
    expect(second.state.escalation.nextDueAt).toBeUndefined();
  });

  it('refuses a first signature below the tier below', () => {
    expect(act(twoStep(), manager, 'approve')).toMatchObject({ ok: false, code: 'TIER_TOO_LOW' });
  });

  it('refuses the second signature from the tier below', () => {
    const first = act(twoStep(), director, 'approve');
    if (!first.ok) throw new Error(first.reason);
    const r = act(first.state, director2, 'approve');
    expect(r).toMatchObject({ ok: false, code: 'TIER_TOO_LOW' });
    if (!r.ok) expect(r.reason).toMatch(/^The second signature needs a CIO/);
  });

  it('needs two different people, even when the first signer holds the required tier', () => {
    const first = act(twoStep(), cio, 'approve');
    if (!first.ok) throw new Error(first.reason);
    expect(first.step.stage).toBe(1);
    const again = act(first.state, { ...cio, email: 'CHRIS.CIO+again@example.com' }, 'approve');
    expect(again).toMatchObject({ ok: false, code: 'SAME_APPROVER_TWICE' });
    const other = act(first.state, { email: 'casey.cio@example.com', tier: 'cio' }, 'approve');
    expect(other).toMatchObject({ ok: true, final: true });
  });

  it('lets either signer reject, which ends the request', () => {
    const byFirstTier = act(twoStep(), director, 'reject', 'Use Box instead');
    expect(byFirstTier).toMatchObject({ ok: true, final: true, state: { status: 'rejected' } });

    const first = act(twoStep(), director, 'approve');
    if (!first.ok) throw new Error(first.reason);
    const byCio = act(first.state, cio, 'reject', 'Too expensive');
    if (!byCio.ok) throw new Error(byCio.reason);
    expect(byCio.state.status).toBe('rejected');
    expect(byCio.state.steps.map((s) => s.action)).toEqual(['approve', 'reject']);
    // Nothing more after a rejection.
    expect(act(byCio.state, { email: 'casey.cio@example.com', tier: 'cio' }, 'approve')).toMatchObject({ ok: false, code: 'ALREADY_DECIDED' });
  });

  it('works for a two-step IT-manager tier with two managers', () => {
    const s = pending({ requiredApprover: 'it-manager', twoStepApproval: true });
    const first = act(s, manager, 'approve');
    if (!first.ok) throw new Error(first.reason);
    expect(act(first.state, manager, 'approve')).toMatchObject({ ok: false, code: 'SAME_APPROVER_TWICE' });
    expect(act(first.state, manager2, 'approve')).toMatchObject({ ok: true, final: true });
  });
});

describe('already decided and not required', () => {
  it('refuses any action on an approved request, saying who decided', () => {
    const done = act(pending(), manager, 'approve');
    if (!done.ok) throw new Error(done.reason);
    for (const action of ['approve', 'reject', 'request-info']) {
      const r = act(done.state, director, action, 'x');
      expect(r).toMatchObject({ ok: false, code: 'ALREADY_DECIDED' });
      if (!r.ok) expect(r.reason).toContain('already approved by Mia Manager on 2026-11-02');
    }
  });

  it('refuses approval of a request the policy allowed', () => {
    const s = initialApprovalState(decision({ outcome: 'allow' }), NOW);
    expect(act(s, cio, 'approve')).toMatchObject({ ok: false, code: 'NOT_REQUIRED' });
  });
});

describe('asking for more information', () => {
  it('needs a comment, and pauses the request without ending it', () => {
    expect(act(pending(), manager, 'request-info', '   ')).toMatchObject({ ok: false, code: 'COMMENT_REQUIRED' });
    const r = act(pending(), manager, 'request-info', 'Which team uses it?');
    if (!r.ok) throw new Error(r.reason);
    expect(r.final).toBe(false);
    expect(r.state.status).toBe('info-requested');
    expect(r.audit).toMatchObject({
      type: 'info-requested',
      actor: { kind: 'approver', id: manager.email, tier: 'it-manager' },
      details: { comment: 'Which team uses it?' },
    });
    // Approvers may still decide meanwhile.
    expect(act(r.state, manager2, 'approve')).toMatchObject({ ok: true, state: { status: 'approved' } });
  });

  it('goes back to pending with a fresh clock when the requester answers', () => {
    const asked = act(pending(), manager, 'request-info', 'Which team?');
    if (!asked.ok) throw new Error(asked.reason);
    const later = at('2026-11-05T08:00:00.000Z');
    const resumed = resumeAfterInformation({
      state: asked.state,
      recordId: 'REQ-1001',
      now: later,
      actor: { kind: 'requester', id: REQUESTER },
      note: 'The design team.',
      expectedSigningDate: '2026-12-10',
      receivedAt: '2026-11-01T09:00:00.000Z',
    });
    expect(resumed.changed).toBe(true);
    if (!resumed.changed) return;
    expect(resumed.state.status).toBe('pending');
    expect(resumed.state.escalation).toMatchObject({
      clockStartedAt: later.toISOString(),
      clockResetBy: 'info-provided',
      nextDueAt: '2026-12-05T00:00:00.000Z',
    });
    expect(resumed.audit).toMatchObject({ type: 'info-provided', details: { note: 'The design team.', statusAfter: 'pending' } });
    expect(
      resumeAfterInformation({ state: resumed.state, recordId: 'REQ-1001', now: later, actor: { kind: 'requester', id: REQUESTER }, receivedAt: later }),
    ).toMatchObject({ changed: false });
  });
});

describe('rejecting', () => {
  it('needs a reason for the requester', () => {
    const r = act(pending(), manager, 'reject');
    expect(r).toMatchObject({ ok: false, code: 'COMMENT_REQUIRED' });
  });

  it('records who, when, what and why', () => {
    const r = act(pending(), manager, 'reject', 'Use Box instead.\r\nIt is sanctioned.');
    if (!r.ok) throw new Error(r.reason);
    expect(r.state).toMatchObject({ status: 'rejected', decidedAt: NOW.toISOString(), revision: 1 });
    expect(r.step).toEqual({
      action: 'reject',
      by: { email: manager.email, name: 'Mia Manager', tier: 'it-manager' },
      comment: 'Use Box instead.\nIt is sanctioned.',
      at: NOW.toISOString(),
    });
    expect(r.audit).toEqual({
      recordId: 'REQ-1001',
      at: NOW.toISOString(),
      type: 'decided',
      actor: { kind: 'approver', id: manager.email, name: 'Mia Manager', tier: 'it-manager' },
      details: {
        action: 'reject',
        comment: 'Use Box instead.\nIt is sanctioned.',
        statusBefore: 'pending',
        statusAfter: 'rejected',
        requiredApprover: 'it-manager',
      },
    });
    expect(JSON.parse(JSON.stringify(r.audit))).toEqual(r.audit);
  });
});

describe('after the signing date', () => {
  it('still accepts a decision on an expired-undecided request, marked late', () => {
    const expired: ApprovalState = {
      ...pending(),
      status: 'expired-undecided',
      escalation: { ...pending().escalation, expiredAt: '2026-12-10T00:00:00.000Z' },
    };
    const r = act(expired, manager, 'approve', undefined, at('2026-12-11T09:00:00.000Z'));
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.status).toBe('approved');
    expect(r.step.late).toBe(true);
    expect(r.audit.details.late).toBe(true);
  });
});

describe('validateComment', () => {
  it('strips control characters and refuses overly long comments', () => {
    expect(validateComment('approve', 'ok\u0007 fine')).toEqual({ ok: true, comment: 'ok fine' });
    expect(validateComment('approve', '')).toEqual({ ok: true });
    expect(validateComment('reject', 'x'.repeat(MAX_COMMENT_LENGTH + 1))).toMatchObject({ ok: false, code: 'COMMENT_TOO_LONG' });
  });

  it('does not let a refused action change anything', () => {
    const s = pending();
    const before = JSON.stringify(s);
    act(s, manager, 'reject');
    act(s, { email: REQUESTER, tier: 'cio' }, 'approve');
    expect(JSON.stringify(s)).toBe(before);
  });
});
