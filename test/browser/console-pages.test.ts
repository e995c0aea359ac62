/**
 * The IT console in a real headless Chromium over `npm start` (the replayed
 * samples, plus a week of outreach): sign in, read "what matters now" with
 * its four charts, filter and search the request list and page through it,
 * and read the outbox with clickable links, at a laptop width (1366 px) and
 * a narrow window (800 px). Screenshots go to GUARDRAIL_SCREENSHOTS (or a
 * temp folder) for a person to look at. No script runs; the CSP stays clean.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime';
import type { Clock } from '../../functions/domain/ports/clock';
import { browserSuite, openBrowser, type BrowserSession } from '../support/browser';

browserSuite('IT console in headless Chromium', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let browser: BrowserSession;
  let page: Page;
  const screenshots = process.env.GUARDRAIL_SCREENSHOTS ?? join(tmpdir(), 'guardrail-screenshots');
  let cspViolations: string[] = [];
  // The samples arrive "now"; the console is looked at two days later.
  let now = new Date('2026-12-01T09:00:00Z');
  const clock: Clock = { now: () => now };
  const shoot = async (name: string) => {
    for (const [width, height] of [
      [1366, 768],
      [800, 900],
    ]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
      // Nothing wider than the window: no sideways scrolling at either width.
      // (A string: the page's own scripts are forbidden, but Playwright evaluates through the DevTools protocol.)
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
      expect(overflow).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-console-'));
    runtime = await startLocalRuntime({ port: 0, dataDir, inMemory: true, sweepIntervalMs: 0, out: { write: () => true }, clock });
    // Enough requests for a second page: 24 more, across departments and vendors.
    const departments = ['Marketing', 'Sales', 'Finance', 'Engineering'];
    for (let i = 0; i < 24; i += 1) {
      const detail = {
        requestId: `PR-2026-2${String(i).padStart(3, '0')}`,
        source: i % 2 ? 'servicenow' : 'coupa',
        requester: { email: `person${i}@example.com`, name: `Person ${i}`, department: departments[i % 4] },
        vendor: { name: ['Notion', 'Miro', 'Dropbox', 'Loom'][i % 4] },
        product: `${['Notion', 'Miro', 'Dropbox', 'Loom'][i % 4]} Business`,
        amount: { value: 100 * (i + 1), currency: 'USD' },
        billingPeriod: 'monthly',
        termMonths: 12,
        dataClassification: 'internal',
        expectedSigningDate: `2026-12-${String(4 + (i % 20)).padStart(2, '0')}`,
      };
      const response = await fetch(`${runtime.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'procurement-guardrail', 'detail-type': 'Purchase Request Submitted', detail }),
      });
      expect(response.status).toBeLessThan(300);
    }
    now = new Date('2026-12-03T09:00:00Z');
    // A week's outreach, so the outbox holds department notes too.
    await fetch(`${runtime.url}/admin/sweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ at: '2026-12-08T08:00:00Z' }),
    });
    mkdirSync(screenshots, { recursive: true });
    browser = await openBrowser();
    ({ page, cspViolations } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for sign-in, then shows what matters now with four charts and their text', async () => {
    await page.goto(`${runtime.url}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('#email', 'dana.okafor@example.com');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.locator('h1').textContent()).resolves.toBe('What matters now');
    // The navigation: every console section, the current one marked.
    await expect(page.locator('nav.console a').allTextContents()).resolves.toEqual(['Home', 'Requests', 'Inventory', 'Renewals', 'Inbox', 'Outbox']);
    await expect(page.locator('nav.console a[aria-current=page]').textContent()).resolves.toBe('Home');
    await expect(page.locator('section.card h2').allTextContents()).resolves.toEqual([
      'Pending approvals by deadline',
      'Decisions this week',
      'New apps this week',
      'Spend requested by department',
    ]);
    // Each chart is an image whose description carries every figure.
    const charts = page.locator('svg.chart[role=img]');
    await expect(charts.count()).resolves.toBe(4);
    await expect(page.locator('#chart-spend-d').textContent()).resolves.toMatch(/Marketing: [\d.]+k USD/);
    await expect(page.locator('#chart-pending-d').textContent()).resolves.toMatch(/Overdue: \d+; Today: \d+; This week: \d+/);
    await expect(page.locator('ol.soonest li').count()).resolves.toBeGreaterThan(0);
    await shoot('console-home');
  }, 60_000);

  it('filters, searches and pages through requests, decided ones too', async () => {
    await page.click('nav.console >> text=Requests');
    await expect(page.locator('h1').textContent()).resolves.toBe('Requests');
    const all = Number(/of (\d+) requests/.exec((await page.locator('p.lede').textContent()) ?? '')?.[1]);
    expect(all).toBeGreaterThan(10);
    await shoot('console-requests');

    await page.selectOption('#f-outcome', 'block');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
    expect(new URL(page.url()).searchParams.get('outcome')).toBe('block');
    const outcomes = await page.locator('td.status .badge.out-block').count();
    expect(outcomes).toBe(await page.locator('tbody tr').count());

    await page.goto(`${runtime.url}/requests`);
    await page.fill('#f-q', 'dropbox');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
    await expect(page.locator('td.request a').first().textContent()).resolves.toContain('Dropbox');
    await page.click('td.request a >> nth=0');
    await expect(page.locator('h1').textContent()).resolves.toContain('Dropbox');

    await page.goto(`${runtime.url}/requests?page=2`);
    await expect(page.locator('nav.pager').textContent()).resolves.toContain('Page 2 of 2');
    // Stable order: the two pages together list every request exactly once.
    const second = await page.locator('td.request .hint.id').allTextContents();
    await page.click('nav.pager a[rel=prev]');
    const first = await page.locator('td.request .hint.id').allTextContents();
    const ids = [...first, ...second].map((t) => t.split(' · ')[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(all);
  }, 60_000);

  it('keeps the inbox and request pages in the same frame', async () => {
    await page.click('nav.console >> text=Inbox');
    await expect(page.locator('nav.console a[aria-current=page]').textContent()).resolves.toBe('Inbox');
    await shoot('console-inbox');
  }, 60_000);

  it('shows the outbox as a page whose links open', async () => {
    await page.click('nav.console >> text=Outbox');
    await expect(page.locator('h1').textContent()).resolves.toBe('Outbox');
    const link = page.locator('article.message:has-text("to dana.okafor@example.com") pre.message-text a[href*="/decide?token="]').first();
    await expect(link.count()).resolves.toBe(1);
    await shoot('console-outbox');
    await Promise.all([page.waitForNavigation(), link.click()]);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/^Decide: /);
    await page.goto(`${runtime.url}/outbox?audience=department`);
    await expect(page.locator('article.message h2').first().textContent()).resolves.toMatch(/^IT for /);
    await shoot('console-outbox-departments');
    expect(cspViolations).toEqual([]);
  }, 60_000);
});
