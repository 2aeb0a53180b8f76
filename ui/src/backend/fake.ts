// TEST DOUBLE. The back end the browser tests (and a plain browser tab) run against, with no
// Rust behind it. Examples and their analysis come from `src/generated/examples/*.json`, which
// `cargo test --test ui_fixtures` generates from `models/*.bartizan.yaml` with the real engine.
//
// `analyze` does NOT analyse anything: it returns the stored engine result of the example the
// document came from, keeping only the findings whose subjects and path still exist in the
// document, and applying the document's triage decisions by fingerprint. It exists so the UI
// can be exercised in a browser; the findings it shows for an edited document are not what
// the engine would report. Elements renamed since the example (same content, another id) keep
// their findings under the new ids, with the fingerprints the engine would give them. Files, recent files, exports and the autosave live in
// `localStorage`, so a reload (a simulated crash) finds them again.
//
// The workspace's history is kept the same way: each save records a revision of that file
// (its document, the double's findings for it, counts and the delta against the revision
// before), and comparing two revisions diffs their findings by fingerprint and their elements
// by id in the engine's shapes (`bartizan::history`). Only files saved in this browser have a
// history; the content hash is the double's own, not SHA-256.
//
// A file that does not read completely can be put on the double's disk (`putIncompleteFile`):
// it opens with `complete: false` and its errors, and, as the shell does, the double then
// refuses to save or autosave over it until it is opened again complete.

import { renameElement, updateEdge } from '../model/document';
import { derivedEdgeId, edgeIdOf, takenIds } from '../model/ids';
import { findEdge } from '../model/structure';
import type { Model } from '../model/types';
import { fingerprint } from './fingerprint';
import type {
  Analysis,
  Backend,
  Diagnostic,
  ExampleInfo,
  ExportFormat,
  Finding,
  FindingStatus,
  Opened,
  Recovery,
  Renamed,
  Report,
  ElementDiff,
  FieldChange,
  FindingRecord,
  Revision,
  RevisionDiff,
  Saved,
  Severity,
} from '../backend';

interface ExampleFixture {
  id: string;
  name: string;
  description?: string | null;
  doc: Model;
  analysis: Analysis;
}

const fixtures: ExampleFixture[] = Object.values(
  import.meta.glob<ExampleFixture>('../generated/examples/*.json', { eager: true, import: 'default' }),
).sort((a, b) => a.id.localeCompare(b.id));

/** Where the fake keeps what the real back end keeps on disk. */
interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

function storage(): KeyValue {
  try {
    const ls = globalThis.localStorage;
    if (ls) {
      return {
        get: (k) => ls.getItem(k),
        set: (k, v) => ls.setItem(k, v),
        remove: (k) => ls.removeItem(k),
      };
    }
  } catch {
    // localStorage may be denied; fall through to memory.
  }
  const memory = new Map<string, string>();
  return {
    get: (k) => memory.get(k) ?? null,
    set: (k, v) => void memory.set(k, v),
    remove: (k) => void memory.delete(k),
  };
}

const PREFIX = 'bartizan-fake:';
const FILES = `${PREFIX}files`;
const RECENT = `${PREFIX}recent`;
const AUTOSAVE = `${PREFIX}autosave`;
const LAST_SAVED = `${PREFIX}last-saved`;
const WORKSPACE = `${PREFIX}workspace`;
const INCOMPLETE = `${PREFIX}incomplete`;
const AUTHOR = `${PREFIX}author`;

/** A revision as the double's workspace keeps it. */
interface StoredRevision {
  revision: Revision;
  doc: Model;
  findings: FindingRecord[];
}

/** What the browser tests can inspect and steer (the fake's "disk" and "dialogs"). */
export interface FakeControls {
  /** The path the next save dialog answers with; cleared after use. */
  nextSavePath: string | null;
  /** Whether the next open/save/export dialog is cancelled. */
  cancelNextDialog: boolean;
  /** Files written by save, by path (JSON text of the document). */
  files(): Record<string, Model>;
  /** Exports written, in order. */
  exports: { format: ExportFormat; path: string; doc: Model }[];
  /** How many times `analyze` was called (the panel debounces edits). */
  analyzeCalls: number;
  /**
   * Diagnostics the next analyses report, to exercise inline validation (the double does not
   * validate). With an error among them the result is invalid and has no report, as the
   * engine's would be.
   */
  diagnostics: Diagnostic[];
  /** The last unsaved-changes state the UI reported (`setDirty`). */
  dirty: boolean;
  /** What `initialModel` answers with once (the real shell: the model on the command line). */
  initialExample: string | null;
  /** When set, saving still writes the file but recording the revision fails with this message. */
  workspaceError: string | null;
  /**
   * Puts a file that does not read completely at `path`: `doc` is what reading it gives (without
   * what it could not read) and `errors` what the engine says of it. The open dialog answers
   * with it next, as it would with a saved file.
   */
  putIncompleteFile(path: string, doc: Model, errors: Diagnostic[]): void;
  /** Puts a file that reads completely at `path` (a file fixed in a text editor). */
  putFile(path: string, doc: Model): void;
  /** What `userName` answers (the OS user's name); null: the OS gives none. */
  osUserName: string | null;
  /** Sets (or, with null, forgets) the name that signs, as if the user had set it before. */
  presetAuthor(name: string | null): void;
}

declare global {
  interface Window {
    __bartizanFake?: FakeControls;
  }
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The example the document most likely came from: the most node ids in common. */
function closestExample(doc: Model): ExampleFixture | null {
  const nodes = new Set((doc.nodes ?? []).map((n) => n.id));
  let best: ExampleFixture | null = null;
  let bestScore = 0;
  for (const fixture of fixtures) {
    const common = (fixture.doc.nodes ?? []).filter((n) => nodes.has(n.id)).length;
    const score = common / Math.max(1, (fixture.doc.nodes ?? []).length + nodes.size - common);
    if (score > bestScore) {
      best = fixture;
      bestScore = score;
    }
  }
  return best;
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * The ids of `example` that `doc` has renamed, old → new: a node or boundary the document no
 * longer has, whose content (everything but the id) one new element has; and the ids edges
 * derive from renamed ends.
 */
function renamesSince(example: Model, doc: Model): Map<string, string> {
  const renames = new Map<string, string>();
  const present = takenIds(doc);
  const original = takenIds(example);
  const content = (element: { id?: string; members?: string[]; parent?: string }) =>
    JSON.stringify({ ...element, id: undefined, members: undefined, parent: undefined });
  const match = <T extends { id: string }>(before: T[], after: T[]) => {
    const added = after.filter((e) => !original.has(e.id));
    for (const element of before) {
      if (present.has(element.id)) continue;
      const same = added.filter((e) => content(e) === content(element));
      if (same.length === 1) renames.set(element.id, same[0].id);
    }
  };
  match(example.nodes, doc.nodes);
  match(example.boundaries ?? [], doc.boundaries ?? []);
  const resolve = (id: string) => renames.get(id) ?? id;
  for (const edge of example.edges ?? []) {
    const id = edgeIdOf(edge);
    if (present.has(id)) continue;
    const moved = (doc.edges ?? []).find(
      (e) => e.from === resolve(edge.from) && e.to === resolve(edge.to) && e.relation === edge.relation,
    );
    if (moved) renames.set(id, edgeIdOf(moved));
  }
  return renames;
}

/** TEST DOUBLE of `analyze_document`; see the comment at the top of this file. */
export function fakeAnalysis(doc: Model): Analysis {
  const example = closestExample(doc);
  const base: Report | null = example?.analysis.report ?? null;
  const present = takenIds(doc);
  const renames = example ? renamesSince(example.doc, doc) : new Map<string, string>();
  const resolve = (id: string) => renames.get(id) ?? id;
  const findings: Finding[] = (base?.findings ?? [])
    .map((f) => {
      const copy = clone(f);
      delete copy.triage;
      copy.status = 'open';
      if (renames.size === 0) return copy;
      copy.subjects = f.subjects.map(resolve);
      copy.path = f.path.map((step) => ({
        node: resolve(step.node),
        ...(step.hop ? { hop: { ...step.hop, edge: resolve(step.hop.edge) } } : {}),
      }));
      if (copy.subjects.some((id, i) => id !== f.subjects[i])) copy.fingerprint = fingerprint(f.rule, copy.subjects);
      // Titles name nodes by id: the engine would name the new one.
      copy.title = f.title.replace(/[A-Za-z0-9][A-Za-z0-9._:-]*/g, (word) => (renames.has(word) ? resolve(word) : word));
      return copy;
    })
    .filter((f) => f.subjects.every((id) => present.has(id)))
    .filter((f) => f.path.every((step) => present.has(step.node) && (!step.hop || present.has(step.hop.edge))));
  const byFingerprint = new Map(findings.map((f) => [f.fingerprint, f]));
  const stale: Report['stale_triage'] = [];
  for (const decision of doc.triage ?? []) {
    const finding = byFingerprint.get(decision.fingerprint);
    if (!finding) {
      stale.push({ fingerprint: decision.fingerprint, rule: decision.rule ?? null, status: decision.status });
      continue;
    }
    finding.status = decision.status;
    finding.triage = {
      status: decision.status,
      ...(decision.justification ? { justification: decision.justification } : {}),
      ...(decision.by ? { by: decision.by } : {}),
      ...(decision.at ? { at: decision.at } : {}),
    };
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus: Partial<Record<FindingStatus, number>> = {};
  for (const f of findings) {
    bySeverity[f.severity] += 1;
    byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
  }
  const report: Report = {
    version: base?.version ?? 1,
    tool: base?.tool ?? { name: 'bartizan', version: 'fake' },
    model: {
      path: base?.model.path ?? 'untitled',
      name: doc.metadata?.name ?? '',
      content_hash: 'sha256:fake',
      nodes: (doc.nodes ?? []).length,
      edges: (doc.edges ?? []).length,
    },
    summary: {
      total: findings.length,
      actionable: findings.filter((f) => f.status === 'open').length,
      by_severity: bySeverity,
      by_status: byStatus,
    },
    findings,
    stale_triage: stale,
  };
  return { valid: true, diagnostics: [], report };
}

/** A content hash for the double (not SHA-256: FNV-1a twice, enough to tell revisions apart). */
function fakeHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x811c9dc5) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `sha256:${hex(a)}${hex(b)}${hex(a ^ b)}${hex((a + b) >>> 0)}`;
}

function revisionFindings(doc: Model): FindingRecord[] {
  return (fakeAnalysis(doc).report?.findings ?? []).map((f) => ({
    fingerprint: f.fingerprint,
    rule: f.rule,
    severity: f.severity,
    status: f.status,
    ...(f.triage?.justification ? { justification: f.triage.justification } : {}),
    title: f.title,
    subjects: f.subjects,
  }));
}

/** Findings of `to` against `from`, by fingerprint, as the engine compares them. */
export function diffFindings(from: FindingRecord[], to: FindingRecord[]): RevisionDiff['findings'] {
  const before = new Map(from.map((f) => [f.fingerprint, f]));
  const after = new Set(to.map((f) => f.fingerprint));
  const changed: RevisionDiff['findings']['changed'] = [];
  for (const f of to) {
    const old = before.get(f.fingerprint);
    if (!old) continue;
    const fields = (['severity', 'status', 'justification', 'title'] as const).filter((k) => old[k] !== f[k]);
    if (fields.length > 0) changed.push({ fields: [...fields], before: old, after: f });
  }
  return {
    added: to.filter((f) => !before.has(f.fingerprint)),
    resolved: from.filter((f) => !after.has(f.fingerprint)),
    changed,
  };
}

/** `{ a: { b: 1 } }` → `a.b: 1`: the engine names changed fields this way. */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value) && (Object.keys(value).length > 0 || prefix === '')) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const old = flatten(before);
  const now = flatten(after);
  return [...new Set([...old.keys(), ...now.keys()])]
    .sort()
    .filter((field) => old.get(field) !== now.get(field))
    .map((field) => ({
      field,
      before: old.has(field) ? JSON.parse(old.get(field)!) : null,
      after: now.has(field) ? JSON.parse(now.get(field)!) : null,
    }));
}

function diffById(from: Map<string, unknown>, to: Map<string, unknown>): ElementDiff {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    added: [...to.keys()].filter((id) => !from.has(id)).sort(),
    removed: [...from.keys()].filter((id) => !to.has(id)).sort(),
    changed: [...to.keys()]
      .filter((id) => from.has(id) && !same(from.get(id), to.get(id)))
      .sort()
      .map((id) => ({ id, fields: fieldChanges(from.get(id), to.get(id)) })),
  };
}

/** Nodes, edges, boundaries and triage decisions of `to` against `from`, by id. */
export function diffElements(from: Model, to: Model): RevisionDiff['elements'] {
  const byId = <T>(items: T[] | undefined, id: (item: T) => string) => new Map<string, unknown>((items ?? []).map((item) => [id(item), item]));
  return {
    metadata: fieldChanges(from.metadata ?? {}, to.metadata ?? {}),
    nodes: diffById(byId(from.nodes, (n) => n.id), byId(to.nodes, (n) => n.id)),
    edges: diffById(byId(from.edges, edgeIdOf), byId(to.edges, edgeIdOf)),
    boundaries: diffById(byId(from.boundaries, (b) => b.id), byId(to.boundaries, (b) => b.id)),
    triage: diffById(byId(from.triage, (d) => d.fingerprint), byId(to.triage, (d) => d.fingerprint)),
    layout_changed: JSON.stringify(from.layout ?? null) !== JSON.stringify(to.layout ?? null),
  };
}

const EMPTY_MODEL: Model = { bartizan: 1, metadata: { name: '' }, nodes: [] };

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}

let latestControls: FakeControls | null = null;

/** The controls of the double made last (what `window.__bartizanFake` is in a page), for unit tests. */
export function fakeControls(): FakeControls | null {
  return latestControls;
}

export function createFakeBackend(): Backend {
  const store = storage();
  const read = <T>(key: string, fallback: T): T => {
    const text = store.get(key);
    if (text === null) return fallback;
    try {
      return JSON.parse(text) as T;
    } catch {
      return fallback;
    }
  };
  const write = (key: string, value: unknown) => store.set(key, JSON.stringify(value));
  const files = () => read<Record<string, Model>>(FILES, {});
  const workspace = () => read<Record<string, StoredRevision[]>>(WORKSPACE, {});
  const revisionsOf = (path: string): StoredRevision[] => workspace()[path] ?? [];
  const revisionOf = (path: string, number: number): StoredRevision => {
    const stored = revisionsOf(path).find((r) => r.revision.number === number);
    if (!stored) throw { code: 'unknown-revision', message: `${path} has no revision ${number}`, path };
    return stored;
  };
  const record = (path: string, doc: Model): number => {
    if (controls.workspaceError) throw new Error(controls.workspaceError);
    // As the shell: a revision is signed with the name the user set, or not recorded.
    const author = store.get(AUTHOR);
    if (!author) throw new Error('nobody to sign the revision: set your name (Your name…) and save again');
    const revisions = revisionsOf(path);
    const previous = revisions[revisions.length - 1];
    const hash = fakeHash(JSON.stringify(doc));
    // Saving the same text again records nothing new.
    if (previous && previous.revision.content_hash === hash) return previous.revision.number;
    const findings = revisionFindings(doc);
    const delta = diffFindings(previous?.findings ?? [], findings);
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const f of findings) counts[f.severity] += 1;
    const number = (previous?.revision.number ?? 0) + 1;
    const revision: Revision = {
      number,
      content_hash: hash,
      recorded_at: Math.floor(Date.now() / 1000),
      author,
      name: doc.metadata?.name ?? '',
      nodes: (doc.nodes ?? []).length,
      edges: (doc.edges ?? []).length,
      findings: counts,
      open: findings.filter((f) => f.status === 'open').length,
      delta: { added: delta.added.length, resolved: delta.resolved.length, changed: delta.changed.length },
    };
    write(WORKSPACE, { ...workspace(), [path]: [...revisions, { revision, doc: clone(doc), findings }] });
    return number;
  };
  /** The errors of each file that does not read completely (what the engine would say). */
  const incompleteFiles = () => read<Record<string, Diagnostic[]>>(INCOMPLETE, {});
  /** As the shell's session: files whose last open did not read completely are not written over. */
  const openedIncomplete = new Set<string>();
  const open = (path: string, doc: Model): Opened => {
    const errors = incompleteFiles()[path];
    if (errors) openedIncomplete.add(path);
    else openedIncomplete.delete(path);
    remember(path);
    return { path, doc: clone(doc), diagnostics: clone(errors ?? []), complete: !errors };
  };
  const checkWritable = (path: string) => {
    if (openedIncomplete.has(path)) {
      throw {
        code: 'read-only',
        message: `${path} did not read completely when it was opened (it has errors), so the document lacks part of it and writing it there would lose that part; fix the errors in a text editor and reopen the file`,
        path,
      };
    }
  };
  const remember = (path: string) => {
    const recent = read<string[]>(RECENT, []).filter((p) => p !== path);
    recent.unshift(path);
    write(RECENT, recent.slice(0, 10));
  };
  const controls: FakeControls = {
    nextSavePath: null,
    cancelNextDialog: false,
    files,
    exports: [],
    analyzeCalls: 0,
    diagnostics: [],
    dirty: false,
    workspaceError: null,
    putIncompleteFile(path, doc, errors) {
      write(FILES, { ...files(), [path]: clone(doc) });
      write(INCOMPLETE, { ...incompleteFiles(), [path]: clone(errors) });
      store.set(LAST_SAVED, path);
    },
    osUserName: null,
    presetAuthor(name) {
      if (name) store.set(AUTHOR, name);
      else store.remove(AUTHOR);
    },
    putFile(path, doc) {
      write(FILES, { ...files(), [path]: clone(doc) });
      const { [path]: _fixed, ...stillIncomplete } = incompleteFiles();
      write(INCOMPLETE, stillIncomplete);
    },
    // `?example=<id>` in the page's address plays the part of the command line's model.
    initialExample: typeof location !== 'undefined' ? new URLSearchParams(location.search).get('example') : null,
  };
  if (typeof window !== 'undefined') window.__bartizanFake = controls;
  latestControls = controls;
  const dialogCancelled = () => {
    const cancelled = controls.cancelNextDialog;
    controls.cancelNextDialog = false;
    return cancelled;
  };
  const delay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

  return {
    kind: 'fake',
    async examples(): Promise<ExampleInfo[]> {
      return fixtures.map(({ id, name, description }) => ({ id, name, description }));
    },
    async loadExample(id: string): Promise<Opened> {
      const fixture = fixtures.find((f) => f.id === id);
      if (!fixture) throw { code: 'unknown-example', message: `no example called ${id}` };
      return { path: null, doc: clone(fixture.doc), diagnostics: [], complete: true };
    },
    async openModel(): Promise<Opened | null> {
      // Like the real window's test seam: the open "dialog" answers with the last saved file.
      if (dialogCancelled()) return null;
      const path = store.get(LAST_SAVED);
      const doc = path ? files()[path] : undefined;
      if (!path || !doc) return null;
      return open(path, doc);
    },
    async openRecent(path: string): Promise<Opened> {
      const doc = files()[path];
      if (!doc) throw { code: 'not-found', message: `${path} no longer exists`, path };
      return open(path, doc);
    },
    async recentFiles(): Promise<string[]> {
      return read<string[]>(RECENT, []);
    },
    async saveModel(doc: Model, path: string | null, saveAs: boolean): Promise<Saved | null> {
      await delay();
      let target = path;
      if (!target || saveAs) {
        if (dialogCancelled()) return null;
        target = controls.nextSavePath ?? `/home/me/models/${slug(doc.metadata?.name ?? '')}.bartizan.yaml`;
        controls.nextSavePath = null;
      }
      checkWritable(target);
      write(FILES, { ...files(), [target]: clone(doc) });
      const { [target]: _written, ...stillIncomplete } = incompleteFiles();
      write(INCOMPLETE, stillIncomplete);
      store.set(LAST_SAVED, target);
      remember(target);
      try {
        return { path: target, revision: record(target, doc), warning: null };
      } catch (error) {
        return { path: target, revision: null, warning: `the revision was not recorded: ${String((error as Error).message ?? error)}` };
      }
    },
    async analyze(doc: Model): Promise<Analysis> {
      controls.analyzeCalls += 1;
      await delay();
      const analysis = fakeAnalysis(doc);
      if (controls.diagnostics.length === 0) return analysis;
      const valid = !controls.diagnostics.some((d) => d.severity === 'error');
      return { valid, diagnostics: clone(controls.diagnostics), report: valid ? analysis.report : null };
    },
    async exportReport(doc: Model, format: ExportFormat): Promise<string | null> {
      if (dialogCancelled()) return null;
      const extension = { json: 'json', sarif: 'sarif', csv: 'csv', md: 'md', pdf: 'pdf' }[format];
      const path = `/home/me/reports/${slug(doc.metadata?.name ?? '')}.${extension}`;
      controls.exports.push({ format, path, doc: clone(doc) });
      return path;
    },
    async autosave(doc: Model, path: string | null): Promise<void> {
      if (path) checkWritable(path);
      write(AUTOSAVE, { doc, path, savedAt: new Date().toISOString() } satisfies Recovery);
    },
    async recover(): Promise<Recovery | null> {
      return read<Recovery | null>(AUTOSAVE, null);
    },
    async discardRecovery(): Promise<void> {
      store.remove(AUTOSAVE);
    },
    async userName(): Promise<string | null> {
      return controls.osUserName;
    },
    async author(): Promise<string | null> {
      return store.get(AUTHOR);
    },
    async setAuthor(name: string): Promise<string> {
      // The shell's rule (`appdata::clean_author`): trimmed, one space inside, 1 to 100 characters.
      const cleaned = name.split(/\s+/).filter(Boolean).join(' ');
      // eslint-disable-next-line no-control-regex
      if (!cleaned || [...cleaned].length > 100 || /[\u0000-\u001f\u007f-\u009f]/.test(cleaned)) {
        throw { code: 'invalid-name', message: 'a name that signs decisions is 1 to 100 characters, without control characters' };
      }
      store.set(AUTHOR, cleaned);
      return cleaned;
    },
    async initialModel(): Promise<Opened | null> {
      const id = controls.initialExample;
      controls.initialExample = null;
      return id ? this.loadExample(id) : null;
    },
    async setDirty(dirty: boolean): Promise<void> {
      controls.dirty = dirty;
    },
    async history(path: string): Promise<Revision[]> {
      await delay();
      return revisionsOf(path).map((r) => clone(r.revision));
    },
    async compareRevisions(path: string, from: number, to: number): Promise<RevisionDiff> {
      await delay();
      const older = from >= 1 ? revisionOf(path, from) : null;
      const newer = revisionOf(path, to);
      return {
        model: path,
        from: older ? clone(older.revision) : null,
        to: clone(newer.revision),
        findings: diffFindings(older?.findings ?? [], newer.findings),
        elements: diffElements(older?.doc ?? EMPTY_MODEL, newer.doc),
      };
    },
    async renameId(doc: Model, old: string, to: string): Promise<Renamed> {
      await delay();
      const renamed = findEdge(doc, old) ? updateEdge(doc, old, { id: to }) : renameElement(doc, old, to);
      if (!renamed.ok) throw { code: 'invalid-rename', message: renamed.error };
      // The ids that change: the one asked for, and those edges derive from a renamed end.
      const ids = new Map([[old, to]]);
      for (const edge of doc.edges ?? []) {
        if (edge.id || (edge.from !== old && edge.to !== old)) continue;
        const swap = (id: string) => (id === old ? to : id);
        ids.set(edgeIdOf(edge), derivedEdgeId(swap(edge.from), edge.relation, swap(edge.to)));
      }
      if (controls.diagnostics.some((d) => d.severity === 'error')) {
        return { doc: renamed.doc, triage: 'untouched', moved: 0 };
      }
      const movedTo = new Map<string, string>();
      for (const f of fakeAnalysis(doc).report?.findings ?? []) {
        if (f.subjects.some((id) => ids.has(id))) {
          movedTo.set(f.fingerprint, fingerprint(f.rule, f.subjects.map((id) => ids.get(id) ?? id)));
        }
      }
      let moved = 0;
      const triage = (renamed.doc.triage ?? []).map((decision) => {
        const next = movedTo.get(decision.fingerprint);
        if (!next) return decision;
        moved += 1;
        return { ...decision, fingerprint: next };
      });
      const result = renamed.doc.triage ? { ...renamed.doc, triage } : renamed.doc;
      return { doc: result, triage: 'carried', moved };
    },
    async revisionDocument(path: string, revision: number): Promise<Opened> {
      await delay();
      return { path, doc: clone(revisionOf(path, revision).doc), diagnostics: [], complete: true };
    },
  };
}
