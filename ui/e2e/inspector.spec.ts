// The inspector: a form per kind from the engine's schema, edge fields only where the relation
// allows them, boundaries, and the engine's diagnostics beside the field they are about.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openApp, screenshot, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;

const example = JSON.parse(readFileSync(new URL('../src/generated/examples/customer-support.json', import.meta.url), 'utf8')) as {
  doc: { nodes: { id: string }[] };
};

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  await app.page.getByTestId('menu-new-example').click();
  await app.page.getByTestId('example-customer-support').click();
  await app.page.locator('[data-testid^="risk-"][data-kind]').first().waitFor();
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

const inspector = () => app.page.getByTestId('inspector');

test('a secret shows its kind\'s properties with the model\'s words', async () => {
  const { page } = app;
  await page.getByTestId('node-crm-api-key').click();
  await expect.poll(() => inspector().getByTestId('field-name').inputValue()).toBe('CRM API key');
  expect(await inspector().getByTestId('field-properties.storage').inputValue()).toBe('env');
  const options = await inspector().getByTestId('field-properties.storage').locator('option').allTextContents();
  expect(options).toEqual(['— not stated —', 'vault', 'kms', 'env', 'config file', 'code']);
  await inspector().getByTestId('field-properties.storage').selectOption('vault');
  await expect.poll(() => page.getByTestId('node-crm-api-key').textContent()).toContain('vault');
  await screenshot(page, '20-inspector-secret');
  await page.getByTestId('undo').click();
  await expect.poll(() => inspector().getByTestId('field-properties.storage').inputValue()).toBe('env');
});

test('a tool\'s actions are a multi-select and booleans can be left unstated', async () => {
  const { page } = app;
  await page.getByTestId('node-crm-connector').click();
  const actions = inspector().getByTestId('field-properties.actions');
  expect(await actions.getByTestId('field-properties.actions-write').isChecked()).toBe(true);
  await actions.getByTestId('field-properties.actions-delete').check();
  await expect.poll(() => page.getByTestId('node-crm-connector').textContent()).toContain('read, write, delete');
  expect(await inspector().getByTestId('field-properties.pinned').inputValue()).toBe('true');
  expect(await inspector().getByTestId('field-properties.sandboxed').inputValue()).toBe('');
  await page.getByTestId('undo').click();
});

test('an edge shows only the fields its relation allows', async () => {
  const { page } = app;
  await page.getByTestId('node-crm-api-key').click();
  await inspector().locator('.bz-link', { hasText: 'CRM' }).filter({ hasText: 'grants' }).first().click();
  await expect.poll(() => inspector().getByTestId('field-relation').inputValue()).toBe('grants');
  expect(await inspector().getByTestId('field-permissions').count()).toBe(1);
  expect(await inspector().getByTestId('field-auth').count()).toBe(0);
  expect(await inspector().getByTestId('field-scope').count()).toBe(0);
  await screenshot(page, '21-inspector-edge');
});

test('a boundary has a name, a zone and a parent', async () => {
  const { page } = app;
  await page.locator('[data-testid^="boundary-"]').first().click({ position: { x: 12, y: 12 } });
  await inspector().getByTestId('field-zone').waitFor();
  expect(await inspector().getByTestId('field-parent').count()).toBe(1);
  await screenshot(page, '22-inspector-boundary');
});

test('diagnostics from the engine show beside the field they are about', async () => {
  const { page } = app;
  const index = example.doc.nodes.findIndex((n) => n.id === 'billing-token');
  await page.evaluate((path) => {
    window.__bartizanFake!.diagnostics = [
      {
        severity: 'error',
        code: 'invalid-value',
        message: 'expected a duration such as 15m, 1h or 90d, found the bare number `3600`',
        path,
      },
    ];
  }, `nodes[${index}].properties.ttl`);
  await page.getByTestId('node-billing-token').click();
  // Any edit re-runs the analysis.
  await inspector().getByTestId('field-properties.owner').fill('Payments team');
  await inspector().getByTestId('field-properties.owner').press('Enter');
  const ttl = inspector().locator('[data-field="ttl"]');
  await expect.poll(() => ttl.getByTestId('field-error').count()).toBe(1);
  expect(await ttl.getByTestId('field-error').textContent()).toContain('3600');
  expect(await inspector().locator('[data-field="owner"]').getByTestId('field-error').count()).toBe(0);
  await expect.poll(() => page.getByTestId('model-diagnostics').textContent()).toContain('1 error');
  await screenshot(page, '23-inline-error');
  await page.evaluate(() => {
    window.__bartizanFake!.diagnostics = [];
  });
  await page.getByTestId('undo').click();
  await expect.poll(() => ttl.getByTestId('field-error').count()).toBe(0);
});

test('the page logged no errors', () => {
  expect(app.errors).toEqual([]);
});
