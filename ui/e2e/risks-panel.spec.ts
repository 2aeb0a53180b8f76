// An example with risks: the panel lists them, its counts agree with the status bar, the
// severity chips filter, a click highlights a risk's path and selects its place, triage is
// written in place and undone, the palette adds a node, the palette and inspector fold away,
// and the theme switches. Screenshots go to e2e/artifacts/ for review.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launch, openApp, screenshot, shownCounts, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

const risks = () => app.page.locator('[data-testid^="risk-"][data-kind]');
/** The credential risk at the billing token (customer-support). */
const tokenRisk = () => app.page.locator('[data-testid^="risk-"][data-kind="credential"][data-place="billing-token"]');

test('the palette and the inspector fold away, and stay folded for the session', async () => {
  const { page } = app;
  // Before any model is open, so that reloading finds no unsaved work to offer back.
  const canvas = async () => (await page.locator('.app-canvas').boundingBox())!.width;
  const wide = await canvas();
  await page.getByTestId('fold-palette').click();
  await expect.poll(() => page.getByTestId('palette').count()).toBe(0);
  await expect.poll(canvas).toBeGreaterThan(wide + 150);
  const panel = async () => (await page.getByTestId('risks-panel').boundingBox())!.height;
  const short = await panel();
  await page.getByTestId('fold-inspector').click();
  await expect.poll(() => page.getByTestId('inspector').count()).toBe(0);
  await expect.poll(panel).toBeGreaterThan(short + 100);
  await screenshot(page, '08-folded');
  await page.reload();
  await page.getByTestId('app-root').waitFor();
  expect(await page.getByTestId('fold-palette').getAttribute('aria-expanded')).toBe('false');
  expect(await page.getByTestId('inspector').count()).toBe(0);
  await page.getByTestId('fold-palette').click();
  await page.getByTestId('fold-inspector').click();
  await page.getByTestId('palette').waitFor();
  await page.getByTestId('inspector').waitFor();
});

test('an example loads with its risks, and the header, the chips and the status bar agree', async () => {
  const { page } = app;
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-customer-support').click();
  await page.getByTestId('node-support-agent').waitFor();
  await tokenRisk().waitFor();
  const counts = await shownCounts(page);
  expect(counts.header).toBeGreaterThan(0);
  expect(counts).toEqual({ header: counts.header, chips: counts.header, statusBar: counts.header });
  expect(await risks().count()).toBeGreaterThanOrEqual(counts.header);
  // Each row names the place as drawn; ids stay secondary.
  expect(await tokenRisk().locator('.bz-risk-place').textContent()).toBe('Billing service token');
  await page.waitForTimeout(400); // let the fit-view animation settle
  await screenshot(page, '01-example-light');
});

test('a severity chip shows only that severity, and again shows all', async () => {
  const { page } = app;
  const all = await risks().count();
  const chip = page.getByTestId('count-high');
  const high = Number(await chip.locator('b').textContent());
  await chip.click();
  await expect.poll(() => risks().count()).toBeGreaterThanOrEqual(high);
  const severities = await risks().evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-severity')))]);
  expect(severities).toEqual(high > 0 ? ['high'] : []);
  expect(await chip.getAttribute('aria-pressed')).toBe('true');
  await chip.click();
  await expect.poll(() => risks().count()).toBe(all);
});

test('selecting a risk highlights its path and selects its place, compactly', async () => {
  const { page } = app;
  const item = tokenRisk();
  await item.locator('.bz-finding-head').click();
  await item.getByTestId('risk-paths').waitFor();
  // The shortest path is highlighted, ending at the token.
  await expect.poll(() => page.getByTestId('node-billing-token').getAttribute('class')).toContain('bartizan-highlight');
  const highlighted = await page.locator('[data-testid^="node-"].bartizan-highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(highlighted.length).toBeGreaterThan(1);
  expect(await page.locator('[data-testid^="edge-"].bartizan-highlight, [data-testid^="edge-"] .bartizan-highlight').count()).toBeGreaterThan(0);
  // Its edges show the path's direction for a moment, not for as long as it stays selected
  // (an animated stroke is repainted at every frame).
  const runs = await page.locator('.re.bartizan-highlight .react-flow__edge-path').evaluateAll((els) => els.map((e) => getComputedStyle(e).animationIterationCount));
  expect(runs.length).toBeGreaterThan(0);
  for (const count of runs) expect(Number(count)).toBeLessThanOrEqual(3);
  // The other edges are faded by their colour, not by opacity (a group with opacity is drawn
  // apart and blended at every repaint).
  const dimmed = await page.locator('.re.dimmed').evaluateAll((els) => {
    const probe = document.createElement('div');
    probe.style.color = 'var(--edge)';
    document.querySelector('.canvas')!.append(probe);
    const undimmed = getComputedStyle(probe).color;
    probe.remove();
    return els.map((e) => ({ opacity: getComputedStyle(e).opacity, faded: getComputedStyle(e.querySelector('.react-flow__edge-path')!).stroke !== undimmed }));
  });
  expect(dimmed.length).toBeGreaterThan(0);
  expect(dimmed.filter((e) => e.opacity !== '1' || !e.faded)).toEqual([]);
  expect(await page.getByTestId('inspector').getByTestId('field-name').inputValue()).toBe('Billing service token');
  // Its checks, its fix, and the fingerprint its decision is kept under.
  expect(await item.getByTestId('risk-facet').count()).toBeGreaterThan(0);
  expect(await item.getByTestId('risk-remediation').textContent()).toContain('Billing service token');
  // One opened risk does not fill the panel: its details scroll inside.
  const panel = (await page.getByTestId('risks-panel').boundingBox())!;
  const details = (await item.getByTestId('risk-details').boundingBox())!;
  expect(details.height).toBeLessThan(panel.height * 0.75);
  await page.waitForTimeout(500);
  await screenshot(page, '03-risk-selected');
  await item.getByTestId('risk-details').screenshot({ path: `${ARTIFACTS}/03c-risk-details.png` });
});

test('the first triage decision asks for your name; cancelled, nothing is signed', async () => {
  const { page } = app;
  // The OS user's name, offered in the field.
  await page.evaluate(() => {
    window.__bartizanFake!.osUserName = 'ana';
  });
  const item = tokenRisk();
  await item.getByTestId('triage-status').selectOption('accepted');
  await item.getByTestId('triage-justification').fill('Token is scoped to refunds under 50 EUR; rotation tracked in OPS-12.');
  await item.getByTestId('triage-apply').click();
  await page.getByTestId('name-dialog').waitFor();
  expect(await page.getByTestId('name-input').inputValue()).toBe('ana');
  await page.getByTestId('name-cancel').click();
  await expect.poll(() => page.getByTestId('toast').textContent()).toContain('The triage decision was not applied');
  expect(await item.getAttribute('data-status')).toBe('open');
  expect(await page.getByTestId('dirty-indicator').count()).toBe(0);
  expect(await page.getByTestId('menu-your-name').getAttribute('title')).not.toContain('signed');
});

test('triage is written into the document, signed with the name given once, and undone', async () => {
  const { page } = app;
  const item = tokenRisk();
  const before = await shownCounts(page);
  await item.getByTestId('triage-apply').click();
  await page.getByTestId('name-dialog').waitFor();
  await page.getByTestId('name-input').fill('Ana Lima');
  await screenshot(page, '04a-your-name');
  await page.getByTestId('name-ok').click();
  await expect.poll(() => item.getAttribute('data-status')).toBe('accepted');
  await expect.poll(() => item.getByTestId('triage-recorded').textContent()).toMatch(/Accepted by Ana Lima on \d{4}-\d{2}-\d{2}/);
  expect(await page.getByTestId('name-dialog').count()).toBe(0);
  // Kept as the app's preference: shown, and changeable from the file bar.
  expect(await page.getByTestId('menu-your-name').getAttribute('title')).toContain('signed “Ana Lima”');
  await page.getByTestId('dirty-indicator').waitFor();
  // Accepted, it no longer counts as open: everywhere at once.
  await expect.poll(() => shownCounts(page)).toEqual({ header: before.header - 1, chips: before.header - 1, statusBar: before.header - 1 });
  await screenshot(page, '04-triaged');

  await page.getByTestId('undo').click();
  await expect.poll(() => item.getAttribute('data-status')).toBe('open');
  await page.getByTestId('redo').click();
  await expect.poll(() => item.getAttribute('data-status')).toBe('accepted');
  // Ctrl+Z from outside any field undoes it again.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => item.getAttribute('data-status')).toBe('open');
});

test('a decision whose risk is gone is listed as stale and can be removed', async () => {
  const { page } = app;
  const item = page.locator('[data-testid^="risk-"][data-kind="credential"][data-place="crm-api-key"]');
  const fingerprint = (await item.getAttribute('data-testid'))!.replace('risk-', '');
  await item.locator('.bz-finding-head').click();
  await item.getByTestId('triage-status').selectOption('mitigated');
  await item.getByTestId('triage-justification').fill('Rotated by the vault every 30 days.');
  await item.getByTestId('triage-apply').click();
  // The name was given once: not asked again.
  await expect.poll(() => item.getAttribute('data-status')).toBe('mitigated');
  expect(await page.getByTestId('name-dialog').count()).toBe(0);
  expect(await item.getByTestId('triage-recorded').textContent()).toContain('by Ana Lima');
  // Its place goes: the decision is stale.
  const subject = await page.getByTestId('inspector').getByTestId('field-id').inputValue();
  await page.getByTestId(`node-${subject}`).click();
  await page.keyboard.press('Delete');
  const stale = page.getByTestId('stale-triage');
  await expect.poll(() => stale.textContent()).toContain(fingerprint);
  await screenshot(page, '07-stale-triage');
  await stale.getByRole('button', { name: 'Remove' }).click();
  await expect.poll(() => stale.count()).toBe(0);
  // Undo the removal, the deletion and the decision.
  for (let i = 0; i < 3; i++) await page.getByTestId('undo').click();
  await expect.poll(() => page.getByTestId(`risk-${fingerprint}`).getAttribute('data-status')).toBe('open');
});

test('a node added from the palette is inspected, and undo removes it', async () => {
  const { page } = app;
  const before = await page.locator('[data-testid^="node-"][data-kind]').count();
  await page.getByTestId('palette-secret').click();
  await expect.poll(() => page.locator('[data-testid^="node-"][data-kind]').count()).toBe(before + 1);
  const inspector = page.getByTestId('inspector');
  await inspector.getByTestId('field-properties.lifetime').selectOption('standing');
  await inspector.getByTestId('field-properties.ttl').fill('1h');
  await inspector.getByTestId('field-properties.ttl').press('Enter');
  await inspector.getByTestId('field-name').fill('Temporary key');
  await inspector.getByTestId('field-name').press('Enter');
  await expect.poll(() => page.locator('[data-testid^="node-"][data-kind="secret"]', { hasText: 'Temporary key' }).count()).toBe(1);
  expect(await inspector.textContent()).toContain('Exists and works all the time');
  await screenshot(page, '05-new-node-inspected');
  // Three edits: name, ttl, lifetime; a fourth undo removes the node.
  for (let i = 0; i < 4; i++) await page.getByTestId('undo').click();
  await expect.poll(() => page.locator('[data-testid^="node-"][data-kind]').count()).toBe(before);
});

test('the theme toggles between light and dark', async () => {
  const { page } = app;
  const root = page.getByTestId('app-root');
  const start = await root.getAttribute('data-theme');
  await page.getByTestId('theme-toggle').click();
  const other = start === 'dark' ? 'light' : 'dark';
  await expect.poll(() => root.getAttribute('data-theme')).toBe(other);
  await risks().first().locator('.bz-finding-head').click();
  await page.waitForTimeout(500);
  await screenshot(page, `06-example-${other}`);
  await page.getByTestId('theme-toggle').click();
  await expect.poll(() => root.getAttribute('data-theme')).toBe(start);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
