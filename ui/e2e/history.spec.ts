// The history panel against the fake back end (whose workspace records a revision per save,
// as the real one does): an unsaved model has no history; two saves with an edit between
// them list two revisions with the risks delta; comparing them colours the changed
// elements on the canvas and lists the ones it cannot show; restoring brings the first back
// as an unsaved, undoable edit, asking first when there are unsaved changes.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, presetAuthor, screenshot, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;

const FILE = '/home/me/models/finance-history.bartizan.yaml';

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  // Saves are signed with the name the user set (asked for once; see risks-panel.spec.ts).
  await presetAuthor(app, 'Test author');
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

const dirtyCount = () => app.page.getByTestId('dirty-indicator').count();
const nodeIds = () =>
  app.page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid^="node-"][data-kind]')).map((el) => el.getAttribute('data-testid')!.slice('node-'.length)),
  );

test('a model that was never saved has no history', async () => {
  const { page } = app;
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-finance-ops').click();
  await page.locator('[data-testid^="risk-"][data-kind]').first().waitFor();
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-unsaved').waitFor();
  expect(await page.getByTestId('history-unsaved').textContent()).toMatch(/not been saved/);
  // The risks are one click away, as they were.
  await page.getByTestId('tab-risks').click();
  await page.getByTestId('risks-panel').waitFor({ state: 'visible' });
});

test('two saves with an edit between them make two revisions with the risks delta', async () => {
  const { page } = app;
  await page.evaluate((file) => {
    window.__bartizanFake!.nextSavePath = file;
  }, FILE);
  await page.getByTestId('menu-save').click();
  await expect.poll(dirtyCount).toBe(0);

  // The edit: the standing payment key goes, an agent is added, the clerk is renamed.
  await page.getByTestId('node-payment-api-key').click();
  await page.keyboard.press('Delete');
  await expect.poll(() => page.getByTestId('node-payment-api-key').count()).toBe(0);
  const before = new Set(await nodeIds());
  await page.getByTestId('palette-agent').click();
  await expect.poll(async () => (await nodeIds()).filter((id) => !before.has(id)).length).toBe(1);
  const added = (await nodeIds()).find((id) => !before.has(id))!;
  await page.getByTestId('node-ap-clerk').click();
  const name = page.getByTestId('inspector').getByTestId('field-name');
  await name.fill('Accounts-payable clerk (EU)');
  await name.press('Enter');
  await expect.poll(() => page.getByTestId('node-ap-clerk').textContent()).toContain('(EU)');
  await page.getByTestId('menu-save').click();
  await expect.poll(dirtyCount).toBe(0);

  await page.getByTestId('tab-history').click();
  await expect.poll(() => page.getByTestId('history-state').textContent()).toBe('2 revisions');
  // Newest first.
  const numbers = await page.locator('.bz-revision-number').allTextContents();
  expect(numbers).toEqual(['#2', '#1']);
  // The first revision's risks are all new; the second resolved those of the removed key.
  const first = await page.getByTestId('revision-delta-1').textContent();
  expect(first).toMatch(/^\+\d+\u22120~0$/);
  const second = await page.getByTestId('revision-delta-2').textContent();
  const resolved = Number(/\u2212(\d+)/.exec(second!)![1]);
  expect(resolved).toBeGreaterThan(0);
  expect(await page.getByTestId('revision-counts-1').textContent()).toMatch(/critical/);
  expect(await page.getByTestId('revision-2').textContent()).toContain('Test author');
  await screenshot(page, '30-history');

  // One revision chosen: compared with the one before it.
  await page.getByTestId('revision-choose-2').check();
  expect(await page.getByTestId('history-compare').textContent()).toBe('Compare 1 → 2');
  await page.getByTestId('history-compare').click();
  await page.getByTestId('comparison').waitFor();
  expect(await page.getByTestId('comparison-resolved').textContent()).toContain(`Resolved (${resolved})`);
  // The canvas colours what it can show, with a legend.
  await expect.poll(() => page.getByTestId(`node-${added}`).getAttribute('data-diff')).toBe('added');
  expect(await page.getByTestId('node-ap-clerk').getAttribute('data-diff')).toBe('changed');
  expect(await page.locator('[data-diff]').count()).toBeGreaterThanOrEqual(2);
  const legend = page.getByTestId('diff-legend');
  expect(await legend.textContent()).toContain('Revision 1 → revision 2');
  expect(await page.getByTestId('diff-legend-added').textContent()).toMatch(/Added\s*1/);
  // The removed key and its edges are not in the current model: listed by id.
  const elsewhere = page.getByTestId('comparison-elsewhere');
  expect(await elsewhere.getByTestId('elsewhere-payment-api-key').textContent()).toContain('removed');
  expect(await elsewhere.locator('[data-testid^="elsewhere-"]').count()).toBeGreaterThan(1);
  await screenshot(page, '31-history-compare');
  await page.getByTestId('theme-toggle').click();
  await page.waitForTimeout(300);
  await screenshot(page, '32-history-compare-dark');
  await page.getByTestId('theme-toggle').click();

  // The legend's Clear ends the comparison, on the canvas and in the panel.
  await page.getByTestId('diff-legend-clear').click();
  await expect.poll(() => page.locator('[data-diff]').count()).toBe(0);
  expect(await page.getByTestId('comparison').count()).toBe(0);
});

test('restoring a revision asks about unsaved changes, then makes it the current, unsaved model', async () => {
  const { page } = app;
  // An unsaved change: restoring asks first, as opening a file does.
  await page.getByTestId('palette-human').click();
  await page.getByTestId('dirty-indicator').waitFor();
  await page.getByTestId('revision-choose-2').uncheck();
  await page.getByTestId('revision-choose-1').check();
  expect(await page.getByTestId('history-restore').textContent()).toBe('Restore 1');
  await page.getByTestId('history-restore').click();
  await page.getByTestId('unsaved-dialog').waitFor();
  expect(await page.getByTestId('unsaved-dialog').textContent()).toContain('restoring revision 1');
  await page.getByTestId('unsaved-cancel').click();
  await expect.poll(() => page.getByTestId('unsaved-dialog').count()).toBe(0);
  expect(await page.getByTestId('node-payment-api-key').count()).toBe(0);

  await page.getByTestId('history-restore').click();
  await page.getByTestId('unsaved-discard').click();
  await page.getByTestId('node-payment-api-key').waitFor();
  await expect.poll(() => page.getByTestId('node-ap-clerk').textContent()).not.toContain('(EU)');
  // Restored, not saved: the file still holds revision 2 until the user saves.
  await page.getByTestId('dirty-indicator').waitFor();
  expect(await page.locator('.bz-doc-file').textContent()).toBe('finance-history.bartizan.yaml');
  expect(await page.getByTestId('diff-legend').count()).toBe(0);
  const saved = await page.evaluate((file) => window.__bartizanFake!.files()[file], FILE);
  expect(saved.nodes.some((n: { id: string }) => n.id === 'payment-api-key')).toBe(false);

  // One undo takes the restore back.
  await page.getByTestId('undo').click();
  await expect.poll(() => page.getByTestId('node-payment-api-key').count()).toBe(0);
  await page.getByTestId('redo').click();
  await page.getByTestId('node-payment-api-key').waitFor();

  // Saving the restored model records a third revision, the same as the first.
  await page.getByTestId('menu-save').click();
  await expect.poll(dirtyCount).toBe(0);
  await expect.poll(() => page.getByTestId('history-state').textContent()).toBe('3 revisions');
  const third = await page.getByTestId('revision-delta-3').textContent();
  expect(third).toMatch(/^\+[1-9]\d*/);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
