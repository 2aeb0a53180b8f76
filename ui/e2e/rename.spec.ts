// Renaming a node in the inspector carries its triage: an accepted risk at the node stays
// accepted under the new id, and one undo brings back the old id with the decision.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, presetAuthor, screenshot, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  await presetAuthor(app, 'Test author');
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

test('an accepted risk stays accepted when its place is renamed, and undo restores both', async () => {
  const { page } = app;
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-customer-support').click();
  const item = page.locator('[data-testid^="risk-"][data-kind="credential"][data-place="billing-token"]');
  await item.waitFor();
  const before = (await item.getAttribute('data-testid'))!;
  await item.locator('.bz-finding-head').click();
  await item.getByTestId('triage-status').selectOption('accepted');
  await item.getByTestId('triage-justification').fill('Scoped to refunds under 50 EUR.');
  await item.getByTestId('triage-apply').click();
  await expect.poll(() => page.getByTestId(before).getAttribute('data-status')).toBe('accepted');

  // Selecting the risk selected its place: rename it in the inspector.
  const inspector = page.getByTestId('inspector');
  const subject = await inspector.getByTestId('field-id').inputValue();
  await inspector.getByTestId('field-id').fill('refund-key');
  await inspector.getByTestId('field-id').press('Enter');
  await page.getByTestId('node-refund-key').waitFor();
  expect(await page.getByTestId(`node-${subject}`).count()).toBe(0);
  // The risk at the renamed key has a new fingerprint and the same decision.
  await expect.poll(() => page.getByTestId(before).count()).toBe(0);
  const accepted = page.locator('[data-testid^="risk-"][data-kind="credential"][data-place="refund-key"][data-status="accepted"]');
  await expect.poll(() => accepted.count()).toBe(1);
  await accepted.locator('.bz-finding-head').click();
  await expect.poll(() => accepted.textContent()).toContain('Scoped to refunds under 50 EUR.');
  expect(await page.getByTestId('stale-triage').count()).toBe(0);
  await screenshot(page, '20-renamed-subject-keeps-triage');

  // One undo: the old id and the decision on the old fingerprint.
  await page.getByTestId('undo').click();
  await page.getByTestId(`node-${subject}`).waitFor();
  expect(await page.getByTestId('node-refund-key').count()).toBe(0);
  await expect.poll(() => page.getByTestId(before).getAttribute('data-status')).toBe('accepted');
  expect(await page.getByTestId('stale-triage').count()).toBe(0);
});
