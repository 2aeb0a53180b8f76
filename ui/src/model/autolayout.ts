/**
 * Automatic layout with elkjs (layered, left to right), boundaries as nested compound nodes.
 * elkjs is loaded on first use so that it stays out of the start-up bundle.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import {
  BOUNDARY_DEFAULT,
  BOUNDARY_HEADER,
  BOUNDARY_PADDING,
  NODE_HEIGHT,
  NODE_WIDTH,
  type FullLayout,
} from './geometry';
import { boundaryParents, nodeHomes } from './structure';
import type { Model } from './types';

/** Spacing applies to the children of each graph level, so every level states it. */
const SPACING: Record<string, string> = {
  'elk.spacing.nodeNode': '36',
  'elk.layered.spacing.nodeNodeBetweenLayers': '140',
  'elk.layered.spacing.edgeNodeBetweenLayers': '36',
  'elk.spacing.edgeNode': '28',
  'elk.spacing.componentComponent': '64',
};

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
  ...SPACING,
};

const BOUNDARY_OPTIONS: Record<string, string> = {
  ...SPACING,
  'elk.padding': `[top=${BOUNDARY_HEADER + 20},left=${BOUNDARY_PADDING},bottom=${BOUNDARY_PADDING},right=${BOUNDARY_PADDING}]`,
  'elk.nodeSize.minimum': `(${BOUNDARY_DEFAULT.width / 2}, ${BOUNDARY_DEFAULT.height / 2})`,
  'elk.nodeSize.constraints': 'MINIMUM_SIZE',
};

/** The ELK graph of a document (exported for tests). */
export function toElkGraph(doc: Model): ElkNode {
  const parents = boundaryParents(doc);
  const homes = nodeHomes(doc);
  const compound = new Map<string, ElkNode>();
  for (const b of doc.boundaries ?? []) {
    compound.set(b.id, { id: b.id, layoutOptions: BOUNDARY_OPTIONS, children: [] });
  }
  const root: ElkNode = { id: '__root__', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const b of doc.boundaries ?? []) {
    const parent = parents.get(b.id);
    const container = parent !== undefined ? compound.get(parent)! : root;
    container.children!.push(compound.get(b.id)!);
  }
  for (const n of doc.nodes) {
    const home = homes.get(n.id);
    const container = home !== undefined ? compound.get(home)! : root;
    container.children!.push({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = [];
  (doc.edges ?? []).forEach((e, i) => {
    if (nodeIds.has(e.from) && nodeIds.has(e.to) && e.from !== e.to) {
      edges.push({ id: `e${i}`, sources: [e.from], targets: [e.to] });
    }
  });
  root.edges = edges;
  return root;
}

/** Reads absolute places from a laid-out ELK graph. */
export function fromElkGraph(graph: ElkNode, doc: Model): FullLayout {
  const boundaryIds = new Set((doc.boundaries ?? []).map((b) => b.id));
  const out: FullLayout = { nodes: {}, boundaries: {} };
  const walk = (node: ElkNode, ox: number, oy: number) => {
    for (const child of node.children ?? []) {
      const x = Math.round(ox + (child.x ?? 0));
      const y = Math.round(oy + (child.y ?? 0));
      if (boundaryIds.has(child.id)) {
        out.boundaries[child.id] = {
          x,
          y,
          width: Math.round(child.width ?? BOUNDARY_DEFAULT.width),
          height: Math.round(child.height ?? BOUNDARY_DEFAULT.height),
        };
        walk(child, x, y);
      } else {
        out.nodes[child.id] = { x, y };
      }
    }
  };
  walk(graph, 0, 0);
  return out;
}

type ElkInstance = { layout(graph: ElkNode): Promise<ElkNode> };
let elk: Promise<ElkInstance> | undefined;

function loadElk(): Promise<ElkInstance> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk;
}

/** Lays the whole document out. */
export async function elkLayout(doc: Model): Promise<FullLayout> {
  const instance = await loadElk();
  const graph = await instance.layout(toElkGraph(doc));
  return fromElkGraph(graph, doc);
}
