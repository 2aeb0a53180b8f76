// The app opens the model it is started with, as the file manager and `make run` start it:
// the window shows that file's diagram and its analysis, both handed over with the page and
// drawn by the first render (src-tauri/src/start.rs). Needs nothing from the test build
// (no dialog seam), so `make test-dist` runs it on the app installed from the .deb too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Driver, eventually, nodeIds, REPO, testId, type Browser } from './driver';

const EXAMPLE = path.join(REPO, 'models/customer-support.bartizan.yaml');

/** The ids of the example's nodes, as its YAML lists them (`  - id: …` under `nodes:`). */
function exampleNodeIds(): string[] {
  const text = readFileSync(EXAMPLE, 'utf8');
  const nodes = text.slice(text.indexOf('\nnodes:'), text.indexOf('\nedges:'));
  return [...nodes.matchAll(/^ {2}- id: (\S+)$/gm)].map((match) => match[1]);
}

describe('the app started with a model file', () => {
  const driver = new Driver();
  let app: Browser;

  beforeAll(async () => {
    await driver.start();
    app = await driver.open([EXAMPLE]);
  });

  afterAll(async () => {
    await app?.deleteSession().catch(() => undefined);
    await driver.stop();
  });

  it('shows that model and its risks', async () => {
    const expected = exampleNodeIds();
    expect(expected.length).toBeGreaterThan(3);
    const shown = await eventually(
      () => nodeIds(app),
      (ids) => expected.every((id) => ids.includes(id)),
      `the canvas shows the example's nodes (${expected.join(', ')})`,
      30_000,
    );
    expect(shown.sort()).toEqual([...expected].sort());
    expect(await app.getTitle()).toContain('customer-support.bartizan.yaml');
    await eventually(
      () => testId(app, 'risks-state').getText(),
      (text) => /^\d+ open risk/.test(text),
      'the risks panel counts the open risks',
      30_000,
    );
  });

  it('draws the model and its risks in the first render, asking the shell for neither', async () => {
    const marks = await app.execute(() =>
      ['bartizan:model-read', 'bartizan:first-render', 'bartizan:analysis-shown'].map(
        (name) => performance.getEntriesByName(name)[0]?.startTime ?? null,
      ),
    );
    const [read, firstRender, analysisShown] = marks;
    expect(read, 'the model was in the store before the first render').not.toBeNull();
    expect(read!).toBeLessThan(firstRender!);
    // The analysis shown is the first one, and was on screen with the first render's effects.
    expect(await testId(app, 'risks-panel').getAttribute('data-revision')).toBe('1');
    expect(analysisShown!).toBeLessThanOrEqual(firstRender!);
  });
});
