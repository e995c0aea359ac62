/**
 * The policy's approvals section (validated with the policy document) and
 * the settings the approvals use cases build on: link lifetimes, addressees
 * by tier and department, the acting approver.
 */
import { validatePolicyDocument, PolicyValidationError } from '../../../../../functions/adapters/policy-file';
import { actingApprover, addresseesOf, approvalSettingsOf, decisionLinkExpiry } from '../../../../../functions/domain/use-cases/approvals/settings';
import { DEFAULT_ESCALATION_CONFIG } from '../../../../../functions/domain/approvals';
import { defaultPolicy, recordFor, sampleEvent } from '../../../../support/fixtures';

const problemsOf = (document: unknown): string[] => {
  try {
    validatePolicyDocument(document, 'policy.yaml');
    return [];
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.problems;
    throw error;
  }
};

describe('the approvals section of the policy', () => {
  it('is optional, and filled with defaults where the default policy leaves nothing out', () => {
    const { approvals, ...withoutApprovals } = defaultPolicy();
    expect(problemsOf(withoutApprovals)).toEqual([]);
    expect(approvalSettingsOf(validatePolicyDocument(withoutApprovals)).directory).toBeUndefined();
    expect(approvals?.approvers.map((a) => a.tier)).toEqual(['it-manager', 'it-manager', 'it-director', 'cio']);
    const minimal = validatePolicyDocument({ ...withoutApprovals, approvals: { approvers: [{ email: 'cio@example.com', name: 'C', tier: 'cio' }] } });
    expect(minimal.approvals).toMatchObject({
      rules: { reviewMinimumTier: 'it-manager', blockMinimumTier: 'it-director' },
      escalation: DEFAULT_ESCALATION_CONFIG,
      digest: { enabled: false },
      links: { maxLifetimeDays: 14, minLifetimeHours: 24 },
    });
  });

  it('names each problem by path: bad fields, misspelt keys, one person twice, nobody at the top tier', () => {
    const policy = defaultPolicy() as unknown as Record<string, any>;
    policy.approvals.approvers.push({ email: 'Priya.Shah+it@example.com', name: 'Priya again', tier: 'cio', departments: ['Sales'] });
    policy.approvals.approvers.push({ email: 'not-an-email', name: 'X', tier: 'boss' });
    policy.approvals.escalaton = {};
    expect(problemsOf(policy)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^approvals\.approvers\[5\]\.email: /),
        expect.stringMatching(/^approvals\.approvers\[5\]\.tier: /),
        'approvals.escalaton: unknown field',
      ]),
    );
    policy.approvals.approvers.pop();
    delete policy.approvals.escalaton;
    expect(problemsOf(policy)).toEqual(['approvals.approvers[4].email: Priya.Shah+it@example.com is already listed at approvals.approvers[0]']);
    policy.approvals.approvers = policy.approvals.approvers.filter((a: { tier: string }) => a.tier !== 'cio');
    expect(problemsOf(policy)).toEqual([expect.stringContaining('approvals.approvers: nobody holds tier cio for every department')]);
    policy.approvals.escalation = { reminderLeadHours: 10, escalationLeadHours: 20 };
    expect(problemsOf(policy)).toEqual(
      expect.arrayContaining(['approvals.escalation.escalationLeadHours: must be less than reminderLeadHours (the reminder comes before the escalation)']),
    );
  });
});

describe('decisionLinkExpiry', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  it('ends at the deadline, at most 14 days ahead and never sooner than a day', () => {
    expect(decisionLinkExpiry('2026-12-05T00:00:00.000Z', now).toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(decisionLinkExpiry('2027-03-01T00:00:00.000Z', now).toISOString()).toBe('2026-12-11T12:00:00.000Z');
    expect(decisionLinkExpiry('2026-11-27T18:00:00.000Z', now).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(decisionLinkExpiry('2026-11-01T00:00:00.000Z', now).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(decisionLinkExpiry(undefined, now).toISOString()).toBe('2026-12-11T12:00:00.000Z');
    expect(decisionLinkExpiry(undefined, now, { maxLifetimeDays: 2, minLifetimeHours: 1 }).toISOString()).toBe('2026-11-29T12:00:00.000Z');
  });
});

describe('addressees', () => {
  const settings = approvalSettingsOf(defaultPolicy());

  it('asks the manager who covers the department, the director when none does, and knows strangers', () => {
    const dropbox = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json')); // Marketing
    expect(addresseesOf(dropbox, settings, 'it-manager')?.approvers.map((a) => a.email)).toEqual(['marcus.lee@example.com']);
    const chatgpt = recordFor(sampleEvent('purchase-request/chatgpt-team-engineering.json')); // "engineering", any case
    expect(addresseesOf(chatgpt, settings, 'it-manager')?.approvers.map((a) => a.email)).toEqual(['priya.shah@example.com']);
    const facilities = {
      ...dropbox,
      detail: { ...(dropbox.detail as object), requester: { email: 'x@example.com', department: 'Facilities' } },
    } as typeof dropbox;
    expect(addresseesOf(facilities, settings, 'it-manager')).toMatchObject({ tier: 'it-director', fellBack: true });
    expect(actingApprover(settings, 'DANA.OKAFOR@example.com')).toEqual({ email: 'dana.okafor@example.com', name: 'Dana Okafor', tier: 'it-director' });
    expect(actingApprover(settings, 'someone@example.com')).toEqual({ email: 'someone@example.com', tier: 'none' });
  });
});
