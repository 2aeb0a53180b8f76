/**
 * The far level of detail: below `FAR_ZOOM` the diagram is drawn into one <canvas> instead of
 * being thousands of React Flow nodes and edges. This module is the pure part — the scene (what
 * to draw, in diagram coordinates), hit testing (which element a click lands on) and drawing
 * onto a 2D context — so that it can be tested without a browser.
 */
import { BOUNDARY_HEADER, fullLayout, NODE_HEIGHT, NODE_WIDTH } from '../model/geometry';
import { edgeIdOf } from '../model/ids';
import { boundariesTopDown, boundaryDepths } from '../model/structure';
import type { Model, NodeKind, Position, Rect, Severity, Zone } from '../model/types';
import type { DiffMark, FindingMarker, Highlight } from '../store';
import { badgesFor, drawnAlike, edgeSides, HANDLE, type Badge } from './flow';
import { KIND_COLOURS, ZONE_COLOURS } from './kinds';

/**
 * Below this zoom the canvas draws the diagram itself. A node's name is 15 px, so at 0.22 it
 * is 3.3 px on screen and its icon 5 px: nothing in a node can be read or told apart any more,
 * each is a block of its kind's colour (as the DOM drew them below this zoom before). Higher,
 * the examples' fitted views (about 0.35) would lose their icons.
 */
export const FAR_ZOOM = 0.22;

export interface SceneBoundary {
  id: string;
  name: string;
  zone: Zone;
  rect: Rect;
  selected: boolean;
  highlighted: boolean;
  dimmed: boolean;
  diff?: DiffMark;
}

export interface SceneNode {
  id: string;
  kind: NodeKind;
  /** Top-left corner in diagram coordinates; every node is NODE_WIDTH × NODE_HEIGHT. */
  x: number;
  y: number;
  selected: boolean;
  highlighted: boolean;
  dimmed: boolean;
  /** The worst severity of its open risks, when it has any. */
  risk?: Severity;
  diff?: DiffMark;
}

export interface SceneEdge {
  id: string;
  from: Position;
  to: Position;
  selected: boolean;
  highlighted: boolean;
  dimmed: boolean;
  diff?: DiffMark;
}

export interface Scene {
  /** Outer boundaries first, so inner ones draw on top. */
  boundaries: SceneBoundary[];
  nodes: SceneNode[];
  edges: SceneEdge[];
  /** Everything drawn, or undefined for an empty diagram. */
  bounds?: Rect;
}

export interface SceneInputs {
  doc: Model;
  selection: string[];
  highlight: Highlight;
  findings: FindingMarker[] | null;
  marks?: Record<string, DiffMark> | null;
}

/** Where an edge leaves or arrives on a node, as `edgeSides` (and so React Flow) has it. */
function handlePoint(place: Position, handle: string): Position {
  const right = handle === HANDLE.outRight || handle === HANDLE.inRight;
  return { x: place.x + (right ? NODE_WIDTH : 0), y: place.y + NODE_HEIGHT / 2 };
}

/** What the far view draws: the document with its view state (selection, highlight, risks). */
export function sceneOf({ doc, selection, highlight, findings, marks }: SceneInputs, badges = badgesFor(findings)): Scene {
  const full = fullLayout(doc);
  const selected = new Set(selection);
  const litNodes = new Set(highlight.nodes);
  const litEdges = new Set(highlight.edges);
  const dimming = highlight.nodes.length > 0 || highlight.edges.length > 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const grow = (x: number, y: number, width: number, height: number) => {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + width);
    y1 = Math.max(y1, y + height);
  };

  const depths = boundaryDepths(doc);
  const boundaries: SceneBoundary[] = boundariesTopDown(doc)
    .filter((b) => full.boundaries[b.id])
    .sort((a, b) => (depths.get(a.id) ?? 0) - (depths.get(b.id) ?? 0))
    .map((b) => {
      const rect = full.boundaries[b.id];
      grow(rect.x, rect.y, rect.width, rect.height);
      const highlighted = litNodes.has(b.id);
      return {
        id: b.id,
        name: b.name,
        zone: b.zone,
        rect,
        selected: selected.has(b.id),
        highlighted,
        dimmed: dimming && !highlighted,
        diff: marks?.[b.id],
      };
    });

  const nodes: SceneNode[] = [];
  for (const n of doc.nodes) {
    const place = full.nodes[n.id];
    if (!place) continue;
    grow(place.x, place.y, NODE_WIDTH, NODE_HEIGHT);
    const highlighted = litNodes.has(n.id);
    nodes.push({
      id: n.id,
      kind: n.kind,
      x: place.x,
      y: place.y,
      selected: selected.has(n.id),
      highlighted,
      dimmed: dimming && !highlighted,
      risk: badges.get(n.id)?.severity,
      diff: marks?.[n.id],
    });
  }

  const edges: SceneEdge[] = [];
  const seen = new Set<string>();
  for (const e of doc.edges ?? []) {
    const from = full.nodes[e.from];
    const to = full.nodes[e.to];
    const id = edgeIdOf(e);
    if (!from || !to || seen.has(id)) continue;
    seen.add(id);
    const [out, into] = edgeSides(from, to);
    const highlighted = litEdges.has(id);
    edges.push({
      id,
      from: handlePoint(from, out),
      to: handlePoint(to, into),
      selected: selected.has(id),
      highlighted,
      dimmed: dimming && !highlighted,
      diff: marks?.[id],
    });
  }

  const bounds = x0 <= x1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
  return { boundaries, nodes, edges, bounds };
}

/** Whether the scene draws the same risks with these badges: the worst severity at each node. */
function sameRiskColours(a: ReadonlyMap<string, Badge>, b: ReadonlyMap<string, Badge>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [node, badge] of a) if (b.get(node)?.severity !== badge.severity) return false;
  return true;
}

/**
 * `sceneOf`, worked out again only when something it draws changed. The scene has no node
 * names, and of the risks only the worst severity at each node, so neither an edit of a node's
 * fields nor a new analysis that leaves those as they were gives a new scene: the far view and
 * the minimap do not redraw the whole diagram for them.
 */
export class SceneCache {
  private last: { inputs: SceneInputs; badges: Map<string, Badge>; scene: Scene } | null = null;

  of(inputs: SceneInputs): Scene {
    const last = this.last;
    const badges = last?.inputs.findings === inputs.findings ? last.badges : badgesFor(inputs.findings);
    if (last && sameRiskColours(last.badges, badges) && drawnAlike(last.inputs, inputs)) {
      this.last = { inputs, badges, scene: last.scene };
      return last.scene;
    }
    const scene = sceneOf(inputs, badges);
    this.last = { inputs, badges, scene };
    return scene;
  }
}

/**
 * The element under a diagram point: a node (within `slop` diagram units of it, the nearest
 * one — a node is a few pixels tall far out), else a boundary's title band (where a boundary
 * takes the pointer in the near view too), the innermost first. Null over empty canvas.
 */
export function hitTest(scene: Scene, p: Position, slop = 0): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const n of scene.nodes) {
    const dx = Math.max(n.x - p.x, 0, p.x - (n.x + NODE_WIDTH));
    const dy = Math.max(n.y - p.y, 0, p.y - (n.y + NODE_HEIGHT));
    const distance = Math.hypot(dx, dy);
    // Later nodes are drawn on top: on a tie, they win.
    if (distance <= slop && distance <= bestDistance) {
      best = n.id;
      bestDistance = distance;
    }
  }
  if (best) return best;
  for (let i = scene.boundaries.length - 1; i >= 0; i--) {
    const { id, rect } = scene.boundaries[i];
    if (
      p.x >= rect.x - slop &&
      p.x <= rect.x + rect.width + slop &&
      p.y >= rect.y - slop &&
      p.y <= rect.y + BOUNDARY_HEADER
    ) {
      return id;
    }
  }
  return null;
}

/** The colours the far view draws with: kinds and zones from their tables, the rest from the theme. */
export interface Palette {
  kinds: Record<NodeKind, string>;
  zones: Record<Zone, string>;
  edge: string;
  accent: string;
  highlight: string;
  surface: string;
  text: string;
  /** The UI's font family, for boundary names. */
  font: string;
  severity: Record<Severity, string>;
  diff: Record<DiffMark, string>;
}

/** Reads the theme's colours from the CSS variables in effect on `style` (see styles.css). */
export function paletteFrom(style: Pick<CSSStyleDeclaration, 'getPropertyValue'>): Palette {
  const v = (name: string) => style.getPropertyValue(name).trim();
  return {
    kinds: KIND_COLOURS,
    zones: ZONE_COLOURS,
    edge: v('--edge'),
    accent: v('--accent'),
    highlight: v('--highlight'),
    surface: v('--surface'),
    text: v('--text'),
    font: v('--font') || 'sans-serif',
    severity: {
      critical: v('--sev-critical'),
      high: v('--sev-high'),
      medium: v('--sev-medium'),
      low: v('--sev-low'),
      info: v('--sev-info'),
    },
    diff: { added: v('--diff-added'), changed: v('--diff-changed'), removed: v('--diff-removed') },
  };
}

/** A viewport as React Flow has it: screen = diagram × zoom + (x, y). */
export interface View {
  x: number;
  y: number;
  zoom: number;
}

export interface DrawOptions {
  /** Device pixels per CSS pixel. */
  pixelRatio: number;
  /** The drawn area in CSS pixels. */
  width: number;
  height: number;
  /**
   * What to draw: everything; for the minimap, boundaries and nodes only; or the edges and the
   * `pending` nodes (while React Flow mounts what is in view, see Canvas.tsx).
   */
  detail: 'full' | 'map' | 'edges';
  pending?: ReadonlySet<string>;
  /** Edges React Flow has mounted: not drawn. */
  mountedEdges?: ReadonlySet<string>;
}

/** The subset of CanvasRenderingContext2D the drawing uses. */
export type Context2D = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'clearRect'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'fill'
  | 'stroke'
  | 'fillText'
  | 'strokeText'
  | 'lineJoin'
  | 'setLineDash'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'globalAlpha'
  | 'font'
  | 'textBaseline'
>;

/**
 * Draws the scene in the view. Sizes that must stay visible however far out (edge widths,
 * dashes, rings, risk markers) are set in screen pixels; everything else scales with the zoom.
 */
export function drawScene(ctx: Context2D, scene: Scene, view: View, palette: Palette, options: DrawOptions): void {
  const { pixelRatio: ratio, width, height, detail } = options;
  const k = view.zoom;
  const px = 1 / k; // one screen pixel in diagram units
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.setTransform(ratio * k, 0, 0, ratio * k, ratio * view.x, ratio * view.y);
  // What is in view, in diagram units: the rest is skipped.
  const left = -view.x / k;
  const top = -view.y / k;
  const right = left + width / k;
  const bottom = top + height / k;
  const visible = (x: number, y: number, w: number, h: number) => x <= right && x + w >= left && y <= bottom && y + h >= top;

  const shapes = detail !== 'edges';
  const extras = detail === 'full';
  // Boundaries: a faint wash and a dashed outline of their zone's colour, and their title bar.
  for (const b of shapes ? scene.boundaries : []) {
    const { x, y, width: w, height: h } = b.rect;
    if (!visible(x, y, w, h)) continue;
    const colour = b.highlighted ? palette.highlight : b.diff ? palette.diff[b.diff] : palette.zones[b.zone];
    const alpha = b.dimmed ? 0.38 : 1;
    ctx.globalAlpha = alpha * 0.05;
    ctx.fillStyle = palette.zones[b.zone];
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = colour;
    ctx.lineWidth = Math.max(2, (b.selected || b.highlighted || b.diff ? 2.5 : 1.25) * px);
    ctx.setLineDash(b.selected || b.highlighted || (b.diff && b.diff !== 'removed') ? [] : [5 * px, 3 * px]);
    ctx.strokeRect(x, y, w, h);
    ctx.setLineDash([]);
    if (extras) {
      // The zone chip of the title bar, at its place.
      ctx.fillStyle = palette.zones[b.zone];
      ctx.fillRect(x + 10, y + 8, Math.min(w - 20, 96), 28);
    }
  }
  ctx.globalAlpha = 1;

  if (detail !== 'map') {
    // Edges: straight lines, batched by how they look (one path each).
    const styles: { pick: (e: SceneEdge) => boolean; colour: string; width: number; alpha: number }[] = [
      { pick: (e) => e.dimmed && !e.selected && !e.diff, colour: palette.edge, width: 0.75, alpha: 0.22 * 0.6 },
      { pick: (e) => !e.dimmed && !e.selected && !e.highlighted && !e.diff, colour: palette.edge, width: 0.75, alpha: 0.6 },
      { pick: (e) => !!e.diff && e.diff === 'added', colour: palette.diff.added, width: 2, alpha: 1 },
      { pick: (e) => !!e.diff && e.diff === 'changed', colour: palette.diff.changed, width: 2, alpha: 1 },
      { pick: (e) => !!e.diff && e.diff === 'removed', colour: palette.diff.removed, width: 2, alpha: 1 },
      { pick: (e) => e.selected, colour: palette.accent, width: 2, alpha: 1 },
      { pick: (e) => e.highlighted && !e.selected, colour: palette.highlight, width: 3, alpha: 1 },
    ];
    for (const style of styles) {
      ctx.beginPath();
      let any = false;
      for (const e of scene.edges) {
        if (!style.pick(e) || options.mountedEdges?.has(e.id)) continue;
        const ex = Math.min(e.from.x, e.to.x);
        const ey = Math.min(e.from.y, e.to.y);
        if (!visible(ex, ey, Math.abs(e.to.x - e.from.x), Math.abs(e.to.y - e.from.y))) continue;
        ctx.moveTo(e.from.x, e.from.y);
        ctx.lineTo(e.to.x, e.to.y);
        any = true;
      }
      if (!any) continue;
      ctx.globalAlpha = style.alpha;
      ctx.strokeStyle = style.colour;
      ctx.lineWidth = Math.max(style.width * px, 1.7);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  const pending = options.pending;
  // Nodes: a block of their kind's colour, as the near view's colour strip and icon.
  for (const n of scene.nodes) {
    if (!shapes && !pending?.has(n.id)) continue;
    if (!visible(n.x, n.y, NODE_WIDTH, NODE_HEIGHT)) continue;
    ctx.globalAlpha = n.dimmed ? 0.38 : 1;
    ctx.fillStyle = palette.kinds[n.kind];
    ctx.fillRect(n.x, n.y, NODE_WIDTH, NODE_HEIGHT);
  }
  ctx.globalAlpha = 1;
  if (!shapes) return;

  // Rings for what is selected, highlighted or compared, over the blocks.
  for (const n of scene.nodes) {
    if (!n.selected && !n.highlighted && !n.diff) continue;
    if (!visible(n.x, n.y, NODE_WIDTH, NODE_HEIGHT)) continue;
    ctx.strokeStyle = n.selected ? palette.accent : n.highlighted ? palette.highlight : palette.diff[n.diff!];
    const ring = (n.selected || n.highlighted ? 3 : 2) * px;
    ctx.lineWidth = ring;
    ctx.strokeRect(n.x - ring / 2 - px, n.y - ring / 2 - px, NODE_WIDTH + ring + 2 * px, NODE_HEIGHT + ring + 2 * px);
  }

  if (extras) {
    // Risk markers: a dot of the worst severity at the node's top-right corner, never under 3 px.
    const radius = Math.max(12, 3 * px);
    for (const n of scene.nodes) {
      if (!n.risk || !visible(n.x, n.y - radius, NODE_WIDTH + radius, NODE_HEIGHT + radius)) continue;
      ctx.globalAlpha = n.dimmed ? 0.38 : 1;
      ctx.fillStyle = palette.severity[n.risk];
      ctx.beginPath();
      ctx.arc(n.x + NODE_WIDTH, n.y, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;

    // Boundary names at a readable size (with a halo, over whatever is under them), where the
    // boundary is wide enough on screen to hold one.
    const fontSize = 11;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = `600 ${fontSize}px ${palette.font}`;
    ctx.textBaseline = 'top';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3;
    ctx.strokeStyle = palette.surface;
    ctx.fillStyle = palette.text;
    for (const b of scene.boundaries) {
      const sx = b.rect.x * k + view.x;
      const sy = b.rect.y * k + view.y;
      const sw = b.rect.width * k;
      if (sw < 60 || sx > width || sy > height || sx + sw < 0 || sy + fontSize < 0) continue;
      ctx.globalAlpha = b.dimmed ? 0.38 : 1;
      ctx.strokeText(b.name, sx + 5, sy + 4, sw - 10);
      ctx.fillText(b.name, sx + 5, sy + 4, sw - 10);
    }
    ctx.globalAlpha = 1;
  }
}
