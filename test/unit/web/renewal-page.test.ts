import { renderRenewalActionPage, renderRenewalCalendar } from '../../../functions/adapters/web/renewal-page';
import type { Renewal } from '../../../functions/domain/renewals/calendar';

const hostile: Renewal = {
  key: 'request:coupa:PR-9',
  source: 'contract',
  name: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  owner: '"><svg onload=alert(3)>@example.com',
  renewalDate: '2027-01-15',
  noticeDeadline: '2026-11-16',
  noticeDays: 60,
  seats: 10,
  seatsUsed: 4,
  alternatives: ['Box</td><td>'],
  recordId: 'coupa:PR-9',
};

describe('renewal pages', () => {
  it('escape every name from the catalogue or a request', () => {
    const page = renderRenewalCalendar({
      user: { email: 'dana@example.com' },
      rows: [
        {
          renewal: hostile,
          history: { steps: {}, decision: { action: 'cancel', by: '<b>x</b>@example.com', at: '2026-11-30T07:00:00.000Z', via: 'link' } },
          standing: 'decided',
        },
      ],
      today: '2026-11-30',
      withinDays: 120,
    });
    expect(page).not.toMatch(/<script>|<img|<svg|<b>x/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Box&lt;/td&gt;&lt;td&gt;');
    expect(page).toMatch(/<td class="num" data-label="Unused">6<\/td>/);
    expect(page).not.toMatch(/<script/);
  });

  it('put the token and CSRF value in hidden fields, escaped, with the preselected action checked', () => {
    const page = renderRenewalActionPage({
      renewal: hostile,
      owner: 'owner@example.com',
      token: 'a.b.c"><x',
      csrfToken: 'k.mac',
      formAction: '/renewals/act',
      preselected: 'renegotiate',
      linkExpiresAt: new Date('2026-12-21T07:00:00Z'),
    });
    expect(page).toContain('value="a.b.c&quot;&gt;&lt;x"');
    expect(page).toMatch(/value="renegotiate" checked/);
    expect(page).not.toMatch(/<script/);
  });
});
