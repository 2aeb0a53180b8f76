// The shell's boundaries, in the real window: the window can call Bartizan's commands and
// nothing else (no plugin API, no path it was not given), the content security policy holds,
// and exports go where the (test) save dialog says.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Driver, cspViolations, eventually, invoke, invokeWithText, testId, textOf, type Browser } from './driver';

describe('the shell', () => {
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

  it('answers its own commands', async () => {
    const examples = await invoke(app, 'examples');
    expect((examples.ok as { id: string }[]).map((e) => e.id)).toContain('customer-support');
    const opened = await invoke(app, 'load_example', { id: 'finance-ops' });
    expect((opened.ok as { path: unknown }).path).toBeNull();
    const doc = (opened.ok as { doc: { metadata: { name: string } } }).doc;
    const analysis = (await invokeWithText(app, 'analyze', JSON.stringify(doc))).ok as {
      valid: boolean;
      report: { model: { path: string }; risks: unknown[] };
    };
    expect(analysis.valid).toBe(true);
    expect(analysis.report.risks.length).toBeGreaterThan(0);
    // A document without a file is named as the save dialog would name it.
    expect(analysis.report.model.path).toBe('accounts-payable-agent.bartizan.yaml');
    // The engine reads the text as sent: a diagnostic gives its line and column.
    const broken = JSON.stringify({ ...doc, nodes: [{ id: 'a', kind: 'agnt', name: 'A' }] }, null, 2);
    const invalid = (await invokeWithText(app, 'analyze', broken)).ok as {
      valid: boolean;
      diagnostics: { path: string; line: number; column: number }[];
      report: null;
    };
    expect(invalid.valid).toBe(false);
    expect(invalid.report).toBeNull();
    const kind = broken.split('\n').findIndex((line) => line.includes('"agnt"'));
    expect(invalid.diagnostics).toContainEqual(expect.objectContaining({ path: 'nodes[0].kind', line: kind + 1 }));
    // The document is the raw body, never arguments.
    expect(((await invoke(app, 'analyze', { doc })).error as { code: string }).code).toBe('invalid-request');
    expect(await invoke(app, 'load_example', { id: '../../etc/passwd' })).toEqual({
      error: { code: 'unknown-example', message: 'no example `../../etc/passwd`' },
    });
  });

  it('keeps the name that signs as the user set it, and refuses one that cannot sign', async () => {
    expect((await invoke(app, 'author')).ok).toBe(driver.author);
    for (const name of ['   ', 'a'.repeat(101), 'Ana\u0007']) {
      expect(((await invoke(app, 'set_author', { name })).error as { code: string }).code).toBe('invalid-name');
    }
    expect((await invoke(app, 'author')).ok).toBe(driver.author);
    expect((await invoke(app, 'set_author', { name: '  Ana   Lima ' })).ok).toBe('Ana Lima');
    expect((await invoke(app, 'author')).ok).toBe('Ana Lima');
    expect(JSON.parse(readFileSync(path.join(driver.appData, 'preferences.json'), 'utf8'))).toEqual({ author: 'Ana Lima' });
  });

  it('reaches no file the user did not choose', async () => {
    const read = await invoke(app, 'open_recent', { path: '/etc/passwd' });
    expect((read.error as { code: string }).code).toBe('not-permitted');
    const doc = ((await invoke(app, 'load_example', { id: 'well-governed' })).ok as { doc: unknown }).doc;
    const target = path.join(driver.root, 'elsewhere.bartizan.yaml');
    const write = await invoke(app, 'save_model', { doc, path: target, saveAs: false });
    expect((write.error as { code: string }).code).toBe('not-permitted');
    expect(existsSync(target)).toBe(false);
    const autosave = await invoke(app, 'autosave', { doc, path: target });
    expect(autosave.error).toBeUndefined();
    const recovery = (await invoke(app, 'recover')).ok as { path: unknown };
    expect(recovery.path).toBeNull();
    await invoke(app, 'discard_recovery');
    expect((await invoke(app, 'recover')).ok).toBeNull();
  });

  it('grants no plugin or core API to the window', async () => {
    for (const [command, args] of [
      ['plugin:dialog|open', { options: {} }],
      ['plugin:dialog|save', { options: {} }],
      ['plugin:fs|read_text_file', { path: '/etc/passwd' }],
      ['plugin:shell|open', { path: 'https://example.org' }],
      ['plugin:window|set_title', { label: 'main', value: 'x' }],
      ['plugin:webview|create_webview_window', { options: { label: 'x', url: 'https://example.org' } }],
    ] as const) {
      const result = await invoke(app, command, args);
      expect(result.error, command).toBeDefined();
      expect(result.ok, command).toBeUndefined();
    }
  });

  it('keeps to its content security policy', async () => {
    const blocked = await app.executeAsync((done: (result: Record<string, string>) => void) => {
      const result: Record<string, string> = {};
      try {
        eval('1');
        result.eval = 'ran';
      } catch (error) {
        result.eval = String(error);
      }
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      result.inline = (window as unknown as { __inlineRan?: boolean }).__inlineRan ? 'ran' : 'blocked';
      fetch('http://127.0.0.1:9/').then(
        () => done({ ...result, fetch: 'ran' }),
        (error) => done({ ...result, fetch: String(error) }),
      );
    });
    expect(blocked.eval).not.toBe('ran');
    expect(blocked.inline).toBe('blocked');
    expect(blocked.fetch).not.toBe('ran');
    const violations = await cspViolations(app);
    expect(violations.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(violations.some((v) => v.startsWith('connect-src'))).toBe(true);
  });

  it('exports the risks where the save dialog says', async () => {
    await testId(app, 'menu-new-example').click();
    await testId(app, 'example-finance-ops').click();
    await testId(app, 'menu-export').click();
    await testId(app, 'export-sarif').click();
    const report = path.join(driver.dialogDir, 'report.sarif');
    await eventually(async () => existsSync(report), Boolean, 'the SARIF report is written');
    const sarif = JSON.parse(readFileSync(report, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    // An example has no file yet: the report names it as the save dialog would.
    expect(JSON.stringify(sarif.runs[0].results[0].locations)).toMatch(/[a-z-]+\.bartizan\.yaml/);
  });

  it('exports the PDF report where the save dialog says', async () => {
    // The export dialog stays open after an export; open it when it is not.
    if (!(await testId(app, 'export-dialog').isExisting())) {
      await testId(app, 'menu-new-example').click();
      await testId(app, 'example-finance-ops').click();
      await testId(app, 'menu-export').click();
    }
    await testId(app, 'export-pdf').click();
    const report = path.join(driver.dialogDir, 'report.pdf');
    // Written atomically (a temporary file renamed over it): once it exists, it is whole.
    await eventually(async () => existsSync(report), Boolean, 'the PDF report is written', 60_000);
    const pdf = readFileSync(report);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-1024).toString('latin1')).toContain('%%EOF');
    await eventually(
      () => textOf(app, 'export-done'),
      (text) => text.includes('PDF report') && text.includes('report.pdf'),
      'the dialog says where the report went',
    );
  });
});
