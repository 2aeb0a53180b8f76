import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backend, loadBackend, type Analysis, type Risk } from '../backend';
import example from '../generated/examples/customer-support.json';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { onlyLayoutDiffers, startLiveAnalysis, useAnalysis } from './analysis';

const doc = (example as unknown as { doc: Model }).doc;

describe('live analysis', () => {
  let stop: () => void = () => undefined;
  beforeEach(async () => {
    // Outside Tauri the fake answers; load it before the clock is faked.
    expect((await loadBackend()).kind).toBe('fake');
    vi.useFakeTimers();
  });
  afterEach(() => {
    stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('analyses each document, and feeds the canvas markers', async () => {
    const analyze = vi.spyOn(backend, 'analyze');
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    const risks = useAnalysis.getState().analysis?.report?.risks ?? [];
    expect(risks.length).toBeGreaterThan(2);
    // One marker per risk, at its place.
    expect(useStore.getState().findings?.map((m) => m.subjects[0])).toEqual(risks.map((r) => r.place));
    expect(useAnalysis.getState().analysed).toBe(doc);
    expect(useAnalysis.getState().revision).toBe(1);

    const calls = analyze.mock.calls.length;
    // Three changes in one task: the first leaves at once, the two made while it runs give one
    // more analysis, of the last document.
    let current = doc;
    const changed: Model[] = [];
    for (const name of ['a', 'b', 'c']) {
      current = { ...current, metadata: { ...current.metadata, name } };
      changed.push(current);
      useStore.setState({ doc: current });
    }
    expect(analyze.mock.calls.slice(calls).map((call) => call[0])).toEqual([changed[0]]);
    expect(useAnalysis.getState().pending).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(analyze.mock.calls.slice(calls).map((call) => call[0])).toEqual([changed[0], current]);
    expect(useAnalysis.getState().analysed).toBe(current);
    expect(useAnalysis.getState().revision).toBe(4);
    expect(useAnalysis.getState().pending).toBe(false);
  });

  it('sends the edited document inside the edit itself, before anything renders it', async () => {
    useStore.getState().replaceDocument(doc, null);
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    // The implementation itself, behind the `backend` every module calls.
    const analyze = vi.spyOn(await loadBackend(), 'analyze');
    const node = useStore.getState().doc.nodes[0];
    // No await between the edit and the check: React cannot have rendered the edit yet.
    useStore.getState().updateNode(node.id, { name: `${node.name} (renamed)` });
    const edited = useStore.getState().doc;
    expect(edited.nodes[0].name).toBe(`${node.name} (renamed)`);
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(analyze.mock.calls[0][0]).toBe(edited);
    expect(useAnalysis.getState().pending).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(useAnalysis.getState().analysed).toBe(edited);
    expect(useAnalysis.getState().pending).toBe(false);
  });

  it('a back end that throws within the call fails the analysis, not the edit', async () => {
    useStore.getState().replaceDocument(doc, null);
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    vi.spyOn(backend, 'analyze').mockImplementation(() => {
      throw new Error('the shell is gone');
    });
    const node = useStore.getState().doc.nodes[0];
    expect(useStore.getState().updateNode(node.id, { name: 'Still renamed' })).toBe(node.id);
    expect(useStore.getState().doc.nodes[0].name).toBe('Still renamed');
    await vi.advanceTimersByTimeAsync(10);
    expect(useAnalysis.getState().error).toBe('the shell is gone');
    expect(useAnalysis.getState().pending).toBe(false);
  });

  it('runs one analysis at a time: edits made meanwhile give one more, of the latest document', async () => {
    // The back end answers when the test says so.
    const asked: { doc: Model; answer: (analysis: Analysis) => void }[] = [];
    const analyze = vi
      .spyOn(backend, 'analyze')
      .mockImplementation((analysed) => new Promise((answer) => asked.push({ doc: analysed, answer })));
    const result = (name: string): Analysis => ({ valid: false, diagnostics: [{ severity: 'error', code: name, message: name }], report: null });
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    expect(asked.map((a) => a.doc)).toEqual([doc]);

    // Three edits, each its own task, while the first analysis runs: none starts.
    let current = doc;
    for (const name of ['a', 'b', 'c']) {
      current = { ...current, metadata: { ...current.metadata, name } };
      useStore.setState({ doc: current });
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(useAnalysis.getState().pending).toBe(true);

    // The first answer is shown (still pending), and the next analysis is of the last edit.
    const first = result('first');
    asked[0].answer(first);
    await vi.advanceTimersByTimeAsync(10);
    expect(useAnalysis.getState().analysis).toBe(first);
    expect(useAnalysis.getState().revision).toBe(1);
    expect(useAnalysis.getState().pending).toBe(true);
    expect(asked.map((a) => a.doc)).toEqual([doc, current]);

    const last = result('last');
    asked[1].answer(last);
    await vi.advanceTimersByTimeAsync(10);
    expect(analyze).toHaveBeenCalledTimes(2);
    expect(useAnalysis.getState().analysis).toBe(last);
    expect(useAnalysis.getState().analysed).toBe(current);
    expect(useAnalysis.getState().revision).toBe(4);
    expect(useAnalysis.getState().pending).toBe(false);
  });

  it('ignores an answer that comes after it stopped', async () => {
    const asked: ((analysis: Analysis) => void)[] = [];
    vi.spyOn(backend, 'analyze').mockImplementation(() => new Promise((answer) => asked.push(answer)));
    useAnalysis.getState().set({ analysis: null, revision: 0 });
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    stop();
    asked[0]({ valid: true, diagnostics: [], report: null });
    await vi.advanceTimersByTimeAsync(10);
    expect(useAnalysis.getState().analysis).toBeNull();
  });

  it('does not re-analyse when only the layout changed', async () => {
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    const analyze = vi.spyOn(backend, 'analyze');
    const calls = analyze.mock.calls.length;
    useStore.setState({ doc: { ...doc, layout: { nodes: { llm: { x: 10, y: 20 } } } } });
    await vi.advanceTimersByTimeAsync(10);
    expect(analyze.mock.calls.length).toBe(calls);
    expect(onlyLayoutDiffers(doc, { ...doc, nodes: [...doc.nodes] })).toBe(false);
  });

  it('drops the risks whose place was deleted', async () => {
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    const place = useAnalysis.getState().analysis!.report!.risks[0].place;
    const without = { ...doc, nodes: doc.nodes.filter((n) => n.id !== place) };
    useStore.setState({ doc: without });
    await vi.advanceTimersByTimeAsync(10);
    const risks: Risk[] = useAnalysis.getState().analysis?.report?.risks ?? [];
    expect(risks.length).toBeGreaterThan(0);
    expect(risks.some((r) => r.place === place)).toBe(false);
  });
});
