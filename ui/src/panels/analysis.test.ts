import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backend, loadBackend, type Risk } from '../backend';
import example from '../generated/examples/customer-support.json';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { ANALYZE_DEBOUNCE_MS, onlyLayoutDiffers, startLiveAnalysis, useAnalysis } from './analysis';

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
    vi.useRealTimers();
  });

  it('analyses each document once edits rest, and feeds the canvas markers', async () => {
    const analyze = vi.spyOn(backend, 'analyze');
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    const risks = useAnalysis.getState().analysis?.report?.risks ?? [];
    expect(risks.length).toBeGreaterThan(2);
    // One marker per risk, at its place.
    expect(useStore.getState().findings?.map((m) => m.subjects[0])).toEqual(risks.map((r) => r.place));
    expect(useAnalysis.getState().analysed).toBe(doc);

    const calls = analyze.mock.calls.length;
    // Three quick edits: one analysis, of the last document.
    let current = doc;
    for (const name of ['a', 'b', 'c']) {
      current = { ...current, metadata: { ...current.metadata, name } };
      useStore.setState({ doc: current });
      await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS / 3);
    }
    expect(useAnalysis.getState().pending).toBe(true);
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS + 10);
    expect(analyze.mock.calls.length).toBe(calls + 1);
    expect(useAnalysis.getState().analysed).toBe(current);
    expect(useAnalysis.getState().pending).toBe(false);
  });

  it('does not re-analyse when only the layout changed', async () => {
    useStore.setState({ doc });
    stop = startLiveAnalysis();
    await vi.advanceTimersByTimeAsync(10);
    const analyze = vi.spyOn(backend, 'analyze');
    const calls = analyze.mock.calls.length;
    useStore.setState({ doc: { ...doc, layout: { nodes: { llm: { x: 10, y: 20 } } } } });
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS + 10);
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
    await vi.advanceTimersByTimeAsync(ANALYZE_DEBOUNCE_MS + 10);
    const risks: Risk[] = useAnalysis.getState().analysis?.report?.risks ?? [];
    expect(risks.length).toBeGreaterThan(0);
    expect(risks.some((r) => r.place === place)).toBe(false);
  });
});
