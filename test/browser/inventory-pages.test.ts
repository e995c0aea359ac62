/**
 * The inventory pages in a real headless Chromium (same setup as the
 * decision page's test): sign in locally, read the list, filter by
 * department with the form (no script), open one app and follow its review.
 * Screenshots go to $GUARDRAIL_SCREENSHOTS (or the temp folder) for a person
 * to look at. Chromium missing: fails under CI, skipped locally.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { handleApprovalRequest } from '../../functions/adapters/web/approvals-app';
import { approvalRequestFromNode, writeApprovalResponse } from '../../functions/adapters/web/node-http';
import type { AppConnected, GuardrailEvent } from '../../functions/domain/events';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { PEOPLE, approvalWorld, awsMocks, type ApprovalWorld } from '../support/approvals';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const suite = available || inCi ? describe : describe.skip;

function event(n: number, detail: Partial<AppConnected>): GuardrailEvent {
  return {
    kind: 'app-connected',
    detail: {
      source: 'google-workspace',
      sourceEventId: `e-${n}`,
      occurredAt: `2026-11-27T09:${String(10 + n).padStart(2, '0')}:00Z`,
      app: { name: 'Boards <script>alert(1)</script>' },
      actor: { type: 'user', email: `person${n}@example.com`, displayName: `Person ${n}` },
      connectionKind: 'oauth-consent',
      scopes: ['https://www.googleapis.com/auth/drive.readonly'],
      department: n % 2 ? 'Marketing' : 'Finance',
      ...detail,
    },
  };
}

suite('inventory pages in headless Chromium', () => {
  let dynamo: TestDynamo;
  const mocks = awsMocks();
  let world: ApprovalWorld;
  let server: Server;
  let baseUrl = '';
  let profile: string;
  const screenshots = process.env.GUARDRAIL_SCREENSHOTS ?? join(tmpdir(), 'guardrail-screenshots');
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh before npm test (CI must call it)`);
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
    for (let n = 1; n <= 4; n++) await world.submit(event(n, {}));
    await world.submit(event(5, { app: { name: 'Slack' }, connectionKind: 'user-assigned', scopes: undefined, subject: { email: 'person5@example.com' } }));

    mkdirSync(screenshots, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'guardrail-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    mocks.restore();
    await dynamo?.teardown();
  });

  test('signed in, an approver reads the inventory, filters it and opens an app with its people and review', async () => {
    await page.goto(`${baseUrl}inventory`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.fill('#email', PEOPLE.dana);
    await page.click('button[type=submit]');
    await page.goto(`${baseUrl}inventory`);
    await expect(page.locator('h1').textContent()).resolves.toBe('App inventory');
    const rows = page.locator('table.inventory tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const boards = rows.filter({ hasText: 'Boards' });
    await expect(boards.locator('td').nth(1).textContent()).resolves.toBe('4');
    await expect(boards.textContent()).resolves.toContain('Boards <script>alert(1)</script>');
    await page.screenshot({ path: join(screenshots, 'inventory.png'), fullPage: true });

    await page.selectOption('#department', 'Finance');
    await page.click('form.filter button[type=submit]');
    expect(new URL(page.url()).searchParams.get('department')).toBe('Finance');
    await expect(rows.count()).resolves.toBe(1);

    await page.click('table.inventory a:has-text("Boards")');
    await expect(page.locator('h1').textContent()).resolves.toBe('Boards <script>alert(1)</script>');
    await expect(page.locator('table.people tbody tr').count()).resolves.toBe(4);
    await expect(page.locator('main').textContent()).resolves.toMatch(/4 people use it in Finance, Marketing/);
    await page.screenshot({ path: join(screenshots, 'inventory-app.png'), fullPage: true });
    await page.click('text=Open the review');
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe('/requests/google-workspace:e-1');
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 120_000);
});
