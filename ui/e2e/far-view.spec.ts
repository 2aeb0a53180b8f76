// The far level of detail on a 2,000-node model: with the whole diagram in view React Flow mounts
// no node and no edge, one canvas draws them in their kinds' colours, a click on a drawn node
// selects it, and zooming in mounts the nodes in view again.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { NODE_HEIGHT, NODE_WIDTH } from '../src/model/geometry';
import type { ModelNode, NodeKind, Position } from '../src/model/types';
import { KIND_COLOURS } from '../src/canvas/kinds';
import { launch, openApp, screenshot, type AppPage } from './browser';
import { generateModel } from './estate';

const FILE = '/home/me/models/estate-2000.bartizan.yaml';
const doc = generateModel();
const layout = doc.layout!.nodes!;
const inBoundary = new Set((doc.boundaries ?? []).flatMap((b) => b.members ?? []));
/** Nodes outside every boundary: no boundary title is drawn over them. */
const loose = doc.nodes.filter((n) => !inBoundary.has(n.id));
/** One loose node of each kind there is among them. */
const samples = [...new Map(loose.map((n) => [n.kind, n])).values()];

let browser: Browser;
let app: AppPage;

beforeAll(async () => {
  browser = await launch();
  app = await openApp(browser, inject('baseUrl'));
  await app.page.evaluate(
    ({ path, text }) => {
      localStorage.setItem('bartizan-fake:files', JSON.stringify({ [path]: JSON.parse(text) }));
      localStorage.setItem('bartizan-fake:last-saved', path);
    },
    { path: FILE, text: JSON.stringify(doc) },
  );
  await app.page.getByTestId('menu-open').click();
  await app.page.getByTestId('canvas-far').waitFor();
});

afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

/** React Flow's viewport: screen = diagram × zoom + (x, y), from the canvas's corner. */
async function viewport(): Promise<{ x: number; y: number; zoom: number }> {
  const transform = await app.page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)\s*scale\(([-\d.e]+)\)/.exec(transform);
  if (!m) throw new Error(`unexpected viewport transform: ${transform}`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}

/** A node's centre on the page. */
async function centreOf(node: ModelNode): Promise<Position> {
  const box = (await app.page.getByTestId('canvas').boundingBox())!;
  const v = await viewport();
  const p = layout[node.id];
  return { x: box.x + v.x + (p.x + NODE_WIDTH / 2) * v.zoom, y: box.y + v.y + (p.y + NODE_HEIGHT / 2) * v.zoom };
}

/** A point left of the diagram (which starts at x = 0), in the margin the fit leaves. */
async function besideTheDiagram(): Promise<Position> {
  const box = (await app.page.getByTestId('canvas').boundingBox())!;
  const v = await viewport();
  return { x: box.x + v.x / 2, y: box.y + box.height / 2 };
}

const hex = (rgb: number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** The colour the far canvas has drawn at a point of the page. */
async function pixelAt(point: Position): Promise<string> {
  const rgb = await app.page.getByTestId('canvas-far').evaluate((el, p) => {
    const canvas = el as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const ratio = canvas.width / box.width;
    const data = canvas.getContext('2d')!.getImageData(Math.floor((p.x - box.left) * ratio), Math.floor((p.y - box.top) * ratio), 1, 1).data;
    return [data[0], data[1], data[2], data[3]];
  }, point);
  return rgb[3] === 255 ? hex(rgb.slice(0, 3)) : `transparent (${rgb.join(',')})`;
}

test('far out, the whole diagram is drawn on one canvas and no node or edge is mounted', async () => {
  const { page } = app;
  expect(samples.map((n) => n.kind).sort()).toEqual(Object.keys(KIND_COLOURS).sort() as NodeKind[]);
  expect((await viewport()).zoom).toBeLessThan(0.2);
  expect(await page.getByTestId('canvas').getAttribute('data-detail')).toBe('far');
  expect(await page.locator('.react-flow__node').count()).toBe(0);
  expect(await page.locator('.react-flow__edge').count()).toBe(0);
  expect(await page.getByTestId('canvas-far').getAttribute('data-nodes')).toBe(String(doc.nodes.length));
  for (const node of samples) {
    expect({ node: node.id, colour: await pixelAt(await centreOf(node)) }).toEqual({ node: node.id, colour: KIND_COLOURS[node.kind] });
  }
  expect(await pixelAt(await besideTheDiagram())).toBe('transparent (0,0,0,0)');
  await screenshot(page, '60-far-view');
});

test('far out, a click on a drawn node selects it and the inspector shows it', async () => {
  const { page } = app;
  const node = samples[3];
  const at = await centreOf(node);
  await page.mouse.click(at.x, at.y);
  await expect.poll(() => page.getByTestId('inspector').getByTestId('field-name').inputValue()).toBe(node.name);
  expect(await page.locator('.react-flow__node').count()).toBe(0);
  // A click on empty canvas clears the selection, as near in.
  const empty = await besideTheDiagram();
  await page.mouse.click(empty.x, empty.y);
  await expect.poll(() => page.getByTestId('inspector').getByTestId('field-name').count()).toBe(0);
});

test('far out, the selection ring is the theme\'s accent, light or dark', async () => {
  const { page } = app;
  const node = samples[5];
  const at = await centreOf(node);
  await page.mouse.click(at.x, at.y);
  await expect.poll(() => page.getByTestId('inspector').getByTestId('field-name').inputValue()).toBe(node.name);
  // The ring is 3 pixels wide, 1 to 4 pixels outside the node: 2.5 pixels above its top edge.
  const v = await viewport();
  const ring = { x: at.x, y: at.y - (NODE_HEIGHT / 2) * v.zoom - 2.5 };
  const accent = () => page.getByTestId('canvas').evaluate((el) => getComputedStyle(el).getPropertyValue('--accent').trim().toLowerCase());
  const light = await accent();
  await expect.poll(() => pixelAt(ring)).toBe(light);
  await page.getByTestId('theme-toggle').click();
  await expect.poll(accent).not.toBe(light);
  const dark = await accent();
  await expect.poll(() => pixelAt(ring)).toBe(dark);
  // The kinds' colours are the same in both themes.
  expect(await pixelAt(at)).toBe(KIND_COLOURS[node.kind]);
  await screenshot(page, '61-far-view-dark');
  await page.getByTestId('theme-toggle').click();
  await expect.poll(accent).toBe(light);
});

test('zooming in mounts the nodes in view again, and fitting the view draws them far out again', async () => {
  const { page } = app;
  const node = samples[0];
  for (let i = 0; i < 3; i++) {
    const v = await viewport();
    if (Math.abs(v.zoom - 1) < 0.01) break;
    const at = await centreOf(node);
    await page.mouse.move(at.x, at.y);
    // React Flow scales by 2^(-deltaY × 0.002) a wheel event, about the pointer.
    await page.mouse.wheel(0, Math.log2(v.zoom) / 0.002);
    await page.waitForTimeout(200);
  }
  await page.getByTestId(`node-${node.id}`).waitFor();
  // The far view gives way once the zoom has stopped, a few frames after the first nodes mount.
  await expect.poll(() => page.getByTestId('canvas-far').count()).toBe(0);
  const mounted = await page.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(doc.nodes.length / 10);

  // Dragging in the minimap moves the view over the diagram the same way.
  const before = await viewport();
  const map = (await page.getByTestId('minimap').boundingBox())!;
  await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width / 2 + 20, map.y + map.height / 2 + 10, { steps: 4 });
  await page.mouse.up();
  const after = await viewport();
  expect(after.zoom).toBe(before.zoom);
  expect(after.x).toBeLessThan(before.x);
  expect(after.y).toBeLessThan(before.y);

  await page.getByTestId('fit-view').click();
  await page.getByTestId('canvas-far').waitFor();
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
  expect(app.errors).toEqual([]);
});
