// Live analysis: after each document change (debounced) the engine analyses the document
// through the back end; the result feeds the findings panel, the inspector's inline errors and
// the canvas's finding markers. View state only: never undone, never saved.

import { useEffect } from 'react';
import { create } from 'zustand';
import { backend, backendError, type Analysis } from '../backend';
import type { Model } from '../model/types';
import { useStore } from '../store';
import type { Grouping } from './findings';

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
  /** The finding selected in the panel. */
  selected: string | null;
  grouping: Grouping;
  /** The framework used when grouping by framework. */
  framework: string;
  /** Show findings already triaged (mitigated, accepted, false positive). */
  showTriaged: boolean;
  set(patch: Partial<Omit<AnalysisState, 'set'>>): void;
}

export const useAnalysis = create<AnalysisState>()((set) => ({
  analysis: null,
  analysed: null,
  pending: false,
  error: null,
  selected: null,
  grouping: 'severity',
  framework: 'owasp_agentic',
  showTriaged: true,
  set: (patch) => set(patch),
}));

/** Whether two documents differ only in where things are drawn (findings cannot change then). */
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
      // The document lacks what its file could not read: its findings would mislead. What the
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
        const findings = analysis.report?.findings ?? [];
        const { selected } = useAnalysis.getState();
        const gone = selected !== null && !findings.some((f) => f.fingerprint === selected);
        useAnalysis.getState().set({ analysis, analysed: doc, pending: false, error: null, ...(gone ? { selected: null } : {}) });
        // The selected finding went away (fixed, or its subject deleted): so does its path.
        if (gone) useStore.getState().setHighlight(null);
        useStore.getState().setFindings(
          findings.map((f) => ({
            fingerprint: f.fingerprint,
            rule: f.rule,
            severity: f.severity,
            status: f.status,
            subjects: f.subjects,
            title: f.title,
          })),
        );
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
    // Another document was loaded (the store drops its findings then): no finding is selected.
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
