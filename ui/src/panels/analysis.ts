// Live analysis: after each document change the engine analyses the document through the back
// end; the result feeds the risks and questions panels, the inspector's inline errors, and the
// canvas's and status bar's risk markers. View state only: never undone, never saved.

import { useEffect } from 'react';
import { create } from 'zustand';
import { backend, backendError, type Analysis, type Severity } from '../backend';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { riskMarkers, risksOf } from './risks';

/** The tabs of the side panel (`SidePanels.tsx`). */
export type SideTab = 'risks' | 'questions' | 'plan' | 'history';

export interface AnalysisState {
  /** The latest result, for `analysed`; null before the first one. */
  analysis: Analysis | null;
  /** The document the result is about (diagnostic paths index into it). */
  analysed: Model | null;
  /**
   * The number of the document the result is about: the loop numbers the documents it is
   * given from 1 (0 before the first result). The risks panel shows it (`data-revision`).
   */
  revision: number;
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
  revision: 0,
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

/** The document whose analysis the shell handed over (`primeAnalysis`), until the loop starts. */
let handedOver: Model | null = null;

/**
 * Starts the loop: analyses the current document now, then each new document (moving things on
 * the diagram is not a new document). The request leaves as the document changes, inside the
 * edit's own call, so the engine works while React renders the edit instead of after it. One
 * analysis runs at a time: a document that comes while one runs waits, and a newer one replaces
 * it, so a burst of edits never queues analyses of documents already gone, and a result never
 * replaces that of a newer document. Returns the function that stops it.
 */
export function startLiveAnalysis(): () => void {
  /** The number of the latest document. */
  let latest = 0;
  /** The number of the document whose result is shown. */
  let shown = 0;
  let running = false;
  /** The document to analyse once the running analysis answers (only the latest is kept). */
  let waiting: { doc: Model; revision: number } | null = null;
  let stopped = false;

  const show = (revision: number, patch: Partial<AnalysisState>) => {
    shown = revision;
    useAnalysis.getState().set({ ...patch, revision, pending: revision !== latest });
  };
  const run = (doc: Model, revision: number) => {
    const { readOnly } = useStore.getState();
    if (readOnly) {
      // The document lacks what its file could not read: its risks would mislead. What the
      // engine says of the file is its errors (their paths index the file, not this document).
      show(revision, {
        analysis: { valid: false, diagnostics: readOnly.errors, report: null },
        analysed: null,
        error: null,
        selected: null,
      });
      useStore.getState().setHighlight(null);
      useStore.getState().setFindings([]);
      return;
    }
    running = true;
    // Called inside the edit: whatever the call throws is the analysis failing, not the edit.
    let request: Promise<Analysis>;
    try {
      request = backend.analyze(doc);
    } catch (error) {
      request = Promise.reject(error);
    }
    request
      .then((analysis) => {
        if (stopped || revision < shown) return;
        const risks = risksOf(analysis.report);
        const { selected } = useAnalysis.getState();
        const gone = selected !== null && !risks.some((r) => r.fingerprint === selected);
        show(revision, { analysis, analysed: doc, error: null, ...(gone ? { selected: null } : {}) });
        // The selected risk went away (closed, or its place deleted): so does its path.
        if (gone) useStore.getState().setHighlight(null);
        useStore.getState().setFindings(riskMarkers(risks));
      })
      .catch((error: unknown) => {
        if (stopped || revision < shown) return;
        show(revision, { error: backendError(error).message });
      })
      .finally(() => {
        running = false;
        const next = waiting;
        waiting = null;
        if (next && !stopped) run(next.doc, next.revision);
      });
  };
  const schedule = (doc: Model) => {
    const revision = ++latest;
    if (running) waiting = { doc, revision };
    else run(doc, revision);
    // After the request has left: this re-renders the panel as busy.
    if (shown !== latest) useAnalysis.getState().set({ pending: true });
  };
  const doc = useStore.getState().doc;
  const primed = handedOver;
  handedOver = null;
  const { analysed, revision } = useAnalysis.getState();
  if (primed && analysed === primed && (primed === doc || onlyLayoutDiffers(primed, doc))) {
    // Shown already: the shell handed over this document's analysis with the page.
    latest = shown = revision;
  } else {
    schedule(doc);
  }
  const unsubscribe = useStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc && !onlyLayoutDiffers(state.doc, previous.doc)) schedule(state.doc);
    // Another document was loaded (the store drops its risks then): no risk is selected.
    if (state.findings === null && previous.findings !== null) useAnalysis.getState().set({ selected: null });
  });
  return () => {
    unsubscribe();
    stopped = true;
  };
}

/**
 * Shows `analysis`, the shell's analysis of `doc` handed over with the page, as the first
 * result: the loop, started after the first render, takes it instead of asking again.
 */
export function primeAnalysis(doc: Model, analysis: Analysis): void {
  handedOver = doc;
  useAnalysis.getState().set({ analysis, analysed: doc, revision: 1, pending: false, error: null, selected: null });
  useStore.getState().setFindings(riskMarkers(risksOf(analysis.report)));
}

/** Runs the analysis loop for as long as the calling component is mounted. */
export function useLiveAnalysis(): void {
  useEffect(() => startLiveAnalysis(), []);
}
