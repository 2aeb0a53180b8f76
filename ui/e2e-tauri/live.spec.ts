// Live analysis at scale, in the real window: on a generated 2,000-node model an edit made in
// the inspector reaches the risks panel as the engine's analysis of the edited document.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateModel } from '../e2e/estate';
import { Driver, eventually, testId, type Browser } from './driver';

interface PanelState {
  revision: number;
  busy: boolean;
  /** How many open risks the panel's header counts (the list draws only those near the view). */
  risks: number;
}

const panelState = (app: Browser): Promise<PanelState> =>
  app.execute(() => {
    const panel = document.querySelector<HTMLElement>('[data-testid="risks-panel"]');
    return {
      revision: Number(panel?.dataset.revision ?? 0),
      busy: panel?.getAttribute('aria-busy') === 'true',
      risks: Number(/^(\d+) open risk/.exec(document.querySelector('[data-testid="risks-state"]')?.textContent ?? '')?.[1] ?? 0),
    };
  });

describe('live analysis of a large model', () => {
  const driver = new Driver();
  const estate = generateModel();
  let app: Browser;

  beforeAll(async () => {
    await driver.start();
    const file = path.join(driver.root, 'estate-2000.bartizan.json');
    writeFileSync(file, JSON.stringify(estate));
    app = await driver.open([file]);
  });

  afterAll(async () => {
    // The renamed estate is not kept. Told so, the shell lets the window close when the session
    // ends, instead of asking about unsaved changes and staying open in the next tests' display.
    await app
      ?.execute(() =>
        (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__.invoke('set_dirty', {
          dirty: false,
        }),
      )
      .catch(() => undefined);
    await app?.deleteSession().catch(() => undefined);
    await driver.stop();
  });

  it('shows the analysis of the edited document after an edit', async () => {
    const opened = await eventually(
      () => panelState(app),
      (state) => state.revision > 0 && !state.busy && state.risks > 0,
      'the risks panel shows the analysis of the opened model',
      60_000,
    );

    // Open a risk (its place is selected) and rename its place in the inspector.
    const row = await app.$('[data-testid^="risk-BTZ-RISK-"]');
    const fingerprint = ((await row.getAttribute('data-testid')) ?? '').slice('risk-'.length);
    const place = await row.getAttribute('data-place');
    expect(estate.nodes.some((node) => node.id === place)).toBe(true);
    await row.$('.bz-finding-head').click();
    const name = testId(app, 'field-name');
    await name.waitForDisplayed({ timeout: 10_000 });
    const renamed = 'Renamed at scale';
    await name.click();
    await app.keys(['Control', 'a']);
    await app.keys('Backspace');
    await name.addValue(renamed);
    await app.keys('Enter');

    // The engine names the risk's place in its report: the panel shows the new name once it
    // shows the analysis of the renamed document.
    const after = await eventually(
      () => panelState(app),
      (state) => state.revision > opened.revision && !state.busy,
      'the risks panel shows a newer analysis',
      60_000,
    );
    expect(after.risks).toBe(opened.risks);
    const shown = await app.execute(
      (fp: string) => document.querySelector(`[data-testid="risk-${fp}"] .bz-risk-place`)?.textContent ?? '',
      fingerprint,
    );
    expect(shown).toBe(renamed);
  });
});
