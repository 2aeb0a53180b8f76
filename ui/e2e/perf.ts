// Canvas smoothness on a 2,000-node model: a measurement, not a test (nothing passes or fails).
//
//   cd ui && npx vite-node e2e/perf.ts
//
// (vite-node comes with vitest 3, already a devDependency.) It builds (in production mode) and
// serves the UI as the browser tests do (`server.ts`: `vite build` with the fake back end,
// `vite preview`), opens it in Debian's Chromium through playwright-core (`browser.ts`), puts a
// generated model (`estate.ts`: 2,000 nodes of every kind, 100 trust boundaries, 2,500 edges,
// laid out) on the fake back end's "disk" and opens it with the Open button, then records
// requestAnimationFrame deltas in the page while playwright drives the mouse: a 3-second pan with
// everything in view, a 3-second pan at 100%, wheel zoom out and back in (each direction
// measured on its own), and dragging one node. Prints a Markdown table.
// The file name does not match the browser tests' `*.spec.ts`, so `npm run test:browser`
// never runs it. docs/performance.md has the figures.
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { NODE_HEIGHT, NODE_WIDTH } from '../src/model/geometry';
import type { Position } from '../src/model/types';
import { launch, openApp, screenshot } from './browser';
import { generateModel } from './estate';
import { setup, teardown } from './server';

const VIEWPORT = { width: 1600, height: 950 };
const GESTURE_MS = 3000;
/** After a zoom: React Flow's zoom ends 150 ms after the last wheel event, then what is in view mounts. */
const SETTLE_MS = 1000;
const FILE = '/home/me/models/estate-2000.bartizan.yaml';

// --- in the page -------------------------------------------------------------------------------

interface FrameLog {
  /** requestAnimationFrame timestamps, one a frame. */
  times: number[];
  /** Frames in which the watched element's transform changed (the gesture took effect). */
  moved: number;
  /** Most React Flow nodes (kinds and boundaries) in the DOM in any one frame. */
  maxNodes: number;
  /** Most edges in the DOM in any one frame. */
  maxEdges: number;
  /** Frames in which the far view (the diagram drawn on one canvas) was on. */
  farFrames: number;
}

interface LoadTiming {
  /** From the Open click to the first frame with the diagram: nodes in the DOM, or the far view. */
  firstFrame: number;
  /** From the Open click to the frame in which the fit to the whole diagram ended. */
  framed: number;
  /** React Flow nodes in the DOM then. */
  nodes: number;
  /** Nodes the far view drew then, if it was on. */
  farNodes: number | null;
}

declare global {
  interface Window {
    __bartizanPerf?: {
      start(watch: string): void;
      stop(): Promise<FrameLog>;
    };
  }
}

async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    let on = false;
    let times: number[] = [];
    let moved = 0;
    let maxNodes = 0;
    let maxEdges = 0;
    let farFrames = 0;
    let watch = '';
    let last: string | null = null;
    const tick = (t: number) => {
      if (!on) return;
      times.push(t);
      const now = document.querySelector<HTMLElement>(watch)?.style.transform ?? '';
      if (last !== null && now !== last) moved++;
      last = now;
      maxNodes = Math.max(maxNodes, document.querySelector('.react-flow__nodes')?.childElementCount ?? 0);
      // The edge layer: one element an edge, after React Flow's marker definitions when it has any.
      const layer = document.querySelector('.react-flow__edges');
      const markers = layer?.firstElementChild?.classList.contains('react-flow__marker') ? 1 : 0;
      maxEdges = Math.max(maxEdges, (layer?.childElementCount ?? 0) - markers);
      if (document.querySelector('[data-testid="canvas-far"]')) farFrames++;
      requestAnimationFrame(tick);
    };
    window.__bartizanPerf = {
      start(selector) {
        if (on) return;
        on = true;
        times = [];
        moved = 0;
        maxNodes = 0;
        maxEdges = 0;
        farFrames = 0;
        last = null;
        watch = selector;
        requestAnimationFrame(tick);
      },
      // Two more frames, so that what the last input caused is counted.
      stop: () =>
        new Promise((resolve) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              on = false;
              resolve({ times, moved, maxNodes, maxEdges, farFrames });
            }),
          ),
        ),
    };
  });
}

/** Clicks Open (the fake back end answers with the last saved file) and times the first render. */
function openAndTime(page: Page): Promise<LoadTiming> {
  return page.evaluate(
    () =>
      new Promise<LoadTiming>((resolve) => {
        const viewport = () => document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '';
        const count = () => document.querySelector('.react-flow__nodes')?.childElementCount ?? 0;
        const far = () => document.querySelector<HTMLElement>('[data-testid="canvas-far"]');
        let firstFrame = 0;
        let lastChange = 0;
        let lastTransform = '';
        let still = 0;
        const start = performance.now();
        const tick = () => {
          const now = performance.now();
          if (!firstFrame && (count() > 0 || far())) {
            firstFrame = now;
            lastTransform = viewport();
            lastChange = now;
          } else if (firstFrame) {
            const transform = viewport();
            if (transform !== lastTransform) {
              lastTransform = transform;
              lastChange = now;
              still = 0;
            } else if (++still >= 60 && lastChange > firstFrame) {
              const drawn = far()?.dataset.nodes;
              resolve({
                firstFrame: firstFrame - start,
                framed: lastChange - start,
                nodes: count(),
                farNodes: drawn === undefined ? null : Number(drawn),
              });
              return;
            }
          }
          requestAnimationFrame(tick);
        };
        document.querySelector<HTMLButtonElement>('[data-testid="menu-open"]')!.click();
        requestAnimationFrame(tick);
      }),
  );
}

// --- driving the mouse -------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `step` with the gesture's progress (0 to 1) over `duration`, at most every 8 ms (a
 * 125 Hz mouse), each call once the page has taken the previous event: a busy page gets fewer,
 * larger steps, as Chromium's coalescing gives it with a real mouse. (Unawaited, CDP's wheel
 * events are dropped when the page falls behind, so the zoom would not come back.)
 */
async function sweep(duration: number, step: (f: number) => Promise<void>): Promise<void> {
  const t0 = performance.now();
  let last = -Infinity;
  for (;;) {
    const now = performance.now();
    if (now - last < 8) {
      await sleep(8 - (now - last));
      continue;
    }
    last = now;
    const f = Math.min(1, (now - t0) / duration);
    await step(f);
    if (f >= 1) return;
  }
}

async function measure(page: Page, watch: string, gesture: () => Promise<void>): Promise<FrameLog> {
  await page.evaluate((selector) => window.__bartizanPerf!.start(selector), watch);
  await gesture();
  return page.evaluate(() => window.__bartizanPerf!.stop());
}

async function viewport(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const m = /translate\(([-\d.e]+)px,\s*([-\d.e]+)px\)\s*scale\(([-\d.e]+)\)/.exec(transform);
  if (!m) throw new Error(`unexpected viewport transform: ${transform}`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}

/** React Flow (d3-zoom) scales by 2^(-deltaY × 0.002) a wheel event, about the pointer. */
const wheelFor = (from: number, to: number) => -Math.log2(to / from) / 0.002;

/** The empty canvas point nearest to `near` (a pan must start on the pane, not on a node). */
async function panePoint(page: Page, near: Position): Promise<Position> {
  const point = await page.evaluate(({ x, y }) => {
    for (let r = 0; r < 400; r += 6) {
      for (let a = 0; a < 360; a += r === 0 ? 360 : 15) {
        const px = x + r * Math.cos((a * Math.PI) / 180);
        const py = y + r * Math.sin((a * Math.PI) / 180);
        if (document.elementFromPoint(px, py)?.classList.contains('react-flow__pane')) return { x: px, y: py };
      }
    }
    return null;
  }, near);
  if (!point) throw new Error('no empty canvas near the centre to start a pan from');
  return point;
}

// --- the run -----------------------------------------------------------------------------------

interface Row {
  gesture: string;
  log: FrameLog;
}

function stats(times: number[]) {
  const deltas = times.slice(1).map((t, i) => t - times[i]);
  const sorted = [...deltas].sort((a, b) => a - b);
  const avg = deltas.reduce((s, d) => s + d, 0) / deltas.length;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
  const span = times[times.length - 1] - times[0];
  return { frames: deltas.length, span, avg, p95, max: sorted[sorted.length - 1], fps: 1000 / avg };
}

async function main() {
  const doc = generateModel();
  // Other work on the machine shows in the figures: say how busy it was.
  const busy = loadavg()[0];
  let baseUrl = '';
  const project = { provide: (_key: string, value: string) => (baseUrl = value) } as unknown as TestProject;
  // vite-node runs this in development mode, and Vite builds for the mode NODE_ENV names: the
  // build must be the production one the app ships (React's development build is several
  // times slower to mount elements).
  process.env.NODE_ENV = 'production';
  console.log('building and serving the UI (fake back end, production build)…');
  await setup(project);
  const browser = await launch();
  try {
    const app = await openApp(browser, baseUrl);
    const { page } = app;
    await page.setViewportSize(VIEWPORT);
    await page.evaluate(
      ({ path, text }) => {
        localStorage.setItem('bartizan-fake:files', JSON.stringify({ [path]: JSON.parse(text) }));
        localStorage.setItem('bartizan-fake:last-saved', path);
      },
      { path: FILE, text: JSON.stringify(doc) },
    );
    await installRecorder(page);

    const load = await openAndTime(page);
    // The whole diagram in view: drawn by the far view with nothing mounted, or all mounted.
    const expected = doc.nodes.length + doc.boundaries!.length;
    if (load.farNodes !== null ? load.farNodes !== doc.nodes.length || load.nodes !== 0 : load.nodes !== expected) {
      throw new Error(`after opening: ${load.nodes} nodes in the DOM, ${load.farNodes ?? 'no'} drawn on the far view`);
    }
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    const overview = await viewport(page);
    await screenshot(page, '90-perf-overview');
    const rows: Row[] = [];

    // A pan around an ellipse across most of the canvas, starting on empty canvas.
    const pan = async () => {
      const rx = canvas.width * 0.3;
      const ry = canvas.height * 0.3;
      const start = await panePoint(page, { x: centre.x + rx, y: centre.y });
      const at = (f: number) => ({
        x: start.x - rx + rx * Math.cos(2 * Math.PI * f),
        y: start.y + ry * Math.sin(2 * Math.PI * f),
      });
      await page.mouse.move(start.x, start.y);
      return measure(page, '.react-flow__viewport', async () => {
        await page.mouse.down();
        await sweep(GESTURE_MS, async (f) => page.mouse.move(at(f).x, at(f).y));
        await page.mouse.up();
      });
    };
    const overviewZoom = `${Math.round(overview.zoom * 100)}%`;
    rows.push({ gesture: `pan 3 s, whole diagram in view (zoom ${overviewZoom})`, log: await pan() });

    // Zoom to 100% about the node nearest the middle of the diagram.
    const layout = doc.layout!.nodes!;
    const xs = Object.values(layout).map((p) => p.x);
    const ys = Object.values(layout).map((p) => p.y);
    const mid = { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: (Math.min(...ys) + Math.max(...ys)) / 2 };
    const [middleId] = Object.entries(layout).sort(
      ([, a], [, b]) => Math.hypot(a.x - mid.x, a.y - mid.y) - Math.hypot(b.x - mid.x, b.y - mid.y),
    )[0];
    for (let i = 0; i < 3; i++) {
      const v = await viewport(page);
      if (Math.abs(v.zoom - 1) < 0.005) break;
      const p = layout[middleId];
      const screen = {
        x: canvas.x + v.x + (p.x + NODE_WIDTH / 2) * v.zoom,
        y: canvas.y + v.y + (p.y + NODE_HEIGHT / 2) * v.zoom,
      };
      await page.mouse.move(screen.x, screen.y);
      await page.mouse.wheel(0, wheelFor(v.zoom, 1));
      await sleep(300);
    }
    const working = await viewport(page);
    if (Math.abs(working.zoom - 1) > 0.01) throw new Error(`could not zoom to 100% (at ${working.zoom})`);
    await screenshot(page, '91-perf-100');
    rows.push({ gesture: `pan 3 s at ${Math.round(working.zoom * 100)}%`, log: await pan() });

    // Wheel zoom out to the overview's zoom (1.5 s) and back in (1.5 s), about the canvas centre,
    // measured as two gestures to show each direction's worst frame.
    // Each event carries the zoom the clock has reached since the last one.
    await page.mouse.move(centre.x, centre.y);
    let sent = 0;
    const wheelTo = async (target: number) => {
      const delta = -(target - sent) / 0.002;
      sent = target;
      if (delta !== 0) await page.mouse.wheel(0, delta);
    };
    const low = Math.log2(overview.zoom / working.zoom);
    const workingZoom = `${Math.round(working.zoom * 100)}%`;
    // Each measured with the second after it, in which what the zoom brought into view mounts.
    rows.push({
      gesture: `wheel zoom ${workingZoom} → ${overviewZoom}, 1.5 s + 1 s`,
      log: await measure(page, '.react-flow__viewport', async () => {
        await sweep(GESTURE_MS / 2, (f) => wheelTo(low * f));
        await sleep(SETTLE_MS);
      }),
    });
    rows.push({
      gesture: `wheel zoom ${overviewZoom} → ${workingZoom}, 1.5 s + 1 s`,
      log: await measure(page, '.react-flow__viewport', async () => {
        await sweep(GESTURE_MS / 2, (f) => wheelTo(low * (1 - f)));
        await sleep(SETTLE_MS);
      }),
    });
    const after = await viewport(page);
    if (Math.abs(after.zoom - working.zoom) > 0.01) throw new Error(`the wheel zoom ended at ${after.zoom}, not ${working.zoom}`);

    // Drag the node nearest the canvas centre round a circle and back.
    const node = await page.evaluate(({ x, y }) => {
      let best: { id: string; x: number; y: number; d: number } | null = null;
      for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node-kind')) {
        const r = el.getBoundingClientRect();
        const c = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        const d = Math.hypot(c.x - x, c.y - y);
        if ((!best || d < best.d) && document.elementFromPoint(c.x, c.y)?.closest('.react-flow__node') === el) {
          best = { id: el.dataset.id ?? '', ...c, d };
        }
      }
      return best;
    }, centre);
    if (!node) throw new Error('no node to drag near the centre');
    const radius = 160;
    await page.mouse.move(node.x, node.y);
    rows.push({
      gesture: `drag one node 3 s at ${Math.round(working.zoom * 100)}%`,
      log: await measure(page, `.react-flow__node[data-id="${node.id}"]`, async () => {
        await page.mouse.down();
        await sweep(GESTURE_MS, async (f) =>
          page.mouse.move(
            node.x + radius * Math.cos(2 * Math.PI * f) - radius,
            node.y + radius * Math.sin(2 * Math.PI * f),
          ),
        );
        await page.mouse.up();
      }),
    });

    // The drag went through the store (an edit), and every gesture moved something.
    await page.getByTestId('dirty-indicator').waitFor();
    for (const { gesture, log } of rows) if (log.moved === 0) throw new Error(`${gesture}: nothing moved`);

    const fmt = (n: number) => n.toFixed(1);
    console.log('');
    console.log(
      `${doc.nodes.length} nodes, ${doc.boundaries!.length} boundaries, ${doc.edges!.length} edges; ` +
        `viewport ${VIEWPORT.width}×${VIEWPORT.height}, canvas ${Math.round(canvas.width)}×${Math.round(canvas.height)}; ` +
        `headless Chromium ${browser.version()}; load average before the run ${busy.toFixed(2)}`,
    );
    console.log(
      `open → first frame with the diagram: ${Math.round(load.firstFrame)} ms; ` +
        `→ whole diagram framed: ${Math.round(load.framed)} ms (${load.nodes} React Flow nodes in the DOM` +
        `${load.farNodes !== null ? `, ${load.farNodes} nodes drawn on the far view` : ''})`,
    );
    console.log('');
    console.log('| gesture | frames | avg ms | p95 ms | max ms | fps | picture updates/s | nodes, edges in DOM (max) | far view on (frames) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { gesture, log } of rows) {
      const s = stats(log.times);
      const updates = log.moved / (s.span / 1000);
      console.log(
        `| ${gesture} | ${s.frames} | ${fmt(s.avg)} | ${fmt(s.p95)} | ${fmt(s.max)} | ${fmt(s.fps)} | ${fmt(updates)} | ${log.maxNodes}, ${log.maxEdges} | ${log.farFrames} |`,
      );
    }
    console.log('');
    console.log('frames: requestAnimationFrame deltas during the gesture; fps = 1000 / avg. Picture updates/s:');
    console.log('frames in which the viewport (or the dragged node) actually moved, per second.');
    if (app.errors.length > 0) console.log(`\nthe page logged errors:\n${app.errors.join('\n')}`);
    await app.context.close();
  } finally {
    await browser.close();
    await teardown();
  }
}

await main();
