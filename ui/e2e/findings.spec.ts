// An example with findings: the panel lists them, a click highlights the witness path and
// selects the subject, triage is written in place and undone, the palette adds a node, and the
// theme switches. Screenshots go to e2e/artifacts/ for review.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launch, openApp, screenshot, type AppPage } from './browser';

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

const finding = (rule: string) => app.page.locator(`[data-testid^="finding-"][data-rule="${rule}"]`);

test('an example loads with its findings, counted by severity', async () => {
  const { page } = app;
  await page.getByTestId('menu-new-example').click();
  await page.getByTestId('example-customer-support').click();
  await page.getByTestId('node-support-agent').waitFor();
  await finding('BTZ-AUT-001').first().waitFor();
  expect(await page.locator('[data-testid^="finding-"][data-rule]').count()).toBe(25);
  expect(await page.getByTestId('count-critical').textContent()).toContain('7');
  expect(await page.getByTestId('count-high').textContent()).toContain('10');
  await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('25');
  await page.waitForTimeout(400); // let the fit-view animation settle
  await screenshot(page, '01-example-light');
});

test('grouping by check and by framework keeps every finding', async () => {
  const { page } = app;
  await page.getByTestId('group-check').click();
  await expect.poll(() => page.locator('.bz-group-title').first().textContent()).toContain('BTZ-AUT-001');
  await page.getByTestId('group-framework').click();
  await expect.poll(() => page.locator('.bz-group-title').first().textContent()).toMatch(/ASI\d/);
  await page.getByTestId('group-framework-select').selectOption('owasp_nhi');
  await expect.poll(() => page.locator('.bz-group-title').first().textContent()).toMatch(/^NHI\d+:2025 · /);
  await expect.poll(() => page.locator('.bz-group-title').last().textContent()).toMatch(/^Not mapped to OWASP NHI/);
  await screenshot(page, '02-grouped-by-framework');
  await page.getByTestId('group-severity').click();
});

test('selecting a finding highlights its path and selects its subject', async () => {
  const { page } = app;
  const item = finding('BTZ-CRD-001').first();
  await item.locator('.bz-finding-head').click();
  await item.getByTestId('finding-path').waitFor();
  // BTZ-CRD-001 on billing-token: support-agent → refund-api → billing-token.
  for (const id of ['support-agent', 'refund-api', 'billing-token']) {
    await expect.poll(() => page.getByTestId(`node-${id}`).getAttribute('class')).toContain('bartizan-highlight');
  }
  // Nothing else is highlighted (nodes off screen are not rendered at all).
  const highlighted = await page.locator('[data-testid^="node-"].bartizan-highlight').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')).sort());
  expect(highlighted).toEqual(['node-billing-token', 'node-refund-api', 'node-support-agent']);
  expect(await page.locator('[data-testid^="edge-"].bartizan-highlight, [data-testid^="edge-"] .bartizan-highlight').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('inspector').getByTestId('field-name').inputValue()).toBe('Billing service token');
  await page.waitForTimeout(500);
  await screenshot(page, '03-finding-selected');
  await item.locator('.bz-finding-section', { hasText: 'References' }).scrollIntoViewIfNeeded();
  expect(await item.textContent()).toContain('Fix');
  await screenshot(page, '03b-finding-details');
  // The whole finding at once, for review.
  await page.setViewportSize({ width: 1440, height: 2000 });
  await item.scrollIntoViewIfNeeded();
  await item.screenshot({ path: `${ARTIFACTS}/03c-finding-whole.png` });
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('the first triage decision asks for your name; cancelled, nothing is signed', async () => {
  const { page } = app;
  // The OS user's name, offered in the field.
  await page.evaluate(() => {
    window.__bartizanFake!.osUserName = 'ana';
  });
  const item = finding('BTZ-CRD-001').first();
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
  const item = finding('BTZ-CRD-001').first();
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

test('a decision whose finding is gone is listed as stale and can be removed', async () => {
  const { page } = app;
  const item = finding('BTZ-CRD-004').first();
  const fingerprint = (await item.getAttribute('data-testid'))!.replace('finding-', '');
  await item.locator('.bz-finding-head').click();
  await item.getByTestId('triage-status').selectOption('mitigated');
  await item.getByTestId('triage-justification').fill('Rotated by the vault every 30 days.');
  await item.getByTestId('triage-apply').click();
  // The name was given once: not asked again.
  await expect.poll(() => item.getAttribute('data-status')).toBe('mitigated');
  expect(await page.getByTestId('name-dialog').count()).toBe(0);
  expect(await item.getByTestId('triage-recorded').textContent()).toContain('by Ana Lima');
  // Its subject goes: the decision is stale.
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
  await expect.poll(() => page.getByTestId(`finding-${fingerprint}`).getAttribute('data-status')).toBe('open');
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
  await finding('BTZ-AUT-001').first().locator('.bz-finding-head').click();
  await page.waitForTimeout(500);
  await screenshot(page, `06-example-${other}`);
  await page.getByTestId('theme-toggle').click();
  await expect.poll(() => root.getAttribute('data-theme')).toBe(start);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
