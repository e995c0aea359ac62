/**
 * Who may approve what (issue 9, items 4 and 5): departments bind deciding
 * as well as notifying, aliases count as the same person, an unidentified
 * requester needs two signatures, approving past a high finding needs a
 * comment, and a refused link is audited once per reason.
 */
import {
  ApproverDirectory,
  applyApproverAction,
  authorizeApproverAction,
  auditEntry,
  auditEntryId,
  combinedAliases,
  coversDepartment,
  initialApprovalState,
  requesterIsIdentified,
  type ActingApprover,
  type ApprovalState,
} from '../../../functions/domain/approvals';
import type { Finding } from '../../../functions/domain/decision';
import type { AppConnected } from '../../../functions/domain/events';
import { REQUESTER, at, cio, decision, director, record } from './fixtures';

const NOW = at('2026-11-02T10:00:00.000Z');
const marketingManager: ActingApprover = { email: 'marcus.lee@example.com', name: 'Marcus Lee', tier: 'it-manager', departments: ['Marketing', 'Sales'] };
const engineeringManager: ActingApprover = { email: 'priya.shah@example.com', name: 'Priya Shah', tier: 'it-manager', departments: ['Engineering'] };
const engineeringDirector: ActingApprover = { email: 'eli.director@example.com', name: 'Eli Director', tier: 'it-director', departments: ['Engineering'] };

function pending(overrides: Parameters<typeof decision>[0] = {}, options: Parameters<typeof initialApprovalState>[2] = {}): ApprovalState {
  return initialApprovalState(decision(overrides), at('2026-11-01T09:00:00.000Z'), { expectedSigningDate: '2026-12-10', ...options });
}

describe('departments bind deciding, not only notifying', () => {
  it('refuses an IT manager every action on another department’s request, naming both', () => {
    for (const action of ['approve', 'reject', 'request-info']) {
      const r = authorizeApproverAction({
        state: pending(),
        requesterEmail: REQUESTER,
        department: 'Engineering',
        approver: marketingManager,
        action,
        now: NOW,
      });
      expect(r).toMatchObject({ ok: false, code: 'DEPARTMENT_NOT_COVERED' });
      if (!r.ok)
        expect(r.reason).toBe('This request is from Engineering, and you decide for Marketing, Sales: an approver who covers Engineering must decide it.');
    }
  });

  it('lets the department’s own manager decide, whatever the spelling of the department', () => {
    for (const department of ['Marketing', ' marketing ', 'SALES']) {
      expect(
        authorizeApproverAction({ state: pending(), requesterEmail: REQUESTER, department, approver: marketingManager, action: 'approve', now: NOW }).ok,
      ).toBe(true);
    }
  });

  it('leaves a request that names no department to approvers who cover every department', () => {
    const r = authorizeApproverAction({ state: pending(), requesterEmail: REQUESTER, approver: marketingManager, action: 'approve', now: NOW });
    expect(r).toMatchObject({ ok: false, code: 'DEPARTMENT_NOT_COVERED' });
    if (!r.ok) expect(r.reason).toMatch(/names no department/);
    expect(authorizeApproverAction({ state: pending(), requesterEmail: REQUESTER, approver: director, action: 'approve', now: NOW }).ok).toBe(true);
  });

  it('binds a department-listed director too, unless the policy lets senior tiers cover every department', () => {
    const request = { state: pending(), requesterEmail: REQUESTER, department: 'Marketing', approver: engineeringDirector, action: 'approve', now: NOW };
    expect(authorizeApproverAction(request)).toMatchObject({ ok: false, code: 'DEPARTMENT_NOT_COVERED' });
    expect(authorizeApproverAction({ ...request, rules: { seniorTiersCoverAllDepartments: true } }).ok).toBe(true);
    // Not above the tier the request needs: the option changes nothing.
    const directorLevel = { ...request, state: pending({ requiredApprover: 'it-director' }) };
    expect(authorizeApproverAction({ ...directorLevel, rules: { seniorTiersCoverAllDepartments: true } })).toMatchObject({
      ok: false,
      code: 'DEPARTMENT_NOT_COVERED',
    });
    // Nor does it help a manager outside their departments.
    expect(authorizeApproverAction({ ...request, approver: engineeringManager, rules: { seniorTiersCoverAllDepartments: true } })).toMatchObject({
      code: 'DEPARTMENT_NOT_COVERED',
    });
  });

  it('checks separation of duties before departments (the requester learns the real reason)', () => {
    const r = authorizeApproverAction({
      state: pending(),
      requesterEmail: marketingManager.email,
      department: 'Engineering',
      approver: marketingManager,
      action: 'approve',
      now: NOW,
    });
    expect(r).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
  });

  it('uses one coverage rule for the directory and the decision', () => {
    const directory = new ApproverDirectory([
      { email: marketingManager.email, name: 'Marcus Lee', tier: 'it-manager', departments: ['Marketing'] },
      { email: engineeringDirector.email, name: 'Eli Director', tier: 'it-director', departments: ['Engineering'] },
      { email: cio.email, name: 'Chris CIO', tier: 'cio' },
    ]);
    // Marketing's manager-level request: Marcus; Engineering's: nobody at manager level, so the director for Engineering.
    expect(directory.addresseesFor('it-manager', { department: 'Marketing', requiredTier: 'it-manager' })?.approvers.map((a) => a.name)).toEqual([
      'Marcus Lee',
    ]);
    expect(directory.addresseesFor('it-manager', { department: 'Engineering', requiredTier: 'it-manager' })).toMatchObject({
      tier: 'it-director',
      fellBack: true,
    });
    expect(directory.addresseesFor('it-director', { department: 'Marketing', requiredTier: 'it-manager' })?.tier).toBe('cio');
    expect(directory.addresseesFor('it-director', { department: 'Marketing', requiredTier: 'it-manager', seniorTiersCoverAllDepartments: true })?.tier).toBe(
      'it-director',
    );
    expect(coversDepartment({ tier: 'cio' }, { department: undefined })).toBe(true);
  });
});

describe('aliases: one person, several addresses', () => {
  const directory = new ApproverDirectory([
    { email: 'marcus.lee@example.com', name: 'Marcus Lee', tier: 'it-manager', aliases: ['marcus@example.com', 'm.lee@old-example.com'] },
    { email: 'dana.okafor@example.com', name: 'Dana Okafor', tier: 'it-director' },
    { email: 'chris.morgan@example.com', name: 'Chris Morgan', tier: 'cio' },
  ]);

  it('finds the approver by any of their addresses', () => {
    expect(directory.find('M.Lee+x@old-example.com')?.email).toBe('marcus.lee@example.com');
    expect(directory.aliasesOf('marcus@example.com')).toEqual(['marcus.lee@example.com', 'marcus@example.com', 'm.lee@old-example.com']);
    expect(directory.aliasesOf('stranger@example.com')).toEqual([]);
  });

  it('refuses an approver deciding a request raised from their alias', () => {
    const manager = { email: 'marcus.lee@example.com', tier: 'it-manager' as const };
    const raisedFromAlias = { state: pending(), requesterEmail: 'm.lee@old-example.com', approver: manager, action: 'approve', now: NOW };
    expect(authorizeApproverAction(raisedFromAlias).ok).toBe(true); // without the alias source, the addresses look unrelated
    expect(authorizeApproverAction({ ...raisedFromAlias, aliases: directory })).toMatchObject({ ok: false, code: 'SELF_APPROVAL' });
  });

  it('refuses the first signer giving the second signature under an alias', () => {
    const twoStep = pending({ requiredApprover: 'it-director', twoStepApproval: true });
    const first = applyApproverAction({
      state: twoStep,
      recordId: 'R',
      requesterEmail: REQUESTER,
      approver: { email: 'dana.okafor@example.com', tier: 'it-director' },
      action: 'approve',
      now: NOW,
    });
    if (!first.ok) throw new Error(first.reason);
    const directoryWithDanaAlias = new ApproverDirectory([
      { email: 'dana.okafor@example.com', name: 'Dana Okafor', tier: 'it-director', aliases: ['dana@example.com'] },
      { email: 'chris.morgan@example.com', name: 'Chris Morgan', tier: 'cio' },
    ]);
    const again = {
      state: first.state,
      requesterEmail: REQUESTER,
      approver: { email: 'dana@example.com', tier: 'it-director' as const },
      action: 'approve',
      now: NOW,
    };
    expect(authorizeApproverAction({ ...again, aliases: combinedAliases(directoryWithDanaAlias) })).toMatchObject({ ok: false, code: 'SAME_APPROVER_TWICE' });
  });

  it('combines alias sources (the directory now, a people directory later)', () => {
    const people = { aliasesOf: (email: string) => (email === 'alice.requester@example.com' ? ['alice@example.com'] : []) };
    const aliases = combinedAliases(directory, people);
    expect(aliases.aliasesOf('alice.requester@example.com')).toEqual(['alice@example.com']);
    expect(aliases.aliasesOf('marcus@example.com')).toContain('marcus.lee@example.com');
  });

  it('rejects a directory where one address belongs to two people, or an alias repeats the own address', () => {
    expect(
      () =>
        new ApproverDirectory([
          { email: 'a@example.com', name: 'A', tier: 'cio', aliases: ['shared@example.com', 'A@example.com'] },
          { email: 'b@example.com', name: 'B', tier: 'it-manager', aliases: ['Shared+x@example.com'] },
          { email: 'c@example.com', name: 'C', tier: 'it-manager', subject: '00u1', aliases: [] },
          { email: 'd@example.com', name: 'D', tier: 'it-manager', subject: '00u1' },
        ]),
    ).toThrow(
      /approvers\[0\]\.aliases\[1\]: A@example\.com is this approver's own address[\s\S]*approvers\[1\]\.aliases\[0\]: Shared\+x@example\.com is already listed at approvers\[0\][\s\S]*approvers\[3\]\.subject: 00u1 is already listed at approvers\[2\]/,
    );
  });
});

describe('signing in: the identity provider’s subject first, a verified address otherwise', () => {
  const directory = new ApproverDirectory([
    { email: 'priya.shah@example.com', name: 'Priya Shah', tier: 'it-manager', subject: '00u1priya' },
    { email: 'marcus.lee@example.com', name: 'Marcus Lee', tier: 'it-manager', aliases: ['marcus@example.com'] },
    { email: 'chris.morgan@example.com', name: 'Chris Morgan', tier: 'cio' },
  ]);

  it('matches on the subject, whatever address the token carries', () => {
    expect(directory.signedIn({ subject: '00u1priya', email: 'someone.else@example.com' })?.name).toBe('Priya Shah');
  });

  it('matches approvers without a subject on their address or alias', () => {
    expect(directory.signedIn({ subject: 'unlisted', email: 'Marcus@example.com' })?.name).toBe('Marcus Lee');
  });

  it('never lets an address stand in for an approver whose subject is listed', () => {
    expect(directory.signedIn({ subject: 'another-account', email: 'priya.shah@example.com' })).toBeUndefined();
    expect(directory.signedIn({ email: 'priya.shah@example.com' })).toBeUndefined();
  });

  it('trusts the local development sign-in (npm start) on the address alone, subject or not', () => {
    expect(directory.signedIn({ email: 'priya.shah@example.com', localSignIn: true })?.name).toBe('Priya Shah');
  });

  it('finds nobody for a sign-in with neither a listed subject nor an address', () => {
    expect(directory.signedIn({ name: 'Marcus Lee' })).toBeUndefined();
  });
});

describe('a requester nobody can identify needs two signatures', () => {
  const app = (actor: AppConnected['actor']): AppConnected => ({
    source: 'okta',
    sourceEventId: 'e1',
    occurredAt: '2026-11-01T09:00:00Z',
    app: { name: 'Dropbox' },
    actor,
    connectionKind: 'oauth-consent',
  });
  const unattributed: Finding = { code: 'ACTOR_UNATTRIBUTED', dimension: 'compliance', severity: 'info', message: 'system account' };

  it('knows who is identified: a purchase requester, or a user with an address who is not a system account', () => {
    expect(requesterIsIdentified(record())).toBe(true);
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'user', email: 'dev@example.com' }) })).toBe(true);
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'user', id: '00u1' }) })).toBe(false);
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'system', email: 'system@okta.com' }) })).toBe(false);
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'app', displayName: 'Zapier' }) })).toBe(false);
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'unknown' }) })).toBe(false);
    // A "user" the policy lists as a system account.
    expect(requesterIsIdentified({ kind: 'app-connected', detail: app({ type: 'user', email: 'system@okta.com' }) }, { findings: [unattributed] })).toBe(false);
  });

  it('turns a single-signature review into two signatures from two different people', () => {
    const state = pending({ requiredApprover: 'it-manager', twoStepApproval: false }, { requesterIdentified: false });
    expect(state).toMatchObject({ twoStep: true, requesterUnidentified: true, requiredApprover: 'it-manager', escalation: { currentTier: 'it-manager' } });
    const first = applyApproverAction({
      state,
      recordId: 'R',
      requesterEmail: [],
      approver: { email: 'mia@example.com', tier: 'it-manager' },
      action: 'approve',
      now: NOW,
    });
    expect(first).toMatchObject({ ok: true, final: false, state: { status: 'pending' } });
    if (!first.ok) return;
    expect(
      authorizeApproverAction({
        state: first.state,
        requesterEmail: [],
        approver: { email: 'mia@example.com', tier: 'it-manager' },
        action: 'approve',
        now: NOW,
      }),
    ).toMatchObject({
      ok: false,
      code: 'SAME_APPROVER_TWICE',
    });
    expect(applyApproverAction({ state: first.state, recordId: 'R', requesterEmail: [], approver: director, action: 'approve', now: NOW })).toMatchObject({
      ok: true,
      final: true,
      state: { status: 'approved' },
    });
  });

  it('leaves an identified requester’s request as the policy made it, and an allowed one needing nobody', () => {
    expect(pending({}, { requesterIdentified: true })).toMatchObject({ twoStep: false });
    expect(pending({}, { requesterIdentified: true }).requesterUnidentified).toBeUndefined();
    expect(pending({ outcome: 'allow' }, { requesterIdentified: false })).toMatchObject({ status: 'not-required', twoStep: false });
  });
});

describe('approving past a high or critical finding needs a comment', () => {
  const high: Finding = { code: 'VENDOR_PROHIBITED', dimension: 'security', severity: 'high', message: 'prohibited' };
  const critical: Finding = { ...high, severity: 'critical' };
  const medium: Finding = { ...high, severity: 'medium' };
  const approve = (findings: Finding[], comment?: string, action = 'approve') =>
    applyApproverAction({ state: pending(), recordId: 'R', requesterEmail: REQUESTER, approver: cio, action, comment, findings, now: NOW });

  it('refuses a bare approval with COMMENT_REQUIRED and says why', () => {
    for (const [findings, worst] of [
      [[medium, high], 'high'],
      [[critical], 'critical'],
    ] as const) {
      const r = approve([...findings]);
      expect(r).toMatchObject({ ok: false, code: 'COMMENT_REQUIRED' });
      if (!r.ok) expect(r.reason).toBe(`This request has a ${worst} finding: say why you accept the risk (your comment is kept in the audit trail).`);
    }
    expect(approve([high], '   \n ')).toMatchObject({ ok: false, code: 'COMMENT_REQUIRED' });
  });

  it('records the approval with a comment, and needs none below high', () => {
    expect(approve([high], 'Accepted for a 3-month pilot with no customer data.')).toMatchObject({
      ok: true,
      step: { comment: 'Accepted for a 3-month pilot with no customer data.' },
    });
    expect(approve([medium])).toMatchObject({ ok: true });
    expect(approve([])).toMatchObject({ ok: true });
  });
});

describe('refused attempts are audited once per link and reason', () => {
  const refused = (at: string, reason: string, onceKey: string) => ({
    ...auditEntry('PR-1', 'refused', { kind: 'approver', id: 'marcus.lee@example.com' }, new Date(at), { action: 'approve', reason }),
    onceKey,
  });

  it('gives every retry of one link and reason the same id, and other links or reasons their own', () => {
    const first = auditEntryId(refused('2026-11-02T10:00:00Z', 'DEPARTMENT_NOT_COVERED', 'jti-1#DEPARTMENT_NOT_COVERED'));
    expect(auditEntryId(refused('2026-11-02T10:05:00Z', 'DEPARTMENT_NOT_COVERED', 'jti-1#DEPARTMENT_NOT_COVERED'))).toBe(first);
    expect(auditEntryId(refused('2026-11-02T10:05:00Z', 'TIER_TOO_LOW', 'jti-1#TIER_TOO_LOW'))).not.toBe(first);
    expect(auditEntryId(refused('2026-11-02T10:05:00Z', 'DEPARTMENT_NOT_COVERED', 'jti-2#DEPARTMENT_NOT_COVERED'))).not.toBe(first);
    // The link's id is hashed, never written into the id.
    expect(first).not.toContain('jti-1');
  });
});
