/** Ids: the engine's id syntax, derived edge ids, and fresh ids that clash with nothing. */
import type { Model, ModelEdge, Relation } from './types';

/** The engine's id pattern (`$defs/Id` in the schema). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** The id an edge has when it states none: `FROM--RELATION--TO`, as the engine derives it. */
export function derivedEdgeId(from: string, relation: Relation, to: string): string {
  return `${from}--${relation}--${to}`;
}

/** An edge's id: its own when it states one, else the derived one. */
export function edgeIdOf(edge: ModelEdge): string {
  return edge.id ? edge.id : derivedEdgeId(edge.from, edge.relation, edge.to);
}

/** Every id in the document: nodes, edges and boundaries share one namespace. */
export function takenIds(doc: Model): Set<string> {
  const ids = new Set<string>();
  for (const n of doc.nodes) ids.add(n.id);
  for (const e of doc.edges ?? []) ids.add(edgeIdOf(e));
  for (const b of doc.boundaries ?? []) ids.add(b.id);
  return ids;
}

/** Turns free text into an id: `Support Agent` → `support-agent`. */
export function slugify(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._:-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 100);
  return slug || 'item';
}

/** `prefix-1`, `prefix-2`, … : the first that is not taken. */
export function nextNumberedId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** `base` itself when free, else `base-2`, `base-3`, … (a trailing `-N` of base is replaced). */
export function freeId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base) && isValidId(base)) return base;
  const stem = slugify(base.replace(/-\d+$/, ''));
  for (let n = 2; ; n++) {
    const id = `${stem}-${n}`;
    if (!taken.has(id)) return id;
  }
}
