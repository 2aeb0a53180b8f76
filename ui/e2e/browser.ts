// Launching Debian's Chromium through playwright-core (no browser download), and helpers the
// specs share: opening the app on the fake back end, screenshots for review.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw; a spec fails when any is left. */
  errors: string[];
}

/** A fresh browser context (empty localStorage) with the app loaded on the fake back end. */
export async function openApp(browser: Browser, baseUrl: string, query = ''): Promise<AppPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed requests are reported below, with their address.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${baseUrl}?backend=fake${query}`);
  await page.getByTestId('app-root').waitFor();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Sets the name that signs (as if the user had given it before), once the fake back end is up. */
export async function presetAuthor(app: AppPage, name: string): Promise<void> {
  await app.page.waitForFunction(() => window.__bartizanFake !== undefined);
  await app.page.evaluate((author) => window.__bartizanFake!.presetAuthor(author), name);
}

/** The open-risk counts the panel's header, its chips and the status bar show. */
export async function shownCounts(page: Page): Promise<{ header: number; chips: number; statusBar: number }> {
  const header = Number(/^(\d+) open risk/.exec((await page.getByTestId('risks-state').textContent()) ?? '')?.[1] ?? NaN);
  let chips = 0;
  for (const s of ['critical', 'high', 'medium', 'low', 'info']) chips += Number((await page.getByTestId(`count-${s}`).locator('b').textContent()) ?? NaN);
  const statusBar = Number(/^(\d+) open risk/.exec((await page.getByTestId('status-risks').textContent()) ?? '')?.[1] ?? NaN);
  return { header, chips, statusBar };
}
