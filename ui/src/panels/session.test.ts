import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Analysis, Opened, Start } from '../backend';
import example from '../generated/examples/customer-support.json';
import type { Model } from '../model/types';

const doc = (example as unknown as { doc: Model }).doc;
const path = '/models/customer-support.bartizan.yaml';

/** The modules a start touches, fresh for each test (`startSession` runs once per page). */
async function freshApp() {
  vi.resetModules();
  const backendModule = await import('../backend');
  const backend = await backendModule.loadBackend();
  return {
    backendModule,
    backend,
    session: await import('./session'),
    analysis: await import('./analysis'),
    store: (await import('../store')).useStore,
  };
}

/** What the shell sets before the page's scripts run (`src-tauri/src/start.rs`). */
function handOver(start: Start | { recovery: unknown; initial: unknown }) {
  vi.stubGlobal('window', { __bartizanStart: start });
}

describe('the start the shell hands over with the page', () => {
  let analysis: Analysis;
  beforeEach(async () => {
    const { backend } = await freshApp();
    analysis = await backend.analyze(doc);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.doUnmock('./Dialog');
  });

  it('is in the store before the first render, with its analysis, and nothing is asked again', async () => {
    const opened: Opened = { path, doc, diagnostics: [], complete: true };
    handOver({ recovery: null, initial: { opened, analysis } });
    const { backend, session, analysis: live, store } = await freshApp();
    const asked = ['recover', 'initialModel', 'analyze'].map((name) => vi.spyOn(backend, name as 'recover'));

    void session.startSession();
    // No await: what React's first render reads is already there.
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
    expect(store.getState().path).toBe(path);
    expect(live.useAnalysis.getState()).toMatchObject({ analysis, revision: 1, pending: false });
    expect(live.useAnalysis.getState().analysed).toBe(store.getState().doc);
    expect(store.getState().findings?.length).toBe(analysis.report?.risks.length);

    const stop = live.startLiveAnalysis();
    await Promise.resolve();
    for (const spy of asked) expect(spy).not.toHaveBeenCalled();
    // The next edit is analysed as usual, as the next document.
    const node = store.getState().doc.nodes[0];
    store.getState().updateNode(node.id, { name: `${node.name} (renamed)` });
    await vi.waitFor(() => expect(live.useAnalysis.getState().revision).toBe(2));
    expect(live.useAnalysis.getState().analysed).toBe(store.getState().doc);
    stop();
  });

  it('offers the crash-recovery document it carries without asking the back end for it', async () => {
    const saved = { ...doc, metadata: { ...doc.metadata, name: 'Unsaved work' } };
    handOver({ recovery: { doc: saved, path: null, saved_at: '2026-12-07T10:00:00Z' }, initial: null });
    const ask = vi.fn(async (request: { body: string }) => (request.body ? 'restore' : 'cancel'));
    vi.doMock('./Dialog', () => ({ ask }));
    const { backend, session, store } = await freshApp();
    const recover = vi.spyOn(backend, 'recover');
    const initialModel = vi.spyOn(backend, 'initialModel');

    await session.startSession();
    expect(ask).toHaveBeenCalledTimes(1);
    expect(ask.mock.calls[0][0].body).toContain('Unsaved work');
    expect(store.getState().doc.metadata.name).toBe('Unsaved work');
    expect(store.getState().dirty).toBe(true);
    expect(recover).not.toHaveBeenCalled();
    // Restored: the model named on the command line stays with the shell.
    expect(initialModel).not.toHaveBeenCalled();
  });

  it('asks for a model only when none was handed over (Finder hands one over while the window starts)', async () => {
    handOver({ recovery: null, initial: null });
    const { backend, session, store } = await freshApp();
    const opened: Opened = { path, doc, diagnostics: [], complete: true };
    const initialModel = vi.spyOn(backend, 'initialModel').mockResolvedValue(opened);
    const recover = vi.spyOn(backend, 'recover');
    await session.startSession();
    expect(initialModel).toHaveBeenCalledTimes(1);
    expect(recover).not.toHaveBeenCalled();
    expect(store.getState().path).toBe(path);
  });

  it('says why the model named on the command line could not be read', async () => {
    handOver({ recovery: null, initial: { error: { code: 'io', message: 'cannot read /models/gone.bartizan.yaml' } } });
    const { session, store } = await freshApp();
    void session.startSession();
    expect(store.getState().notice).toMatchObject({ kind: 'error' });
    expect(store.getState().notice?.text).toContain('cannot read /models/gone.bartizan.yaml');
  });

  it('is ignored when the page was reloaded: the window has moved on since', async () => {
    const opened: Opened = { path, doc, diagnostics: [], complete: true };
    handOver({ recovery: null, initial: { opened, analysis } });
    const { backendModule } = await freshApp();
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type: 'reload' } as unknown as PerformanceEntry]);
    expect(backendModule.takeStart()).toBeNull();
  });

  it('is taken once', async () => {
    const opened: Opened = { path, doc, diagnostics: [], complete: true };
    handOver({ recovery: null, initial: { opened, analysis } });
    const { backendModule } = await freshApp();
    expect(backendModule.takeStart()?.initial).toEqual({ opened, analysis });
    expect(backendModule.takeStart()).toBeNull();
  });
});
