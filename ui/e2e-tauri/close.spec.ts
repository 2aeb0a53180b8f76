// The window-close guard, in the real window: closing it (as a window manager's close button
// does) with unsaved changes asks first and keeps the window; closing it with everything saved
// quits and leaves no crash-recovery file behind.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Driver, eventually, screenshot, testId, type Browser } from './driver';

const HERE = path.dirname(new URL(import.meta.url).pathname);

/** Top-level X windows as `{ id, title }` (from xwininfo). */
function windows(): { id: string; title: string }[] {
  const tree = execFileSync('xwininfo', ['-root', '-children'], { encoding: 'utf8' });
  return [...tree.matchAll(/^\s+(0x[0-9a-f]+) "(.*)": \(/gm)].map((m) => ({ id: m[1], title: m[2] }));
}

function appWindow(): { id: string; title: string } | undefined {
  return windows().find((w) => w.title.endsWith('— Bartizan'));
}

/** What a window manager's close button does. */
function closeWindow(id: string) {
  execFileSync('python3', [path.join(HERE, 'wm-close.py'), id]);
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('closing the window', () => {
  const driver = new Driver();
  let app: Browser | undefined;

  beforeAll(async () => {
    await driver.start();
  });

  afterAll(async () => {
    await app?.deleteSession().catch(() => undefined);
    await driver.stop();
  });

  it('asks first when there are unsaved changes, and keeps the window', async () => {
    app = await driver.open();
    await testId(app, 'palette-agent').click();
    const dirty = await eventually(
      async () => appWindow(),
      (w) => w?.title.startsWith('• ') ?? false,
      'the window title shows unsaved changes',
    );
    closeWindow(dirty!.id);
    await eventually(
      async () => windows().map((w) => w.title),
      (titles) => titles.includes('Unsaved changes'),
      'a dialog asks before closing',
    );
    await screenshot('close-guard');
    await settle(500);
    expect(appWindow()?.id).toBe(dirty!.id);
    expect(await app.getWindowHandles()).toHaveLength(1);
    await app.deleteSession();
    app = undefined;
  });

  it('quits when everything is saved, leaving nothing to recover', async () => {
    app = await driver.open();
    const recovery = path.join(driver.root, 'data', 'org.bartizan.desktop', 'recovery.json');
    await app.execute(() =>
      (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__.invoke(
        'autosave',
        { doc: { bartizan: 1, metadata: { name: 'x' }, nodes: [] }, path: null },
      ),
    );
    expect(existsSync(recovery)).toBe(true);
    const clean = await eventually(async () => appWindow(), (w) => w !== undefined && !w.title.startsWith('• '), 'the window is up');
    closeWindow(clean!.id);
    await eventually(async () => appWindow(), (w) => w === undefined, 'the window closes');
    await eventually(async () => existsSync(recovery), (exists) => !exists, 'the recovery file is gone');
  });
});
