// The desktop app's live analysis and cold start, in the real window: a measurement, not a test
// (nothing passes or fails; the file name does not match the real-window tests' `*.spec.ts`).
//
//   make app
//   cd ui && BARTIZAN_APP=$PWD/../target/app/bartizan-desktop \
//     xvfb-run -a -s "-screen 0 1440x900x24" npx vite-node e2e-tauri/live.perf.ts
//
// For each example model and a generated 2,000-node one (`../e2e/estate.ts`) it starts the app
// on the model (as `make run` does, the model on the command line) through tauri-driver, then
// makes edits through the inspector (rename a node, change one of its properties, tick or untick
// one of its options, edit its description), each on the place of another risk, and times each
// in the page: from the edit's commit (the field losing focus, or the select or box changing)
// to the risks panel showing the analysis of the edited document (its `data-revision` passing
// the edit's and `aria-busy` false; a MutationObserver sees it as React commits it), and to the
// next frame (painted). WebDriver round trips are outside the timed span. A wrapper round the
// page's `fetch` (Tauri's IPC on Linux) splits each edit's time between the page, the shell, the
// answer's parsing and React; the back-end call is also timed alone. Then, a risk selected and
// nothing done, the web process's CPU (a highlight left animating kept it at a core). Cold
// start: from the app's process start (/proc) to the risks panel showing the model's analysis
// (the `bartizan:analysis-shown` user-timing mark), with the model's nodes on the canvas.
// BARTIZAN_PERF_READ_MS waits that long between selecting a place and editing it. Prints
// Markdown tables; docs/performance.md has the figures.
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { generateModel } from '../e2e/estate';
import { APP, Driver, REPO, type Browser } from './driver';

const EDITS = Number(process.env.BARTIZAN_PERF_EDITS ?? 20);
/** Only these models (names, comma-separated), when set: to re-measure some after a failed run. */
const ONLY = process.env.BARTIZAN_PERF_MODELS?.split(',').map((name) => name.trim());
const COLD_STARTS = Number(process.env.BARTIZAN_PERF_COLD_STARTS ?? 3);
/**
 * Time between selecting a risk's place and the edit, ms. 0 (the default) edits at once, while
 * the selected path's highlight still runs along it; a person reads the risk and types first.
 */
const READ_MS = Number(process.env.BARTIZAN_PERF_READ_MS ?? 0);
/** The edits, in turn. */
const EDIT_KINDS = ['rename a node', 'change a property', 'tick an option', 'edit a description'] as const;
type EditKind = (typeof EDIT_KINDS)[number];
/** `ANALYSIS_SHOWN_MARK` in src/panels/RisksPanel.tsx (not imported: that module needs a DOM). */
const ANALYSIS_SHOWN_MARK = 'bartizan:analysis-shown';
/** Calls of `analyze` timed alone, a model. */
const IPC_CALLS = 10;

interface Timing {
  kind: EditKind;
  /** From the edit to the panel's DOM showing its analysis, ms. */
  shown: number;
  /** To the frame after that, ms. */
  painted: number;
  /** Of `shown`: until the document leaves for the shell (the edit's render, JSON.stringify). */
  toShell: number;
  /** In the shell: IPC both ways and the engine. */
  inShell: number;
  /** The webview parsing the answer. */
  parse: number;
  /** From the parsed answer to the panel's DOM showing it (React). */
  render: number;
}

/**
 * Records when each `analyze` request leaves the page, when its answer arrives and when the
 * webview has parsed it: Tauri's IPC is a `fetch` of `ipc://localhost/<command>` on Linux.
 */
async function recordAnalyzeCalls(app: Browser): Promise<void> {
  await app.execute(() => {
    const calls: { start: number; answered: number; parsed: number }[] = [];
    (window as unknown as { __analyzeCalls: typeof calls }).__analyzeCalls = calls;
    const fetch = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input instanceof Request ? input.url : input).endsWith('/analyze')) return fetch(input, init);
      const call = { start: performance.now(), answered: 0, parsed: 0 };
      calls.push(call);
      return fetch(input, init).then((response) => {
        call.answered = performance.now();
        const json = response.json.bind(response);
        response.json = () =>
          json().then((value: unknown) => {
            call.parsed = performance.now();
            return value;
          });
        return response;
      });
    };
  });
}

// --- the app's process ------------------------------------------------------------------------

/** Clock ticks a second of /proc's times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS = 100;

/** The pids of running processes whose executable is the app under test. */
function appProcesses(): number[] {
  const app = path.resolve(APP);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/exe`) === app;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Process `pid`'s command name and its `/proc/<pid>/stat` fields, `field(n)` counted from 1 as
 * proc(5) numbers them (the name, field 2, may hold spaces and brackets).
 */
function procStat(pid: number | string): { name: string; field: (n: number) => number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), field: (n) => Number(fields[n - 3]) };
}

/** When process `pid` started, in milliseconds since the epoch (to a clock tick). */
function startedAt(pid: number): number {
  const ticks = procStat(pid).field(22); // starttime
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const boot = Date.now() - uptime * 1000;
  return boot + (ticks / CLOCK_TICKS) * 1000;
}

// --- in the page ------------------------------------------------------------------------------

/**
 * Waits until the model is on the canvas and the risks panel shows the analysis of the latest
 * document; its revision.
 */
async function settled(app: Browser): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = await app.execute(() => {
      const panel = document.querySelector<HTMLElement>('[data-testid="risks-panel"]');
      const nodes = document.querySelectorAll('.react-flow__node').length;
      // A large model opens with the whole diagram in view, drawn by the far view (no node mounted).
      const far = document.querySelector('[data-testid="canvas"]')?.getAttribute('data-detail') === 'far';
      return panel ? { revision: Number(panel.dataset.revision), busy: panel.getAttribute('aria-busy') === 'true', nodes, far } : null;
    });
    if (state && (state.nodes > 0 || state.far) && state.revision > 0 && !state.busy) return state.revision;
    if (Date.now() > deadline) throw new Error(`the risks panel never settled: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Selects the place of the `n`th risk (cycling) with a click on its row, or, with no risks, the
 * `n`th node with a click on it; resolves when the inspector shows it.
 */
async function selectSomething(app: Browser, n: number): Promise<string> {
  const picked = await app.execute((index: number) => {
    const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-testid^="risk-BTZ-RISK-"] > .bz-finding-head'));
    if (rows.length > 0) {
      const row = rows[index % rows.length];
      row.click();
      return row.closest('[data-testid^="risk-"]')?.getAttribute('data-testid') ?? 'a risk';
    }
    const nodes = Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node-kind'));
    const node = nodes[index % nodes.length];
    node.click();
    return `node ${node.dataset.id}`;
  }, n);
  const deadline = Date.now() + 10_000;
  while (!(await app.execute(() => document.querySelector('[data-testid="inspector"] [data-testid="field-name"]') !== null))) {
    if (Date.now() > deadline) throw new Error(`selecting ${picked} shows no node in the inspector`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return picked;
}

/**
 * Makes one edit of `kind` in the inspector (its `n`th, for a value never used before) and
 * times it; null when the selected node has no field for it.
 */
async function timeEdit(app: Browser, kind: EditKind, n: number): Promise<Timing | null> {
  const result = await app.execute(
    (kind: string, n: number) =>
      new Promise<Omit<Timing, 'kind'> | { skipped: string } | { failed: string }>((resolve) => {
        const panel = document.querySelector<HTMLElement>('[data-testid="risks-panel"]')!;
        const inspector = document.querySelector<HTMLElement>('[data-testid="inspector"]')!;
        const type = (field: HTMLInputElement | HTMLTextAreaElement, value: string) => {
          // As typing does: the native setter (React tracks it), then an input event.
          const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')!.set!;
          field.focus();
          setter.call(field, value);
          field.dispatchEvent(new Event('input', { bubbles: true }));
        };
        // What to do before the clock starts, and the commit that the clock times.
        let commit: (() => void) | null = null;
        if (kind === 'rename a node' || kind === 'edit a description') {
          const field = inspector.querySelector<HTMLInputElement | HTMLTextAreaElement>(
            `[data-testid="${kind === 'rename a node' ? 'field-name' : 'field-description'}"]`,
          );
          if (field) {
            type(field, `${field.value.replace(/ \(edit \d+\)$/, '')} (edit ${n})`);
            commit = () => field.blur();
          }
        } else if (kind === 'change a property') {
          const select = inspector.querySelector<HTMLSelectElement>('select[data-testid^="field-properties."]');
          const options = select ? Array.from(select.options).filter((o) => o.value !== '' && o.value !== select.value) : [];
          if (select && options.length > 0) {
            const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
            commit = () => {
              setter.call(select, options[n % options.length].value);
              select.dispatchEvent(new Event('change', { bubbles: true }));
            };
          }
        } else {
          const boxes = Array.from(inspector.querySelectorAll<HTMLInputElement>('[data-testid^="field-properties."] input[type="checkbox"]'));
          if (boxes.length > 0) commit = () => boxes[n % boxes.length].click();
        }
        if (!commit) {
          resolve({ skipped: kind });
          return;
        }
        const run = commit;
        // Let React take the typing first (the commit reads the draft it keeps).
        requestAnimationFrame(() =>
          setTimeout(() => {
            const before = Number(panel.dataset.revision);
            let start = 0;
            const timeout = setTimeout(() => {
              observer.disconnect();
              resolve({ failed: `no new analysis within 60 s (revision ${panel.dataset.revision})` });
            }, 60_000);
            const observer = new MutationObserver(() => {
              if (Number(panel.dataset.revision) > before && panel.getAttribute('aria-busy') === 'false') {
                const now = performance.now();
                const shown = now - start;
                observer.disconnect();
                clearTimeout(timeout);
                const calls = (window as unknown as { __analyzeCalls: { start: number; answered: number; parsed: number }[] }).__analyzeCalls;
                const call = calls.filter((c) => c.start >= start).at(-1)!;
                requestAnimationFrame(() =>
                  resolve({
                    shown,
                    painted: performance.now() - start,
                    toShell: call.start - start,
                    inShell: call.answered - call.start,
                    parse: call.parsed - call.answered,
                    render: now - call.parsed,
                  }),
                );
              }
            });
            observer.observe(panel, { attributes: true, attributeFilter: ['data-revision', 'aria-busy'] });
            start = performance.now();
            run();
          }),
        );
      }),
    kind,
    n,
  );
  if ('failed' in result) throw new Error(`${kind}: ${result.failed}`);
  if ('skipped' in result) return null;
  return { kind, ...result };
}

/** When the opened model's analysis showed, in ms since the epoch, and the nodes drawn. */
async function openedAnalysis(app: Browser): Promise<{ at: number; nodes: number }> {
  await settled(app);
  return app.execute((mark: string) => {
    const entry = performance.getEntriesByName(mark)[0];
    return {
      at: performance.timeOrigin + entry.startTime,
      nodes: Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node')).filter((n) => getComputedStyle(n).visibility !== 'hidden').length,
    };
  }, ANALYSIS_SHOWN_MARK);
}

interface IpcTiming {
  /** `JSON.stringify` of the document, ms (median). */
  stringify: number;
  /** `TextEncoder` of that text, ms (median). */
  encode: number;
  /** `invoke('analyze')`: IPC both ways, the engine, and the webview parsing the answer, ms (median). */
  invoke: number;
  /** The document's and the answer's size, bytes. */
  sent: number;
  received: number;
}

/** The back-end call alone, on `doc`, as the UI makes it. */
async function timeIpc(app: Browser, doc: unknown): Promise<IpcTiming> {
  const runs = await app.execute(
    async (text: string, calls: number) => {
      const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__;
      const document = JSON.parse(text) as unknown;
      const times: { stringify: number; encode: number; invoke: number; sent: number; received: number }[] = [];
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const json = JSON.stringify(document);
        const t1 = performance.now();
        const body = new TextEncoder().encode(json);
        const t2 = performance.now();
        const answer = await internals.invoke('analyze', body);
        const t3 = performance.now();
        times.push({ stringify: t1 - t0, encode: t2 - t1, invoke: t3 - t2, sent: body.length, received: JSON.stringify(answer).length });
      }
      return times;
    },
    JSON.stringify(doc),
    IPC_CALLS,
  );
  const median = (key: keyof IpcTiming) => percentile(runs.map((r) => r[key]).sort((a, b) => a - b), 0.5);
  return { stringify: median('stringify'), encode: median('encode'), invoke: median('invoke'), sent: runs[0].sent, received: runs[0].received };
}

// --- the run ----------------------------------------------------------------------------------

interface Model {
  name: string;
  file: string;
  /** The document as the app holds it. */
  doc: unknown;
  nodes: number;
  edges: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
}

const fmt = (ms: number) => Math.round(ms).toString();

/**
 * Starts the app on `file`. The edits of the previous session were autosaved: without this, the
 * app would offer them back instead of opening the file.
 */
function openModel(driver: Driver, file: string): Promise<Browser> {
  rmSync(path.join(driver.appData, 'recovery.json'), { force: true });
  return driver.open([file]);
}

/** The CPU time used so far by the processes named `name` (WebKit's web process), in ms. */
function cpuOf(name: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = procStat(pid);
      if (stat.name === name) ticks += stat.field(14) + stat.field(15); // utime + stime
    } catch {
      // The process ended meanwhile.
    }
  }
  return (ticks / CLOCK_TICKS) * 1000;
}

/**
 * The web process's CPU, in % of a core, over 3 s of nothing done with a risk selected, from
 * 4 s after its selection (when the highlight has stopped running along its path).
 */
async function idleCpu(app: Browser): Promise<number> {
  await selectSomething(app, 0);
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const before = cpuOf('WebKitWebProces');
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return ((cpuOf('WebKitWebProces') - before) / (Date.now() - started)) * 100;
}

async function measureEdits(driver: Driver, model: Model): Promise<{ timings: Timing[]; ipc: IpcTiming; idle: number }> {
  const app = await openModel(driver, model.file);
  try {
    await settled(app);
    const ipc = await timeIpc(app, model.doc);
    await recordAnalyzeCalls(app);
    const timings: Timing[] = [];
    for (let n = 0, attempts = 0; timings.length < EDITS && attempts < EDITS * 4; n++, attempts++) {
      await selectSomething(app, n);
      if (READ_MS > 0) await new Promise((resolve) => setTimeout(resolve, READ_MS));
      const timing = await timeEdit(app, EDIT_KINDS[n % EDIT_KINDS.length], n);
      if (timing) timings.push(timing);
      await settled(app);
    }
    return { timings, ipc, idle: await idleCpu(app) };
  } finally {
    await app.deleteSession().catch(() => undefined);
  }
}

/** `START_MARKS` in src/panels/session.ts (not imported: that module needs a DOM). */
const START_MARKS = ['bartizan:first-render', 'bartizan:recovery-checked', 'bartizan:model-read'] as const;

async function measureColdStart(
  driver: Driver,
  model: Model,
): Promise<{ total: number; page: number; loaded: number; marks: number[]; nodes: number }> {
  const before = new Set(appProcesses());
  const app = await openModel(driver, model.file);
  try {
    const pid = appProcesses().find((p) => !before.has(p));
    if (pid === undefined) throw new Error(`no new process of ${APP}`);
    const started = startedAt(pid);
    const { at, nodes } = await openedAnalysis(app);
    const navigation = (await app.execute(() => performance.timeOrigin)) as number;
    // The UI's scripts are modules: DOMContentLoaded ends once they have loaded and run.
    const loaded = (await app.execute(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? NaN,
    )) as number;
    const marks = (await app.execute(
      (names: readonly string[]) => names.map((name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN),
      START_MARKS,
    )) as number[];
    return { total: at - started, page: at - navigation, loaded, marks, nodes };
  } finally {
    await app.deleteSession().catch(() => undefined);
  }
}

async function main() {
  const busy = loadavg()[0];
  const driver = new Driver();
  await driver.start();
  try {
    const estate = generateModel();
    const estateFile = path.join(driver.root, 'estate-2000.bartizan.json');
    writeFileSync(estateFile, JSON.stringify(estate));
    const examples = readdirSync(path.join(REPO, 'models'))
      .filter((f) => f.endsWith('.bartizan.yaml'))
      .sort();
    const models: Model[] = [
      ...examples.map((f) => {
        const text = readFileSync(path.join(REPO, 'models', f), 'utf8');
        const name = f.replace('.bartizan.yaml', '');
        const fixture = JSON.parse(readFileSync(path.join(REPO, 'ui/src/generated/examples', `${name}.json`), 'utf8')) as { doc: unknown };
        return {
          name,
          file: path.join(REPO, 'models', f),
          doc: fixture.doc,
          nodes: (text.match(/^ {2}- id:/gm) ?? []).length,
          edges: (text.match(/^ {2}- from:/gm) ?? []).length,
        };
      }),
      { name: 'generated estate', file: estateFile, doc: estate, nodes: estate.nodes.length, edges: estate.edges?.length ?? 0 },
    ].filter((model) => !ONLY || ONLY.includes(model.name));

    console.log(`app: ${APP}; load average before the run ${busy.toFixed(2)}; ${READ_MS} ms between selecting and editing`);
    const editRows: string[] = [];
    const startRows: string[] = [];
    const ipcRows: string[] = [];
    const breakdownRows: string[] = [];
    const idleRows: string[] = [];
    const all: Timing[] = [];
    for (const model of models) {
      const { timings, ipc, idle } = await measureEdits(driver, model);
      idleRows.push(`| ${model.name} | ${Math.round(idle)} % |`);
      const ipcRow = `| ${model.name} | ${Math.round(ipc.sent / 1024)} KiB | ${Math.round(ipc.received / 1024)} KiB | ${ipc.stringify.toFixed(1)} | ${ipc.encode.toFixed(1)} | ${ipc.invoke.toFixed(1)} |`;
      ipcRows.push(ipcRow);
      console.log(ipcRow);
      const shown = timings.map((t) => t.shown).sort((a, b) => a - b);
      const painted = timings.map((t) => t.painted).sort((a, b) => a - b);
      if (model.name !== 'generated estate') all.push(...timings);
      const row = `| ${model.name} | ${model.nodes} | ${model.edges} | ${timings.length} | ${fmt(percentile(shown, 0.5))} | ${fmt(percentile(shown, 0.95))} | ${fmt(shown[shown.length - 1])} | ${fmt(percentile(painted, 0.95))} |`;
      editRows.push(row);
      console.log(row);
      const byKind = EDIT_KINDS.map((kind) => {
        const of = timings.filter((t) => t.kind === kind).map((t) => t.shown);
        return of.length ? `${kind} ${of.map(fmt).join(', ')}` : null;
      }).filter(Boolean);
      console.log(`  ${byKind.join('; ')}`);
      const spread = (key: 'toShell' | 'inShell' | 'parse' | 'render') => {
        const sorted = timings.map((t) => t[key]).sort((a, b) => a - b);
        return `${fmt(percentile(sorted, 0.5))} (${fmt(percentile(sorted, 0.95))})`;
      };
      const breakdownRow = `| ${model.name} | ${fmt(percentile(shown, 0.5))} (${fmt(percentile(shown, 0.95))}) | ${spread('toShell')} | ${spread('inShell')} | ${spread('parse')} | ${spread('render')} |`;
      breakdownRows.push(breakdownRow);
      console.log(breakdownRow);

      const starts: Awaited<ReturnType<typeof measureColdStart>>[] = [];
      for (let i = 0; i < COLD_STARTS; i++) starts.push(await measureColdStart(driver, model));
      const totals = starts.map((s) => s.total).sort((a, b) => a - b);
      const pages = starts.map((s) => s.page).sort((a, b) => a - b);
      const loads = starts.map((s) => s.loaded).sort((a, b) => a - b);
      const beforePage = starts.map((s) => s.total - s.page).sort((a, b) => a - b);
      const marks = START_MARKS.map((_, i) => fmt(percentile(starts.map((s) => s.marks[i]).sort((a, b) => a - b), 0.5)));
      const startRow = `| ${model.name} | ${starts.map((s) => fmt(s.total)).join(', ')} | ${fmt(percentile(totals, 0.5))} | ${fmt(percentile(beforePage, 0.5))} | ${fmt(percentile(loads, 0.5))} | ${marks.join(' | ')} | ${fmt(percentile(pages, 0.5))} | ${starts.map((s) => s.nodes).join(", ")} |`;
      startRows.push(startRow);
      console.log(startRow);
    }
    const examplesShown = all.map((t) => t.shown).sort((a, b) => a - b);
    console.log('');
    console.log('Edit → the risks panel showing the analysis of the edited document, ms:');
    console.log('');
    console.log('| model | nodes | edges | edits | p50 | p95 | max | p95 painted |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of editRows) console.log(row);
    console.log(`| all examples | | | ${all.length} | ${fmt(percentile(examplesShown, 0.5))} | ${fmt(percentile(examplesShown, 0.95))} | ${fmt(examplesShown[examplesShown.length - 1])} | |`);
    console.log('');
    console.log('Where an edit\'s time goes (medians, and p95 in brackets, ms): the page until the request leaves (the edit\'s own render, JSON.stringify); the shell (IPC both ways, the engine); the webview parsing the answer; React until the panel shows it:');
    console.log('');
    console.log('| model | edit → panel | page → request | shell (IPC + engine) | parse | render |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const row of breakdownRows) console.log(row);
    console.log('');
    console.log(`The back-end call alone, in the page, as the UI makes it (median of ${IPC_CALLS}), ms:`);
    console.log('');
    console.log('| model | document sent | analysis received | JSON.stringify | TextEncoder | invoke (IPC, engine, parse) |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const row of ipcRows) console.log(row);
    console.log('');
    console.log('Nothing done, a risk selected (4 s after its selection, over 3 s): the web process\'s CPU, % of a core:');
    console.log('');
    console.log('| model | web process |');
    console.log('|---|---:|');
    for (const row of idleRows) console.log(row);
    console.log('');
    console.log(`Cold start: process start → the model's analysis on screen with the model's nodes drawn, ms (${COLD_STARTS} runs; medians):`);
    console.log('');
    console.log(
      '| model | runs | median | process start → navigation | navigation → UI scripts run | → first render | → recovery checked | → model read | → analysis shown | nodes drawn |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of startRows) console.log(row);
  } finally {
    await driver.stop();
  }
}

await main();
