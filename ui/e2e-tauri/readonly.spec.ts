// A file that does not read completely, in the real window: finance-ops with seven edges of
// an unknown relation and an unknown autonomy opens read-only with every error at its line,
// and neither the window (Save, Ctrl+S, Save as) nor a direct call to the shell writes over it:
// the file stays the same, byte for byte. Fixed and reopened, it is an ordinary model again.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Driver, REPO, eventually, invoke, screenshot, testId, textOf, type Browser } from './driver';

describe('a file that does not read completely', () => {
  const driver = new Driver();
  let app: Browser;

  beforeAll(async () => {
    await driver.start();
    app = await driver.open();
  });

  afterAll(async () => {
    await app?.deleteSession().catch(() => undefined);
    await driver.stop();
  });

  it('opens read-only with its errors at their lines and is never saved over', async () => {
    const original = readFileSync(path.join(REPO, 'models', 'finance-ops.bartizan.yaml'), 'utf8');
    const typos = original.replaceAll('relation: invokes', 'relation: invokez').replace(/autonomy: \w+/, 'autonomy: supervized');
    const wrongLines = typos
      .split('\n')
      .map((line, index) => (/invokez|supervized/.test(line) ? index + 1 : 0))
      .filter(Boolean);
    expect(wrongLines).toHaveLength(8);
    // The test seam's open dialog answers with this file.
    const file = path.join(driver.dialogDir, 'saved.bartizan.yaml');
    writeFileSync(file, typos);
    const bytes = readFileSync(file);

    await testId(app, 'menu-open').click();
    await testId(app, 'read-only-banner').waitForDisplayed({ timeout: 20_000 });
    expect(await textOf(app, 'read-only-banner')).toContain(
      'This file has 8 errors and opened read-only; fix them in a text editor and reopen',
    );
    // Every error, at the line of the file it is about; no risk of the partial model.
    const places = await eventually(
      () => app.execute(() => Array.from(document.querySelectorAll('[data-testid="diagnostic-at"]')).map((el) => el.textContent ?? '')),
      (texts) => texts.length === 8,
      'the file errors are listed',
    );
    expect(places.map((text) => Number(/line (\d+)/.exec(text)?.[1])).sort((a, b) => a - b)).toEqual(wrongLines);
    const listed = await textOf(app, 'model-diagnostics');
    expect(listed).toContain('invokez');
    expect(listed).toContain('supervized');
    expect(await app.$$('[data-testid^="risk-"][data-kind]').length).toBe(0);
    await screenshot('read-only');

    // Save with the keyboard, the button and Save as: each refused, with a notice.
    await app.keys(['Control', 's']);
    await eventually(() => textOf(app, 'toast'), (text) => text.includes('Not saved'), 'Ctrl+S is refused');
    await testId(app, 'menu-save').click();
    await testId(app, 'menu-save-as').click();
    await eventually(() => textOf(app, 'toast'), (text) => text.includes('Not saved: This file has 8 errors'), 'Save is refused');

    // The shell refuses too, whatever the window sends: the document, saved or autosaved.
    const opened = (await invoke(app, 'open_recent', { path: file })).ok as { doc: unknown; complete: boolean };
    expect(opened.complete).toBe(false);
    for (const saveAs of [false, true]) {
      const saved = await invoke(app, 'save_model', { doc: opened.doc, path: file, saveAs });
      expect((saved.error as { code: string }).code).toBe('read-only');
    }
    const autosaved = await invoke(app, 'autosave', { doc: opened.doc, path: file });
    expect((autosaved.error as { code: string }).code).toBe('read-only');
    expect(readFileSync(file).equals(bytes)).toBe(true);

    // Fixed in a text editor and reopened: an ordinary model with its risks.
    writeFileSync(file, original);
    await testId(app, 'read-only-reopen').click();
    await eventually(() => testId(app, 'read-only-banner').isExisting(), (shown) => !shown, 'the banner goes');
    await eventually(() => app.$$('[data-testid^="risk-"][data-kind]').length, (count) => count > 0, 'risks are shown');
  });
});
