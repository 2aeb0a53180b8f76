// Live analysis: after each document change (debounced) the engine analyses the document
// through the back end; the result feeds the risks and questions panels, the inspector's inline
// errors, and the canvas's and status bar's risk markers. View state only: never undone, never saved.

import { useEffect } from 'react';
import { create } from 'zustand';
import { backend, backendError, type Analysis, type Severity } from '../backend';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { riskMarkers, risksOf } from './risks';

/** The tabs of the side panel (`SidePanels.tsx`). */
export type SideTab = 'risks' | 'questions' | 'plan' | 'history';

/** How long the document must rest before it is analysed. */
export const ANALYZE_DEBOUNCE_MS = 300;

export interface AnalysisState {
  /** The latest result, for `analysed`; null before the first one. */
  analysis: Analysis | null;
  /** The document the result is about (diagnostic paths index into it). */
  analysed: Model | null;
  /** An analysis is waiting or running for a newer document. */
  pending: boolean;
  /** The back end failed (not the model: an invalid model is a result with diagnostics). */
  error: string | null;
  /** The risk selected (opened) in the panel, by fingerprint. */
  selected: string | null;
  /** The severities the risks panel shows; all when empty. */
  severities: Severity[];
  /** Show risks already triaged (mitigated, accepted, false positive). */
  showTriaged: boolean;
  /** The side panel's tab shown. */
  tab: SideTab;
  set(patch: Partial<Omit<AnalysisState, 'set'>>): void;
}

export const useAnalysis = create<AnalysisState>()((set) => ({
  analysis: null,
  analysed: null,
  pending: false,
  error: null,
  selected: null,
  severities: [],
  showTriaged: true,
  tab: 'risks',
  set: (patch) => set(patch),
}));

/** Whether two documents differ only in where things are drawn (risks cannot change then). */
export function onlyLayoutDiffers(a: Model, b: Model): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('layout');
  return [...keys].every((key) => a[key as keyof Model] === b[key as keyof Model]);
}

/**
 * Starts the loop: analyses the current document now, then each new document once edits have
 * rested for `ANALYZE_DEBOUNCE_MS` (moving things on the diagram is not such an edit); a
 * result for an older document than the latest is dropped. Returns the function that stops it.
 */
export function startLiveAnalysis(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sequence = 0;
  const run = (doc: Model) => {
    const mine = ++sequence;
    const { readOnly } = useStore.getState();
    if (readOnly) {
      // The document lacks what its file could not read: its risks would mislead. What the
      // engine says of the file is its errors (their paths index the file, not this document).
      useAnalysis.getState().set({
        analysis: { valid: false, diagnostics: readOnly.errors, report: null },
        analysed: null,
        pending: false,
        error: null,
        selected: null,
      });
      useStore.getState().setHighlight(null);
      useStore.getState().setFindings([]);
      return;
    }
    backend
      .analyze(doc)
      .then((analysis) => {
        if (mine !== sequence) return;
        const risks = risksOf(analysis.report);
        const { selected } = useAnalysis.getState();
        const gone = selected !== null && !risks.some((r) => r.fingerprint === selected);
        useAnalysis.getState().set({ analysis, analysed: doc, pending: false, error: null, ...(gone ? { selected: null } : {}) });
        // The selected risk went away (closed, or its place deleted): so does its path.
        if (gone) useStore.getState().setHighlight(null);
        useStore.getState().setFindings(riskMarkers(risks));
      })
      .catch((error: unknown) => {
        if (mine !== sequence) return;
        useAnalysis.getState().set({ pending: false, error: backendError(error).message });
      });
  };
  const schedule = (doc: Model, delay: number) => {
    clearTimeout(timer);
    useAnalysis.getState().set({ pending: true });
    timer = setTimeout(() => run(doc), delay);
  };
  schedule(useStore.getState().doc, 0);
  const unsubscribe = useStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc && !onlyLayoutDiffers(state.doc, previous.doc)) schedule(state.doc, ANALYZE_DEBOUNCE_MS);
    // Another document was loaded (the store drops its risks then): no risk is selected.
    if (state.findings === null && previous.findings !== null) useAnalysis.getState().set({ selected: null });
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
    sequence++;
  };
}

/** Runs the analysis loop for as long as the calling component is mounted. */
export function useLiveAnalysis(): void {
  useEffect(() => startLiveAnalysis(), []);
}
