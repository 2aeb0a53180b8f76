// The one seam between the UI and the Rust engine (GitButler's pattern): every call the app
// makes to the back end goes through the `Backend` interface below. `backend/tauri.ts` is the
// only implementation that calls Tauri's `invoke`; `backend/fake.ts` is the test double the
// browser tests run against (`?backend=fake`, `VITE_BACKEND=fake`, or any page outside Tauri).

import { createTauriBackend } from './backend/tauri';

export { takeStart } from './backend/tauri';
import type { Model, Severity, TriageStatus } from './model/types';

export type { Severity };
export type FindingStatus = TriageStatus;

/** A problem with the document, as the engine reports it (`src/diagnostic.rs`). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** Field path into the document, e.g. `nodes[3].properties.ttl`. */
  path?: string;
  line?: number;
  column?: number;
  help?: string;
  related?: { message: string; path?: string | null; line?: number; column?: number }[];
}


export interface Hop {
  edge: string;
  relation: string;
  reversed: boolean;
  reason: string;
}

export interface PathStep {
  node: string;
  hop?: Hop;
  /** How many nodes of a long path were left out just before this step. */
  elided?: number;
}

export interface Factor {
  kind: string;
  effect: number;
  detail: string;
}

export interface Reference {
  framework: string;
  id: string;
  title: string;
}

/** The risk a check's finding contributes to (`bartizan::risks::RiskKind`). */
export type RiskKind = 'ungated_actions' | 'credential' | 'tool_supply' | 'context_integrity' | 'oversight';

/** A property a check read although the model leaves it unstated, and how it read it. */
export interface Assumption {
  element: string;
  property: string;
  reading: string;
  decisive?: boolean;
}

/** Who decided about a risk, and how (a triage decision as the report shows it). */
export interface AppliedTriage {
  status: FindingStatus;
  justification?: string;
  by?: string;
  at?: string;
}

/** One check firing at a risk's place: the finding of report version 1, now a facet of a risk. */
export interface Facet {
  rule: string;
  rule_title: string;
  title: string;
  subjects: string[];
  path: PathStep[];
  other_paths: number;
  evidence?: string[];
  severity: Severity;
  factors?: Factor[];
  assumptions?: Assumption[];
  fingerprint: string;
  location?: { line: number; column: number };
}

/**
 * A risk (report version 2, `docs/findings-json.md`): one control missing at one place, with
 * every check that fires there as a facet. Triage decisions are keyed by its fingerprint.
 */
export interface Risk {
  /** `BTZ-RISK-ACT:` and 16 hex digits over the kind and the place. */
  fingerprint: string;
  kind: RiskKind;
  kind_label: string;
  /** The node whose calls, credential, tools or content the fix changes. */
  place: string;
  place_name: string;
  /** What is wrong, in the names people drew. */
  title: string;
  severity: Severity;
  /** Why it is critical, when it is. */
  critical?: string;
  priority: { impact: number; exposed: boolean; paths: number };
  remediation: string;
  /** Unstated properties the verdict leans on. */
  assumed?: Assumption[];
  /** The shortest few paths, shortest first. */
  paths: PathStep[][];
  /** How many paths the risk affects (at least `paths.length`). */
  path_count: number;
  facets: Facet[];
  references: Reference[];
  status: FindingStatus;
  triage?: AppliedTriage;
  baselined?: boolean;
  location?: { line: number; column: number };
}

/** A finding that holds only under the cautious reading of an unstated property. */
export interface PendingFinding {
  rule: string;
  title: string;
}

/** An open question about a property the model leaves unstated (`bartizan::risks::Question`). */
export interface Question {
  /** `property:element`, stable while the element keeps its id. */
  id: string;
  /** The node or edge id. */
  element: string;
  /** The node's name, or the edge as "From → To". */
  element_name: string;
  /** The property as written in the model file (`rotation_days`, `permissions`). */
  property: string;
  text: string;
  /** How the checks read it until it is answered. */
  reading: string;
  rules: string[];
  /** Findings that answering decides. */
  pending?: PendingFinding[];
  location?: { line: number; column: number };
}

export interface StaleDecision {
  fingerprint: string;
  rule?: string | null;
  status: FindingStatus;
}

/** The engine's report, version 2: risks and open questions. */
export interface Report {
  version: number;
  tool: { name: string; version: string };
  model: { path: string; name: string; revision?: string; content_hash: string; nodes: number; edges: number };
  summary: {
    total: number;
    actionable: number;
    by_severity: Record<Severity, number>;
    by_status: Partial<Record<FindingStatus, number>>;
    questions: number;
  };
  risks: Risk[];
  questions: Question[];
  stale_triage: StaleDecision[];
}

/**
 * One step of the fix plan (`bartizan plan`): a control that closes risks, found by applying it
 * to a copy of the model and re-running the checks. `closes` and `opens` name risks by
 * fingerprint (or as risks, which the app reads by their fingerprint).
 */
export interface PlanStep {
  id: string;
  title: string;
  /** What the step changes in the model, for people. */
  edit?: string;
  closes: (string | PlanRiskRef)[];
  opens?: (string | PlanRiskRef)[];
  /** Severity-weighted risk closed. */
  weight: number;
}

/** A risk as a plan step may name it. */
export interface PlanRiskRef {
  fingerprint: string;
  title?: string;
  severity?: Severity;
}

/** The fix plan: the smallest set of controls that closes the most risk, in order. */
export interface Plan {
  steps: PlanStep[];
}

/** What `analyze` returns: `bartizan::analysis::analyze_document`. */
export interface Analysis {
  valid: boolean;
  diagnostics: Diagnostic[];
  report: Report | null;
}

export interface ExampleInfo {
  id: string;
  name: string;
  description?: string | null;
}

export interface Opened {
  path: string | null;
  doc: Model;
  diagnostics: Diagnostic[];
  /**
   * Whether the document holds the whole file. When not, reading skipped what it could not
   * read (an edge with an unknown relation, a wrong word): the document opens read-only and
   * the shell refuses to write it over its file.
   */
  complete: boolean;
}

export interface Recovery {
  doc: Model;
  path: string | null;
  /** When the autosave was written (RFC 3339 or milliseconds since the epoch). */
  savedAt: string | number;
}

/**
 * What the shell hands the page at its start (`takeStart`): the crash-recovery document, or
 * else the model named on the command line (`initial`: read, with the engine's analysis of it
 * when it read completely; or why it could not be read). The first render draws it.
 */
export interface Start {
  recovery: Recovery | null;
  initial: { opened: Opened; analysis: Analysis | null } | { error: BackendError } | null;
}

export type ExportFormat = 'json' | 'sarif' | 'csv' | 'md' | 'pdf';

/**
 * What saving wrote: the path, and the revision the workspace recorded for it. Recording is
 * not part of saving: when it fails the file is still saved, `revision` is null and `warning`
 * says what went wrong.
 */
export interface Saved {
  path: string;
  revision: number | null;
  warning: string | null;
}

/** How a revision's risks differ from the revision before it (by fingerprint). */
export interface RisksDelta {
  added: number;
  resolved: number;
  changed: number;
}

/** One recorded save of a model file (`bartizan::history::Revision`). */
export interface Revision {
  /** 1, 2, 3… per file, in the order recorded. */
  number: number;
  /** `sha256:…` of the file's text. */
  content_hash: string;
  /** When it was recorded, in seconds since the Unix epoch. */
  recorded_at: number;
  author: string;
  /** The model's name at this revision. */
  name: string;
  nodes: number;
  edges: number;
  /** The risks at this revision, by severity (triaged ones included). */
  risks: Record<Severity, number>;
  /** How many of them are open. */
  open: number;
  /** Against the previous revision; for the first, every risk is added. */
  delta: RisksDelta;
}

/** A risk as the workspace keeps it with a revision (`bartizan::history::RiskRecord`). */
export interface RiskRecord {
  fingerprint: string;
  /** `ungated_actions`, `credential`… */
  kind: string;
  /** The node the risk is placed at. */
  place: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  justification?: string;
}

/** A risk in both revisions whose severity, status, justification or title differ. */
export interface RiskChange {
  fields: string[];
  before: RiskRecord;
  after: RiskRecord;
}

export interface FieldChange {
  /** A field path inside the element, e.g. `properties.lifetime`. */
  field: string;
  before: unknown;
  after: unknown;
}

/** Elements of one sort (nodes, edges, boundaries, triage decisions) compared by id. */
export interface ElementDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: FieldChange[] }[];
}

/** Two revisions compared (`bartizan::history::Diff`): risks by fingerprint, elements by id. */
export interface RevisionDiff {
  /** The file, as the workspace knows it (canonical, absolute). */
  model: string;
  /** The older side; null compares with nothing (everything is added). */
  from: Revision | null;
  to: Revision;
  risks: { added: RiskRecord[]; resolved: RiskRecord[]; changed: RiskChange[] };
  elements: {
    metadata: FieldChange[];
    nodes: ElementDiff;
    edges: ElementDiff;
    boundaries: ElementDiff;
    triage: ElementDiff;
    layout_changed: boolean;
  };
}

/**
 * What renaming an id gave (`bartizan::analysis::rename_in_document`): the document with the id
 * renamed everywhere; whether the triage decisions followed (`untouched` when the model has
 * errors, so no check could tell which decision is about the id); how many got a new fingerprint.
 */
export interface Renamed {
  doc: Model;
  triage: 'carried' | 'untouched';
  moved: number;
}

/** Errors from the back end: `{ code, message, path? }`. */
export interface BackendError {
  code: string;
  message: string;
  path?: string | null;
}

export interface Backend {
  /** `tauri` or `fake`: which implementation answers. */
  readonly kind: 'tauri' | 'fake';
  examples(): Promise<ExampleInfo[]>;
  loadExample(id: string): Promise<Opened>;
  /** Native open dialog; null when cancelled. */
  openModel(): Promise<Opened | null>;
  /** Only paths the user opened or saved before. */
  openRecent(path: string): Promise<Opened>;
  recentFiles(): Promise<string[]>;
  /**
   * Saves, and records the save as a revision in the workspace. Shows a dialog when `path` is
   * null or `saveAs`; null if cancelled.
   */
  saveModel(doc: Model, path: string | null, saveAs: boolean): Promise<Saved | null>;
  analyze(doc: Model): Promise<Analysis>;
  /** Save dialog; returns the path written or null when cancelled. */
  exportReport(doc: Model, format: ExportFormat): Promise<string | null>;
  /** Writes the document to the app data dir, atomically. */
  autosave(doc: Model, path: string | null): Promise<void>;
  /** What an earlier session left unsaved, or null. */
  recover(): Promise<Recovery | null>;
  discardRecovery(): Promise<void>;
  /** The OS user's name, offered when the app first asks for the user's name; null when unknown. */
  userName(): Promise<string | null>;
  /**
   * The name that signs triage decisions (`by`) and recorded revisions: the app's preference,
   * kept by the shell; null until the user sets one.
   */
  author(): Promise<string | null>;
  /** Sets the name that signs; resolves with it as kept (trimmed), rejects an unusable one. */
  setAuthor(name: string): Promise<string>;
  /** The model named on the command line, once; null after that or when none was. */
  initialModel(): Promise<Opened | null>;
  /** Tells the shell whether there are unsaved changes (its window-close guard asks then). */
  setDirty(dirty: boolean): Promise<void>;
  /** The recorded revisions of a file the user opened or saved, oldest first. */
  history(path: string): Promise<Revision[]>;
  /** Revision `from` of a file compared with revision `to`. */
  compareRevisions(path: string, from: number, to: number): Promise<RevisionDiff>;
  /** A revision's model, read the way opening a file reads it. */
  revisionDocument(path: string, revision: number): Promise<Opened>;
  /**
   * The document with the node, edge or boundary `old` renamed to `to` everywhere it is
   * referenced: edges, boundaries, layout, and the triage decisions about its findings.
   */
  renameId(doc: Model, old: string, to: string): Promise<Renamed>;
  /**
   * The fix plan for the document (the engine re-runs the checks for each candidate control).
   * Rejects with code `plan-unavailable` when there is none to give.
   */
  plan(doc: Model): Promise<Plan>;
  /** The document with one plan step's control applied (what `bartizan plan` would change). */
  applyPlanStep(doc: Model, step: string): Promise<Model>;
}

/** Turns whatever a back-end call threw into `{ code, message }`. */
export function backendError(error: unknown): BackendError {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { code?: unknown; message?: unknown; path?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : 'error',
      message: String(e.message),
      path: typeof e.path === 'string' ? e.path : null,
    };
  }
  return { code: 'error', message: String(error) };
}

/** Whether the page runs inside the Tauri shell. */
export function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Which implementation to use: the fake when asked for, or outside Tauri. */
export function chooseBackendKind(): 'tauri' | 'fake' {
  const params = typeof location !== 'undefined' ? new URLSearchParams(location.search) : null;
  const asked = params?.get('backend') ?? import.meta.env.VITE_BACKEND;
  if (asked === 'fake') return 'fake';
  if (asked === 'tauri') return 'tauri';
  return insideTauri() ? 'tauri' : 'fake';
}

let loading: Promise<Backend> | null = null;
/** The implementation once it has loaded. */
let loaded: Backend | null = null;

/**
 * The implementation, made on first use. The fake and its fixtures are loaded then, staying out
 * of the app's main chunk; the Tauri one is a few lines in it, so that starting the app fetches
 * no other chunk before its first call.
 */
export function loadBackend(): Promise<Backend> {
  if (!loading) {
    if (chooseBackendKind() === 'fake') {
      loading = import('./backend/fake').then((m) => (loaded = m.createFakeBackend()));
    } else {
      loaded = createTauriBackend();
      loading = Promise.resolve(loaded);
    }
  }
  return loading;
}

/** The back end the app talks to: each call waits for the implementation to load. */
export const backend: Omit<Backend, 'kind'> = {
  examples: () => loadBackend().then((b) => b.examples()),
  loadExample: (id) => loadBackend().then((b) => b.loadExample(id)),
  openModel: () => loadBackend().then((b) => b.openModel()),
  openRecent: (path) => loadBackend().then((b) => b.openRecent(path)),
  recentFiles: () => loadBackend().then((b) => b.recentFiles()),
  saveModel: (doc, path, saveAs) => loadBackend().then((b) => b.saveModel(doc, path, saveAs)),
  // Once loaded, straight through: the live analysis sends the document inside the edit's own
  // call, before React renders it, and a `then` would wait for that render.
  analyze: (doc) => (loaded ? loaded.analyze(doc) : loadBackend().then((b) => b.analyze(doc))),
  exportReport: (doc, format) => loadBackend().then((b) => b.exportReport(doc, format)),
  autosave: (doc, path) => loadBackend().then((b) => b.autosave(doc, path)),
  recover: () => loadBackend().then((b) => b.recover()),
  discardRecovery: () => loadBackend().then((b) => b.discardRecovery()),
  userName: () => loadBackend().then((b) => b.userName()),
  author: () => loadBackend().then((b) => b.author()),
  setAuthor: (name) => loadBackend().then((b) => b.setAuthor(name)),
  initialModel: () => loadBackend().then((b) => b.initialModel()),
  setDirty: (dirty) => loadBackend().then((b) => b.setDirty(dirty)),
  history: (path) => loadBackend().then((b) => b.history(path)),
  compareRevisions: (path, from, to) => loadBackend().then((b) => b.compareRevisions(path, from, to)),
  revisionDocument: (path, revision) => loadBackend().then((b) => b.revisionDocument(path, revision)),
  renameId: (doc, old, to) => loadBackend().then((b) => b.renameId(doc, old, to)),
  plan: (doc) => loadBackend().then((b) => b.plan(doc)),
  applyPlanStep: (doc, step) => loadBackend().then((b) => b.applyPlanStep(doc, step)),
};
