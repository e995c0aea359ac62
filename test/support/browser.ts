/**
 * Headless Chromium for the page tests: Debian's `chromium` (installed by
 * scripts/install-browser.sh, never downloaded) driven by playwright-core,
 * with a fresh profile, and every Content-Security-Policy complaint the
 * page logs collected so a test can assert there are none. Chromium
 * missing: the suite fails under CI (CI=true) and is skipped locally.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';

if (!browserAvailable && !inCi) {
  // eslint-disable-next-line no-console
  console.warn(`Browser test skipped: ${CHROMIUM} not found. Install it with scripts/install-browser.sh (CI fails instead of skipping).`);
}

/** `describe` when a browser can run (or CI demands one), else `describe.skip`. */
export const browserSuite = browserAvailable || inCi ? describe : describe.skip;

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  cspViolations: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  if (!browserAvailable) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh before npm test (CI must call it)`);
  const profile = mkdtempSync(join(tmpdir(), 'guardrail-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
