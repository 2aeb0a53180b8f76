// The file bar against the fake back end: save and save as, recent files, open, export, the
// unsaved-changes guard, and autosave with crash recovery across a reload.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, presetAuthor, screenshot, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;

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

const nodes = (kind?: string) => app.page.locator(kind ? `[data-testid^="node-"][data-kind="${kind}"]` : '[data-testid^="node-"][data-kind]');
const docName = () => app.page.locator('.bz-doc-name').textContent();
const dirty = () => app.page.evaluate(() => window.__bartizanDirty);

async function loadExample(id: string) {
  await app.page.getByTestId('menu-new-example').click();
  await app.page.getByTestId(`example-${id}`).click();
}

test('a new model from an example is not dirty; an edit makes it dirty', async () => {
  const { page } = app;
  await loadExample('finance-ops');
  await expect.poll(docName).toMatch(/accounts payable/i);
  await page.locator('[data-testid^="risk-"][data-kind]').first().waitFor();
  expect(await page.getByTestId('dirty-indicator').count()).toBe(0);
  expect(await dirty()).toBe(false);
  expect(await page.evaluate(() => window.__bartizanFake!.dirty)).toBe(false);
  await page.getByTestId('palette-tool').click();
  await page.getByTestId('dirty-indicator').waitFor();
  expect(await dirty()).toBe(true);
  // The shell is told, for its window-close guard.
  await expect.poll(() => page.evaluate(() => window.__bartizanFake!.dirty)).toBe(true);
  expect(await page.title()).toMatch(/^● /);
});

test('save asks for a file the first time, then saves in place and lists it as recent', async () => {
  const { page } = app;
  await page.evaluate(() => {
    window.__bartizanFake!.nextSavePath = '/home/me/models/finance.bartizan.yaml';
  });
  await page.getByTestId('menu-save').click();
  await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);
  expect(await page.locator('.bz-doc-file').textContent()).toBe('finance.bartizan.yaml');
  const saved = await page.evaluate(() => window.__bartizanFake!.files()['/home/me/models/finance.bartizan.yaml']);
  expect(saved.nodes.some((n: { kind: string }) => n.kind === 'tool')).toBe(true);

  // Save in place: no dialog, same path.
  await page.getByTestId('palette-human').click();
  await page.getByTestId('dirty-indicator').waitFor();
  await page.getByTestId('menu-save').click();
  await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);
  expect(await page.locator('.bz-doc-file').textContent()).toBe('finance.bartizan.yaml');

  // Save as: a new file, which becomes the document's file.
  await page.evaluate(() => {
    window.__bartizanFake!.nextSavePath = '/home/me/models/finance-copy.bartizan.yaml';
  });
  await page.getByTestId('menu-save-as').click();
  await expect.poll(() => page.locator('.bz-doc-file').textContent()).toBe('finance-copy.bartizan.yaml');

  await page.getByTestId('menu-recent').click();
  expect(await page.getByTestId('recent-0').textContent()).toContain('finance-copy.bartizan.yaml');
  expect(await page.getByTestId('recent-1').textContent()).toContain('finance.bartizan.yaml');
  await screenshot(page, '10-recent-files');
  await page.keyboard.press('Escape');
});

test('the unsaved-changes guard asks before replacing the document', async () => {
  const { page } = app;
  await page.getByTestId('palette-agent').click();
  await page.getByTestId('dirty-indicator').waitFor();
  await loadExample('customer-support');
  await page.getByTestId('unsaved-dialog').waitFor();
  await screenshot(page, '11-unsaved-guard');
  await page.getByTestId('unsaved-cancel').click();
  await expect.poll(() => page.getByTestId('unsaved-dialog').count()).toBe(0);
  expect(await docName()).toMatch(/accounts payable/i);
  expect(await dirty()).toBe(true);

  await loadExample('customer-support');
  await page.getByTestId('unsaved-discard').click();
  await expect.poll(docName).toBe('Customer support agent');
  expect(await dirty()).toBe(false);
});

test('choosing Save in the guard saves first, then replaces', async () => {
  const { page } = app;
  await page.getByTestId('palette-memory').click();
  await page.getByTestId('dirty-indicator').waitFor();
  await page.evaluate(() => {
    window.__bartizanFake!.nextSavePath = '/home/me/models/support.bartizan.yaml';
  });
  await loadExample('well-governed');
  await page.getByTestId('unsaved-save').click();
  await expect.poll(docName).toMatch(/governed/i);
  const saved = await page.evaluate(() => window.__bartizanFake!.files()['/home/me/models/support.bartizan.yaml']);
  expect(saved.metadata.name).toBe('Customer support agent');
  expect(saved.nodes.some((n: { kind: string }) => n.kind === 'memory')).toBe(true);
});

test('open reads the chosen file and recent files reopen', async () => {
  const { page } = app;
  // The fake's open dialog answers with the last file saved.
  await page.getByTestId('menu-open').click();
  await expect.poll(docName).toBe('Customer support agent');
  expect(await page.locator('.bz-doc-file').textContent()).toBe('support.bartizan.yaml');
  await page.getByTestId('menu-recent').click();
  await page.locator('[data-testid^="recent-"]', { hasText: 'finance-copy.bartizan.yaml' }).click();
  await expect.poll(docName).toMatch(/accounts payable/i);
  expect(await page.locator('.bz-doc-file').textContent()).toBe('finance-copy.bartizan.yaml');
  expect(await dirty()).toBe(false);
});

test('export writes each format through a save dialog', async () => {
  const { page } = app;
  await page.getByTestId('menu-export').click();
  await page.getByTestId('export-dialog').waitFor();
  for (const format of ['json', 'sarif', 'csv', 'md', 'pdf']) {
    await page.getByTestId(`export-${format}`).click();
    await expect.poll(() => page.getByTestId('export-done').textContent()).toContain(`.${format}`);
  }
  await screenshot(page, '12-export-dialog');
  const formats = await page.evaluate(() => window.__bartizanFake!.exports.map((e) => e.format));
  expect(formats).toEqual(['json', 'sarif', 'csv', 'md', 'pdf']);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0);
});

test('unsaved work is autosaved and offered back after a crash', async () => {
  const { page } = app;
  const before = await nodes('gateway').count();
  await page.getByTestId('palette-gateway').click();
  await expect.poll(() => nodes('gateway').count()).toBe(before + 1);
  // Autosave runs every 5 s while there are unsaved changes.
  await page.waitForTimeout(5600);
  await page.reload();
  await page.getByTestId('recovery-prompt').waitFor();
  expect(await page.getByTestId('recovery-prompt').textContent()).toMatch(/Restore unsaved work from/);
  await screenshot(page, '13-recovery-prompt');
  await page.getByTestId('recovery-restore').click();
  await expect.poll(() => nodes('gateway').count()).toBe(before + 1);
  await page.getByTestId('dirty-indicator').waitFor();
  expect(await page.locator('.bz-doc-file').textContent()).toBe('finance-copy.bartizan.yaml');

  // Saving clears the autosave: the next start asks nothing.
  await page.getByTestId('menu-save').click();
  await expect.poll(() => page.getByTestId('dirty-indicator').count()).toBe(0);
  await page.reload();
  await page.getByTestId('app-root').waitFor();
  await page.waitForTimeout(500);
  expect(await page.getByTestId('recovery-prompt').count()).toBe(0);
});

test('discarding the recovered work forgets it', async () => {
  const { page } = app;
  await loadExample('coding-agent');
  await page.getByTestId('palette-input').click();
  await page.waitForTimeout(5600);
  await page.reload();
  await page.getByTestId('recovery-discard').click();
  await page.reload();
  await page.getByTestId('app-root').waitFor();
  await page.waitForTimeout(500);
  expect(await page.getByTestId('recovery-prompt').count()).toBe(0);
});

test('the model named at start-up opens', async () => {
  const other = await openApp(browser, inject('baseUrl'), '&example=well-governed');
  try {
    await expect.poll(() => other.page.locator('.bz-doc-name').textContent()).not.toBe('Untitled model');
    await other.page.locator('[data-testid^="node-"][data-kind]').first().waitFor();
    expect(await other.page.getByTestId('dirty-indicator').count()).toBe(0);
    expect(other.errors).toEqual([]);
  } finally {
    await other.context.close();
  }
});

test('a file that does not read completely opens read-only and is never saved over', async () => {
  const { page } = app;
  const file = '/home/me/models/typos.bartizan.yaml';
  // What reading a file with an unknown relation gives: the model without that edge, and the error.
  await loadExample('coding-agent');
  await page.locator('[data-testid^="risk-"][data-kind]').first().waitFor();
  await page.evaluate((file) => {
    const fake = window.__bartizanFake!;
    const doc = structuredClone(fake.files()['/home/me/models/support.bartizan.yaml']);
    doc.edges = doc.edges!.slice(1);
    fake.putIncompleteFile(file, doc, [
      { severity: 'error', code: 'unknown-variant', message: 'unknown relation `invokez`', path: 'edges[0].relation', line: 41, column: 15 },
      { severity: 'error', code: 'unknown-variant', message: 'unknown autonomy `supervized`', path: 'nodes[2].properties.autonomy', line: 17, column: 17 },
    ]);
  }, file);
  const before = await page.evaluate((file) => JSON.stringify(window.__bartizanFake!.files()[file]), file);
  await page.getByTestId('menu-open').click();
  await page.getByTestId('read-only-banner').waitFor();
  expect(await page.getByTestId('read-only-banner').textContent()).toContain(
    'This file has 2 errors and opened read-only; fix them in a text editor and reopen',
  );
  // Every error of the file, at its line; no risk of the partial model.
  await expect.poll(() => page.getByTestId('diagnostic-at').allTextContents()).toEqual(['line 41, column 15 — ', 'line 17, column 17 — ']);
  expect(await page.getByTestId('model-diagnostics').textContent()).toContain('edges[0].relation: unknown relation invokez');
  expect(await page.locator('[data-testid^="risk-"][data-kind]').count()).toBe(0);
  await screenshot(page, '14-read-only');

  // No edit, no save (button, shortcut, save as), no autosave.
  const count = await nodes().count();
  await page.getByTestId('palette-tool').click();
  expect(await nodes().count()).toBe(count);
  expect(await page.getByTestId('dirty-indicator').count()).toBe(0);
  await page.getByTestId('menu-save').click();
  await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Not saved: This file has 2 errors');
  await page.keyboard.press('Control+s');
  await page.getByTestId('menu-save-as').click();
  await page.waitForTimeout(300);
  expect(await page.evaluate((file) => JSON.stringify(window.__bartizanFake!.files()[file]), file)).toBe(before);
  expect(await page.evaluate(() => window.__bartizanFake!.files()['/home/me/models/typos-copy.bartizan.yaml'])).toBeUndefined();

  // Fixed in a text editor and reopened: editable again.
  await page.evaluate((file) => {
    const fake = window.__bartizanFake!;
    fake.putFile(file, fake.files()['/home/me/models/support.bartizan.yaml']);
  }, file);
  await page.getByTestId('read-only-reopen').click();
  await expect.poll(() => page.getByTestId('read-only-banner').count()).toBe(0);
  await page.getByTestId('palette-tool').click();
  await expect.poll(() => nodes().count()).toBe(count + 1);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
