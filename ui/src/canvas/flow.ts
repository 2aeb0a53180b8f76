/**
 * The canvas is derived from the document: this turns the model (plus selection, highlight
 * and findings) into React Flow nodes and edges. Objects are reused when nothing about an
 * element changed, so React Flow and the memoised node components skip unchanged elements —
 * what keeps a 2,000-node model smooth while one node is dragged.
 */
import { Position as HandlePosition, type Edge, type Node } from '@xyflow/react';
import { fullLayout, NODE_HEIGHT, NODE_WIDTH } from '../model/geometry';
import { edgeIdOf } from '../model/ids';
import { boundariesTopDown, boundaryDepths, boundaryParents, nodeHomes } from '../model/structure';
import type { Boundary, Model, ModelEdge, ModelNode, Position, Severity } from '../model/types';
import type { DiffMark, FindingMarker, Highlight } from '../store';

export const HIGHLIGHT_CLASS = 'bartizan-highlight';

export interface Badge {
  count: number;
  severity: Severity;
}

export interface KindNodeData extends Record<string, unknown> {
  node: ModelNode;
  highlighted: boolean;
  dimmed: boolean;
  badge?: Badge;
  /** How it differs between two compared revisions, when they are compared. */
  diff?: DiffMark;
}

export interface BoundaryNodeData extends Record<string, unknown> {
  boundary: Boundary;
  highlighted: boolean;
  dimmed: boolean;
  diff?: DiffMark;
}

export interface RelationEdgeData extends Record<string, unknown> {
  edge: ModelEdge;
  highlighted: boolean;
  dimmed: boolean;
  diff?: DiffMark;
  /** Which of several edges between the same two nodes this is (0 for the first). */
  lane: number;
}

export type KindFlowNode = Node<KindNodeData, 'kind'>;
export type BoundaryFlowNode = Node<BoundaryNodeData, 'boundary'>;
export type FlowNode = KindFlowNode | BoundaryFlowNode;
export type RelationFlowEdge = Edge<RelationEdgeData, 'relation'>;

/** Stacking: boundaries (by depth) below edges below nodes. */
const Z_EDGE = 500;
const Z_NODE = 1000;

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/**
 * Every node has four handles (the DOM has the same ones, see `KindNode`): edges leave from
 * the right or the left and arrive on the left or the right, whichever faces the other end.
 * Stating them here lets edges draw before (or without) their nodes being measured.
 */
export const HANDLE = { outRight: 'out-r', outLeft: 'out-l', inLeft: 'in-l', inRight: 'in-r' } as const;
const HANDLE_SIZE = 14;
const HANDLE_Y = NODE_HEIGHT / 2 - HANDLE_SIZE / 2;
const LEFT_X = -HANDLE_SIZE / 2;
const RIGHT_X = NODE_WIDTH - HANDLE_SIZE / 2;
const NODE_HANDLES = [
  { id: HANDLE.inLeft, type: 'target' as const, position: HandlePosition.Left, x: LEFT_X, y: HANDLE_Y, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { id: HANDLE.inRight, type: 'target' as const, position: HandlePosition.Right, x: RIGHT_X, y: HANDLE_Y, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { id: HANDLE.outRight, type: 'source' as const, position: HandlePosition.Right, x: RIGHT_X, y: HANDLE_Y, width: HANDLE_SIZE, height: HANDLE_SIZE },
  { id: HANDLE.outLeft, type: 'source' as const, position: HandlePosition.Left, x: LEFT_X, y: HANDLE_Y, width: HANDLE_SIZE, height: HANDLE_SIZE },
];

/** Which sides an edge uses: facing each other, or both on the right for nodes in one column. */
export function edgeSides(from: Position | undefined, to: Position | undefined): [string, string] {
  if (!from || !to) return [HANDLE.outRight, HANDLE.inLeft];
  const dx = to.x - from.x;
  if (dx > NODE_WIDTH * 0.6) return [HANDLE.outRight, HANDLE.inLeft];
  if (dx < -NODE_WIDTH * 0.6) return [HANDLE.outLeft, HANDLE.inRight];
  return [HANDLE.outRight, HANDLE.inRight];
}

/** Open risks per node, counted at their place (`subjects[0]`), with the worst severity. */
export function badgesFor(findings: FindingMarker[] | null): Map<string, Badge> {
  const badges = new Map<string, Badge>();
  for (const f of findings ?? []) {
    if ((f.status && f.status !== 'open') || f.baselined) continue;
    const subject = f.subjects[0];
    if (!subject) continue;
    const current = badges.get(subject);
    if (!current) badges.set(subject, { count: 1, severity: f.severity });
    else {
      current.count++;
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[current.severity]) current.severity = f.severity;
    }
  }
  return badges;
}

interface Inputs {
  doc: Model;
  selection: string[];
  highlight: Highlight;
  findings: FindingMarker[] | null;
  /** Elements that differ between two compared revisions, by id. */
  marks?: Record<string, DiffMark> | null;
}

/** The class that colours an element by how it differs between two compared revisions. */
export function diffClass(mark: DiffMark | undefined): string {
  return mark ? `diff-${mark}` : '';
}

function sameBadge(a: Badge | undefined, b: Badge | undefined): boolean {
  return a === b || (!!a && !!b && a.count === b.count && a.severity === b.severity);
}

/**
 * Whether two documents place and connect their nodes alike: the same edges, layout and
 * boundaries (what every node's place follows from) and the same node ids and kinds in the same
 * order. An edit of a node's name, description or properties leaves this true.
 */
function sameShape(a: Model, b: Model): boolean {
  if (a === b) return true;
  if (a.edges !== b.edges || a.layout !== b.layout || a.boundaries !== b.boundaries) return false;
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((node, i) => node.id === b.nodes[i].id && node.kind === b.nodes[i].kind);
}

/**
 * Whether the diagram's shape and what is marked on it (selection, highlight, compared
 * revisions) are alike in `a` and `b`: all the edges and the far view's scene draw besides risks.
 */
export function drawnAlike(a: Inputs, b: Inputs): boolean {
  return (
    sameShape(a.doc, b.doc) &&
    a.selection === b.selection &&
    a.highlight === b.highlight &&
    (a.marks ?? null) === (b.marks ?? null)
  );
}

/** `previous` when `next` holds the same objects in the same order, else `next`. */
function unlessSame<T>(previous: T[], next: T[]): T[] {
  return previous.length === next.length && next.every((item, i) => item === previous[i]) ? previous : next;
}

/**
 * Keeps the previous projection to reuse unchanged objects, and the previous array itself when
 * nothing in it changed: React Flow re-indexes every edge (its connection lookup) whenever it is
 * given a new edges array, which an edit of a node's fields or a new analysis must not cost.
 */
export class FlowProjector {
  private nodeCache = new Map<string, FlowNode>();
  private edgeCache = new Map<string, RelationFlowEdge>();
  private lastNodes: FlowNode[] = [];
  private lastEdges: RelationFlowEdge[] = [];
  /** What `lastEdges` was projected from. */
  private lastEdgeInputs: Inputs | null = null;

  nodes({ doc, selection, highlight, findings, marks }: Inputs): FlowNode[] {
    const selected = new Set(selection);
    const lit = new Set(highlight.nodes);
    const dimming = highlight.nodes.length > 0 || highlight.edges.length > 0;
    const full = fullLayout(doc);
    const homes = nodeHomes(doc);
    const parents = boundaryParents(doc);
    const depths = boundaryDepths(doc);
    const badges = badgesFor(findings);
    const previous = this.nodeCache;
    const next = new Map<string, FlowNode>();
    const out: FlowNode[] = [];

    for (const boundary of boundariesTopDown(doc)) {
      const rect = full.boundaries[boundary.id];
      const parent = parents.get(boundary.id);
      const origin = parent !== undefined ? full.boundaries[parent] : { x: 0, y: 0 };
      const x = rect.x - origin.x;
      const y = rect.y - origin.y;
      const isSelected = selected.has(boundary.id);
      const highlighted = lit.has(boundary.id);
      const dimmed = dimming && !highlighted;
      const z = depths.get(boundary.id) ?? 0;
      const diff = marks?.[boundary.id];
      const old = previous.get(boundary.id) as BoundaryFlowNode | undefined;
      let node: BoundaryFlowNode;
      if (
        old &&
        old.type === 'boundary' &&
        old.data.boundary === boundary &&
        old.position.x === x &&
        old.position.y === y &&
        old.width === rect.width &&
        old.height === rect.height &&
        old.parentId === parent &&
        old.selected === isSelected &&
        old.data.highlighted === highlighted &&
        old.data.dimmed === dimmed &&
        old.data.diff === diff &&
        old.zIndex === z
      ) {
        node = old;
      } else {
        node = {
          id: boundary.id,
          type: 'boundary',
          position: { x, y },
          width: rect.width,
          height: rect.height,
          measured: { width: rect.width, height: rect.height },
          parentId: parent,
          selected: isSelected,
          zIndex: z,
          dragHandle: '.rb-header',
          className: highlighted ? HIGHLIGHT_CLASS : undefined,
          data: { boundary, highlighted, dimmed, diff },
          ariaLabel: `Boundary ${boundary.name}`,
        };
      }
      next.set(boundary.id, node);
      out.push(node);
    }

    for (const modelNode of doc.nodes) {
      const place = full.nodes[modelNode.id];
      const home = homes.get(modelNode.id);
      const origin = home !== undefined ? full.boundaries[home] : { x: 0, y: 0 };
      const x = place.x - origin.x;
      const y = place.y - origin.y;
      const isSelected = selected.has(modelNode.id);
      const highlighted = lit.has(modelNode.id);
      const dimmed = dimming && !highlighted;
      const badge = badges.get(modelNode.id);
      const diff = marks?.[modelNode.id];
      const old = previous.get(modelNode.id) as KindFlowNode | undefined;
      let node: KindFlowNode;
      if (
        old &&
        old.type === 'kind' &&
        old.data.node === modelNode &&
        old.position.x === x &&
        old.position.y === y &&
        old.parentId === home &&
        old.selected === isSelected &&
        old.data.highlighted === highlighted &&
        old.data.dimmed === dimmed &&
        old.data.diff === diff &&
        sameBadge(old.data.badge, badge)
      ) {
        node = old;
      } else {
        node = {
          id: modelNode.id,
          type: 'kind',
          position: { x, y },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
          handles: NODE_HANDLES,
          parentId: home,
          selected: isSelected,
          zIndex: Z_NODE,
          className: highlighted ? HIGHLIGHT_CLASS : undefined,
          data: { node: modelNode, highlighted, dimmed, badge, diff },
          ariaLabel: `${modelNode.kind} ${modelNode.name}`,
        };
      }
      next.set(modelNode.id, node);
      out.push(node);
    }
    this.nodeCache = next;
    this.lastNodes = unlessSame(this.lastNodes, out);
    return this.lastNodes;
  }

  edges(inputs: Inputs): RelationFlowEdge[] {
    const last = this.lastEdgeInputs;
    this.lastEdgeInputs = inputs;
    // Nothing an edge shows changed (a node's fields were edited, or a new analysis came): at
    // 2,500 edges, projecting them again would cost each such edit a few milliseconds.
    if (last && drawnAlike(last, inputs)) return this.lastEdges;
    const { doc, selection, highlight, marks } = inputs;
    const selected = new Set(selection);
    const lit = new Set(highlight.edges);
    const dimming = highlight.nodes.length > 0 || highlight.edges.length > 0;
    const nodeIds = new Set(doc.nodes.map((n) => n.id));
    const places = fullLayout(doc).nodes;
    const lanes = new Map<string, number>();
    const previous = this.edgeCache;
    const next = new Map<string, RelationFlowEdge>();
    const out: RelationFlowEdge[] = [];
    for (const modelEdge of doc.edges ?? []) {
      if (!nodeIds.has(modelEdge.from) || !nodeIds.has(modelEdge.to)) continue;
      const id = edgeIdOf(modelEdge);
      if (next.has(id)) continue; // a duplicate id: the engine reports it; draw it once
      const pair = `${modelEdge.from}\u0000${modelEdge.to}`;
      const lane = lanes.get(pair) ?? 0;
      lanes.set(pair, lane + 1);
      const isSelected = selected.has(id);
      const highlighted = lit.has(id);
      const dimmed = dimming && !highlighted;
      const [sourceHandle, targetHandle] = edgeSides(places[modelEdge.from], places[modelEdge.to]);
      const diff = marks?.[id];
      const old = previous.get(id);
      let edge: RelationFlowEdge;
      if (
        old &&
        old.data!.edge === modelEdge &&
        old.sourceHandle === sourceHandle &&
        old.targetHandle === targetHandle &&
        old.selected === isSelected &&
        old.data!.highlighted === highlighted &&
        old.data!.dimmed === dimmed &&
        old.data!.diff === diff &&
        old.data!.lane === lane
      ) {
        edge = old;
      } else {
        edge = {
          id,
          type: 'relation',
          source: modelEdge.from,
          target: modelEdge.to,
          sourceHandle,
          targetHandle,
          selected: isSelected,
          zIndex: Z_EDGE,
          className: highlighted ? HIGHLIGHT_CLASS : undefined,
          data: { edge: modelEdge, highlighted, dimmed, lane, diff },
          ariaLabel: `${modelEdge.from} ${modelEdge.relation} ${modelEdge.to}`,
        };
      }
      next.set(id, edge);
      out.push(edge);
    }
    this.edgeCache = next;
    this.lastEdges = unlessSame(this.lastEdges, out);
    return this.lastEdges;
  }
}
