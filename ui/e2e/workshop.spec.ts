// A review workshop on finance-ops: the most urgent risk — the standing bank API key an approved
// agent run can use — is first and critical; it opens, and is accepted with a justification; an
// open question is answered by editing the property; a step of the fix plan is applied and the
// open risks drop. Every change is one undoable edit. Screenshots go to e2e/artifacts/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, presetAuthor, screenshot, shownCounts, type AppPage } from './browser';

/**
 * The engine's plan for finance-ops, when the fixture generator wrote one (the fake serves it),
 * and whether it holds the engine's edited document for a step (the fake applies only those).
 */
const planFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/generated/examples/finance-ops.plan.json');
const planFixture = existsSync(planFile) ? (JSON.parse(readFileSync(planFile, 'utf8')) as { steps?: unknown[]; applied?: Record<string, unknown> }) : null;
const canApply = Object.keys(planFixture?.applied ?? {}).length > 0;

let browser: Browser;
let app: AppPage;

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  // Triage decisions are signed: the name is set as if given before.
  await presetAuthor(app, 'Ana Lima');
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

const risks = () => app.page.locator('[data-testid^="risk-"][data-kind]');

test('finance-ops opens with the payment API key risk first, and critical', async () => {
  const { page } = app;
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-finance-ops').click();
  const first = risks().first();
  await first.waitFor();
  expect(await first.getAttribute('data-place')).toBe('payment-api-key');
  expect(await first.getAttribute('data-kind')).toBe('credential');
  expect(await first.getAttribute('data-severity')).toBe('critical');
  expect(await first.locator('.bz-risk-place').textContent()).toBe('Bank platform API key');
  const counts = await shownCounts(page);
  expect(counts).toEqual({ header: counts.header, chips: counts.header, statusBar: counts.header });
  await page.waitForTimeout(400);
  await screenshot(page, '40-workshop-risks');
});

test('the first risk opens to its checks, paths and fix, and is accepted with a justification', async () => {
  const { page } = app;
  const first = risks().first();
  const fingerprint = (await first.getAttribute('data-testid'))!.replace('risk-', '');
  expect(fingerprint).toMatch(/^BTZ-RISK-CRD:[0-9a-f]{16}$/);
  const before = await shownCounts(page);
  await first.locator('.bz-finding-head').click();
  await first.getByTestId('risk-details').waitFor();
  expect(await first.getByTestId('risk-critical').textContent()).toMatch(/Critical/);
  expect(await first.getByTestId('risk-facet').count()).toBeGreaterThan(1);
  // A path clicked is the one highlighted.
  await first.getByTestId('risk-path-0').click();
  await expect.poll(() => first.getByTestId('risk-path-0').getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => page.getByTestId('node-payment-api-key').getAttribute('class')).toContain('bartizan-highlight');
  await screenshot(page, '41-workshop-risk-open');

  await first.getByTestId('triage-status').selectOption('accepted');
  await first.getByTestId('triage-justification').fill('Treasury accepts the standing key until the bank offers per-payment tokens (RISK-114).');
  await first.getByTestId('triage-apply').click();
  const accepted = page.getByTestId(`risk-${fingerprint}`);
  await expect.poll(() => accepted.getAttribute('data-status')).toBe('accepted');
  expect(await accepted.getByTestId('triage-recorded').textContent()).toMatch(/Accepted by Ana Lima on \d{4}-\d{2}-\d{2}/);
  expect(await page.getByTestId('name-dialog').count()).toBe(0);
  await expect.poll(() => shownCounts(page)).toEqual({ header: before.header - 1, chips: before.header - 1, statusBar: before.header - 1 });
});

test('an open question is answered by editing the property, as one undoable edit', async () => {
  const { page } = app;
  await page.getByTestId('tab-questions').click();
  const question = page.getByTestId('question-rotation_days:payment-api-key');
  await question.waitFor();
  await screenshot(page, '42-workshop-questions');
  const answer = question.getByTestId('answer-rotation_days:payment-api-key');
  await answer.fill('90');
  await answer.press('Enter');
  // Answered: the analysis that follows no longer asks.
  await expect.poll(() => question.count()).toBe(0);
  await page.getByTestId('node-payment-api-key').click();
  expect(await page.getByTestId('inspector').getByTestId('field-properties.rotation_days').inputValue()).toBe('90');
  await page.getByTestId('undo').click();
  await expect.poll(() => question.count()).toBe(1);
  await page.getByTestId('redo').click();
  await expect.poll(() => question.count()).toBe(0);

  // Another, shown in the inspector: the element selected and its property focused.
  const other = page.locator('[data-testid^="question-"][data-element]').first();
  if ((await other.count()) > 0) {
    const property = (await other.getAttribute('data-property'))!;
    await page.getByTestId('fold-inspector').click();
    await expect.poll(() => page.getByTestId('inspector').count()).toBe(0);
    await other.getByTestId('question-show').click();
    await page.getByTestId('inspector').waitFor();
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        return active?.closest('[data-testid="inspector"]') ? active.closest('[data-field]')?.getAttribute('data-field') : null;
      });
    await expect.poll(focused).toBe(property);
  }
});

test('the plan tab lists the engine\'s plan, or says none is available', async () => {
  const { page } = app;
  await page.getByTestId('tab-plan').click();
  if (planFixture) {
    await page.locator('[data-testid^="plan-step-"]').first().waitFor();
    await screenshot(page, '43-workshop-plan');
  } else {
    await expect.poll(() => page.getByTestId('plan-unavailable').textContent()).toMatch(/No plan is available/);
  }
});

test.runIf(canApply)('a plan step applied is one undoable edit, and the open risks drop', async () => {
  const { page } = app;
  const step = page.locator('[data-testid^="plan-step-"]').first();
  await step.waitFor();
  const before = await shownCounts(page);
  await step.getByTestId('plan-apply').click();
  await expect.poll(async () => (await shownCounts(page)).header).toBeLessThan(before.header);
  const after = await shownCounts(page);
  expect(after).toEqual({ header: after.header, chips: after.header, statusBar: after.header });
  await page.getByTestId('undo').click();
  await expect.poll(() => shownCounts(page)).toEqual(before);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
