/** Read-only questions about a document: lookups, the boundary tree, where each node lives. */
import { edgeIdOf } from './ids';
import type { Boundary, Model, ModelEdge, ModelNode } from './types';

export function findNode(doc: Model, id: string): ModelNode | undefined {
  return doc.nodes.find((n) => n.id === id);
}

export function findEdge(doc: Model, id: string): ModelEdge | undefined {
  return (doc.edges ?? []).find((e) => edgeIdOf(e) === id);
}

export function findBoundary(doc: Model, id: string): Boundary | undefined {
  return (doc.boundaries ?? []).find((b) => b.id === id);
}

export type ElementType = 'node' | 'edge' | 'boundary';

/** What an id names in the document, if anything. */
export function elementType(doc: Model, id: string): ElementType | undefined {
  if (findNode(doc, id)) return 'node';
  if (findBoundary(doc, id)) return 'boundary';
  if (findEdge(doc, id)) return 'edge';
  return undefined;
}

/**
 * Each boundary's parent, keeping only parents that exist and do not close a cycle (the
 * engine reports cycles; the canvas must still draw something).
 */
export function boundaryParents(doc: Model): Map<string, string | undefined> {
  const boundaries = doc.boundaries ?? [];
  const ids = new Set(boundaries.map((b) => b.id));
  const parents = new Map<string, string | undefined>();
  for (const b of boundaries) {
    parents.set(b.id, b.parent && ids.has(b.parent) && b.parent !== b.id ? b.parent : undefined);
  }
  // Break cycles: walk up from each boundary; a walk that revisits cuts its last link.
  for (const b of boundaries) {
    const seen = new Set<string>([b.id]);
    let at = b.id;
    for (;;) {
      const up = parents.get(at);
      if (up === undefined) break;
      if (seen.has(up)) {
        parents.set(at, undefined);
        break;
      }
      seen.add(up);
      at = up;
    }
  }
  return parents;
}

/** The nesting depth of each boundary: 0 for top-level boundaries. */
export function boundaryDepths(doc: Model): Map<string, number> {
  const parents = boundaryParents(doc);
  const depths = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    const up = parents.get(id);
    const depth = up === undefined ? 0 : depthOf(up) + 1;
    depths.set(id, depth);
    return depth;
  };
  for (const id of parents.keys()) depthOf(id);
  return depths;
}

/** Boundaries ordered so that every parent comes before its children. */
export function boundariesTopDown(doc: Model): Boundary[] {
  const depths = boundaryDepths(doc);
  return [...(doc.boundaries ?? [])].sort(
    (a, b) => (depths.get(a.id) ?? 0) - (depths.get(b.id) ?? 0),
  );
}

/** Each node's home: the innermost boundary that lists it as a member. */
export function nodeHomes(doc: Model): Map<string, string> {
  const depths = boundaryDepths(doc);
  const homes = new Map<string, string>();
  for (const b of doc.boundaries ?? []) {
    for (const member of b.members ?? []) {
      const current = homes.get(member);
      if (current === undefined || (depths.get(b.id) ?? 0) > (depths.get(current) ?? 0)) {
        homes.set(member, b.id);
      }
    }
  }
  return homes;
}

/** Whether `ancestor` is `id` itself or a boundary that (transitively) contains boundary `id`. */
export function isSelfOrAncestor(doc: Model, ancestor: string, id: string): boolean {
  const parents = boundaryParents(doc);
  let at: string | undefined = id;
  while (at !== undefined) {
    if (at === ancestor) return true;
    at = parents.get(at);
  }
  return false;
}

/** The boundaries inside `id` (at any depth) and the nodes listed by any of them or by `id`. */
export function boundaryContents(doc: Model, id: string): { boundaries: string[]; nodes: string[] } {
  const parents = boundaryParents(doc);
  const inside = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of parents) {
      if (parent !== undefined && inside.has(parent) && !inside.has(child)) {
        inside.add(child);
        grew = true;
      }
    }
  }
  const nodes = new Set<string>();
  for (const b of doc.boundaries ?? []) {
    if (inside.has(b.id)) for (const m of b.members ?? []) nodes.add(m);
  }
  inside.delete(id);
  return { boundaries: [...inside], nodes: [...nodes] };
}
