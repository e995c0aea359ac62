/**
 * The decision page in a real headless Chromium (Debian's `chromium`,
 * installed by scripts/install-browser.sh, driven by playwright-core): open
 * the link from a real notification, read the findings and suggestions,
 * approve with a comment, see the decision recorded, open the link again
 * and be told it has been used. Then the inbox through the local sign-in.
 *
 * The app runs on a local node:http server exactly as `npm start` serves it
 * (plain http on 127.0.0.1, so cookies lose only `Secure`/`__Host-`). No
 * script runs on the pages (the CSP forbids any): the browser proves the
 * HTML, the form, the cookies and the CSP work together.
 *
 * Chromium missing: the test fails under CI (CI=true) and is skipped with a
 * message locally.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { handleApprovalRequest } from '../../functions/adapters/web/approvals-app';
import { startLocalRuntime } from '../../functions/local/runtime';
import { approvalRequestFromNode, writeApprovalResponse } from '../../functions/adapters/web/node-http';
import { browserSuite, openBrowser, type BrowserSession } from '../support/browser';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { sampleEvent } from '../support/fixtures';
import { IT_TOPIC, PEOPLE, REQUESTER_TOPIC, approvalWorld, awsMocks, emailText, linksIn, type ApprovalWorld } from '../support/approvals';

browserSuite('decision page in headless Chromium', () => {
  let dynamo: TestDynamo;
  const mocks = awsMocks();
  let world: ApprovalWorld;
  let server: Server;
  let baseUrl = '';
  /** Where the screenshots go, for a person to look at (not compared). */
  const screenshots = process.env.GUARDRAIL_SCREENSHOTS ?? join(tmpdir(), 'guardrail-screenshots');
  let browser: BrowserSession;
  let page: Page;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', baseUrl);
        writeApprovalResponse(res, await handleApprovalRequest(world.app, await approvalRequestFromNode(req, url)));
      })().catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    world = await approvalWorld(dynamo, mocks, { baseUrl, localSessions: true });

    mkdirSync(screenshots, { recursive: true });
    browser = await openBrowser();
    ({ page, cspViolations } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    mocks.restore();
    await dynamo?.teardown();
  });

  it('opens the link from the notification, shows the findings, records the approval, and then says the link was used', async () => {
    await world.submit(sampleEvent('purchase-request/dropbox-marketing-confidential.json'));
    const notification = world.published(IT_TOPIC).find((p) => p.MessageAttributes?.recipient?.StringValue === PEOPLE.marcus)!;
    const link = linksIn(emailText(notification)).approve;
    expect(link.startsWith(`${baseUrl}decide?token=`)).toBe(true);

    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Decide: Dropbox Business Advanced from Dropbox');
    await expect(page.locator('.notice').first().textContent()).resolves.toContain('Nothing has been recorded yet');
    // The findings table and the suggestions, as an approver reads them.
    const findings = await page.locator('table').first().locator('tbody tr').allTextContents();
    expect(findings.some((row) => row.includes('DUPLICATE_CAPABILITY') && row.includes('Box'))).toBe(true);
    expect(findings.some((row) => row.includes('SECURITY_REVIEW_EXPIRED'))).toBe(true);
    expect(await page.locator('ul.suggestions li').count()).toBeGreaterThan(0);
    // The Approve button of the opened link is the highlighted one; all three are offered.
    await expect(page.locator('button.approve').getAttribute('class')).resolves.toContain('primary');
    expect(await page.locator('form.decide button[type=submit]').allTextContents()).toEqual(['Approve', 'Reject', 'Ask for more information']);
    // The page says before anyone clicks that approving past its high finding needs a comment.
    await expect(page.locator('.comment-required').textContent()).resolves.toContain('Approving needs a comment.');
    await page.screenshot({ path: join(screenshots, 'decision-page.png'), fullPage: true });
    // Opening the page decided nothing.
    expect((await world.requests.get('coupa:PR-2026-1042'))?.approval.status).toBe('pending');

    await page.fill('#comment', 'Fine for the agency exchange; move to Box at renewal.');
    await Promise.all([page.waitForNavigation(), page.click('button.approve')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Approved');
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('Recorded.');

    const record = await world.requests.get('coupa:PR-2026-1042');
    expect(record?.approval).toMatchObject({
      status: 'approved',
      steps: [{ action: 'approve', by: { email: PEOPLE.marcus, tier: 'it-manager' }, comment: 'Fine for the agency exchange; move to Box at renewal.' }],
    });
    expect((await world.audit.list('coupa:PR-2026-1042')).map((e) => e.type)).toEqual(['received', 'evaluated', 'notified', 'decided']);
    expect(world.busEvents().some((e) => (e.approval as { status?: string } | undefined)?.status === 'approved')).toBe(true);
    expect(world.published(REQUESTER_TOPIC).map((p) => p.Subject)).toEqual(['Approved: Dropbox Business Advanced from Dropbox']);

    const reopened = await page.goto(link);
    expect(reopened?.status()).toBe(409);
    await expect(page.locator('h1').textContent()).resolves.toBe('This link has already been used');
    expect(cspViolations).toEqual([]);
  });

  it('keeps the comment and says what is missing when a rejection has no reason', async () => {
    await world.submit(sampleEvent('purchase-request/monday-auto-renew-long-term.json'));
    const link = linksIn(emailText(world.published(IT_TOPIC).find((p) => emailText(p).includes('coupa:PR-2026-1047'))!)).reject;
    await page.goto(link);
    await Promise.all([page.waitForNavigation(), page.click('button.reject')]);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Say why you reject it');
    await page.fill('#comment', 'Asana is sanctioned for project tracking: please use it.');
    await Promise.all([page.waitForNavigation(), page.click('button.reject')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Rejected');
    expect((await world.requests.get('coupa:PR-2026-1047'))?.approval.status).toBe('rejected');
  });

  it('signs in locally and lists what is still pending with its deadline', async () => {
    await world.submit(sampleEvent('purchase-request/salesforce-large-cio.json'));
    await page.goto(`${baseUrl}inbox`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('#email', 'nobody@example.com');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('not in the approver directory');
    await page.fill('#email', PEOPLE.dana);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await expect(page.locator('h1').textContent()).resolves.toBe('Pending requests');
    const rows = await page.locator('table.inbox tbody tr').allTextContents();
    expect(rows).toHaveLength(1); // the two above are decided
    expect(rows[0]).toContain('coupa:PR-2026-1044');
    expect(rows[0]).toContain('1st of 2 signatures: IT\u00a0director');
    await expect(page.locator('table.inbox time').first().getAttribute('datetime')).resolves.toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
    // The row's link opens the decision page as the signed-in approver.
    await Promise.all([page.waitForNavigation(), page.locator('table.inbox a').first().click()]);
    await expect(page.locator('form.decide .hint').first().textContent()).resolves.toContain('You are deciding as Dana Okafor');
    expect(cspViolations).toEqual([]);
  });

  it('fits the inbox on a laptop screen (1366×768): no sideways scrolling, short rows, the deadline first, names not addresses', async () => {
    for (const sample of ['chatgpt-team-engineering', 'wetransfer-prohibited', 'unknown-vendor-restricted-data', 'zoom-webinar-unknown-currency']) {
      await world.submit(sampleEvent(`purchase-request/${sample}.json`));
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${baseUrl}inbox`); // still signed in as Dana (IT director, every department)
    await expect(page.locator('h2#to-decide').textContent()).resolves.toMatch(/^To decide \(\d+\)$/);
    const rows = page.locator('table.inbox.decide tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(screenshots, 'inbox-1366x768.png') });
    // Measured in the page (a string: the project's TypeScript has no DOM types).
    const layout = (await page.evaluate(`(() => {
      const table = document.querySelector('table.inbox');
      const lineHeight = (el) => parseFloat(getComputedStyle(el).lineHeight) || 24;
      // Lines of text in a cell: the distinct tops of its text's boxes (the cell itself stretches to the row).
      const lines = (el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top / (lineHeight(el) / 2)))).size;
      };
      return {
        scroll: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        tableRight: table.getBoundingClientRect().right,
        waiting: [...document.querySelectorAll('table.inbox td.waiting')].map(lines),
        heights: [...document.querySelectorAll('table.inbox.decide tbody tr')].map((tr) => tr.getBoundingClientRect().height),
        firstHeader: document.querySelector('table.inbox th').textContent,
      };
    })()`)) as { scroll: number; viewport: number; tableRight: number; waiting: number[]; heights: number[]; firstHeader: string };
    expect(layout.scroll).toBeLessThanOrEqual(layout.viewport);
    expect(layout.tableRight).toBeLessThanOrEqual(layout.viewport);
    expect(layout.firstHeader).toBe('Deadline');
    // "Waiting for" stays a phrase (at most three lines with the watch reason), not one word per line.
    expect(Math.max(...layout.waiting)).toBeLessThanOrEqual(3);
    // Short rows: each at most about four lines of text.
    expect(Math.max(...layout.heights)).toBeLessThan(120);
    // Narrower laptop windows too: nothing scrolls sideways at 1200 px.
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.setViewportSize({ width: 1366, height: 768 });
    const requesters = await page.locator('table.inbox.decide td[data-label="Requester"] > span').allTextContents();
    expect(requesters.every((name) => !name.includes('@'))).toBe(true);

    // The Marketing IT manager: Marketing's requests to decide, Engineering's not at all.
    await page.context().clearCookies();
    await page.goto(`${baseUrl}sign-in`);
    await page.fill('#email', PEOPLE.marcus);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const marcusView = await page.locator('main').textContent();
    expect(marcusView).not.toContain('PR-2026-1049'); // ChatGPT Team for engineering
    await page.screenshot({ path: join(screenshots, 'inbox-marcus-1366x768.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('works the same in npm start: the outbox link of a replayed sample, approved in the browser, is then used', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guardrail-browser-runtime-'));
    const runtime = await startLocalRuntime({ port: 0, dataDir, sweepIntervalMs: 0, out: { write: () => true } });
    try {
      const outbox = (await (await fetch(`${runtime.url}/outbox?audience=it`)).json()) as { notifications: { recordId: string; text: string }[] };
      const link = linksIn(outbox.notifications.find((n) => n.recordId === 'coupa:PR-2026-1047')!.text).approve; // monday.com, Operations
      await page.goto(link);
      await expect(page.locator('h1').textContent()).resolves.toBe('Decide: monday work management Pro from monday.com Ltd.');
      await page.fill('#comment', 'Approved for the operations pilot.');
      await Promise.all([page.waitForNavigation(), page.click('button.approve')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Approved');
      const record = (await (await fetch(`${runtime.url}/requests/coupa:PR-2026-1047`)).json()) as {
        approval: { status: string };
        history: { type: string }[];
      };
      expect(record.approval.status).toBe('approved');
      expect(record.history.at(-1)?.type).toBe('decided');
      const requester = (await (await fetch(`${runtime.url}/outbox?audience=requester`)).json()) as { notifications: { subject: string }[] };
      expect(requester.notifications.map((n) => n.subject)).toContain('Approved: monday work management Pro from monday.com Ltd.');
      expect((await page.goto(link))?.status()).toBe(409);
      await expect(page.locator('h1').textContent()).resolves.toBe('This link has already been used');
    } finally {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(cspViolations).toEqual([]);
  });
});
