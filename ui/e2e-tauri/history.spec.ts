// The history of a saved model, in the real window over the real workspace (a database of
// this run's own, BARTIZAN_WORKSPACE): save a model, edit it, save again; the History panel
// lists two revisions with the findings delta the engine recorded; comparing them colours
// the changed elements on the canvas and lists the removed ones; restoring revision 1 brings
// it back as an unsaved, undoable edit.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Driver, cspViolations, eventually, invoke, nodeIds, screenshot, testId, textOf, type Browser } from './driver';

describe('the history of a saved model', () => {
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

  const attribute = (id: string, name: string) =>
    app.execute((testid: string, attr: string) => document.querySelector(`[data-testid="${testid}"]`)?.getAttribute(attr) ?? null, id, name);
  const dirty = () => testId(app, 'dirty-indicator').isExisting();

  it('records each save, compares two revisions on the canvas and restores the first', async () => {
    // An example has no file, so no history yet.
    await testId(app, 'menu-new-example').click();
    await testId(app, 'example-finance-ops').click();
    await eventually(() => nodeIds(app), (ids) => ids.includes('payment-api-key'), 'the example is on the canvas');
    await testId(app, 'tab-history').click();
    await testId(app, 'history-unsaved').waitForDisplayed({ timeout: 10_000 });

    // Save (the test dialog names the file): revision 1.
    await testId(app, 'menu-save').click();
    const saved = path.join(driver.dialogDir, 'saved.bartizan.yaml');
    await eventually(async () => existsSync(saved), Boolean, 'the model is saved');
    await eventually(dirty, (d) => !d, 'the document is clean after saving');
    await eventually(() => textOf(app, 'history-state'), (t) => t === '1 revision', 'the first save is revision 1');
    expect(existsSync(driver.workspace)).toBe(true);

    // Edit: the standing payment key goes, an agent comes. Save again, in place: revision 2.
    await testId(app, 'node-payment-api-key').click();
    await app.keys('Delete');
    await eventually(() => nodeIds(app), (ids) => !ids.includes('payment-api-key'), 'the key is deleted');
    const before = new Set(await nodeIds(app));
    await testId(app, 'palette-agent').click();
    const after = await eventually(() => nodeIds(app), (ids) => ids.some((id) => !before.has(id)), 'an agent is added');
    const agent = after.find((id) => !before.has(id))!;
    await testId(app, 'menu-save').click();
    await eventually(dirty, (d) => !d, 'the edit is saved');
    expect(readFileSync(saved, 'utf8')).not.toContain('id: payment-api-key');

    // Two revisions, newest first, with the findings delta of each.
    await eventually(() => textOf(app, 'history-state'), (t) => t === '2 revisions', 'the history lists two revisions');
    const numbers = await app.execute(() => Array.from(document.querySelectorAll('.bz-revision-number')).map((e) => e.textContent));
    expect(numbers).toEqual(['#2', '#1']);
    const first = await textOf(app, 'revision-delta-1');
    expect(first).toMatch(/^\+[1-9]\d*\u22120~0$/);
    const second = await textOf(app, 'revision-delta-2');
    const resolved = Number(/\u2212(\d+)/.exec(second)![1]);
    expect(resolved).toBeGreaterThan(0);
    expect(await textOf(app, 'revision-counts-1')).toMatch(/critical/);
    // Signed as triage decisions are: with the name the user set.
    expect(await textOf(app, 'revision-2')).toContain(driver.author!);
    await screenshot('history');

    // Revision 2 alone: compared with revision 1.
    await testId(app, 'revision-choose-2').click();
    await eventually(() => textOf(app, 'history-compare'), (t) => t === 'Compare 1 → 2', 'the compare button names the pair');
    await testId(app, 'history-compare').click();
    await testId(app, 'comparison').waitForExist({ timeout: 10_000 });
    expect(await textOf(app, 'comparison-resolved')).toContain(`Resolved (${resolved})`);
    await eventually(() => attribute(`node-${agent}`, 'data-diff'), (d) => d === 'added', 'the new agent is marked added');
    expect(await textOf(app, 'diff-legend')).toContain('Revision 1 → revision 2');
    // The key is not in the current model: listed by id, with its edges.
    expect(await textOf(app, 'elsewhere-payment-api-key')).toContain('removed');
    await screenshot('history-compare');

    // Restore revision 1: the key is back, unsaved; the file is still revision 2.
    await testId(app, 'revision-choose-2').click();
    await testId(app, 'revision-choose-1').click();
    await eventually(() => textOf(app, 'history-restore'), (t) => t === 'Restore 1', 'the restore button names revision 1');
    await testId(app, 'history-restore').click();
    await eventually(() => nodeIds(app), (ids) => ids.includes('payment-api-key') && !ids.includes(agent), 'revision 1 is the document');
    expect(await dirty()).toBe(true);
    expect(await testId(app, 'diff-legend').isExisting()).toBe(false);
    expect(readFileSync(saved, 'utf8')).not.toContain('id: payment-api-key');
    await screenshot('history-restored');

    // Undo takes the restore back; redo and save record revision 3.
    await testId(app, 'undo').click();
    await eventually(() => nodeIds(app), (ids) => !ids.includes('payment-api-key'), 'undo takes the restore back');
    await testId(app, 'redo').click();
    await eventually(() => nodeIds(app), (ids) => ids.includes('payment-api-key'), 'redo restores again');
    await testId(app, 'menu-save').click();
    await eventually(() => textOf(app, 'history-state'), (t) => t === '3 revisions', 'saving the restored model records revision 3');
    expect(readFileSync(saved, 'utf8')).toContain('id: payment-api-key');
    expect(await cspViolations(app)).toEqual([]);
  });

  it('reads the history only of files the user chose', async () => {
    for (const [command, args] of [
      ['history', { path: '/etc/passwd' }],
      ['compare_revisions', { path: '/etc/passwd', from: 1, to: 2 }],
      ['revision_document', { path: '/etc/passwd', revision: 1 }],
    ] as const) {
      const result = await invoke(app, command, args);
      expect((result.error as { code: string }).code, command).toBe('not-permitted');
    }
    // The open file (saved above) is the default, and a revision it does not have is an error.
    const saved = path.join(driver.dialogDir, 'saved.bartizan.yaml');
    const history = (await invoke(app, 'history', { path: saved })).ok as { number: number }[];
    expect(history.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(((await invoke(app, 'history', {})).ok as unknown[]).length).toBe(3);
    const missing = await invoke(app, 'revision_document', { path: saved, revision: 7 });
    expect((missing.error as { code: string }).code).toBe('unknown-revision');
  });
});
