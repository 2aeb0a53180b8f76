// The acceptance path of the desktop app, in the real window: open an example, add an agent, a
// tool and a secret, connect them, answer the question the engine asks about the secret, see the
// risk it then reports, select it and see its
// path highlighted, triage it (the first decision asks for the name that signs it), save, start
// the app again, reopen the file and find it intact.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exampleJson from '../src/generated/examples/customer-support.json';
import {
  Driver,
  cspViolations,
  eventually,
  highlighted,
  invoke,
  nodeIds,
  screenshot,
  testId,
  textOf,
  type Browser,
} from './driver';

/** The example as the engine analysed it (report version 2: its risks, most urgent first). */
const example = exampleJson as unknown as { doc: { nodes: { id: string }[] }; analysis: { report: { risks: { fingerprint: string }[] } } };

/** The engine's fingerprint: `RULE:` + 16 hex of SHA-256 over the rule and its subjects. */
function fingerprint(rule: string, subjects: string[]): string {
  const hash = createHash('sha256');
  hash.update(rule);
  for (const subject of subjects) hash.update(Buffer.concat([Buffer.from([0]), Buffer.from(subject)]));
  return `${rule}:${hash.digest('hex').slice(0, 16)}`;
}

/** Clicks a palette item (which adds the kind at the centre) and returns the new node's id. */
async function addNode(browser: Browser, kind: string): Promise<string> {
  const before = new Set(await nodeIds(browser));
  await testId(browser, `palette-${kind}`).click();
  const after = await eventually(
    () => nodeIds(browser),
    (ids) => ids.some((id) => !before.has(id)),
    `clicking palette-${kind} adds a node`,
  );
  return after.find((id) => !before.has(id)) as string;
}

/** The centre of the first element matching `selector`, in viewport pixels, once it stops moving. */
async function centreOf(browser: Browser, selector: string): Promise<{ x: number; y: number }> {
  // A point inside the element that is not covered by anything else (an edge may cross a handle).
  const read = () =>
    browser.execute((css: string) => {
      const element = document.querySelector(css);
      const box = element?.getBoundingClientRect();
      if (!element || !box) return null;
      const centre = { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
      for (const fy of [0.5, 0.3, 0.7, 0.15, 0.85]) {
        for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85]) {
          const point = { x: Math.round(box.left + box.width * fx), y: Math.round(box.top + box.height * fy) };
          const hit = document.elementFromPoint(point.x, point.y);
          if (hit && (hit === element || element.contains(hit))) return point;
        }
      }
      return centre;
    }, selector);
  // The viewport may still be gliding to a new node.
  let last = await read();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await read();
    if (now && last && now.x === last.x && now.y === last.y) return now;
    last = now;
  }
  if (!last) throw new Error(`nothing matches ${selector}`);
  return last;
}

/** Zooms in with the mouse wheel over the middle of `ids` until their handles show (zoomed far out, the canvas hides them). */
async function zoomTo(browser: Browser, ids: string[]): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const hidden = await browser.execute(
      (selectors: string[]) =>
        selectors.some((css) => {
          const handle = document.querySelector(css);
          return !handle || getComputedStyle(handle).visibility === 'hidden';
        }),
      ids.map((id) => `[data-testid="node-${id}"] .react-flow__handle`),
    );
    if (!hidden) return;
    const points = await Promise.all(ids.map((id) => centreOf(browser, `[data-testid="node-${id}"]`)));
    const x = Math.round(points.reduce((sum, p) => sum + p.x, 0) / points.length);
    const y = Math.round(points.reduce((sum, p) => sum + p.y, 0) / points.length);
    await browser.action('wheel').scroll({ x, y, deltaX: 0, deltaY: -200 }).perform();
  }
  throw new Error('the canvas stays zoomed out');
}

/** Drags from `from`'s source handle to `to`'s target handle, then picks `relation`. */
async function connect(browser: Browser, from: string, to: string, relation: string): Promise<void> {
  // Handles may show only while the pointer is over the node: hover first, then press on the handle.
  const node = await centreOf(browser, `[data-testid="node-${from}"]`);
  const source = await centreOf(browser, `[data-testid="node-${from}"] .rn-source`);
  const target = await centreOf(browser, `[data-testid="node-${to}"] .rn-target`);
  await browser
    .action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: 'viewport', ...node })
    .pause(150)
    .move({ origin: 'viewport', ...source })
    .pause(150)
    .down({ button: 0 })
    .move({ origin: 'viewport', x: source.x + 20, y: source.y + 10, duration: 100 })
    .move({ origin: 'viewport', ...target, duration: 400 })
    .pause(150)
    .up({ button: 0 })
    .perform();
  await testId(browser, 'relation-menu')
    .waitForDisplayed({ timeout: 10_000 })
    .catch(async (error: unknown) => {
      await screenshot(`connect-${from}-${to}`);
      throw error;
    });
  const item = testId(browser, `relation-${relation}`);
  if (!(await item.isExisting())) {
    await screenshot(`connect-${from}-${to}`);
    throw new Error(`no ${relation} in the menu: ${await testId(browser, 'relation-menu').getText()}`);
  }
  await item.click();
  await testId(browser, `edge-${from}--${relation}--${to}`).waitForExist({ timeout: 10_000 });
}

const started = Date.now();
function step(what: string) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
}

describe('the desktop app in a real window', () => {
  // No name set: the first triage decision asks for it.
  const driver = new Driver({ author: null });
  const signer = 'E2E Reviewer';
  let browser: Browser | undefined;

  beforeAll(async () => {
    await driver.start();
  });

  afterAll(async () => {
    await browser?.deleteSession().catch(() => undefined);
    await driver.stop();
  });

  it('edits a model, shows and triages its risks, saves it and reopens it intact', async () => {
    let app = await driver.open();
    browser = app;

    // Open an example: its nodes and the engine's risks for it appear.
    step("Open an example");
    await testId(app, 'menu-new-example').click();
    await testId(app, 'example-customer-support').click();
    const exampleNodes = example.doc.nodes.map((n) => n.id);
    await eventually(
      () => nodeIds(app),
      (ids) => exampleNodes.every((id) => ids.includes(id)),
      'the example’s nodes are on the canvas',
    );
    const exampleRisk = example.analysis.report.risks[0].fingerprint;
    await testId(app, `risk-${exampleRisk}`).waitForExist({ timeout: 20_000 });

    // Add an agent, a tool and a secret, and name the secret in the inspector.
    step("Add an agent, a tool and a secret, and name the secret in the inspector");
    const agent = await addNode(app, 'agent');
    const tool = await addNode(app, 'tool');
    const secret = await addNode(app, 'secret');
    expect(new Set([agent, tool, secret]).size).toBe(3);
    await testId(app, `node-${secret}`).click();
    const name = testId(app, 'field-name');
    await name.waitForDisplayed({ timeout: 10_000 });
    await name.click();
    await app.keys(['Control', 'a']);
    await app.keys('Backspace');
    await name.addValue('E2E payment key');
    await app.keys('Enter');
    await eventually(() => textOf(app, `node-${secret}`), (t) => t.includes('E2E payment key'), 'the secret is renamed');
    await testId(app, 'dirty-indicator').waitForExist({ timeout: 5_000 });

    // Connect them: agent invokes tool, tool holds secret.
    step("Connect them");
    await zoomTo(app, [agent, tool, secret]);
    await connect(app, agent, tool, 'invokes');
    await connect(app, tool, secret, 'holds');
    await screenshot('connected');

    // The new key's lifetime is unstated: the engine asks rather than reports. Answering the
    // question states it, and the standing credential the new agent can use is a risk.
    step("The engine asks how the new key lives; answering it states the property");
    await testId(app, 'tab-questions').click();
    const question = testId(app, `question-lifetime:${secret}`);
    await question.waitForExist({ timeout: 20_000 });
    await testId(app, `answer-lifetime:${secret}`).selectByAttribute('value', 'standing');
    await eventually(async () => question.isExisting(), (asked) => !asked, 'the answered question is gone');
    await testId(app, 'tab-risks').click();

    step("The engine reports the standing credential the new agent can use");
    const expected = fingerprint('BTZ-RISK-CRD', [secret]);
    const finding = testId(app, `risk-${expected}`);
    await finding.waitForExist({ timeout: 20_000 });
    expect(await finding.getAttribute('data-kind')).toBe('credential');

    // Selecting it highlights its path: the three nodes and the two edges.
    step("Selecting it highlights its path");
    await finding.$('button').click();
    const witness = [`node-${agent}`, `node-${tool}`, `node-${secret}`, `edge-${agent}--invokes--${tool}`, `edge-${tool}--holds--${secret}`];
    await eventually(
      () => highlighted(app),
      (ids) => witness.every((id) => ids.includes(id)),
      'the risk’s path is highlighted',
    );
    await screenshot('highlighted');

    // Triage it in place.
    step("Triage it in place");
    const justification = 'Accepted for the e2e test: the key is rotated by the vault.';
    await testId(app, 'triage-status').selectByAttribute('value', 'accepted');
    const text = testId(app, 'triage-justification');
    await text.click();
    await text.addValue(justification);
    await testId(app, 'triage-apply').click();
    // The first decision asks for the name that signs it, offering the OS user's name.
    await testId(app, 'name-dialog').waitForDisplayed({ timeout: 10_000 });
    const env = process.env;
    const osUser = [env.USER, env.LOGNAME, env.USERNAME].find((name) => name?.trim()) ?? '';
    expect(await testId(app, 'name-input').getValue()).toBe(osUser);
    await testId(app, 'name-input').setValue(signer);
    await testId(app, 'name-ok').click();
    await testId(app, 'triage-recorded').waitForExist({ timeout: 10_000 });
    expect(await textOf(app, 'triage-recorded')).toContain(`by ${signer}`);

    // Save: the example has no file yet, so the (test) save dialog names one.
    step("Save");
    await testId(app, 'menu-save').click();
    const saved = path.join(driver.dialogDir, 'saved.bartizan.yaml');
    await eventually(async () => existsSync(saved), Boolean, 'the model is saved');
    await eventually(async () => testId(app, 'dirty-indicator').isExisting(), (dirty) => !dirty, 'the document is clean after saving');
    const text1 = readFileSync(saved, 'utf8');
    for (const id of [agent, tool, secret]) expect(text1).toContain(`id: ${id}`);
    expect(text1).toContain('E2E payment key');
    expect(text1).toContain('lifetime: standing');
    expect(text1).toContain(expected);
    expect(text1).toContain('status: accepted');
    expect(text1).toContain(justification);
    expect(text1).toContain(`by: ${signer}`);
    // Kept as the app's preference; the save's revision is signed with it too.
    expect(JSON.parse(readFileSync(path.join(driver.appData, 'preferences.json'), 'utf8'))).toEqual({ author: signer });
    const revisions = (await invoke(app, 'history', { path: saved })).ok as { author: string }[];
    expect(revisions.map((r) => r.author)).toEqual([signer]);
    expect(text1).toMatch(/^layout:/m);
    expect(await cspViolations(app)).toEqual([]);

    // Start the app again and reopen the file: everything is as it was.
    step("Start the app again and reopen the file");
    await app.deleteSession();
    app = await driver.open();
    browser = app;
    await testId(app, 'menu-open').click();
    await eventually(
      () => nodeIds(app),
      (ids) => [...exampleNodes, agent, tool, secret].every((id) => ids.includes(id)),
      'the reopened model has every node',
    );
    for (const edge of [`${agent}--invokes--${tool}`, `${tool}--holds--${secret}`]) {
      await testId(app, `edge-${edge}`).waitForExist({ timeout: 10_000 });
    }
    const reopened = testId(app, `risk-${expected}`);
    await reopened.waitForExist({ timeout: 20_000 });
    await reopened.$('button').click();
    expect(await testId(app, 'triage-status').getValue()).toBe('accepted');
    expect(await testId(app, 'triage-justification').getValue()).toBe(justification);
    await screenshot('reopened');

    // Saving it again, unchanged, writes the same bytes: nothing was lost or moved.
    step("Saving it again, unchanged, writes the same bytes");
    await testId(app, 'menu-save').click();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(readFileSync(saved, 'utf8')).toBe(text1);
    expect(await cspViolations(app)).toEqual([]);
  });
});
