// The history panel's logic: the saved revisions of the open file (recorded by the workspace
// on every save), comparing two of them, and restoring one. The pure parts — the risks
// delta, short hashes, which two revisions a choice compares, which elements the canvas marks —
// are tested in `history.test.ts`. View state only: never undone, never saved.

import { create } from 'zustand';
import { backend, backendError, type RisksDelta, type Revision, type RevisionDiff } from '../backend';
import { elementType } from '../model/structure';
import type { Model, Severity } from '../model/types';
import { useStore, type Comparison, type DiffMark } from '../store';
import { SEVERITIES } from './findings';
import { confirmReplace, fileName } from './session';

export interface DeltaPart {
  kind: keyof RisksDelta;
  /** `+`, `−` (a minus sign) or `~`. */
  sign: string;
  count: number;
  /** For people: `2 risks added`. */
  title: string;
}

/** The delta as `+a −r ~c`, each part with its own colour class (`kind`). */
export function deltaParts(delta: RisksDelta): DeltaPart[] {
  const plural = (n: number) => (n === 1 ? 'risk' : 'risks');
  return [
    { kind: 'added', sign: '+', count: delta.added, title: `${delta.added} ${plural(delta.added)} added` },
    { kind: 'resolved', sign: '\u2212', count: delta.resolved, title: `${delta.resolved} ${plural(delta.resolved)} resolved` },
    { kind: 'changed', sign: '~', count: delta.changed, title: `${delta.changed} ${plural(delta.changed)} changed` },
  ];
}

export function formatDelta(delta: RisksDelta): string {
  return deltaParts(delta)
    .map((p) => `${p.sign}${p.count}`)
    .join(' ');
}

/** `sha256:3f2a…` → `3f2a9c1e` (the first 8 hex digits, enough to tell revisions apart). */
export function shortHash(hash: string): string {
  const hex = hash.includes(':') ? hash.slice(hash.indexOf(':') + 1) : hash;
  return hex.slice(0, 8);
}

/** The severities with a count, highest first. */
export function severityCounts(counts: Partial<Record<Severity, number>>): { severity: Severity; count: number }[] {
  return SEVERITIES.map((severity) => ({ severity, count: counts[severity] ?? 0 })).filter((c) => c.count > 0);
}

/** `25 Nov 2026, 17:40` and `5 min ago`, for a revision's time (seconds since the epoch). */
export function whenSaved(recordedAt: number, now = Date.now()): { date: string; ago: string } {
  const date = new Date(recordedAt * 1000);
  if (!Number.isFinite(recordedAt) || Number.isNaN(date.getTime())) return { date: String(recordedAt), ago: '' };
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  const ago =
    seconds < 60
      ? 'just now'
      : seconds < 3600
        ? `${Math.round(seconds / 60)} min ago`
        : seconds < 86400
          ? `${Math.round(seconds / 3600)} h ago`
          : `${Math.round(seconds / 86400)} d ago`;
  const formatted = date.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return { date: formatted, ago };
}

/**
 * Choosing a revision in the list: up to two are chosen; choosing a chosen one unchooses it,
 * and choosing a third lets go of the one chosen first.
 */
export function toggleChoice(chosen: readonly number[], revision: number): number[] {
  if (chosen.includes(revision)) return chosen.filter((n) => n !== revision);
  return [...chosen, revision].slice(-2);
}

/**
 * Which revisions a choice compares, older first: two chosen ones, or one chosen with the
 * revision before it. Null when there is nothing to compare (nothing chosen, or the first
 * revision alone).
 */
export function comparedPair(chosen: readonly number[], revisions: readonly Revision[]): { from: number; to: number } | null {
  if (chosen.length === 2) {
    const [a, b] = chosen;
    return a === b ? null : { from: Math.min(a, b), to: Math.max(a, b) };
  }
  if (chosen.length !== 1) return null;
  const to = chosen[0];
  const earlier = revisions.map((r) => r.number).filter((n) => n < to);
  if (earlier.length === 0) return null;
  return { from: Math.max(...earlier), to };
}

export interface DiffMarks {
  /** What the canvas colours: elements of the current document, by id. */
  marks: Record<string, DiffMark>;
  /** Elements that differ but are not in the current document, by how they differ. */
  elsewhere: Record<DiffMark, string[]>;
  /** The fields that changed, by id of a changed element (`name`, `properties.lifetime`). */
  fields: Record<string, string[]>;
}

/**
 * The canvas's marks for a comparison: the nodes, edges and boundaries that differ (nodes,
 * edges and boundaries share one namespace of ids; triage decisions and metadata are not on
 * the canvas). The canvas shows the current document, so only the elements it has can be
 * coloured; the others (typically those the newer revision removed) are listed by id instead.
 */
export function diffMarks(elements: RevisionDiff['elements'], doc: Model): DiffMarks {
  const marks: Record<string, DiffMark> = {};
  const elsewhere: Record<DiffMark, string[]> = { added: [], changed: [], removed: [] };
  const fields: Record<string, string[]> = {};
  const seen = new Set<string>();
  const place = (id: string, mark: DiffMark) => {
    if (seen.has(id)) return;
    seen.add(id);
    if (elementType(doc, id)) marks[id] = mark;
    else elsewhere[mark].push(id);
  };
  for (const sort of [elements.nodes, elements.boundaries, elements.edges]) {
    for (const id of sort.added) place(id, 'added');
    for (const change of sort.changed) {
      place(change.id, 'changed');
      fields[change.id] = change.fields.map((f) => f.field);
    }
    for (const id of sort.removed) place(id, 'removed');
  }
  return { marks, elsewhere, fields };
}

/** How many nodes, edges and boundaries were added, changed and removed. */
export function elementCounts(elements: RevisionDiff['elements']): Record<DiffMark, number> {
  const sorts = [elements.nodes, elements.edges, elements.boundaries];
  return {
    added: sorts.reduce((n, s) => n + s.added.length, 0),
    changed: sorts.reduce((n, s) => n + s.changed.length, 0),
    removed: sorts.reduce((n, s) => n + s.removed.length, 0),
  };
}

/** `Revision 2 → revision 5` (`Nothing → revision 1` for the first), for the canvas legend. */
export function comparisonLabel(from: number | null, to: number): string {
  return from === null ? `Nothing → revision ${to}` : `Revision ${from} → revision ${to}`;
}

// ------------------------------------------------------------------ state and actions

export interface HistoryState {
  /** The file whose history is shown; null for a document that was never saved. */
  path: string | null;
  /** Newest first. */
  revisions: Revision[];
  loading: boolean;
  error: string | null;
  /** The revisions chosen in the list (at most two), in the order chosen. */
  chosen: number[];
  /** The comparison shown, with the elements the canvas cannot show. */
  diff: RevisionDiff | null;
  elsewhere: DiffMarks['elsewhere'] | null;
  fields: DiffMarks['fields'];
  /** A compare or restore is running. */
  working: boolean;
  set(patch: Partial<Omit<HistoryState, 'set'>>): void;
}

export const useHistory = create<HistoryState>()((set) => ({
  path: null,
  revisions: [],
  loading: false,
  error: null,
  chosen: [],
  diff: null,
  elsewhere: null,
  fields: {},
  working: false,
  set: (patch) => set(patch),
}));

// The comparison may end elsewhere (the canvas legend's Clear, another document): the panel
// stops showing it then too.
useStore.subscribe((state, previous) => {
  if (state.comparison === null && previous.comparison !== null && useHistory.getState().diff) {
    useHistory.getState().set({ diff: null, elsewhere: null, fields: {} });
  }
});

let loadToken = 0;

/** Reads the history of `path` (nothing for an unsaved document). */
export async function loadHistory(path: string | null): Promise<void> {
  const token = ++loadToken;
  const state = useHistory.getState();
  const otherFile = state.path !== path;
  if (otherFile) {
    // Another file: its revisions, choices and comparison are not this one's.
    state.set({ path, revisions: [], chosen: [], diff: null, elsewhere: null, fields: {}, error: null });
    if (useStore.getState().comparison) useStore.getState().setComparison(null);
  }
  if (!path) {
    useHistory.getState().set({ loading: false });
    return;
  }
  useHistory.getState().set({ loading: true });
  try {
    // Newest first, whatever order the back end answers in.
    const revisions = [...(await backend.history(path))].sort((a, b) => b.number - a.number);
    if (token !== loadToken) return;
    const numbers = new Set(revisions.map((r) => r.number));
    const chosen = useHistory.getState().chosen.filter((n) => numbers.has(n));
    useHistory.getState().set({ revisions, chosen, loading: false, error: null });
  } catch (error) {
    if (token !== loadToken) return;
    useHistory.getState().set({ loading: false, error: backendError(error).message });
  }
}

/** Compares the chosen revisions and marks the elements that differ on the canvas. */
export async function compareChosen(): Promise<void> {
  const { path, chosen, revisions } = useHistory.getState();
  const pair = comparedPair(chosen, revisions);
  if (!path || !pair) return;
  useHistory.getState().set({ working: true });
  try {
    const diff = await backend.compareRevisions(path, pair.from, pair.to);
    if (useHistory.getState().path !== path) return;
    showComparison(diff);
  } catch (error) {
    useStore.getState().notify(`Could not compare the revisions: ${backendError(error).message}`, 'error');
  } finally {
    useHistory.getState().set({ working: false });
  }
}

/** Shows a comparison: in the panel, and as marks on the canvas. */
export function showComparison(diff: RevisionDiff): void {
  const { marks, elsewhere, fields } = diffMarks(diff.elements, useStore.getState().doc);
  useHistory.getState().set({ diff, elsewhere, fields });
  const offCanvas = elsewhere.added.length + elsewhere.changed.length + elsewhere.removed.length;
  const comparison: Comparison = { label: comparisonLabel(diff.from?.number ?? null, diff.to.number), marks, offCanvas };
  useStore.getState().setComparison(comparison);
  const ids = Object.keys(marks);
  if (ids.length > 0) useStore.getState().canvas?.fit(ids.filter((id) => elementType(useStore.getState().doc, id) !== 'edge'));
}

export function closeComparison(): void {
  useHistory.getState().set({ diff: null, elsewhere: null, fields: {} });
  useStore.getState().setComparison(null);
}

/**
 * Makes a revision the current document, as one undoable edit that leaves the document
 * unsaved (saving it records a new revision). Unsaved changes are offered to be saved first,
 * as opening a file does.
 */
export async function restoreRevision(revision: number): Promise<boolean> {
  const path = useHistory.getState().path;
  if (!path) return false;
  if (!(await confirmReplace(`restoring revision ${revision}`))) return false;
  useHistory.getState().set({ working: true });
  try {
    const opened = await backend.revisionDocument(path, revision);
    // The user may have opened another file meanwhile: the revision belongs to this one.
    if (useStore.getState().path !== path) return false;
    closeComparison();
    useStore.getState().restoreDocument(opened.doc);
    useStore.getState().notify(`Restored revision ${revision} of ${fileName(path)}: save to keep it, or undo`);
    return true;
  } catch (error) {
    useStore.getState().notify(`Could not restore revision ${revision}: ${backendError(error).message}`, 'error');
    return false;
  } finally {
    useHistory.getState().set({ working: false });
  }
}
