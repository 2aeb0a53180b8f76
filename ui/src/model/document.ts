/**
 * Pure edits of the model document: each takes a document and returns a new one (unchanged
 * parts shared), so the store can keep earlier documents for undo. Nothing here touches React.
 */
import {
  BOUNDARY_DEFAULT,
  fullLayout,
  NODE_HEIGHT,
  NODE_WIDTH,
  normaliseLayout,
} from './geometry';
import { derivedEdgeId, edgeIdOf, freeId, isValidId, nextNumberedId, takenIds } from './ids';
import {
  boundaryContents,
  boundaryParents,
  findBoundary,
  findEdge,
  findNode,
  isSelfOrAncestor,
  nodeHomes,
} from './structure';
import type {
  Boundary,
  Layout,
  Metadata,
  Model,
  ModelEdge,
  ModelNode,
  NodeKind,
  NodeProperties,
  Position,
  Rect,
  Relation,
  TriageDecision,
  Zone,
} from './types';
import { EDGE_FIELDS, edgeFieldApplies, isValidRelation, KINDS } from './vocabulary';

export type Result<T> = { ok: true; doc: Model; value: T } | { ok: false; error: string };

function ok<T>(doc: Model, value: T): Result<T> {
  return { ok: true, doc, value };
}
function fail<T>(error: string): Result<T> {
  return { ok: false, error };
}

export function emptyModel(name = 'Untitled model'): Model {
  return { bartizan: 1, metadata: { name }, nodes: [] };
}

/**
 * Applies a patch: keys whose value is `undefined` (or `null`) are removed, so that the
 * document never carries empty optional fields the engine would not write.
 */
export function applyPatch<T extends object>(target: T, patch: Partial<T>): T {
  const out = { ...target } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null) delete out[key];
    else out[key] = value;
  }
  return out as T;
}

/** Drops properties that state nothing: undefined, null, empty strings and empty lists. */
export function cleanProperties(properties: Record<string, unknown>): NodeProperties | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? (out as NodeProperties) : undefined;
}

function withLayout(doc: Model, layout: Layout): Model {
  const normalised = normaliseLayout(layout);
  const next = { ...doc };
  if (normalised) next.layout = normalised;
  else delete next.layout;
  return next;
}

function withList<K extends 'edges' | 'boundaries' | 'triage'>(
  doc: Model,
  key: K,
  list: NonNullable<Model[K]>,
): Model {
  const next = { ...doc };
  if (list.length > 0) next[key] = list;
  else delete next[key];
  return next;
}

function kindTitle(kind: NodeKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Nodes

export interface NewNodeOptions {
  id?: string;
  name?: string;
  /** The boundary to put the node in. */
  boundary?: string;
}

export function addNode(
  doc: Model,
  kind: NodeKind,
  position: Position,
  options: NewNodeOptions = {},
): Result<string> {
  if (!KINDS.some((k) => k.word === kind)) return fail(`unknown kind \`${kind}\``);
  const taken = takenIds(doc);
  const id = options.id ? freeId(options.id, taken) : nextNumberedId(kind, taken);
  const number = /-(\d+)$/.exec(id)?.[1];
  const node: ModelNode = {
    id,
    kind,
    name: options.name ?? `${kindTitle(kind)}${number ? ` ${number}` : ''}`,
  };
  let next: Model = { ...doc, nodes: [...doc.nodes, node] };
  next = withLayout(next, {
    ...next.layout,
    nodes: { ...next.layout?.nodes, [id]: { x: position.x, y: position.y } },
  });
  if (options.boundary && findBoundary(next, options.boundary)) {
    next = setMembership(next, [id], options.boundary);
  }
  return ok(next, id);
}

/**
 * Changes a node. `patch.properties` replaces the properties (cleaned of empty values);
 * `patch.kind` resets them; `patch.id` renames the node everywhere it is referenced.
 */
export function updateNode(doc: Model, id: string, patch: Partial<ModelNode>): Result<string> {
  const node = findNode(doc, id);
  if (!node) return fail(`no node has the id \`${id}\``);
  let current = doc;
  let currentId = id;
  if (patch.id !== undefined && patch.id !== id) {
    const renamed = renameElement(doc, id, patch.id);
    if (!renamed.ok) return renamed;
    current = renamed.doc;
    currentId = patch.id;
  }
  const rest: Partial<ModelNode> = { ...patch };
  delete rest.id;
  if (rest.kind !== undefined && rest.kind !== node.kind && !('properties' in rest)) {
    rest.properties = undefined;
  }
  if ('properties' in rest) {
    rest.properties = rest.properties
      ? cleanProperties(rest.properties as Record<string, unknown>)
      : undefined;
  }
  if ('description' in rest && rest.description === '') rest.description = undefined;
  const nodes = current.nodes.map((n) => (n.id === currentId ? applyPatch(n, rest) : n));
  return ok({ ...current, nodes }, currentId);
}

/** Renames a node or a boundary (an edge: see `updateEdge`), keeping every reference. */
export function renameElement(doc: Model, from: string, to: string): Result<string> {
  if (from === to) return ok(doc, to);
  if (!isValidId(to)) {
    return fail(
      `\`${to}\` is not a valid id: 1 to 128 letters, digits, \`.\`, \`_\`, \`:\` or \`-\`, starting with a letter or digit`,
    );
  }
  if (takenIds(doc).has(to)) return fail(`the id \`${to}\` is already used`);
  const swap = (id: string) => (id === from ? to : id);
  if (findNode(doc, from)) {
    let next: Model = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    };
    if (doc.edges) {
      next.edges = doc.edges.map((e) =>
        e.from === from || e.to === from ? { ...e, from: swap(e.from), to: swap(e.to) } : e,
      );
    }
    if (doc.boundaries) {
      next.boundaries = doc.boundaries.map((b) =>
        b.members?.includes(from) ? { ...b, members: b.members.map(swap) } : b,
      );
    }
    const position = doc.layout?.nodes?.[from];
    if (position) {
      const nodes = { ...doc.layout?.nodes };
      delete nodes[from];
      nodes[to] = position;
      next = withLayout(next, { ...doc.layout, nodes });
    }
    return ok(next, to);
  }
  if (findBoundary(doc, from)) {
    let next: Model = {
      ...doc,
      boundaries: (doc.boundaries ?? []).map((b) => {
        const renamed = b.id === from ? { ...b, id: to } : b;
        return renamed.parent === from ? { ...renamed, parent: to } : renamed;
      }),
    };
    const rect = doc.layout?.boundaries?.[from];
    if (rect) {
      const boundaries = { ...doc.layout?.boundaries };
      delete boundaries[from];
      boundaries[to] = rect;
      next = withLayout(next, { ...doc.layout, boundaries });
    }
    return ok(next, to);
  }
  return fail(`no node or boundary has the id \`${from}\``);
}

// ---------------------------------------------------------------------------------------------
// Edges

/** Connects two nodes, when the relation is valid for their kinds and not already there. */
export function connect(doc: Model, from: string, to: string, relation: Relation): Result<string> {
  const source = findNode(doc, from);
  const target = findNode(doc, to);
  if (!source || !target) return fail('both ends of a connection must be nodes');
  if (from === to) return fail('a node cannot be connected to itself');
  if (!isValidRelation(source.kind, relation, target.kind)) {
    return fail(`a ${source.kind} cannot \`${relation}\` a ${target.kind}`);
  }
  const edges = doc.edges ?? [];
  if (edges.some((e) => e.from === from && e.to === to && e.relation === relation)) {
    return fail(`\`${from}\` already ${relation} \`${to}\``);
  }
  const derived = derivedEdgeId(from, relation, to);
  const taken = takenIds(doc);
  const edge: ModelEdge = { from, relation, to };
  if (taken.has(derived)) edge.id = freeId(`${from}-${relation}-${to}`, taken);
  return ok(withList(doc, 'edges', [...edges, edge]), edgeIdOf(edge));
}

/**
 * Changes an edge. Changing `relation`, `from` or `to` is refused when the result would not
 * be valid for the kinds; fields that do not apply to the new relation are dropped. An edge
 * without its own id keeps deriving it.
 */
export function updateEdge(doc: Model, id: string, patch: Partial<ModelEdge>): Result<string> {
  const edge = findEdge(doc, id);
  if (!edge) return fail(`no edge has the id \`${id}\``);
  let next = applyPatch(edge, patch);
  if (next.id === derivedEdgeId(next.from, next.relation, next.to) || next.id === '') {
    delete next.id;
  }
  if (next.from !== edge.from || next.to !== edge.to || next.relation !== edge.relation) {
    const source = findNode(doc, next.from);
    const target = findNode(doc, next.to);
    if (!source || !target) return fail('both ends of an edge must be nodes');
    if (!isValidRelation(source.kind, next.relation, target.kind)) {
      return fail(`a ${source.kind} cannot \`${next.relation}\` a ${target.kind}`);
    }
    const newId = edgeIdOf(next);
    if (
      (doc.edges ?? []).some(
        (e) => e !== edge && e.from === next.from && e.to === next.to && e.relation === next.relation,
      )
    ) {
      return fail('the same edge is already there');
    }
    if (newId !== id && takenIds(doc).has(newId)) return fail(`the id \`${newId}\` is already used`);
  } else if (next.id !== undefined && next.id !== edge.id) {
    if (!isValidId(next.id)) return fail(`\`${next.id}\` is not a valid id`);
    if (takenIds(doc).has(next.id)) return fail(`the id \`${next.id}\` is already used`);
  }
  for (const field of EDGE_FIELDS) {
    if (!edgeFieldApplies(field, next.relation)) {
      next = { ...next };
      delete next[field];
    }
  }
  for (const field of ['permissions', 'scope'] as const) {
    if (next[field] && next[field].length === 0) {
      next = { ...next };
      delete next[field];
    }
  }
  if (next.description === '') {
    next = { ...next };
    delete next.description;
  }
  const edges = (doc.edges ?? []).map((e) => (e === edge ? next : e));
  return ok({ ...doc, edges }, edgeIdOf(next));
}

// ---------------------------------------------------------------------------------------------
// Boundaries

export interface NewBoundaryOptions {
  id?: string;
  name?: string;
  zone?: Zone;
  parent?: string;
  members?: string[];
}

export function addBoundary(
  doc: Model,
  rect: Rect | Position,
  options: NewBoundaryOptions = {},
): Result<string> {
  const taken = takenIds(doc);
  const id = options.id ? freeId(options.id, taken) : nextNumberedId('boundary', taken);
  const number = /-(\d+)$/.exec(id)?.[1];
  const boundary: Boundary = {
    id,
    name: options.name ?? `Boundary${number ? ` ${number}` : ''}`,
    zone: options.zone ?? 'corporate',
  };
  if (options.parent && findBoundary(doc, options.parent)) boundary.parent = options.parent;
  const box: Rect = {
    x: rect.x,
    y: rect.y,
    width: 'width' in rect ? rect.width : BOUNDARY_DEFAULT.width,
    height: 'height' in rect ? rect.height : BOUNDARY_DEFAULT.height,
  };
  let next = withList(doc, 'boundaries', [...(doc.boundaries ?? []), boundary]);
  next = withLayout(next, {
    ...next.layout,
    boundaries: { ...next.layout?.boundaries, [id]: box },
  });
  if (options.members && options.members.length > 0) next = setMembership(next, options.members, id);
  return ok(next, id);
}

/** Changes a boundary: `id` renames it; `parent` is refused when it would make a cycle. */
export function updateBoundary(doc: Model, id: string, patch: Partial<Boundary>): Result<string> {
  const boundary = findBoundary(doc, id);
  if (!boundary) return fail(`no boundary has the id \`${id}\``);
  let current = doc;
  let currentId = id;
  if (patch.id !== undefined && patch.id !== id) {
    const renamed = renameElement(doc, id, patch.id);
    if (!renamed.ok) return renamed;
    current = renamed.doc;
    currentId = patch.id;
  }
  const rest: Partial<Boundary> = { ...patch };
  delete rest.id;
  if ('parent' in rest && rest.parent) {
    if (!findBoundary(current, rest.parent)) return fail(`no boundary has the id \`${rest.parent}\``);
    if (isSelfOrAncestor(current, currentId, rest.parent)) {
      return fail('a boundary cannot sit inside itself');
    }
  }
  if (rest.parent === '') rest.parent = undefined;
  if (rest.description === '') rest.description = undefined;
  if (rest.members && rest.members.length === 0) rest.members = undefined;
  const boundaries = (current.boundaries ?? []).map((b) =>
    b.id === currentId ? applyPatch(b, rest) : b,
  );
  return ok({ ...current, boundaries }, currentId);
}

/** Puts nodes directly into one boundary (or into none), out of every other. */
export function setMembership(doc: Model, nodeIds: string[], boundaryId: string | null): Model {
  const moving = new Set(nodeIds);
  const boundaries = (doc.boundaries ?? []).map((b) => {
    const kept = (b.members ?? []).filter((m) => !moving.has(m));
    const members =
      b.id === boundaryId ? [...kept, ...nodeIds.filter((id) => !kept.includes(id))] : kept;
    if (members.length === (b.members ?? []).length && members.every((m, i) => m === b.members?.[i])) {
      return b;
    }
    const next = { ...b };
    if (members.length > 0) next.members = members;
    else delete next.members;
    return next;
  });
  return withList(doc, 'boundaries', boundaries);
}

/** Sets a boundary's parent (null: top level). Refuses cycles by returning `doc` unchanged. */
export function setBoundaryParent(doc: Model, id: string, parent: string | null): Model {
  const result = updateBoundary(doc, id, { parent: parent ?? undefined });
  return result.ok ? result.doc : doc;
}

// ---------------------------------------------------------------------------------------------
// Positions

/** Sets absolute positions of nodes and boxes of boundaries (no cascading). */
export function setPlaces(
  doc: Model,
  nodes: Record<string, Position>,
  boundaries: Record<string, Rect> = {},
): Model {
  if (Object.keys(nodes).length === 0 && Object.keys(boundaries).length === 0) return doc;
  return withLayout(doc, {
    nodes: { ...doc.layout?.nodes, ...nodes },
    boundaries: { ...doc.layout?.boundaries, ...boundaries },
  });
}

/**
 * Moves nodes and boundaries to new absolute top-left corners. A boundary carries everything
 * inside it; an element whose boundary also moves is carried, not moved twice.
 */
export function moveElements(doc: Model, moves: Record<string, Position>): Model {
  const full = fullLayout(doc);
  const nodes: Record<string, Position> = {};
  const boundaries: Record<string, Rect> = {};
  const carried = new Set<string>();
  const parents = boundaryParents(doc);
  const homes = nodeHomes(doc);
  const movingBoundary = (id: string | undefined): boolean => {
    for (let at = id; at !== undefined; at = parents.get(at)) if (at in moves) return true;
    return false;
  };
  for (const [id, to] of Object.entries(moves)) {
    const rect = full.boundaries[id];
    if (!rect || movingBoundary(parents.get(id))) continue;
    const dx = to.x - rect.x;
    const dy = to.y - rect.y;
    boundaries[id] = { ...rect, x: to.x, y: to.y };
    const inside = boundaryContents(doc, id);
    for (const b of inside.boundaries) {
      const r = full.boundaries[b];
      boundaries[b] = { ...r, x: r.x + dx, y: r.y + dy };
      carried.add(b);
    }
    for (const n of inside.nodes) {
      const p = full.nodes[n];
      if (p) nodes[n] = { x: p.x + dx, y: p.y + dy };
      carried.add(n);
    }
  }
  for (const [id, to] of Object.entries(moves)) {
    if (full.boundaries[id] || carried.has(id) || !(id in full.nodes)) continue;
    if (movingBoundary(homes.get(id))) continue;
    nodes[id] = { x: to.x, y: to.y };
  }
  return setPlaces(doc, nodes, boundaries);
}

/** Resizes a boundary to an absolute box; what is inside stays where it is. */
export function resizeBoundary(doc: Model, id: string, rect: Rect): Model {
  if (!findBoundary(doc, id)) return doc;
  return setPlaces(doc, {}, { [id]: rect });
}

// ---------------------------------------------------------------------------------------------
// Deleting

/**
 * Deletes nodes, edges and boundaries by id. A node takes its edges, memberships and place
 * with it; a boundary's contents move up to its parent.
 */
export function deleteElements(doc: Model, ids: Iterable<string>): Model {
  const gone = new Set(ids);
  if (gone.size === 0) return doc;
  const nodes = doc.nodes.filter((n) => !gone.has(n.id));
  const removedNodes = new Set(doc.nodes.filter((n) => gone.has(n.id)).map((n) => n.id));
  const edges = (doc.edges ?? []).filter(
    (e) => !gone.has(edgeIdOf(e)) && !removedNodes.has(e.from) && !removedNodes.has(e.to),
  );
  const parents = boundaryParents(doc);
  const survivingParent = (id: string | undefined): string | undefined => {
    let at = id;
    while (at !== undefined && gone.has(at)) at = parents.get(at);
    return at;
  };
  const inherited = new Map<string, string[]>();
  for (const b of doc.boundaries ?? []) {
    if (!gone.has(b.id)) continue;
    const heir = survivingParent(b.id);
    if (heir === undefined) continue;
    const list = inherited.get(heir) ?? [];
    list.push(...(b.members ?? []).filter((m) => !removedNodes.has(m)));
    inherited.set(heir, list);
  }
  const boundaries: Boundary[] = [];
  for (const b of doc.boundaries ?? []) {
    if (gone.has(b.id)) continue;
    let next = b;
    const members = (b.members ?? []).filter((m) => !removedNodes.has(m));
    for (const m of inherited.get(b.id) ?? []) if (!members.includes(m)) members.push(m);
    if (members.length !== (b.members ?? []).length || inherited.has(b.id)) {
      next = { ...next };
      if (members.length > 0) next.members = members;
      else delete next.members;
    }
    if (b.parent && gone.has(b.parent)) {
      next = { ...next };
      const parent = survivingParent(b.parent);
      if (parent) next.parent = parent;
      else delete next.parent;
    }
    boundaries.push(next);
  }
  const layoutNodes = { ...doc.layout?.nodes };
  const layoutBoundaries = { ...doc.layout?.boundaries };
  for (const id of gone) {
    delete layoutNodes[id];
    delete layoutBoundaries[id];
  }
  let next: Model = { ...doc, nodes };
  next = withList(next, 'edges', edges);
  next = withList(next, 'boundaries', boundaries);
  return withLayout(next, { nodes: layoutNodes, boundaries: layoutBoundaries });
}

// ---------------------------------------------------------------------------------------------
// Metadata and triage

export function updateMetadata(doc: Model, patch: Partial<Metadata>): Model {
  const metadata = applyPatch(doc.metadata, patch);
  if (metadata.tags && metadata.tags.length === 0) delete metadata.tags;
  for (const key of ['description', 'owner', 'revision', 'updated'] as const) {
    if (metadata[key] === '') delete metadata[key];
  }
  return { ...doc, metadata: { ...metadata, name: metadata.name ?? '' } };
}

/** Records (or with `null`, removes) the triage decision for a finding. */
export function setTriage(
  doc: Model,
  fingerprint: string,
  decision: Omit<TriageDecision, 'fingerprint'> | null,
): Model {
  const others = (doc.triage ?? []).filter((t) => t.fingerprint !== fingerprint);
  if (decision === null) return withList(doc, 'triage', others);
  const entry = applyPatch({ fingerprint } as TriageDecision, {
    rule: decision.rule || undefined,
    status: decision.status,
    justification: decision.justification || undefined,
    by: decision.by || undefined,
    at: decision.at || undefined,
  });
  const existing = (doc.triage ?? []).findIndex((t) => t.fingerprint === fingerprint);
  const triage = [...(doc.triage ?? [])];
  if (existing >= 0) triage[existing] = entry;
  else triage.push(entry);
  return withList(doc, 'triage', triage);
}

// ---------------------------------------------------------------------------------------------
// Copy and paste

/** What a copy holds: the chosen elements, with absolute places, detached from the document. */
export interface Clip {
  nodes: ModelNode[];
  edges: ModelEdge[];
  boundaries: Boundary[];
  places: { nodes: Record<string, Position>; boundaries: Record<string, Rect> };
  /** For each top-level element of the clip, the boundary it sat in when copied. */
  homes: Record<string, string>;
}

/**
 * Copies the given ids: a boundary brings everything inside it; an edge comes along when
 * both its ends do (a selected edge whose ends are not copied is left out).
 */
export function extractClip(doc: Model, ids: Iterable<string>): Clip | null {
  const chosen = new Set(ids);
  for (const id of [...chosen]) {
    if (findBoundary(doc, id)) {
      const inside = boundaryContents(doc, id);
      inside.boundaries.forEach((b) => chosen.add(b));
      inside.nodes.forEach((n) => chosen.add(n));
    }
  }
  const nodes = doc.nodes.filter((n) => chosen.has(n.id));
  const boundaries = (doc.boundaries ?? []).filter((b) => chosen.has(b.id));
  if (nodes.length === 0 && boundaries.length === 0) return null;
  const nodeIds = new Set(nodes.map((n) => n.id));
  const edges = (doc.edges ?? []).filter((e) => nodeIds.has(e.from) && nodeIds.has(e.to));
  const full = fullLayout(doc);
  const places: Clip['places'] = { nodes: {}, boundaries: {} };
  for (const n of nodes) places.nodes[n.id] = full.nodes[n.id];
  for (const b of boundaries) places.boundaries[b.id] = full.boundaries[b.id];
  const homes: Record<string, string> = {};
  const nodeHome = nodeHomes(doc);
  const boundaryIds = new Set(boundaries.map((b) => b.id));
  for (const n of nodes) {
    const home = nodeHome.get(n.id);
    if (home && !boundaryIds.has(home)) homes[n.id] = home;
  }
  for (const b of boundaries) {
    if (b.parent && !boundaryIds.has(b.parent)) homes[b.id] = b.parent;
  }
  return structuredClone({
    nodes,
    edges,
    boundaries: boundaries.map((b) => ({
      ...b,
      members: (b.members ?? []).filter((m) => nodeIds.has(m)),
    })),
    places,
    homes,
  });
}

/**
 * Pastes a clip with fresh ids (nothing pasted clashes with the document), shifted by
 * `offset`. Top-level elements go back into the boundary they came from when it exists.
 */
export function pasteClip(doc: Model, clip: Clip, offset: Position): Result<string[]> {
  const taken = takenIds(doc);
  const rename = new Map<string, string>();
  const fresh = (id: string) => {
    const next = freeId(id, taken);
    taken.add(next);
    rename.set(id, next);
    return next;
  };
  for (const n of clip.nodes) fresh(n.id);
  for (const b of clip.boundaries) fresh(b.id);
  const nodes = clip.nodes.map((n) => ({ ...n, id: rename.get(n.id)! }));
  const edges: ModelEdge[] = [];
  for (const e of clip.edges) {
    const edge: ModelEdge = { ...e, from: rename.get(e.from)!, to: rename.get(e.to)! };
    delete edge.id;
    const derived = edgeIdOf(edge);
    if (e.id || taken.has(derived)) edge.id = freeId(e.id || `${edge.from}-${edge.relation}-${edge.to}`, taken);
    taken.add(edgeIdOf(edge));
    edges.push(edge);
  }
  const boundaries = clip.boundaries.map((b) => {
    const next: Boundary = { ...b, id: rename.get(b.id)! };
    if (b.parent && rename.has(b.parent)) next.parent = rename.get(b.parent);
    else if (b.parent && findBoundary(doc, b.parent)) next.parent = b.parent;
    else delete next.parent;
    const members = (b.members ?? []).map((m) => rename.get(m)!).filter(Boolean);
    if (members.length > 0) next.members = members;
    else delete next.members;
    return next;
  });
  let next: Model = { ...doc, nodes: [...doc.nodes, ...nodes] };
  next = withList(next, 'edges', [...(doc.edges ?? []), ...edges]);
  next = withList(next, 'boundaries', [...(doc.boundaries ?? []), ...boundaries]);
  const places: Record<string, Position> = {};
  const boxes: Record<string, Rect> = {};
  for (const [id, p] of Object.entries(clip.places.nodes)) {
    if (p) places[rename.get(id)!] = { x: p.x + offset.x, y: p.y + offset.y };
  }
  for (const [id, r] of Object.entries(clip.places.boundaries)) {
    if (r) boxes[rename.get(id)!] = { ...r, x: r.x + offset.x, y: r.y + offset.y };
  }
  next = setPlaces(next, places, boxes);
  for (const [id, home] of Object.entries(clip.homes)) {
    if (!findBoundary(doc, home) || !findNode(next, rename.get(id)!)) continue;
    next = setMembership(next, [rename.get(id)!], home);
  }
  return ok(next, [...nodes.map((n) => n.id), ...boundaries.map((b) => b.id), ...edges.map(edgeIdOf)]);
}

/** The size of a node on the canvas, for callers that need the centre of a place. */
export const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
