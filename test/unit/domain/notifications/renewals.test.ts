import { renewalMessage } from '../../../../functions/domain/notifications';
import type { Renewal } from '../../../../functions/domain/renewals/calendar';

const renewal: Renewal = {
  key: 'vendor:evil',
  source: 'catalogue',
  name: 'Evil *bold* <script>alert(1)</script>\nSubject: spoof',
  category: 'identity',
  owner: 'owner@example.com',
  renewalDate: '2027-01-15',
  noticeDeadline: '2026-12-16',
  noticeDays: 30,
  autoRenews: true,
  seats: 100,
  seatsUsed: 40,
  alternatives: ['Okta'],
};
const links = {
  renew: 'https://a.example/renewals/act?token=r',
  renegotiate: 'https://a.example/renewals/act?token=n',
  cancel: 'https://a.example/renewals/act?token=c',
};

describe('renewal messages', () => {
  it('address the owner with the facts to decide, links in the email only', () => {
    const m = renewalMessage({
      renewal,
      step: 'reminder',
      now: new Date('2026-11-30T07:00:00Z'),
      ownerLinks: { links, expiresAt: new Date('2026-12-21T07:00:00Z') },
    });
    expect(m.attributes).toMatchObject({ type: 'renewal', recipient: 'owner@example.com', kind: 'agreement', copy: 'first' });
    expect(m.text).toMatch(/Seats unused:\s+60/);
    expect(m.text).toContain('Cancel: https://a.example/renewals/act?token=c');
    expect(JSON.stringify(m.chat)).not.toContain('token=');
    expect(JSON.stringify(m.data)).not.toContain('token=');
    expect(m.data.renewal).toMatchObject({ seats: 100, seatsUsed: 40, seatsUnused: 60, alternatives: ['Okta'] });
  });

  it('escape outside names per channel: one-line subject, chat markdown neutralised', () => {
    const m = renewalMessage({ renewal, step: 'escalation', now: new Date('2026-12-09T07:00:00Z') });
    expect(m.subject).not.toMatch(/\n/);
    expect(m.attributes.recipient).toBe('all-approvers');
    expect(m.chat.content.title).not.toContain('*bold*');
    expect(m.text).not.toContain('renewals/act');
  });
});
