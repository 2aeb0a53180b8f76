// A large model's hundreds of risks and open questions: the side panels draw only the rows near
// the view, and every row is still there for whoever scrolls or uses the keyboard. The fake back
// end reports long lists made from an example's risk and question (`reported`).
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Question, Risk } from '../src/backend';
import example from '../src/generated/examples/customer-support.json';
import { launch, openApp, type AppPage } from './browser';

const RISKS = 300;
const QUESTIONS = 200;

let browser: Browser;
let app: AppPage;

const report = (example as unknown as { analysis: { report: { risks: Risk[]; questions: Question[] } } }).analysis.report;
const risks: Risk[] = Array.from({ length: RISKS }, (_, i) => ({
  ...report.risks[i % report.risks.length],
  fingerprint: `BTZ-RISK-LONG:${String(i).padStart(4, '0')}`,
  title: `Long-list risk number ${i}`,
  status: 'open',
}));
const questions: Question[] = Array.from({ length: QUESTIONS }, (_, i) => ({
  ...report.questions[i % report.questions.length],
  id: `long-question-${i}`,
  text: `Long-list question number ${i}`,
}));

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  const { page } = app;
  await page.waitForFunction(() => window.__bartizanFake !== undefined);
  await page.evaluate((reported) => (window.__bartizanFake!.reported = reported), { risks, questions });
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-customer-support').click();
  await page.getByTestId('node-support-agent').waitFor();
  await page.getByTestId(`risk-${risks[0].fingerprint}`).waitFor();
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

/** The keys of the rows in the DOM now, in order. */
const drawnRows = (page: Page, list: string) =>
  page.locator(`${list} > [data-row-key]`).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.rowKey!));

/** Scrolls `panel`'s list from top to bottom a part of a view at a time; every row key seen. */
async function scrollThrough(page: Page, panel: string, list: string): Promise<string[]> {
  const seen = new Set<string>();
  const scroller = page.locator(`[data-testid="${panel}"] .bz-findings-list`);
  await scroller.evaluate((box) => (box.scrollTop = 0));
  for (let step = 0; step < 1000; step++) {
    // Scroll events are handled in a frame: wait for the rows of this place to be drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (const key of await drawnRows(page, list)) seen.add(key);
    const done = await scroller.evaluate((box) => {
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) return true;
      box.scrollTop += box.clientHeight * 0.9;
      return false;
    });
    if (done) {
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      for (const key of await drawnRows(page, list)) seen.add(key);
      break;
    }
  }
  return [...seen];
}

/** The fingerprint of the risk whose row has the focus. */
const focusedRisk = (page: Page) =>
  page.evaluate(() => (document.activeElement?.closest('[data-row-key]') as HTMLElement | null)?.dataset.rowKey ?? null);

test('of hundreds of risks only those near the view are drawn, and scrolling reaches every one', async () => {
  const { page } = app;
  await expect.poll(() => page.getByTestId('risks-state').textContent()).toContain(`${RISKS} open risk`);
  const drawn = await drawnRows(page, '.bz-risk-list');
  expect(drawn.length).toBeGreaterThan(0);
  expect(drawn.length).toBeLessThan(RISKS / 2);
  const seen = await scrollThrough(page, 'risks-panel', '.bz-risk-list');
  expect(seen.sort()).toEqual(risks.map((r) => r.fingerprint).sort());
  // At the bottom the last row is drawn where the list ends, not in space left for it.
  const last = page.getByTestId(`risk-${risks[RISKS - 1].fingerprint}`);
  expect(await last.isVisible()).toBe(true);
});

test('the arrow keys, Home and End move between risks, to rows not drawn yet as well', async () => {
  const { page } = app;
  const list = page.locator('[data-testid="risks-panel"] .bz-findings-list');
  await list.evaluate((box) => (box.scrollTop = 0));
  await page.getByTestId(`risk-${risks[0].fingerprint}`).locator('.bz-finding-head').focus();
  await page.keyboard.press('End');
  await expect.poll(() => focusedRisk(page)).toBe(risks[RISKS - 1].fingerprint);
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => focusedRisk(page)).toBe(risks[RISKS - 2].fingerprint);
  await page.keyboard.press('Home');
  await expect.poll(() => focusedRisk(page)).toBe(risks[0].fingerprint);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => focusedRisk(page)).toBe(risks[3].fingerprint);
  // Enter opens the focused risk, as a click does.
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId(`risk-${risks[3].fingerprint}`).locator('.bz-finding-head').getAttribute('aria-expanded')).toBe('true');
  await page.getByTestId(`risk-${risks[3].fingerprint}`).getByTestId('risk-details').waitFor();
});

test('a risk chosen in the inspector is drawn, scrolled to and opened, however far down the list', async () => {
  const { page } = app;
  const list = page.locator('[data-testid="risks-panel"] .bz-findings-list');
  await list.evaluate((box) => (box.scrollTop = 0));
  const last = risks[RISKS - 1];
  expect(await drawnRows(page, '.bz-risk-list')).not.toContain(last.fingerprint);
  await page.getByTestId(`node-${last.place}`).click();
  await page.getByTestId(`inspector-risk-${last.fingerprint}`).click();
  const row = page.getByTestId(`risk-${last.fingerprint}`);
  await row.getByTestId('risk-details').waitFor();
  expect(await row.locator('.bz-finding-head').getAttribute('aria-expanded')).toBe('true');
  // In view: its top within the list's box.
  const box = (await list.boundingBox())!;
  await expect.poll(async () => (await row.boundingBox())!.y).toBeGreaterThanOrEqual(box.y - 1);
  expect((await row.boundingBox())!.y).toBeLessThan(box.y + box.height);
});

test('of hundreds of open questions only those near the view are drawn, and scrolling reaches every one', async () => {
  const { page } = app;
  await page.getByTestId('tab-questions').click();
  await expect.poll(() => page.getByTestId('questions-state').textContent()).toBe(`${QUESTIONS} open`);
  await expect.poll(async () => (await drawnRows(page, '.bz-questions')).length).toBeGreaterThan(0);
  expect((await drawnRows(page, '.bz-questions')).length).toBeLessThan(QUESTIONS / 2);
  const seen = await scrollThrough(page, 'questions-panel', '.bz-questions');
  expect(seen.sort()).toEqual(questions.map((q) => q.id).sort());
  await page.getByTestId('tab-risks').click();
});

test('hundreds of warnings show five until asked for all, leaving the risks within reach', async () => {
  const { page } = app;
  const warnings = Array.from({ length: 300 }, (_, i) => ({
    severity: 'warning' as const,
    code: 'long-list-warning',
    message: `Long-list warning number ${i}`,
    path: 'nodes[0].description',
  }));
  await page.evaluate((diagnostics) => (window.__bartizanFake!.diagnostics = diagnostics), warnings);
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-customer-support').click();
  await expect.poll(() => page.getByTestId('model-diagnostics').count()).toBe(1);
  expect(await page.getByTestId('model-diagnostics').textContent()).toContain('300 warnings about the model');
  expect(await page.getByTestId('model-diagnostic').count()).toBe(5);
  // At the top of the panel the first risks are drawn and in view, below the five.
  await page.locator('[data-testid="risks-panel"] .bz-findings-list').evaluate((box) => (box.scrollTop = 0));
  const first = page.getByTestId(`risk-${risks[0].fingerprint}`);
  await expect.poll(() => first.isVisible()).toBe(true);
  const list = (await page.locator('[data-testid="risks-panel"] .bz-findings-list').boundingBox())!;
  expect((await first.boundingBox())!.y).toBeLessThan(list.y + list.height);
  await page.getByTestId('diagnostics-unfold').click();
  await expect.poll(() => page.getByTestId('model-diagnostic').count()).toBe(300);
  expect(await page.getByTestId('diagnostics-unfold').count()).toBe(0);
  await page.evaluate(() => (window.__bartizanFake!.diagnostics = []));
});
