// The real back end: Tauri commands of `src-tauri` over the Rust engine. This is the only
// module that calls `invoke`. Command names are snake_case, arguments camelCase. Besides the
// contract's eleven: `user_name` (the OS user, offered as the user's name), `author` and
// `set_author` (the name that signs triage decisions and revisions), `initial_model` (the model named on the
// command line), `set_dirty` (the shell's window-close guard), and the workspace's `history`,
// `compare_revisions` and `revision_document`, `rename_id` (an id renamed with its triage), and the
// fix plan's `plan` and `apply_plan_step` (the names and shapes of these two are defined here only).

import { invoke } from '@tauri-apps/api/core';
import type { Model } from '../model/types';
import type {
  Analysis,
  Backend,
  ExampleInfo,
  ExportFormat,
  Opened,
  Plan,
  Recovery,
  Renamed,
  Revision,
  RevisionDiff,
  Saved,
  Start,
} from '../backend';

interface RawRecovery {
  doc: Model;
  path: string | null;
  savedAt?: string | number;
  saved_at?: string | number;
}

function recoveryOf(raw: RawRecovery): Recovery {
  return { doc: raw.doc, path: raw.path ?? null, savedAt: raw.savedAt ?? raw.saved_at ?? '' };
}

declare global {
  interface Window {
    /** Set by the shell before the page's scripts run (`src-tauri/src/start.rs`). */
    __bartizanStart?: { recovery: RawRecovery | null; initial: Start['initial'] };
  }
}

/**
 * What the shell handed over with the page, once: the crash-recovery document, or the model
 * named on the command line with its analysis. Null outside the shell, after the first call,
 * and when the page was reloaded (what it carries is then out of date: the window's document
 * has moved on, and the shell keeps the model for nobody).
 */
export function takeStart(): Start | null {
  const start = typeof window === 'undefined' ? undefined : window.__bartizanStart;
  if (!start) return null;
  delete window.__bartizanStart;
  const navigation = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (navigation?.type === 'reload') return null;
  return { recovery: start.recovery ? recoveryOf(start.recovery) : null, initial: start.initial };
}

export function createTauriBackend(): Backend {
  let userName: Promise<string | null> | null = null;
  return {
    kind: 'tauri',
    examples: () => invoke<ExampleInfo[]>('examples'),
    loadExample: (id: string) => invoke<Opened>('load_example', { id }),
    openModel: () => invoke<Opened | null>('open_model'),
    openRecent: (path: string) => invoke<Opened>('open_recent', { path }),
    recentFiles: () => invoke<string[]>('recent_files'),
    saveModel: (doc: Model, path: string | null, saveAs: boolean) =>
      invoke<Saved | null>('save_model', { doc, path, saveAs }),
    // The document crosses as its JSON text, the raw request body, which the engine reads as
    // it is; the shell answers with the engine's JSON, which the webview parses once.
    analyze: (doc: Model) => invoke<Analysis>('analyze', new TextEncoder().encode(JSON.stringify(doc))),
    exportReport: (doc: Model, format: ExportFormat) =>
      invoke<string | null>('export_report', { doc, format }),
    autosave: (doc: Model, path: string | null) => invoke<void>('autosave', { doc, path }),
    recover: async () => {
      const raw = await invoke<RawRecovery | null>('recover');
      return raw ? recoveryOf(raw) : null;
    },
    discardRecovery: () => invoke<void>('discard_recovery'),
    userName: () => {
      userName ??= invoke<string | null>('user_name').catch(() => null);
      return userName;
    },
    author: () => invoke<string | null>('author'),
    setAuthor: (name: string) => invoke<string>('set_author', { name }),
    initialModel: () => invoke<Opened | null>('initial_model'),
    setDirty: (dirty: boolean) => invoke<void>('set_dirty', { dirty }),
    history: (path: string) => invoke<Revision[]>('history', { path }),
    compareRevisions: (path: string, from: number, to: number) =>
      invoke<RevisionDiff>('compare_revisions', { path, from, to }),
    revisionDocument: (path: string, revision: number) => invoke<Opened>('revision_document', { path, revision }),
    renameId: (doc: Model, old: string, to: string) => invoke<Renamed>('rename_id', { doc, old, new: to }),
    plan: (doc: Model) => invoke<Plan>('plan', { doc }),
    applyPlanStep: async (doc: Model, step: string) => {
      // The edited document, bare or as `{ doc }`.
      const applied = await invoke<Model | { doc: Model }>('apply_plan_step', { doc, step });
      return 'doc' in applied && !('nodes' in applied) ? applied.doc : (applied as Model);
    },
  };
}
