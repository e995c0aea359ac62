/** Approver prompts: who gets the first notification, and when it goes to everyone without links. */
import { SignedDecisionLinkIssuer } from '../../../../../functions/adapters/security/decision-link-issuer';
import { StaticKeyProvider } from '../../../../../functions/adapters/security/signing-keys';
import { initialApproverNotifications, pageLinksFor } from '../../../../../functions/domain/use-cases/approvals/approver-prompts';
import { approvalSettingsOf } from '../../../../../functions/domain/use-cases/approvals/settings';
import { NOW, defaultPolicy, recordFor, sampleEvent } from '../../../../support/fixtures';

const keys = new StaticKeyProvider({ current: { id: 'k1', key: Buffer.alloc(32, 3) }, previous: [] });
const issuer = (inbox: boolean) => new SignedDecisionLinkIssuer({ keys, baseUrl: 'https://a.example/', inbox });
const record = recordFor(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));

describe('initialApproverNotifications', () => {
  it('addresses the approver who covers the department, with their links in the email only', async () => {
    const { messages, tier, recipients } = await initialApproverNotifications({
      record,
      settings: approvalSettingsOf(defaultPolicy()),
      links: issuer(true),
      now: NOW,
    });
    expect(tier).toBe('it-manager');
    expect(recipients).toEqual(['marcus.lee@example.com']);
    expect(messages).toHaveLength(1);
    expect(messages[0].text).toMatch(/^For Marcus Lee \(IT manager\)\./);
    expect(messages[0].text).toMatch(/^ {2}Approve: https:\/\/a\.example\/decide\?token=/m);
    expect(messages[0].attributes).toMatchObject({ recipient: 'marcus.lee@example.com', tier: 'it-manager', copy: 'first', type: 'decision' });
  });

  it('goes to every approver without links when nobody in the directory covers the request', async () => {
    const policy = defaultPolicy();
    policy.approvals!.approvers = policy.approvals!.approvers.filter((a) => a.tier === 'it-manager' && !a.departments?.includes('Marketing'));
    const { messages, recipients } = await initialApproverNotifications({ record, settings: approvalSettingsOf(policy), links: issuer(true), now: NOW });
    expect(recipients).toEqual([]);
    expect(messages[0].attributes).toMatchObject({ recipient: 'all-approvers' });
    expect(messages[0].text).toContain('No approver in the directory covers this request at IT manager level or above');
    expect(messages[0].text).not.toContain('/decide');
  });

  it('sends the message unaddressed when no link issuer is wired', async () => {
    const { messages } = await initialApproverNotifications({ record, settings: approvalSettingsOf(defaultPolicy()), now: NOW });
    expect(messages[0].attributes.recipient).toBeUndefined();
    expect(messages[0].text).not.toContain('/decide');
  });
});

describe('pageLinksFor', () => {
  it('links the request page and the inbox only when the inbox is deployed', () => {
    expect(pageLinksFor(issuer(true), 'coupa:4822/a b')).toEqual({
      request: 'https://a.example/requests/coupa%3A4822%2Fa%20b',
      inbox: 'https://a.example/inbox',
    });
    expect(pageLinksFor(issuer(false), 'PR-1')).toEqual({});
    expect(pageLinksFor(undefined, 'PR-1')).toEqual({});
  });
});
