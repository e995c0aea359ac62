/**
 * The console's page pieces on their own: the SVG chart (figures in its
 * text alternative, labels escaped, nothing drawn for nothing), the outbox
 * page (only http(s) links become anchors, everything escaped), the
 * navigation (current section marked, Outbox only where given).
 */
import { barChart } from '../../../functions/adapters/web/charts';
import { linkified, renderOutboxPage } from '../../../functions/adapters/web/outbox-page';
import { consoleNavLinks, layout } from '../../../functions/adapters/web/page-layout';
import { html } from '../../../functions/adapters/web/html';

describe('bar chart', () => {
  test('an image whose description carries every figure; labels escaped; long labels shortened with the full one in a title', () => {
    const svg = barChart({
      id: 'c',
      title: 'Spend <by> department',
      data: [
        { label: '<script>x</script>', value: 10, display: '10 USD' },
        { label: 'A very long department name indeed', value: 5 },
      ],
      empty: 'none',
    }).value;
    expect(svg).toMatch(/^<svg class="chart"[^>]* role="img" aria-labelledby="c-t c-d"/);
    expect(svg).toContain('<desc id="c-d">&lt;script&gt;x&lt;/script&gt;: 10 USD; A very long department name indeed: 5</desc>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('A very long depart…');
    expect(svg).toContain('<title>A very long department name indeed: 5</title>');
  });

  test('says so in words when there is nothing to draw', () => {
    expect(barChart({ id: 'c', title: 't', data: [{ label: 'a', value: 0 }], empty: 'Nothing yet.' }).value).toBe(
      '<p class="hint chart-empty">Nothing yet.</p>',
    );
  });
});

describe('outbox page', () => {
  test('only http(s) URLs become links; defanged and other schemes stay text; markup is escaped', () => {
    const out = linkified('Approve: https://approvals.example.com/decide?token=abc. Evil: https[:]//evil.example javascript:alert(1) <b>x</b>').value;
    expect(out).toContain('<a href="https://approvals.example.com/decide?token&#61;abc">https://approvals.example.com/decide?token&#61;abc</a>.');
    expect(out).toContain('https[:]//evil.example javascript:alert(1) &lt;b&gt;x&lt;/b&gt;');
    expect(out.match(/<a /g)).toHaveLength(1);
  });

  test('lists the newest first, with audience tabs and the console navigation', () => {
    const entry = (n: number, audience: string) => ({
      messageId: `m${n}`,
      sentAt: `2026-12-0${n}T08:00:00.000Z`,
      audience,
      subject: `Subject ${n}`,
      text: 'text',
      recordId: `r${n}`,
      attributes: { type: 'outreach' },
    });
    const page = renderOutboxPage({
      entries: [entry(1, 'it'), entry(2, 'department')],
      audiences: ['it', 'requester', 'department'],
      nav: { links: consoleNavLinks((p) => `/${p}`, { outbox: true }), current: 'outbox' },
      action: '/outbox',
    });
    expect(page.indexOf('Subject 2')).toBeLessThan(page.indexOf('Subject 1'));
    expect(page).toContain('<a href="/outbox?audience&#61;department">Departments</a>');
    expect(page).toContain('<a href="/outbox" aria-current="page">Outbox</a>');
  });
});

describe('navigation', () => {
  test('every section under the app base, Outbox only when asked, the current one marked', () => {
    const links = consoleNavLinks((p) => `/prefix/${p}`);
    expect(links).toEqual({
      home: '/prefix/',
      requests: '/prefix/requests',
      inventory: '/prefix/inventory',
      renewals: '/prefix/renewals',
      inbox: '/prefix/inbox',
    });
    const page = layout({ title: 't', body: html`<p>x</p>`, nav: { links, current: 'inbox' } });
    expect(page).toContain('<nav class="console" aria-label="IT console"><ul><li><a href="/prefix/">Home</a></li>');
    expect(page).toContain('<a href="/prefix/inbox" aria-current="page">Inbox</a>');
    expect(page).not.toContain('Outbox');
  });
});
