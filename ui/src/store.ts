/**
 * The app's one store (zustand): the model document and everything about editing it.
 *
 * The document is the truth; the canvas is derived from it. Every edit is a command that
 * replaces the document with a new one (unchanged parts shared), and the previous document
 * goes on the undo stack. A gesture (a drag, a resize) is one command however many steps it
 * takes. Selection, highlight, theme and findings are view state: never undone, never saved.
 * Renaming an id and applying a step of the fix plan ask the engine (it alone knows which
 * triage decisions are about the id, and what the plan's control changes), so they are the
 * asynchronous edits: each applies to the document it started from or not at all.
 */
import { create } from 'zustand';
import { backend, backendError, type Diagnostic, type Renamed } from './backend';
import { elkLayout } from './model/autolayout';
import * as edit from './model/document';
import {
  BOUNDARY_DEFAULT,
  BOUNDARY_HEADER,
  BOUNDARY_PADDING,
  completeLayout,
  containerAt,
  fullLayout,
  hasNoLayout,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeRect,
  unionRect,
} from './model/geometry';
import { edgeIdOf } from './model/ids';
import {
  boundaryContents,
  boundaryParents,
  elementType,
  findBoundary,
  findEdge,
  findNode,
  nodeHomes,
} from './model/structure';
import type {
  Boundary,
  Metadata,
  Model,
  ModelEdge,
  ModelNode,
  NodeKind,
  Position,
  Rect,
  Relation,
  Severity,
  TriageDecision,
} from './model/types';

export { edgeIdOf } from './model/ids';

/** How many documents undo keeps. */
export const HISTORY_LIMIT = 200;
/** How far each paste moves from the copied elements. */
export const PASTE_OFFSET = 40;

export interface Highlight {
  nodes: string[];
  edges: string[];
}

/**
 * What the canvas and the status bar need of a risk (`panels/risks.ts` makes them from the
 * report): a badge at `subjects[0]`, the risk's place. `rule` is the risk's kind.
 */
export interface FindingMarker {
  fingerprint: string;
  rule: string;
  severity: Severity;
  status?: string;
  /** In the baseline: not open, whatever its status. */
  baselined?: boolean;
  subjects: string[];
  title?: string;
}

/** The side panels that fold away, to give the canvas and the risks room. */
export type Foldable = 'palette' | 'inspector';

/** A field the inspector is asked to show and focus (a question's "Show in inspector"). */
export interface InspectorFocus {
  /** The node or edge id (it is selected too). */
  id: string;
  /** The control's test id, e.g. `field-properties.rotation_days`. */
  field: string;
  /** Changes with each request, so asking twice for the same field focuses it twice. */
  token: number;
}

export type Theme = 'light' | 'dark';

/** How an element differs between two compared revisions of the file. */
export type DiffMark = 'added' | 'removed' | 'changed';

/** Two revisions compared: the canvas marks the elements that differ (view state). */
export interface Comparison {
  /** What is compared, for the canvas legend: `revision 1 → revision 2`. */
  label: string;
  /** By element id (nodes, edges, boundaries), only for elements in the current document. */
  marks: Record<string, DiffMark>;
  /** How many elements differ that the current document does not have (listed in the panel). */
  offCanvas: number;
}

export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

/** What the canvas lends the store, so actions can move the viewport. */
export interface CanvasApi {
  /** The diagram point at the centre of the visible canvas. */
  centre(): Position;
  /** Frames the given ids (all when empty). */
  fit(ids?: string[]): void;
  zoomIn(): void;
  zoomOut(): void;
  /** Pans (keeping the zoom) so that a diagram box is in view, when it is not. */
  reveal(rect: Rect): void;
}

/** A connection waiting for its relation: the canvas shows the relation menu for it. */
export interface PendingConnect {
  from: string;
  to: string;
  /** Where to show the menu, in canvas pixels; near the target node when absent. */
  x?: number;
  y?: number;
}

export type TriageInput = Omit<TriageDecision, 'fingerprint'>;

export interface ReplaceOptions {
  /** Marks the document as having unsaved changes (e.g. a recovered autosave). */
  dirty?: boolean;
  /** The file did not read completely: the document is shown but cannot be edited or saved. */
  readOnly?: ReadOnly;
}

/**
 * Why the document is read-only: its file did not read completely (an edge with an unknown
 * relation, a wrong word), so the document lacks part of it, and saving would drop that part.
 */
export interface ReadOnly {
  /** The file's errors, at their lines. */
  errors: Diagnostic[];
}

export interface BartizanState {
  // --- document
  doc: Model;
  /** The file the document was opened from or saved to; null for a new document. */
  path: string | null;
  /** Unsaved changes: the document differs from the one last loaded or saved. */
  dirty: boolean;
  /** The document as last loaded or saved (dirty = doc !== savedDoc). */
  savedDoc: Model;
  /** Set while the document is read-only: every edit is refused (and saving, by the session). */
  readOnly: ReadOnly | null;
  past: Model[];
  future: Model[];
  canUndo: boolean;
  canRedo: boolean;
  // --- view state
  /** Selected ids: nodes, edges (see `edgeIdOf`) and boundaries share one namespace. */
  selection: string[];
  highlight: Highlight;
  theme: Theme;
  findings: FindingMarker[] | null;
  clipboard: edit.Clip | null;
  notice: Notice | null;
  helpOpen: boolean;
  layoutRunning: boolean;
  canvas: CanvasApi | null;
  /** The connection whose relation the user is choosing (the relation menu is open). */
  pendingConnect: PendingConnect | null;
  /** Two revisions being compared (the history panel): marks on the canvas. */
  comparison: Comparison | null;
  /** Which foldable panels are open; remembered for the session. */
  open: Record<Foldable, boolean>;
  inspectorFocus: InspectorFocus | null;

  // --- document lifecycle
  replaceDocument(doc: Model, path: string | null, options?: ReplaceOptions): void;
  newDocument(name?: string): void;
  markSaved(path: string | null, saved?: Model): void;
  /** Makes `doc` the document as one undoable edit (restoring a revision); it is then unsaved. */
  restoreDocument(doc: Model): void;
  // --- edits (each one undo step)
  addNode(kind: NodeKind, position?: Position): string;
  /** Changes a node's fields; its id changes only through `renameElement`. */
  updateNode(id: string, patch: Partial<Omit<ModelNode, 'id'>>): string | null;
  /**
   * Renames a node, edge or boundary everywhere it is referenced (edges, boundaries, layout, and
   * the triage decisions about its findings) as one undoable edit. Resolves to the new id, or
   * null when the rename was refused (the reason is shown as a notice).
   */
  renameElement(id: string, to: string): Promise<string | null>;
  connect(from: string, to: string, relation: Relation): string | null;
  /** Changes an edge's fields; its own id changes only through `renameElement`. */
  updateEdge(id: string, patch: Partial<Omit<ModelEdge, 'id'>>): string | null;
  addBoundary(rect?: Rect | Position, parent?: string): string;
  /** Changes a boundary's fields; its id changes only through `renameElement`. */
  updateBoundary(id: string, patch: Partial<Omit<Boundary, 'id'>>): string | null;
  updateMetadata(patch: Partial<Metadata>): void;
  setTriage(fingerprint: string, decision: TriageInput | null): void;
  deleteSelection(): void;
  deleteElements(ids: string[]): void;
  copySelection(): void;
  cut(): void;
  paste(): void;
  duplicate(): void;
  moveElements(moves: Record<string, Position>): void;
  nudge(dx: number, dy: number): void;
  resizeBoundary(id: string, rect: Rect): void;
  /** Puts each id (node or boundary) into the innermost boundary under it, after a drag. */
  dropElements(ids: string[]): void;
  setMembership(nodeIds: string[], boundaryId: string | null): void;
  autoLayout(): Promise<void>;
  /**
   * Applies one step of the fix plan: the engine edits the document (adds the gateway, replaces
   * the credential, …) and the result becomes the document as one undoable edit. Resolves to
   * whether it was applied (a refusal or failure is shown as a notice).
   */
  applyPlanStep(step: string, title?: string): Promise<boolean>;
  undo(): void;
  redo(): void;
  /** Starts a gesture: edits until `endGesture` become one undo step. */
  beginGesture(): void;
  endGesture(): void;
  // --- view
  select(ids: string[]): void;
  selectAll(): void;
  setHighlight(highlight: Highlight | null): void;
  focusElement(id: string): void;
  setFindings(findings: FindingMarker[] | null): void;
  setComparison(comparison: Comparison | null): void;
  setOpen(panel: Foldable, open: boolean): void;
  /** Selects the element, opens the inspector and focuses the field with that test id. */
  showInInspector(id: string, field: string): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  notify(text: string, kind?: Notice['kind']): void;
  dismissNotice(): void;
  setHelpOpen(open: boolean): void;
  /** Opens the relation menu for a connection from one node to another. */
  openConnect(from: string, to: string, at?: { x: number; y: number }): void;
  closeConnect(): void;
  /** With exactly two nodes selected, opens the relation menu from the first to the second. */
  connectSelected(): void;
  registerCanvas(api: CanvasApi | null): void;
}

const THEME_KEY = 'bartizan.theme';

function initialTheme(): Theme {
  try {
    const stored = globalThis.localStorage?.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
    if (globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches) return 'dark';
  } catch {
    // No storage (tests, locked-down webviews): the default will do.
  }
  return 'light';
}

const EMPTY_HIGHLIGHT: Highlight = { nodes: [], edges: [] };

const READ_ONLY_NOTICE = 'This file opened read-only: fix its errors in a text editor and reopen it to edit it.';

const OPEN_KEY = 'bartizan.panels';

/** The foldable panels as this session left them (all open at first). */
function initialOpen(): Record<Foldable, boolean> {
  const open = { palette: true, inspector: true };
  try {
    const stored = JSON.parse(globalThis.sessionStorage?.getItem(OPEN_KEY) ?? '{}') as Partial<Record<Foldable, unknown>>;
    for (const panel of ['palette', 'inspector'] as const) if (typeof stored[panel] === 'boolean') open[panel] = stored[panel];
  } catch {
    // Nothing remembered: all open.
  }
  return open;
}

let focusCounter = 0;

/** How many times a rename starts over when the document changed while the engine worked. */
const RENAME_ATTEMPTS = 3;

/** The ids that still name something in `doc`. */
function existing(doc: Model, ids: string[]): string[] {
  return ids.filter((id) => elementType(doc, id) !== undefined);
}

let noticeCounter = 0;
let layoutToken = 0;
/** Pastes since the last copy: each lands a little further from the original. */
let pasteCount = 0;

export const useStore = create<BartizanState>()((set, get) => {
  /** The gesture's starting document, while a gesture runs. */
  let gestureBase: Model | null = null;

  /** Makes `next` the document as one undoable command (or a step of the running gesture). */
  const commit = (next: Model, extra: Partial<BartizanState> = {}) => {
    const state = get();
    if (state.readOnly && next !== state.doc) {
      state.notify(READ_ONLY_NOTICE, 'error');
      return;
    }
    if (next === state.doc) {
      if (Object.keys(extra).length > 0) set(extra);
      return;
    }
    if (gestureBase) {
      set({ doc: next, dirty: next !== state.savedDoc, ...extra });
      return;
    }
    const past = [...state.past, state.doc].slice(-HISTORY_LIMIT);
    set({
      doc: next,
      past,
      future: [],
      canUndo: true,
      canRedo: false,
      dirty: next !== state.savedDoc,
      ...extra,
    });
  };

  /** Runs an edit that can fail; reports the failure as a notice and returns null. */
  const attempt = <T>(result: edit.Result<T>, extra?: (value: T) => Partial<BartizanState>): T | null => {
    if (!result.ok) {
      get().notify(result.error, 'error');
      return null;
    }
    commit(result.doc, extra?.(result.value));
    return result.value;
  };

  /** A free top-left corner near `wanted` (so repeated adds do not stack exactly). */
  const freeSpot = (doc: Model, wanted: Position): Position => {
    const taken = Object.values(fullLayout(doc).nodes);
    let spot = wanted;
    for (let i = 0; i < 50; i++) {
      if (!taken.some((p) => Math.abs(p.x - spot.x) < 8 && Math.abs(p.y - spot.y) < 8)) break;
      spot = { x: spot.x + 24, y: spot.y + 24 };
    }
    return spot;
  };

  /**
   * The free place nearest to `wanted` for a box of the given size: overlapping no node (and,
   * for a boundary, no boundary either).
   */
  const openSpot = (
    doc: Model,
    wanted: Position,
    size = { width: NODE_WIDTH, height: NODE_HEIGHT },
    avoidBoundaries = false,
  ): Position => {
    const full = fullLayout(doc);
    const taken: Rect[] = [
      ...Object.values(full.nodes).map(nodeRect),
      ...(avoidBoundaries ? Object.values(full.boundaries) : []),
    ];
    const gapX = size.width + 48;
    const gapY = size.height + 40;
    const free = (p: Position) =>
      !taken.some(
        (r) =>
          p.x < r.x + r.width + 24 &&
          r.x < p.x + size.width + 24 &&
          p.y < r.y + r.height + 24 &&
          r.y < p.y + size.height + 24,
      );
    const candidates: Position[] = [];
    for (let ring = 0; ring <= 6; ring++) {
      for (let i = -ring; i <= ring; i++) {
        for (let j = -ring; j <= ring; j++) {
          if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
          candidates.push({ x: wanted.x + i * gapX, y: wanted.y + j * gapY });
        }
      }
    }
    // Nearest first; among equals, to the right, then below (the way a diagram reads).
    const distance = (p: Position) => Math.hypot((p.x - wanted.x) / gapX, (p.y - wanted.y) / gapY);
    candidates.sort((a, b) => distance(a) - distance(b) || b.x - a.x || b.y - a.y);
    return candidates.find(free) ?? freeSpot(doc, wanted);
  };

  const centreSpot = (width: number, height: number): Position => {
    const centre = get().canvas?.centre() ?? { x: width / 2, y: height / 2 };
    return { x: Math.round(centre.x - width / 2), y: Math.round(centre.y - height / 2) };
  };

  const pasteFrom = (clip: edit.Clip, offset: number) => {
    const result = edit.pasteClip(get().doc, clip, { x: offset, y: offset });
    attempt(result, (ids) => ({ selection: ids }));
  };

  const loadedDocument = (doc: Model): Model => completeLayout(doc);

  return {
    doc: edit.emptyModel(),
    path: null,
    dirty: false,
    savedDoc: edit.emptyModel(),
    readOnly: null,
    past: [],
    future: [],
    canUndo: false,
    canRedo: false,
    selection: [],
    highlight: EMPTY_HIGHLIGHT,
    theme: initialTheme(),
    findings: null,
    clipboard: null,
    notice: null,
    helpOpen: false,
    layoutRunning: false,
    canvas: null,
    pendingConnect: null,
    comparison: null,
    open: initialOpen(),
    inspectorFocus: null,

    replaceDocument(doc, path, options = {}) {
      gestureBase = null;
      const needsLayout = hasNoLayout(doc) && doc.nodes.length > 0;
      const loaded = loadedDocument(doc);
      set({
        doc: loaded,
        savedDoc: options.dirty ? doc : loaded,
        dirty: !!options.dirty,
        readOnly: options.readOnly ?? null,
        path,
        past: [],
        future: [],
        canUndo: false,
        canRedo: false,
        selection: [],
        highlight: EMPTY_HIGHLIGHT,
        findings: null,
        pendingConnect: null,
        comparison: null,
      });
      const token = ++layoutToken;
      if (needsLayout) {
        // A file with no layout at all: lay it out properly, as part of loading it.
        set({ layoutRunning: true });
        void elkLayout(loaded)
          .then((places) => {
            if (token !== layoutToken || get().doc !== loaded) return;
            const placed = edit.setPlaces(loaded, places.nodes, places.boundaries);
            const wasSaved = get().savedDoc === loaded;
            set({ doc: placed, savedDoc: wasSaved ? placed : get().savedDoc, dirty: !wasSaved });
            get().canvas?.fit();
          })
          .catch((error: unknown) => get().notify(`Auto-layout failed: ${String(error)}`, 'error'))
          .finally(() => {
            if (token === layoutToken) set({ layoutRunning: false });
          });
      } else {
        set({ layoutRunning: false });
        queueMicrotask(() => get().canvas?.fit());
      }
    },

    newDocument(name) {
      get().replaceDocument(edit.emptyModel(name), null);
    },

    markSaved(path, saved) {
      const doc = saved ?? get().doc;
      set({ path, savedDoc: doc, dirty: get().doc !== doc });
    },

    restoreDocument(doc) {
      gestureBase = null;
      // Places for anything the revision left unplaced, so the canvas can draw all of it.
      const restored = completeLayout(doc);
      commit(restored, { selection: [], highlight: EMPTY_HIGHLIGHT, pendingConnect: null, comparison: null });
      queueMicrotask(() => get().canvas?.fit());
    },

    addNode(kind, position) {
      const doc = get().doc;
      const spot = position
        ? freeSpot(doc, position)
        : openSpot(doc, centreSpot(NODE_WIDTH, NODE_HEIGHT));
      const boundary = containerAt(doc, nodeRect(spot), 'node');
      const result = edit.addNode(doc, kind, spot, { boundary });
      const id = attempt(result, (id) => ({ selection: [id] })) ?? '';
      if (id && !position) get().canvas?.reveal(nodeRect(spot));
      return id;
    },

    updateNode(id, patch) {
      const selection = get().selection;
      return attempt(edit.updateNode(get().doc, id, patch), (newId) =>
        newId !== id ? { selection: selection.map((s) => (s === id ? newId : s)) } : {},
      );
    },

    async renameElement(id, to) {
      if (to === id) return id;
      for (let attempt = 0; attempt < RENAME_ATTEMPTS; attempt++) {
        const start = get().doc;
        // The same checks as the engine's, without the round trip; the result is also what is
        // applied when the engine cannot read the document.
        const local = findEdge(start, id) ? edit.updateEdge(start, id, { id: to }) : edit.renameElement(start, id, to);
        if (!local.ok) {
          get().notify(local.error, 'error');
          return null;
        }
        let renamed: Renamed;
        try {
          renamed = await backend.renameId(start, id, to);
        } catch (error) {
          const failure = backendError(error);
          if (get().doc !== start) continue;
          if (failure.code !== 'invalid-model') {
            get().notify(failure.message, 'error');
            return null;
          }
          renamed = { doc: local.doc, triage: 'untouched', moved: 0 };
        }
        // Edited while the engine worked: rename in the newer document instead.
        if (get().doc !== start) continue;
        const selection = get().selection.map((s) => (s === id ? local.value : s));
        commit(renamed.doc, { selection: existing(renamed.doc, selection) });
        if (renamed.triage === 'untouched' && (start.triage ?? []).length > 0) {
          get().notify(
            `Renamed \`${id}\` to \`${to}\`, but the model has errors, so its triage decisions were left as they were: fix the errors and rename again to carry them.`,
            'error',
          );
        }
        return local.value;
      }
      get().notify(`\`${id}\` was not renamed: the model kept changing. Try again.`, 'error');
      return null;
    },

    connect(from, to, relation) {
      return attempt(edit.connect(get().doc, from, to, relation), (id) => ({ selection: [id] }));
    },

    updateEdge(id, patch) {
      const selection = get().selection;
      return attempt(edit.updateEdge(get().doc, id, patch), (newId) =>
        newId !== id ? { selection: selection.map((s) => (s === id ? newId : s)) } : {},
      );
    },

    addBoundary(rect, parent) {
      const doc = get().doc;
      if (!rect) {
        // With nodes or boundaries selected: a boundary around them, holding them.
        const full = fullLayout(doc);
        const nodes = get().selection.filter((id) => findNode(doc, id));
        const boxes = get().selection.filter((id) => findBoundary(doc, id));
        const around = unionRect([
          ...nodes.map((id) => nodeRect(full.nodes[id])),
          ...boxes.map((id) => full.boundaries[id]),
        ]);
        if (around) {
          const box: Rect = {
            x: around.x - BOUNDARY_PADDING,
            y: around.y - BOUNDARY_PADDING - BOUNDARY_HEADER,
            width: around.width + BOUNDARY_PADDING * 2,
            height: around.height + BOUNDARY_PADDING * 2 + BOUNDARY_HEADER,
          };
          const exclude = new Set(boxes.flatMap((id) => [id, ...boundaryContents(doc, id).boundaries]));
          const container = parent ?? containerAt(doc, box, 'boundary', exclude);
          const result = edit.addBoundary(doc, box, { parent: container, members: nodes });
          if (!result.ok) {
            get().notify(result.error, 'error');
            return '';
          }
          let next = result.doc;
          for (const id of boxes) next = edit.setBoundaryParent(next, id, result.value);
          commit(next, { selection: [result.value] });
          return result.value;
        }
      }
      const size = { width: BOUNDARY_DEFAULT.width, height: BOUNDARY_DEFAULT.height };
      const box: Rect =
        rect && 'width' in rect
          ? rect
          : { ...(rect ?? openSpot(doc, centreSpot(size.width, size.height), size, true)), ...size };
      const container = parent ?? containerAt(doc, box, 'boundary');
      const result = edit.addBoundary(doc, box, { parent: container });
      const id = attempt(result, (id) => ({ selection: [id] })) ?? '';
      if (id && !rect) get().canvas?.reveal(box);
      return id;
    },

    updateBoundary(id, patch) {
      const selection = get().selection;
      return attempt(edit.updateBoundary(get().doc, id, patch), (newId) =>
        newId !== id ? { selection: selection.map((s) => (s === id ? newId : s)) } : {},
      );
    },

    updateMetadata(patch) {
      commit(edit.updateMetadata(get().doc, patch));
    },

    setTriage(fingerprint, decision) {
      commit(edit.setTriage(get().doc, fingerprint, decision));
    },

    deleteSelection() {
      get().deleteElements(get().selection);
    },

    deleteElements(ids) {
      if (ids.length === 0) return;
      const next = edit.deleteElements(get().doc, ids);
      const highlight = get().highlight;
      commit(next, {
        selection: existing(next, get().selection),
        highlight: {
          nodes: highlight.nodes.filter((id) => findNode(next, id)),
          edges: highlight.edges.filter((id) => findEdge(next, id)),
        },
      });
    },

    copySelection() {
      const clip = edit.extractClip(get().doc, get().selection);
      if (clip) set({ clipboard: clip });
      pasteCount = 0;
    },

    cut() {
      get().copySelection();
      get().deleteSelection();
      pasteCount = -1;
    },

    paste() {
      const clip = get().clipboard;
      if (!clip) return;
      pasteCount++;
      pasteFrom(clip, PASTE_OFFSET * pasteCount);
    },

    duplicate() {
      const clip = edit.extractClip(get().doc, get().selection);
      if (clip) pasteFrom(clip, PASTE_OFFSET);
    },

    moveElements(moves) {
      commit(edit.moveElements(get().doc, moves));
    },

    nudge(dx, dy) {
      const doc = get().doc;
      const full = fullLayout(doc);
      const moves: Record<string, Position> = {};
      for (const id of get().selection) {
        const p = full.nodes[id] ?? full.boundaries[id];
        if (p) moves[id] = { x: p.x + dx, y: p.y + dy };
      }
      if (Object.keys(moves).length > 0) commit(edit.moveElements(doc, moves));
    },

    resizeBoundary(id, rect) {
      commit(edit.resizeBoundary(get().doc, id, rect));
    },

    dropElements(ids) {
      let doc = get().doc;
      const parents = boundaryParents(doc);
      const homes = nodeHomes(doc);
      const moving = new Set(ids);
      for (const id of ids) {
        const full = fullLayout(doc);
        if (findNode(doc, id)) {
          // Carried along by a moving boundary: keeps its place in it.
          const home = homes.get(id);
          if (home && [...moving].some((m) => findBoundary(doc, m) && isWithin(doc, home, m))) continue;
          const target = containerAt(doc, nodeRect(full.nodes[id]), 'node');
          if (target !== home) doc = edit.setMembership(doc, [id], target ?? null);
        } else if (findBoundary(doc, id)) {
          const parent = parents.get(id);
          if (parent && moving.has(parent)) continue;
          const exclude = new Set([id, ...boundaryContents(doc, id).boundaries]);
          const target = containerAt(doc, full.boundaries[id], 'boundary', exclude);
          if (target !== parent) doc = edit.setBoundaryParent(doc, id, target ?? null);
        }
      }
      commit(doc);
    },

    setMembership(nodeIds, boundaryId) {
      commit(edit.setMembership(get().doc, nodeIds, boundaryId));
    },

    async autoLayout() {
      const start = get().doc;
      if (start.nodes.length === 0 && (start.boundaries ?? []).length === 0) return;
      set({ layoutRunning: true });
      try {
        const places = await elkLayout(start);
        const doc = get().doc;
        const nodes = Object.fromEntries(
          Object.entries(places.nodes).filter(([id]) => findNode(doc, id)),
        );
        const boxes = Object.fromEntries(
          Object.entries(places.boundaries).filter(([id]) => findBoundary(doc, id)),
        );
        commit(edit.setPlaces(doc, nodes, boxes));
        get().canvas?.fit();
      } catch (error) {
        get().notify(`Auto-layout failed: ${String(error)}`, 'error');
      } finally {
        set({ layoutRunning: false });
      }
    },

    async applyPlanStep(step, title) {
      const start = get().doc;
      if (get().readOnly) {
        get().notify(READ_ONLY_NOTICE, 'error');
        return false;
      }
      let applied: Model;
      try {
        applied = await backend.applyPlanStep(start, step);
      } catch (error) {
        get().notify(`The plan step was not applied: ${backendError(error).message}`, 'error');
        return false;
      }
      // Edited while the engine worked: the plan it came from is stale, so is the step.
      if (get().doc !== start) {
        get().notify('The plan step was not applied: the model changed meanwhile. Apply it again from the new plan.', 'error');
        return false;
      }
      // Places for what the step added (a gateway), so the canvas can draw it.
      const next = completeLayout(applied);
      commit(next, { selection: existing(next, get().selection), highlight: EMPTY_HIGHLIGHT });
      get().notify(`Applied${title ? ` “${title}”` : ' the plan step'}; undo with Ctrl+Z.`);
      return true;
    },

    undo() {
      const { past, future, doc, savedDoc, selection } = get();
      if (past.length === 0) return;
      gestureBase = null;
      const previous = past[past.length - 1];
      set({
        doc: previous,
        past: past.slice(0, -1),
        future: [doc, ...future],
        canUndo: past.length > 1,
        canRedo: true,
        dirty: previous !== savedDoc,
        selection: existing(previous, selection),
      });
    },

    redo() {
      const { past, future, doc, savedDoc, selection } = get();
      if (future.length === 0) return;
      gestureBase = null;
      const next = future[0];
      set({
        doc: next,
        past: [...past, doc].slice(-HISTORY_LIMIT),
        future: future.slice(1),
        canUndo: true,
        canRedo: future.length > 1,
        dirty: next !== savedDoc,
        selection: existing(next, selection),
      });
    },

    beginGesture() {
      if (!gestureBase) gestureBase = get().doc;
    },

    endGesture() {
      const base = gestureBase;
      gestureBase = null;
      if (!base) return;
      const { doc, past } = get();
      if (doc === base) return;
      set({
        past: [...past, base].slice(-HISTORY_LIMIT),
        future: [],
        canUndo: true,
        canRedo: false,
      });
    },

    select(ids) {
      const unique = [...new Set(ids)];
      const current = get().selection;
      if (unique.length === current.length && unique.every((id, i) => id === current[i])) return;
      set({ selection: unique });
    },

    selectAll() {
      const doc = get().doc;
      set({
        selection: [
          ...doc.nodes.map((n) => n.id),
          ...(doc.boundaries ?? []).map((b) => b.id),
          ...(doc.edges ?? []).map(edgeIdOf),
        ],
      });
    },

    setHighlight(highlight) {
      set({ highlight: highlight ?? EMPTY_HIGHLIGHT });
    },

    focusElement(id) {
      const doc = get().doc;
      if (!elementType(doc, id)) return;
      const edge = findEdge(doc, id);
      set({ selection: [id] });
      get().canvas?.fit(edge ? [edge.from, edge.to] : [id]);
    },

    setFindings(findings) {
      set({ findings });
    },

    setComparison(comparison) {
      set({ comparison });
    },

    setOpen(panel, open) {
      const next = { ...get().open, [panel]: open };
      try {
        globalThis.sessionStorage?.setItem(OPEN_KEY, JSON.stringify(next));
      } catch {
        // Not remembered; still applied.
      }
      set({ open: next });
    },

    showInInspector(id, field) {
      if (!elementType(get().doc, id)) return;
      if (!get().open.inspector) get().setOpen('inspector', true);
      get().focusElement(id);
      set({ inspectorFocus: { id, field, token: ++focusCounter } });
    },

    setTheme(theme) {
      try {
        globalThis.localStorage?.setItem(THEME_KEY, theme);
      } catch {
        // Not remembered; still applied.
      }
      set({ theme });
    },

    toggleTheme() {
      get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
    },

    notify(text, kind = 'info') {
      set({ notice: { id: ++noticeCounter, text, kind } });
    },

    dismissNotice() {
      set({ notice: null });
    },

    setHelpOpen(open) {
      set({ helpOpen: open });
    },

    openConnect(from, to, at) {
      const doc = get().doc;
      if (!findNode(doc, from) || !findNode(doc, to) || from === to) return;
      set({ pendingConnect: { from, to, ...at } });
    },

    closeConnect() {
      if (get().pendingConnect) set({ pendingConnect: null });
    },

    connectSelected() {
      const { doc, selection } = get();
      const nodes = selection.filter((id) => findNode(doc, id));
      if (nodes.length !== 2 || selection.length !== 2) {
        get().notify('Select exactly two nodes to connect: the source first, then the target.');
        return;
      }
      get().openConnect(nodes[0], nodes[1]);
    },

    registerCanvas(api) {
      set({ canvas: api });
    },
  };
});

/** Whether boundary `inner` is `outer` or lies inside it. */
function isWithin(doc: Model, inner: string, outer: string): boolean {
  const parents = boundaryParents(doc);
  for (let at: string | undefined = inner; at !== undefined; at = parents.get(at)) {
    if (at === outer) return true;
  }
  return false;
}

/** The selected node, edge or boundary when exactly one is selected (for the inspector). */
export function selectedElement(
  state: Pick<BartizanState, 'doc' | 'selection'>,
):
  | { type: 'node'; node: ModelNode }
  | { type: 'edge'; edge: ModelEdge; id: string }
  | { type: 'boundary'; boundary: Boundary }
  | null {
  if (state.selection.length !== 1) return null;
  const id = state.selection[0];
  const node = findNode(state.doc, id);
  if (node) return { type: 'node', node };
  const boundary = findBoundary(state.doc, id);
  if (boundary) return { type: 'boundary', boundary };
  const edge = findEdge(state.doc, id);
  if (edge) return { type: 'edge', edge, id };
  return null;
}
