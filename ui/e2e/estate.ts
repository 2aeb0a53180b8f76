// A synthetic estate for measuring at scale: 2,000 nodes of every kind, 100 trust boundaries (80
// teams, 20 of them with a nested one), 2,500 edges of relations the vocabulary allows, laid
// out. The same model on every run (seeded). The canvas's measurement (perf.ts) and tests
// (far-view.spec.ts), and the desktop app's (../e2e-tauri/live.perf.ts), open it.
import { BOUNDARY_HEADER, BOUNDARY_PADDING, NODE_HEIGHT, NODE_WIDTH } from '../src/model/geometry';
import { edgeIdOf } from '../src/model/ids';
import type { Boundary, Model, ModelEdge, ModelNode, NodeKind, NodeProperties, Position, Rect, Zone } from '../src/model/types';
import { validRelations } from '../src/model/vocabulary';

const NODES = 2000;
const TOP_BOUNDARIES = 80;
/** Nested one level down, inside the first top-level boundaries. */
const NESTED_BOUNDARIES = 20;
/** Nodes outside every boundary. */
const LOOSE_NODES = 100;
const EDGES = 2500;
/** Of the edges, the share between two nodes of the same team (boundary and its nested one). */
const LOCAL_EDGES = 0.85;

/** mulberry32: the same model on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KIND_WEIGHTS: [NodeKind, number][] = [
  ['agent', 12],
  ['model', 5],
  ['tool', 20],
  ['identity', 10],
  ['secret', 10],
  ['datastore', 13],
  ['memory', 5],
  ['workflow', 7],
  ['human', 6],
  ['input', 7],
  ['gateway', 5],
];
const ZONE_WEIGHTS: [Zone, number][] = [
  ['corporate', 30],
  ['production', 25],
  ['vendor', 15],
  ['development', 10],
  ['partner', 8],
  ['internet', 7],
  ['endpoint', 5],
];

export function generateModel(seed = 2000): Model {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const weighted = <T>(items: [T, number][]): T => {
    let r = rnd() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1][0];
  };
  const some = <T>(items: readonly T[]): T[] => items.filter(() => rnd() < 0.4).slice(0, 3);
  const properties = (kind: NodeKind): NodeProperties => {
    const p: Record<string, unknown> = {
      agent: { autonomy: pick(['suggest', 'supervised', 'autonomous']), runs_code: rnd() < 0.3, memory: rnd() < 0.5 },
      model: { hosting: pick(['third_party', 'self_hosted']), provider: pick(['Hosted model API', 'In-house cluster']) },
      tool: {
        type: pick(['api', 'mcp_server', 'plugin', 'function', 'browser', 'shell']),
        actions: ['read', ...some(['write', 'delete', 'execute', 'send', 'payment'])],
        provenance: pick(['first_party', 'vendor_verified', 'unverified']),
      },
      identity: { type: pick(['workload', 'service_account', 'user_delegated']) },
      secret: rnd() < 0.5 ? { lifetime: 'jit', ttl: '1h', storage: 'vault' } : { lifetime: 'standing', storage: pick(['env', 'config_file', 'kms']) },
      datastore: { sensitivity: pick(['internal', 'confidential', 'restricted']), contains: some(['pii', 'financial', 'credentials', 'source_code']) },
      memory: { type: pick(['vector_store', 'key_value', 'conversation']), shared: rnd() < 0.3 },
      workflow: { trigger: pick(['schedule', 'event', 'webhook', 'email']), legacy: rnd() < 0.3 },
      human: { role: pick(['Operator', 'Approver', 'Analyst']) },
      input: { trust: pick(['untrusted', 'partner', 'trusted']), channel: pick(['email', 'web', 'chat', 'document', 'api']) },
      gateway: { controls: ['audit_log', ...some(['request_time_policy', 'human_approval', 'rate_limit'])] },
    }[kind] as Record<string, unknown>;
    return p as NodeProperties;
  };

  const nodes: ModelNode[] = [];
  const counters = new Map<NodeKind, number>();
  const newNode = (): ModelNode => {
    const kind = weighted(KIND_WEIGHTS);
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const label = kind[0].toUpperCase() + kind.slice(1);
    const node: ModelNode = { id: `${kind}-${n}`, kind, name: `${label} ${n}`, properties: properties(kind) };
    nodes.push(node);
    return node;
  };

  // 100 boundaries (80 teams, 20 of them with a nested one); 1,900 nodes inside, 100 outside.
  const boundaries: Boundary[] = [];
  const team = new Map<string, number>();
  const inBoundaries = NODES - LOOSE_NODES;
  const total = TOP_BOUNDARIES + NESTED_BOUNDARIES;
  for (let i = 0; i < total; i++) {
    const nested = i >= TOP_BOUNDARIES;
    const teamNo = nested ? i - TOP_BOUNDARIES : i;
    const count = Math.floor(inBoundaries / total) + (i < inBoundaries % total ? 1 : 0);
    const members = Array.from({ length: count }, () => newNode().id);
    for (const id of members) team.set(id, teamNo);
    const id = nested ? `team-${teamNo + 1}-inner` : `team-${teamNo + 1}`;
    boundaries.push({
      id,
      name: nested ? `Team ${teamNo + 1} restricted` : `Team ${teamNo + 1}`,
      zone: nested ? 'production' : weighted(ZONE_WEIGHTS),
      ...(nested ? { parent: `team-${teamNo + 1}` } : {}),
      members,
    });
  }
  for (let i = 0; i < LOOSE_NODES; i++) newNode();

  // Edges: mostly within a team, some across; only relations the vocabulary allows.
  const byTeam = new Map<number, ModelNode[]>();
  for (const node of nodes) {
    const t = team.get(node.id);
    if (t !== undefined) byTeam.set(t, [...(byTeam.get(t) ?? []), node]);
  }
  const edges: ModelEdge[] = [];
  const taken = new Set<string>();
  for (let attempts = 0; edges.length < EDGES && attempts < EDGES * 50; attempts++) {
    const from = pick(nodes);
    const t = team.get(from.id);
    const to = t !== undefined && rnd() < LOCAL_EDGES ? pick(byTeam.get(t)!) : pick(nodes);
    if (to.id === from.id) continue;
    const relations = validRelations(from.kind, to.kind);
    if (relations.length === 0) continue;
    const edge: ModelEdge = { from: from.id, relation: pick(relations), to: to.id };
    if (taken.has(edgeIdOf(edge))) continue;
    taken.add(edgeIdOf(edge));
    edges.push(edge);
  }

  // Layout: each boundary a grid of its nodes (4 across), its nested boundary below them; the
  // teams on a grid 10 across; the loose nodes in rows underneath.
  const layoutNodes: Record<string, Position> = {};
  const layoutBoxes: Record<string, Rect> = {};
  const GAP = 40;
  const COLUMNS = 4;
  const grid = (count: number) => {
    const rows = Math.ceil(count / COLUMNS);
    return { width: COLUMNS * NODE_WIDTH + (COLUMNS - 1) * GAP, height: rows * NODE_HEIGHT + (rows - 1) * GAP };
  };
  const size = (b: Boundary): { width: number; height: number } => {
    const own = grid(b.members?.length ?? 0);
    const child = boundaries.find((c) => c.parent === b.id);
    const inner = child ? size(child) : undefined;
    return {
      width: Math.max(own.width, inner?.width ?? 0) + 2 * BOUNDARY_PADDING,
      height: BOUNDARY_HEADER + 2 * BOUNDARY_PADDING + own.height + (inner ? GAP + inner.height : 0),
    };
  };
  const place = (b: Boundary, x: number, y: number) => {
    const box = { x, y, ...size(b) };
    layoutBoxes[b.id] = box;
    (b.members ?? []).forEach((id, i) => {
      layoutNodes[id] = {
        x: x + BOUNDARY_PADDING + (i % COLUMNS) * (NODE_WIDTH + GAP),
        y: y + BOUNDARY_HEADER + BOUNDARY_PADDING + Math.floor(i / COLUMNS) * (NODE_HEIGHT + GAP),
      };
    });
    const child = boundaries.find((c) => c.parent === b.id);
    if (child) place(child, x + BOUNDARY_PADDING, y + BOUNDARY_HEADER + BOUNDARY_PADDING + grid(b.members?.length ?? 0).height + GAP);
  };
  const top = boundaries.filter((b) => !b.parent);
  const cellWidth = Math.max(...top.map((b) => size(b).width)) + 120;
  let y = 0;
  for (let row = 0; row * 10 < top.length; row++) {
    const inRow = top.slice(row * 10, row * 10 + 10);
    inRow.forEach((b, column) => place(b, column * cellWidth, y));
    y += Math.max(...inRow.map((b) => size(b).height)) + 120;
  }
  nodes
    .filter((n) => !team.has(n.id))
    .forEach((n, i) => {
      layoutNodes[n.id] = { x: (i % 20) * (NODE_WIDTH + 64), y: y + Math.floor(i / 20) * (NODE_HEIGHT + 56) };
    });

  return {
    bartizan: 1,
    metadata: { name: 'Synthetic estate, 2,000 nodes', description: 'Generated by ui/e2e/estate.ts.' },
    nodes,
    edges,
    boundaries,
    layout: { nodes: layoutNodes, boundaries: layoutBoxes },
  };
}
