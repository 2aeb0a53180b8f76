// The file side of the app: new from an example, open, open recent, save, save as, export,
// the unsaved-changes guard, autosave and crash recovery. Every call to the back end for files
// goes through here; the document itself lives in the store.

import { useEffect } from 'react';
import { create } from 'zustand';
import {
  backend,
  backendError,
  takeStart,
  type ExampleInfo,
  type ExportFormat,
  type Opened,
  type Recovery,
  type Start,
} from '../backend';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { primeAnalysis } from './analysis';
import { ask } from './Dialog';
import { signer } from './identity';

/** How often unsaved work is written to the app's data directory. */
export const AUTOSAVE_INTERVAL_MS = 5000;

interface SessionState {
  examples: ExampleInfo[];
  recent: string[];
  /** A file operation is running (buttons disable themselves). */
  busy: boolean;
}

export const useSession = create<SessionState>()(() => ({ examples: [], recent: [], busy: false }));

declare global {
  interface Window {
    /** Whether the document has unsaved changes, for the shell's window-close guard. */
    __bartizanDirty?: boolean;
    /**
     * Called by the shell when a model is opened from the file manager while the app runs
     * (macOS hands such files to the running app instead of starting another).
     */
    __bartizanOpenRequested?: () => void;
  }
}

function fail(what: string, error: unknown) {
  const e = backendError(error);
  useStore.getState().notify(`${what}: ${e.message}`, 'error');
}

/** The last part of a path, for people. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export async function refreshRecent(): Promise<void> {
  try {
    useSession.setState({ recent: await backend.recentFiles() });
  } catch {
    // Recent files are a convenience: the menu stays as it was.
  }
}

export async function loadExamples(): Promise<void> {
  try {
    useSession.setState({ examples: await backend.examples() });
  } catch (error) {
    fail('Could not list the examples', error);
  }
}

/** Runs a file operation with the busy flag up. */
async function busy<T>(work: () => Promise<T>): Promise<T> {
  useSession.setState({ busy: true });
  try {
    return await work();
  } finally {
    useSession.setState({ busy: false });
  }
}

/**
 * The unsaved-changes guard: true when the current document may be replaced (it is saved,
 * or the user saved it or chose to discard the changes), false when the user cancelled.
 */
export async function confirmReplace(action: string): Promise<boolean> {
  const { dirty, doc, path } = useStore.getState();
  if (!dirty) return true;
  const name = path ? fileName(path) : doc.metadata.name || 'This model';
  const choice = await ask({
    title: 'Unsaved changes',
    body: `“${name}” has changes that are not saved. Save them before ${action}?`,
    testId: 'unsaved-dialog',
    buttons: [
      { id: 'cancel', label: 'Cancel', testId: 'unsaved-cancel' },
      { id: 'discard', label: 'Don’t save', kind: 'danger', testId: 'unsaved-discard' },
      { id: 'save', label: 'Save', kind: 'primary', testId: 'unsaved-save' },
    ],
  });
  if (choice === 'save') return save();
  if (choice === 'discard') {
    await backend.discardRecovery().catch(() => undefined);
    return true;
  }
  return false;
}

/** What the read-only banner and notices say of a file that did not read completely. */
export function readOnlyMessage(errors: number): string {
  return `This file has ${errors} error${errors === 1 ? '' : 's'} and opened read-only; fix ${errors === 1 ? 'it' : 'them'} in a text editor and reopen`;
}

function openedWhat(result: Opened): string {
  return `Opened ${result.path ? fileName(result.path) : 'the model'}`;
}

function opened(result: Opened, what: string) {
  const store = useStore.getState();
  if (!result.complete) {
    // Part of the file could not be read, so the document lacks it: show it, never save it.
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    store.replaceDocument(result.doc, result.path, { readOnly: { errors } });
    store.notify(`${what}: ${readOnlyMessage(errors.length)}.`, 'error');
    return;
  }
  store.replaceDocument(result.doc, result.path);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length > 0) {
    store.notify(`${what} with ${warnings.length} warning${warnings.length > 1 ? 's' : ''}: ${warnings[0].message}`);
  }
}

export async function newFromExample(id: string): Promise<void> {
  if (!(await confirmReplace('opening an example'))) return;
  await busy(async () => {
    try {
      opened(await backend.loadExample(id), 'Opened the example');
    } catch (error) {
      fail('Could not open the example', error);
    }
  });
}

export async function newBlank(): Promise<void> {
  if (!(await confirmReplace('starting a new model'))) return;
  useStore.getState().newDocument();
}

export function openFile(): Promise<void> {
  return openWith(() => backend.openModel());
}

/** Opens the model `read` answers with (none when the user cancelled), once unsaved work is settled. */
async function openWith(read: () => Promise<Opened | null>): Promise<void> {
  if (!(await confirmReplace('opening another model'))) return;
  await busy(async () => {
    try {
      const result = await read();
      if (result) opened(result, openedWhat(result));
    } catch (error) {
      fail('Could not open the model', error);
    }
    await refreshRecent();
  });
}

export async function openRecentFile(path: string): Promise<void> {
  if (!(await confirmReplace('opening another model'))) return;
  await busy(async () => {
    try {
      opened(await backend.openRecent(path), `Opened ${fileName(path)}`);
    } catch (error) {
      fail(`Could not open ${fileName(path)}`, error);
    }
    await refreshRecent();
  });
}

/** Opens the read-only document's file again (after its errors were fixed in a text editor). */
export async function reopen(): Promise<void> {
  const { path } = useStore.getState();
  if (path) await openRecentFile(path);
}

async function write(saveAs: boolean): Promise<boolean> {
  const { readOnly } = useStore.getState();
  if (readOnly) {
    useStore.getState().notify(`Not saved: ${readOnlyMessage(readOnly.errors.length)}.`, 'error');
    return false;
  }
  return busy(async () => {
    const { doc, path } = useStore.getState();
    try {
      // The shell records the save as a revision signed with the user's name: ask for it the
      // first time. Cancelled, the file is still saved and the shell records no revision.
      await signer('Saving records a revision of the file in its history.');
      const saved = await backend.saveModel(doc, path, saveAs);
      if (!saved) return false;
      const written = saved.path;
      useStore.getState().markSaved(written, doc);
      // The file is saved either way; a revision the history could not record is only reported.
      if (saved.warning) useStore.getState().notify(`Saved ${fileName(written)}, but the history did not record it: ${saved.warning}`, 'error');
      else useStore.getState().notify(`Saved ${fileName(written)}${saved.revision !== null ? ` (revision ${saved.revision})` : ''}`);
      await backend.discardRecovery().catch(() => undefined);
      await refreshRecent();
      return true;
    } catch (error) {
      fail('Could not save', error);
      return false;
    }
  });
}

/** Saves to the current file (asking for one when there is none); true when written. */
export function save(): Promise<boolean> {
  return write(false);
}

export function saveAs(): Promise<boolean> {
  return write(true);
}

export async function exportReport(format: ExportFormat): Promise<string | null> {
  return busy(async () => {
    try {
      const written = await backend.exportReport(useStore.getState().doc, format);
      if (written) useStore.getState().notify(`Exported ${fileName(written)}`);
      return written;
    } catch (error) {
      fail('Could not export', error);
      return null;
    }
  });
}

/** `5 minutes ago`, `2 hours ago`, … with the local date and time. */
export function describeTime(savedAt: string | number, now = Date.now()): string {
  const date = new Date(savedAt);
  if (Number.isNaN(date.getTime())) return String(savedAt);
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  const ago =
    seconds < 60
      ? 'just now'
      : seconds < 3600
        ? `${Math.round(seconds / 60)} min ago`
        : seconds < 86400
          ? `${Math.round(seconds / 3600)} h ago`
          : `${Math.round(seconds / 86400)} days ago`;
  return `${date.toLocaleString()} (${ago})`;
}

let started = false;

/**
 * User-timing marks of the app's start, where `ui/e2e-tauri/live.perf.ts` splits a cold start:
 * the first render, the crash-recovery check answered, the model named on the command line read.
 */
export const START_MARKS = {
  firstRender: 'bartizan:first-render',
  recoveryChecked: 'bartizan:recovery-checked',
  modelRead: 'bartizan:model-read',
} as const;

/**
 * On start: offers to restore what an earlier session left unsaved; otherwise (or when the
 * user discards it) opens the model named on the command line, if any.
 */
export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  const start = takeStart();
  if (start?.initial && !start.recovery) {
    // Handed over with the page: in the store before the first render, which draws it.
    performance.mark(START_MARKS.recoveryChecked);
    performance.mark(START_MARKS.modelRead);
    openStarted(start.initial);
  } else {
    // Asked for: a model Finder handed over while the window started comes this way.
    if (await offerRecovery(start ? start.recovery : undefined)) return;
    performance.mark(START_MARKS.recoveryChecked);
    try {
      const initial = await backend.initialModel();
      performance.mark(START_MARKS.modelRead);
      if (initial) opened(initial, openedWhat(initial));
    } catch (error) {
      fail('Could not open the model', error);
    }
  }
  window.__bartizanOpenRequested = () => void openRequested();
  await refreshRecent();
}

/** The model the shell handed over with the page, and its analysis when it read completely. */
function openStarted(initial: NonNullable<Start['initial']>) {
  if ('error' in initial) {
    fail('Could not open the model', initial.error);
    return;
  }
  opened(initial.opened, openedWhat(initial.opened));
  if (initial.analysis && initial.opened.complete) primeAnalysis(useStore.getState().doc, initial.analysis);
}

/** A model handed over by the shell after the start: the file manager opened it in the app. */
function openRequested(): Promise<void> {
  return openWith(() => backend.initialModel());
}

/**
 * The crash-recovery prompt, for what the shell handed over at the start (null: nothing to
 * recover) or, when it handed over nothing, what the back end has; true when the earlier work
 * was restored.
 */
async function offerRecovery(handed: Recovery | null | undefined): Promise<boolean> {
  let recovery = handed;
  try {
    if (recovery === undefined) recovery = await backend.recover();
  } catch {
    return false;
  }
  if (!recovery) return false;
  const doc: Model = recovery.doc;
  const choice = await ask({
    title: 'Restore unsaved work?',
    body: `Restore unsaved work from ${describeTime(recovery.savedAt)}? “${doc.metadata?.name || 'Untitled model'}”${
      recovery.path ? ` (${fileName(recovery.path)})` : ''
    } was not saved when Bartizan last closed.`,
    testId: 'recovery-prompt',
    buttons: [
      { id: 'discard', label: 'Discard', kind: 'danger', testId: 'recovery-discard' },
      { id: 'restore', label: 'Restore', kind: 'primary', testId: 'recovery-restore' },
    ],
  });
  if (choice === 'restore') {
    useStore.getState().replaceDocument(doc, recovery.path, { dirty: true });
    useStore.getState().notify('Restored unsaved work');
    return true;
  }
  // Escape leaves the autosave where it is: the next start asks again.
  if (choice === 'discard') await backend.discardRecovery().catch(() => undefined);
  return false;
}

/**
 * While mounted: autosaves unsaved work every few seconds, drops the autosave once the work is
 * saved, publishes the dirty flag (to the shell's close guard, `window.__bartizanDirty`, the
 * page title), and on start offers an earlier session's unsaved work or opens the model named
 * on the command line.
 */
export function useFileSession(): void {
  useEffect(() => {
    performance.mark(START_MARKS.firstRender);
    void loadExamples();
    void refreshRecent();
    void startSession();
    let lastSaved: Model | null = null;
    let autosaved = false;
    const tick = () => {
      const { doc, path, dirty, readOnly } = useStore.getState();
      // A read-only document is never kept: restored after a crash, it could be saved.
      if (readOnly) return;
      if (dirty && doc !== lastSaved) {
        lastSaved = doc;
        autosaved = true;
        backend.autosave(doc, path).catch((error: unknown) => fail('Autosave failed', error));
      } else if (!dirty && autosaved) {
        autosaved = false;
        lastSaved = null;
        void backend.discardRecovery().catch(() => undefined);
      }
    };
    const timer = setInterval(tick, AUTOSAVE_INTERVAL_MS);
    let reported: boolean | null = null;
    const publish = () => {
      const { dirty, doc, path } = useStore.getState();
      window.__bartizanDirty = dirty;
      const name = path ? fileName(path) : doc.metadata.name || 'Untitled model';
      document.title = `${dirty ? '● ' : ''}${name} — Bartizan`;
      if (dirty !== reported) {
        // The shell's window-close guard asks before closing while this is true.
        reported = dirty;
        backend.setDirty(dirty).catch(() => undefined);
      }
    };
    publish();
    const unsubscribe = useStore.subscribe((state, previous) => {
      if (state.dirty !== previous.dirty || state.path !== previous.path || state.doc.metadata !== previous.doc.metadata) publish();
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, []);
}
