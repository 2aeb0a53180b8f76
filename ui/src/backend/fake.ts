// TEST DOUBLE. The back end the browser tests (and a plain browser tab) run against, with no
// Rust behind it. Examples and their analysis come from `src/generated/examples/*.json`, which
// `cargo test --test ui_fixtures` generates from `models/*.bartizan.yaml` with the real engine.
//
// `analyze` does NOT analyse anything: it returns the stored engine result (report version 2:
// risks and open questions) of the example the document came from, keeping only the risks
// whose place, facets and paths still exist in the document, dropping the questions the
// document now answers (the property is stated) and the risks a plan step applied to it closes,
// and applying the document's triage decisions by risk fingerprint. It exists so the UI can be
// exercised in a browser; what it shows for an edited document is not what the engine would
// report. Elements renamed since the example (same content, another id) keep their risks under
// the new ids, with the fingerprints the engine would give them.
//
// The fix plan comes from `src/generated/examples/<id>.plan.json` when the generator wrote
// one: either what the engine's `plan` returns, or `{ plan, applied }` where `applied` maps a
// step id to the document the engine's `apply_plan_step` gives for the example. Applying a step
// replays that document's changes (by element id) onto the current document. Without the file
// the fake has no plan and says so (`plan-unavailable`).
//
// Files, recent files, exports and the autosave live in `localStorage`, so a reload (a
// simulated crash) finds them again.
//
// The workspace's history is kept the same way: each save records a revision of that file
// (its document, the double's risks for it, counts and the delta against the revision
// before), and comparing two revisions diffs their risks by fingerprint and their elements
// by id in the engine's shapes (`bartizan::history`). Only files saved in this browser have a
// history; the content hash is the double's own, not SHA-256.
//
// A file that does not read completely can be put on the double's disk (`putIncompleteFile`):
// it opens with `complete: false` and its errors, and, as the shell does, the double then
// refuses to save or autosave over it until it is opened again complete.

import { renameElement, updateEdge } from '../model/document';
import { derivedEdgeId, edgeIdOf, takenIds } from '../model/ids';
import { findEdge, findNode } from '../model/structure';
import type { Model, ModelEdge } from '../model/types';
import { fingerprint } from './fingerprint';
import type {
  Analysis,
  Backend,
  Diagnostic,
  ExampleInfo,
  ExportFormat,
  Facet,
  FindingStatus,
  Opened,
  PathStep,
  Plan,
  Question,
  Recovery,
  Renamed,
  Report,
  Risk,
  ElementDiff,
  FieldChange,
  RiskRecord,
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
  import.meta.glob<ExampleFixture>(['../generated/examples/*.json', '!../generated/examples/*.plan.json'], { eager: true, import: 'default' }),
).sort((a, b) => a.id.localeCompare(b.id));

/** A generated plan fixture: the engine's plan, and for each step the example as the engine edits it. */
interface PlanFixture {
  plan: Plan;
  applied: Record<string, Model>;
}

const planFixtures = new Map<string, PlanFixture>(
  Object.entries(import.meta.glob<Plan | Partial<PlanFixture>>('../generated/examples/*.plan.json', { eager: true, import: 'default' })).map(
    ([file, content]) => {
      const id = file.replace(/^.*\//, '').replace(/\.plan\.json$/, '');
      const fixture: PlanFixture = 'steps' in content ? { plan: content as Plan, applied: {} } : { plan: content.plan ?? { steps: [] }, applied: content.applied ?? {} };
      return [id, fixture];
    },
  ),
);

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
  risks: RiskRecord[];
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
  /** How many times `analyze` was called (the panel analyses one document at a time, the latest). */
  analyzeCalls: number;
  /**
   * Diagnostics the next analyses report, to exercise inline validation (the double does not
   * validate). With an error among them the result is invalid and has no report, as the
   * engine's would be.
   */
  diagnostics: Diagnostic[];
  /**
   * Risks and questions the next analyses report instead of the example's (a list as long as a
   * large model's, to exercise the side panels); null: the example's.
   */
  reported: { risks?: Risk[]; questions?: Question[] } | null;
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

/** What a plan step changes in the example, by element id (the double replays it). */
export interface StepDelta {
  nodes: { put: Model['nodes']; removed: string[] };
  edges: { put: ModelEdge[]; removed: string[] };
  layout: NonNullable<Model['layout']>['nodes'];
}

export function stepDelta(example: Model, applied: Model): StepDelta {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const exampleNodes = new Map(example.nodes.map((n) => [n.id, n]));
  const exampleEdges = new Map((example.edges ?? []).map((e) => [edgeIdOf(e), e]));
  const appliedNodes = new Set(applied.nodes.map((n) => n.id));
  const appliedEdges = new Set((applied.edges ?? []).map(edgeIdOf));
  const added = applied.nodes.filter((n) => !exampleNodes.has(n.id)).map((n) => n.id);
  return {
    nodes: {
      put: applied.nodes.filter((n) => !same(n, exampleNodes.get(n.id))),
      removed: example.nodes.filter((n) => !appliedNodes.has(n.id)).map((n) => n.id),
    },
    edges: {
      put: (applied.edges ?? []).filter((e) => !same(e, exampleEdges.get(edgeIdOf(e)))),
      removed: (example.edges ?? []).filter((e) => !appliedEdges.has(edgeIdOf(e))).map(edgeIdOf),
    },
    layout: Object.fromEntries(Object.entries(applied.layout?.nodes ?? {}).filter(([id]) => added.includes(id))),
  };
}

/** Whether `doc` has the changes of a step (each changed element as the step left it). */
export function hasDelta(doc: Model, delta: StepDelta): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const edges = new Map((doc.edges ?? []).map((e) => [edgeIdOf(e), e]));
  return (
    delta.nodes.put.every((n) => same(findNode(doc, n.id), n)) &&
    delta.nodes.removed.every((id) => !findNode(doc, id)) &&
    delta.edges.put.every((e) => same(edges.get(edgeIdOf(e)), e)) &&
    delta.edges.removed.every((id) => !edges.has(id))
  );
}

/** `doc` with a step's changes made (elements put or removed by id). */
export function withDelta(doc: Model, delta: StepDelta): Model {
  const putNodes = new Map(delta.nodes.put.map((n) => [n.id, n]));
  const putEdges = new Map(delta.edges.put.map((e) => [edgeIdOf(e), e]));
  const nodes = doc.nodes.filter((n) => !delta.nodes.removed.includes(n.id)).map((n) => putNodes.get(n.id) ?? n);
  for (const node of delta.nodes.put) if (!nodes.some((n) => n.id === node.id)) nodes.push(node);
  const edges = (doc.edges ?? []).filter((e) => !delta.edges.removed.includes(edgeIdOf(e))).map((e) => putEdges.get(edgeIdOf(e)) ?? e);
  for (const edge of delta.edges.put) if (!edges.some((e) => edgeIdOf(e) === edgeIdOf(edge))) edges.push(edge);
  const layout = doc.layout ? { ...doc.layout, nodes: { ...doc.layout.nodes, ...delta.layout } } : undefined;
  return clone({ ...doc, nodes, edges, ...(layout ? { layout } : {}) });
}

/** The plan steps of the example `doc` came from that `doc` has applied. */
function appliedSteps(example: ExampleFixture, doc: Model): Plan['steps'] {
  const fixture = planFixtures.get(example.id);
  if (!fixture) return [];
  return fixture.plan.steps.filter((step) => {
    const applied = fixture.applied[step.id];
    return applied !== undefined && hasDelta(doc, stepDelta(example.doc, applied));
  });
}

/** Whether `doc` states the property a question asks about (the question is answered). */
function answered(doc: Model, question: Pick<Question, 'element' | 'property'>): boolean {
  const node = findNode(doc, question.element);
  if (node) return (node.properties as Record<string, unknown> | undefined)?.[question.property] !== undefined;
  const edge = findEdge(doc, question.element);
  return edge !== undefined && (edge as unknown as Record<string, unknown>)[question.property] !== undefined;
}

const severityRank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s);

/** TEST DOUBLE of `analyze_document`; see the comment at the top of this file. */
export function fakeAnalysis(doc: Model): Analysis {
  const example = closestExample(doc);
  const base: Report | null = example?.analysis.report ?? null;
  const present = takenIds(doc);
  const renames = example ? renamesSince(example.doc, doc) : new Map<string, string>();
  const resolve = (id: string) => renames.get(id) ?? id;
  const movePath = (path: PathStep[]): PathStep[] =>
    path.map((step) => ({ node: resolve(step.node), ...(step.hop ? { hop: { ...step.hop, edge: resolve(step.hop.edge) } } : {}) }));
  const pathExists = (path: PathStep[]) => path.every((step) => present.has(step.node) && (!step.hop || present.has(step.hop.edge)));
  // Titles name nodes by id: the engine would name the new one.
  const retitle = (title: string) => title.replace(/[A-Za-z0-9][A-Za-z0-9._:-]*/g, (word) => (renames.has(word) ? resolve(word) : word));
  const closed = new Set(example ? appliedSteps(example, doc).flatMap((step) => step.closes.map((ref) => (typeof ref === 'string' ? ref : ref.fingerprint))) : []);
  const risks: Risk[] = (base?.risks ?? [])
    .filter((r) => !closed.has(r.fingerprint))
    .map((r) => {
      const copy = clone(r);
      delete copy.triage;
      copy.status = 'open';
      copy.place = resolve(r.place);
      if (copy.place !== r.place) copy.fingerprint = fingerprint(r.fingerprint.split(':')[0], [copy.place]);
      copy.facets = r.facets
        .map((f): Facet => {
          const facet = clone(f);
          facet.subjects = f.subjects.map(resolve);
          facet.path = movePath(f.path);
          if (facet.subjects.some((id, i) => id !== f.subjects[i])) facet.fingerprint = fingerprint(f.rule, facet.subjects);
          facet.title = retitle(f.title);
          return facet;
        })
        .filter((f) => f.subjects.every((id) => present.has(id)) && pathExists(f.path));
      const shown = r.paths.map(movePath);
      copy.paths = shown.filter(pathExists);
      copy.path_count = Math.max(copy.paths.length, r.path_count - (shown.length - copy.paths.length));
      if (copy.facets.length < r.facets.length && copy.facets.length > 0) {
        copy.severity = copy.facets.reduce((worst, f) => (severityRank(f.severity) > severityRank(worst) ? f.severity : worst), copy.facets[0].severity);
      }
      return copy;
    })
    .filter((r) => present.has(r.place) && r.facets.length > 0);
  const questions: Question[] = (base?.questions ?? [])
    .map((q) => (renames.has(q.element) ? { ...clone(q), element: resolve(q.element), id: `${q.property}:${resolve(q.element)}` } : clone(q)))
    .filter((q) => present.has(q.element) && !answered(doc, q));
  const byFingerprint = new Map(risks.map((r) => [r.fingerprint, r]));
  const stale: Report['stale_triage'] = [];
  for (const decision of doc.triage ?? []) {
    const risk = byFingerprint.get(decision.fingerprint);
    if (!risk) {
      stale.push({ fingerprint: decision.fingerprint, rule: decision.rule ?? null, status: decision.status });
      continue;
    }
    risk.status = decision.status;
    risk.triage = {
      status: decision.status,
      ...(decision.justification ? { justification: decision.justification } : {}),
      ...(decision.by ? { by: decision.by } : {}),
      ...(decision.at ? { at: decision.at } : {}),
    };
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus: Partial<Record<FindingStatus, number>> = {};
  for (const r of risks) {
    bySeverity[r.severity] += 1;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  }
  const report: Report = {
    version: base?.version ?? 2,
    tool: base?.tool ?? { name: 'bartizan', version: 'fake' },
    model: {
      path: base?.model.path ?? 'untitled',
      name: doc.metadata?.name ?? '',
      content_hash: 'sha256:fake',
      nodes: (doc.nodes ?? []).length,
      edges: (doc.edges ?? []).length,
    },
    summary: {
      total: risks.length,
      actionable: risks.filter((r) => r.status === 'open' && !r.baselined).length,
      by_severity: bySeverity,
      by_status: byStatus,
      questions: questions.length,
    },
    risks,
    questions,
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

/** The risks a revision records, as the workspace keeps them (`RiskRecord`). */
function revisionRisks(doc: Model): RiskRecord[] {
  return (fakeAnalysis(doc).report?.risks ?? []).map((r) => ({
    fingerprint: r.fingerprint,
    kind: r.kind,
    place: r.place,
    title: r.title,
    severity: r.severity,
    status: r.status,
    ...(r.triage?.justification ? { justification: r.triage.justification } : {}),
  }));
}

/** Risks of `to` against `from`, by fingerprint, as the engine compares them. */
export function diffRisks(from: RiskRecord[], to: RiskRecord[]): RevisionDiff['risks'] {
  const before = new Map(from.map((f) => [f.fingerprint, f]));
  const after = new Set(to.map((f) => f.fingerprint));
  const changed: RevisionDiff['risks']['changed'] = [];
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
    const risks = revisionRisks(doc);
    const delta = diffRisks(previous?.risks ?? [], risks);
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const f of risks) counts[f.severity] += 1;
    const number = (previous?.revision.number ?? 0) + 1;
    const revision: Revision = {
      number,
      content_hash: hash,
      recorded_at: Math.floor(Date.now() / 1000),
      author,
      name: doc.metadata?.name ?? '',
      nodes: (doc.nodes ?? []).length,
      edges: (doc.edges ?? []).length,
      risks: counts,
      open: risks.filter((f) => f.status === 'open').length,
      delta: { added: delta.added.length, resolved: delta.resolved.length, changed: delta.changed.length },
    };
    write(WORKSPACE, { ...workspace(), [path]: [...revisions, { revision, doc: clone(doc), risks }] });
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
    reported: null,
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
      let analysis = fakeAnalysis(doc);
      if (controls.reported && analysis.report) {
        const { risks = analysis.report.risks, questions = analysis.report.questions } = clone(controls.reported);
        analysis = { ...analysis, report: { ...analysis.report, risks, questions } };
      }
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
        risks: diffRisks(older?.risks ?? [], newer.risks),
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
      // Triage is keyed by risk: a risk whose place is renamed gets a new fingerprint.
      const movedTo = new Map<string, string>();
      for (const r of fakeAnalysis(doc).report?.risks ?? []) {
        const place = ids.get(r.place);
        if (place) movedTo.set(r.fingerprint, fingerprint(r.fingerprint.split(':')[0], [place]));
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
    async plan(doc: Model): Promise<Plan> {
      await delay();
      const example = closestExample(doc);
      const fixture = example ? planFixtures.get(example.id) : undefined;
      if (!example || !fixture) {
        throw { code: 'plan-unavailable', message: 'the test double has no plan for this model (no generated plan fixture)' };
      }
      // As the engine would plan again: steps already applied, or with nothing left to close, drop out.
      const done = new Set(appliedSteps(example, doc).map((step) => step.id));
      const open = new Set((fakeAnalysis(doc).report?.risks ?? []).filter((r) => r.status === 'open').map((r) => r.fingerprint));
      const steps = fixture.plan.steps.filter(
        (step) => !done.has(step.id) && step.closes.some((ref) => open.has(typeof ref === 'string' ? ref : ref.fingerprint)),
      );
      return { ...clone(fixture.plan), steps: clone(steps) };
    },
    async applyPlanStep(doc: Model, step: string): Promise<Model> {
      await delay();
      const example = closestExample(doc);
      const applied = example ? planFixtures.get(example.id)?.applied[step] : undefined;
      if (!example || !applied) {
        throw { code: 'plan-unavailable', message: `the test double cannot apply step ${step}: its plan fixture has no result for it` };
      }
      return withDelta(doc, stepDelta(example.doc, applied));
    },
    async revisionDocument(path: string, revision: number): Promise<Opened> {
      await delay();
      return { path, doc: clone(revisionOf(path, revision).doc), diagnostics: [], complete: true };
    },
  };
}
