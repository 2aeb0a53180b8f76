/**
 * Diagram geometry. `doc.layout` holds absolute diagram coordinates: a node's top-left corner
 * and each boundary's box. Every node has the same size on the canvas.
 */
import { boundaryDepths, nodeHomes } from './structure';
import type { Layout, Model, Position, Rect } from './types';

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 72;
export const BOUNDARY_HEADER = 44;
export const BOUNDARY_PADDING = 28;
export const BOUNDARY_DEFAULT = { width: 480, height: 300 };
export const BOUNDARY_MIN = { width: 200, height: 120 };
const GRID_X = NODE_WIDTH + 64;
const GRID_Y = NODE_HEIGHT + 56;
const GRID_COLUMNS = 6;

export interface FullLayout {
  nodes: Record<string, Position>;
  boundaries: Record<string, Rect>;
}

export function nodeRect(position: Position): Rect {
  return { x: position.x, y: position.y, width: NODE_WIDTH, height: NODE_HEIGHT };
}

export function rectContainsPoint(rect: Rect, p: Position): boolean {
  return p.x >= rect.x && p.x <= rect.x + rect.width && p.y >= rect.y && p.y <= rect.y + rect.height;
}

export function rectContainsRect(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

export function unionRect(rects: Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function finitePosition(p: Position | undefined): p is Position {
  return !!p && Number.isFinite(p.x) && Number.isFinite(p.y);
}

function finiteRect(r: Rect | undefined): r is Rect {
  return (
    !!r &&
    [r.x, r.y, r.width, r.height].every(Number.isFinite) &&
    r.width > 0 &&
    r.height > 0
  );
}

/** Whether every node and boundary has a place in `doc.layout`. */
export function hasCompleteLayout(doc: Model): boolean {
  const layout = doc.layout ?? {};
  return (
    doc.nodes.every((n) => finitePosition(layout.nodes?.[n.id])) &&
    (doc.boundaries ?? []).every((b) => finiteRect(layout.boundaries?.[b.id]))
  );
}

/** Whether the document places nothing at all (a file written by hand). */
export function hasNoLayout(doc: Model): boolean {
  const layout = doc.layout ?? {};
  return Object.keys(layout.nodes ?? {}).length === 0 && Object.keys(layout.boundaries ?? {}).length === 0;
}

const completed = new WeakMap<Model, FullLayout>();

/**
 * The layout with a place for everything: stated positions are kept; a node without one is
 * put on a grid below the drawing (grouped by its boundary); a boundary without a box gets
 * the box around its contents.
 */
export function fullLayout(doc: Model): FullLayout {
  const cached = completed.get(doc);
  if (cached) return cached;
  const layout: Layout = doc.layout ?? {};
  const nodes: Record<string, Position> = {};
  const boundaries: Record<string, Rect> = {};
  const missing: string[] = [];
  for (const n of doc.nodes) {
    const p = layout.nodes?.[n.id];
    if (finitePosition(p)) nodes[n.id] = { x: p.x, y: p.y };
    else missing.push(n.id);
  }
  for (const b of doc.boundaries ?? []) {
    const r = layout.boundaries?.[b.id];
    if (finiteRect(r)) boundaries[b.id] = { ...r };
  }

  if (missing.length > 0) {
    const placed = unionRect([
      ...Object.values(nodes).map(nodeRect),
      ...Object.values(boundaries),
    ]);
    const homes = nodeHomes(doc);
    // Group by home so that members of one boundary sit together.
    missing.sort((a, b) => (homes.get(a) ?? '').localeCompare(homes.get(b) ?? ''));
    const originX = placed ? placed.x : 0;
    let y = placed ? placed.y + placed.height + 80 : 0;
    let column = 0;
    let group: string | undefined = homes.get(missing[0]);
    for (const id of missing) {
      const home = homes.get(id);
      if (home !== group || column === GRID_COLUMNS) {
        y += GRID_Y + (home !== group ? BOUNDARY_HEADER + BOUNDARY_PADDING * 2 : 0);
        column = 0;
        group = home;
      }
      nodes[id] = { x: originX + column * GRID_X, y };
      column++;
    }
  }

  // Boxes for boundaries without one, innermost first, around what they contain.
  const depths = boundaryDepths(doc);
  const ordered = [...(doc.boundaries ?? [])].sort(
    (a, b) => (depths.get(b.id) ?? 0) - (depths.get(a.id) ?? 0),
  );
  let spare: Position | undefined;
  for (const b of ordered) {
    if (boundaries[b.id]) continue;
    const contents: Rect[] = [];
    for (const m of b.members ?? []) if (nodes[m]) contents.push(nodeRect(nodes[m]));
    for (const c of doc.boundaries ?? []) {
      if (c.parent === b.id && boundaries[c.id]) contents.push(boundaries[c.id]);
    }
    const around = unionRect(contents);
    if (around) {
      boundaries[b.id] = {
        x: around.x - BOUNDARY_PADDING,
        y: around.y - BOUNDARY_PADDING - BOUNDARY_HEADER,
        width: around.width + BOUNDARY_PADDING * 2,
        height: around.height + BOUNDARY_PADDING * 2 + BOUNDARY_HEADER,
      };
    } else {
      if (!spare) {
        const all = unionRect([...Object.values(nodes).map(nodeRect), ...Object.values(boundaries)]);
        spare = all ? { x: all.x + all.width + 80, y: all.y } : { x: 0, y: 0 };
      }
      boundaries[b.id] = { ...spare, ...BOUNDARY_DEFAULT };
      spare = { x: spare.x, y: spare.y + BOUNDARY_DEFAULT.height + 40 };
    }
  }

  const result = { nodes, boundaries };
  completed.set(doc, result);
  return result;
}

/** The document with `fullLayout` written into `doc.layout` (the same object when complete). */
export function completeLayout(doc: Model): Model {
  if (hasCompleteLayout(doc)) return doc;
  const full = fullLayout(doc);
  return { ...doc, layout: { nodes: full.nodes, boundaries: full.boundaries } };
}

/** A layout without empty maps, or undefined when it places nothing. */
export function normaliseLayout(layout: Layout): Layout | undefined {
  const out: Layout = {};
  if (layout.nodes && Object.keys(layout.nodes).length > 0) out.nodes = layout.nodes;
  if (layout.boundaries && Object.keys(layout.boundaries).length > 0) out.boundaries = layout.boundaries;
  return out.nodes || out.boundaries ? out : undefined;
}

/**
 * The innermost boundary whose box contains `rect` (a node's box: its centre must be inside;
 * a boundary's box: wholly inside), ignoring the boundaries in `exclude`.
 */
export function containerAt(
  doc: Model,
  rect: Rect,
  mode: 'node' | 'boundary',
  exclude: ReadonlySet<string> = new Set(),
): string | undefined {
  const full = fullLayout(doc);
  const depths = boundaryDepths(doc);
  const centre = { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
  let best: string | undefined;
  let bestDepth = -1;
  let bestArea = Infinity;
  for (const b of doc.boundaries ?? []) {
    if (exclude.has(b.id)) continue;
    const box = full.boundaries[b.id];
    if (!box) continue;
    const inside = mode === 'node' ? rectContainsPoint(box, centre) : rectContainsRect(box, rect);
    if (!inside) continue;
    const depth = depths.get(b.id) ?? 0;
    const area = box.width * box.height;
    if (depth > bestDepth || (depth === bestDepth && area < bestArea)) {
      best = b.id;
      bestDepth = depth;
      bestArea = area;
    }
  }
  return best;
}
