import {
  ApproverDirectory,
  ApproverDirectoryError,
  auditEntry,
  describeAuditEntry,
  identityKey,
  isAtLeast,
  nextTierUp,
  raiseTier,
  samePerson,
  sortAuditEntries,
  tierBelow,
  SCHEDULER_ACTOR,
} from '../../../functions/domain/approvals';

describe('tiers', () => {
  it('are ordered none < it-manager < it-director < cio', () => {
    expect(isAtLeast('cio', 'it-manager')).toBe(true);
    expect(isAtLeast('it-manager', 'it-director')).toBe(false);
    expect(isAtLeast('none', 'none')).toBe(true);
    expect(nextTierUp('it-manager')).toBe('it-director');
    expect(nextTierUp('cio')).toBeUndefined();
    expect(tierBelow('it-manager')).toBe('none');
    expect(tierBelow('none')).toBe('none');
    expect(raiseTier('it-director', 5)).toBe('cio');
  });
});

describe('identity', () => {
  it('compares people, not spellings', () => {
    expect(identityKey(' Bob+Tools@Example.COM ')).toBe('bob@example.com');
    expect(samePerson('bob@example.com', 'BOB+x@example.com')).toBe(true);
    expect(samePerson('bob@example.com', 'bob@example.org')).toBe(false);
    expect(samePerson(undefined, 'bob@example.com')).toBe(false);
    // A leading + is part of the name, not a tag.
    expect(identityKey('+bob@example.com')).toBe('+bob@example.com');
  });
});

describe('ApproverDirectory', () => {
  const directory = ApproverDirectory.fromConfig({
    approvers: [
      { email: 'Mia.Manager@example.com', name: 'Mia Manager', tier: 'it-manager', departments: ['Marketing'] },
      { email: 'max.manager@example.com', name: 'Max Manager', tier: 'it-manager', departments: ['Finance'] },
      { email: 'chris.cio@example.com', name: 'Chris CIO', tier: 'cio' },
    ],
  });

  it('finds approvers whatever the case or +tag', () => {
    expect(directory.find('mia.manager+x@EXAMPLE.com')).toMatchObject({ name: 'Mia Manager', tier: 'it-manager' });
    expect(directory.find('stranger@example.com')).toBeUndefined();
  });

  it('addresses the department’s approvers, and falls back upwards when a tier has nobody', () => {
    expect(directory.addresseesFor('it-manager', 'marketing')).toMatchObject({ tier: 'it-manager', fellBack: false, approvers: [{ name: 'Mia Manager' }] });
    expect(directory.addresseesFor('it-manager', 'Legal')).toMatchObject({ tier: 'cio', fellBack: true });
    // Nobody is an IT director: the CIO is asked instead.
    expect(directory.addresseesFor('it-director')).toMatchObject({ tier: 'cio', fellBack: true, approvers: [{ name: 'Chris CIO' }] });
    expect(directory.addresseesFor('none', 'Marketing')?.tier).toBe('it-manager');
    // A request that names no department is nobody's in particular: the approvers who cover every department get it.
    expect(directory.addresseesFor('it-manager')).toMatchObject({ tier: 'cio', fellBack: true });
  });

  it('reports every problem with its path, including the same person twice', () => {
    try {
      ApproverDirectory.fromConfig({
        approvers: [
          { email: 'not-an-email', name: 'X', tier: 'it-manager' },
          { email: 'a@example.com', name: '', tier: 'boss' },
        ],
      });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(ApproverDirectoryError);
      const problems = (e as ApproverDirectoryError).problems.join('\n');
      expect(problems).toMatch(/approvers\[0\]\.email: must be an email address/);
      expect(problems).toMatch(/approvers\[1\]\.name/);
      expect(problems).toMatch(/approvers\[1\]\.tier/);
    }
    expect(
      () =>
        new ApproverDirectory([
          { email: 'a@example.com', name: 'A', tier: 'cio' },
          { email: 'A+2@example.com', name: 'A again', tier: 'it-manager' },
        ]),
    ).toThrow(/approvers\[1\]\.email: A\+2@example.com is already listed at approvers\[0\]/);
    expect(() => ApproverDirectory.fromConfig({ approvers: [] })).toThrow(/at least one approver/);
  });
});

describe('audit entries', () => {
  const t = new Date('2026-12-01T10:00:00.000Z');

  it('are plain JSON without undefined values', () => {
    const e = auditEntry('REQ-1', 'reminded', SCHEDULER_ACTOR, t, { tier: 'it-manager', nextDueAt: undefined });
    expect(e).toEqual({
      recordId: 'REQ-1',
      at: '2026-12-01T10:00:00.000Z',
      type: 'reminded',
      actor: { kind: 'system', id: 'scheduler' },
      details: { tier: 'it-manager' },
    });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('sort oldest first and keep the order of simultaneous entries', () => {
    const a = auditEntry('R', 'evaluated', SCHEDULER_ACTOR, t);
    const b = auditEntry('R', 'notified', SCHEDULER_ACTOR, t);
    const c = auditEntry('R', 'received', SCHEDULER_ACTOR, new Date(t.getTime() - 1000));
    expect(sortAuditEntries([a, b, c]).map((e) => e.type)).toEqual(['received', 'evaluated', 'notified']);
  });

  it('read as sentences', () => {
    const approver = { kind: 'approver' as const, id: 'dana@example.com', name: 'Dana Director', tier: 'it-director' as const };
    expect(describeAuditEntry(auditEntry('R', 'decided', approver, t, { action: 'reject', comment: 'Use Box' }))).toBe(
      'Rejected by Dana Director <dana@example.com>, IT director: “Use Box”',
    );
    expect(describeAuditEntry(auditEntry('R', 'decided', approver, t, { action: 'approve', stage: '1', late: true }))).toBe(
      'Approved by Dana Director <dana@example.com>, IT director (signature 1 of 2) after the signing date.',
    );
    expect(describeAuditEntry(auditEntry('R', 'escalated', SCHEDULER_ACTOR, t, { fromTier: 'it-manager', toTier: 'cio' }))).toBe(
      'Escalated from IT manager to CIO.',
    );
    expect(
      describeAuditEntry(auditEntry('R', 'evaluated', { kind: 'policy', id: 'policy' }, t, { policyVersion: '7', outcome: 'review', severity: 'high' })),
    ).toBe('Evaluated against policy 7: review (high).');
    expect(describeAuditEntry(auditEntry('R', 'expired', SCHEDULER_ACTOR, t, { signingDate: '2026-12-10' }))).toMatch(/2026-12-10/);
    expect(describeAuditEntry(auditEntry('R', 'refused', SCHEDULER_ACTOR, t, { reason: 'reused link' }))).toMatch(/reused link/);
  });
});
