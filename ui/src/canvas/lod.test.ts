import { describe, expect, it } from 'vitest';
import { addBoundary, addNode, connect, emptyModel, moveElements, updateBoundary, updateNode } from '../model/document';
import { BOUNDARY_HEADER, NODE_HEIGHT, NODE_WIDTH } from '../model/geometry';
import { edgeIdOf } from '../model/ids';
import type { Model } from '../model/types';
import { KIND_COLOURS, ZONE_COLOURS } from './kinds';
import { drawScene, hitTest, paletteFrom, SceneCache, sceneOf, type Context2D, type Palette } from './lod';

function unwrap<T>(result: { ok: true; doc: Model; value: T } | { ok: false; error: string }) {
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** A boundary at (100, 100) holding an agent; a tool outside it, to the right; agent → tool. */
function sample() {
  let doc = emptyModel('Sample');
  doc = unwrap(addBoundary(doc, { x: 100, y: 100, width: 900, height: 400 })).doc;
  doc = unwrap(addNode(doc, 'agent', { x: 140, y: 180 }, { boundary: 'boundary-1' })).doc;
  doc = unwrap(addNode(doc, 'tool', { x: 1200, y: 180 })).doc;
  doc = unwrap(connect(doc, 'agent-1', 'tool-1', 'invokes')).doc;
  return doc;
}

const none = { nodes: [], edges: [] };

describe('the far view scene', () => {
  it('places nodes, boundaries and edges in diagram coordinates, edges between the facing sides', () => {
    const doc = sample();
    const scene = sceneOf({ doc, selection: [], highlight: none, findings: null });
    expect(scene.boundaries.map((b) => [b.id, b.rect])).toEqual([['boundary-1', { x: 100, y: 100, width: 900, height: 400 }]]);
    expect(scene.nodes.map((n) => [n.id, n.kind, n.x, n.y])).toEqual([
      ['agent-1', 'agent', 140, 180],
      ['tool-1', 'tool', 1200, 180],
    ]);
    const edge = scene.edges[0];
    expect(edge.id).toBe(edgeIdOf(doc.edges![0]));
    // Out of the agent's right side, into the tool's left side.
    expect(edge.from).toEqual({ x: 140 + NODE_WIDTH, y: 180 + NODE_HEIGHT / 2 });
    expect(edge.to).toEqual({ x: 1200, y: 180 + NODE_HEIGHT / 2 });
    expect(scene.bounds).toEqual({ x: 100, y: 100, width: 1200 + NODE_WIDTH - 100, height: 400 });
  });

  it('carries the selection, the highlight (dimming the rest) and each node\'s worst open risk', () => {
    const doc = sample();
    const scene = sceneOf({
      doc,
      selection: ['tool-1'],
      highlight: { nodes: ['agent-1'], edges: [] },
      findings: [
        { fingerprint: 'a', rule: 'r', severity: 'medium', subjects: ['agent-1'] },
        { fingerprint: 'b', rule: 'r', severity: 'critical', subjects: ['agent-1'] },
        { fingerprint: 'c', rule: 'r', severity: 'high', status: 'accepted', subjects: ['tool-1'] },
      ],
    });
    const [agent, tool] = scene.nodes;
    expect([agent.highlighted, agent.dimmed, agent.selected, agent.risk]).toEqual([true, false, false, 'critical']);
    expect([tool.highlighted, tool.dimmed, tool.selected, tool.risk]).toEqual([false, true, true, undefined]);
    expect(scene.edges[0].dimmed).toBe(true);
    expect(scene.boundaries[0].dimmed).toBe(true);
  });

  it('is empty, without bounds, for an empty diagram', () => {
    const scene = sceneOf({ doc: emptyModel('Empty'), selection: [], highlight: none, findings: null });
    expect(scene).toEqual({ boundaries: [], nodes: [], edges: [], bounds: undefined });
  });
});

describe('the far view scene, kept while nothing it draws changes', () => {
  it('is the same scene after an edit of a node\'s fields, and a new one after anything it draws', () => {
    const cache = new SceneCache();
    const doc = sample();
    const inputs = { selection: [], highlight: none, findings: null };
    const first = cache.of({ doc, ...inputs });
    const renamed = unwrap(updateNode(doc, 'agent-1', { name: 'Mail agent', description: 'Reads the inbox' })).doc;
    expect(cache.of({ doc: renamed, ...inputs })).toBe(first);

    const changes: [string, Parameters<SceneCache['of']>[0]][] = [
      ['a node moved', { doc: moveElements(renamed, { 'tool-1': { x: 1300, y: 180 } }), ...inputs }],
      ['a boundary renamed', { doc: unwrap(updateBoundary(renamed, 'boundary-1', { name: 'Corp' })).doc, ...inputs }],
      ['a node added', { doc: unwrap(addNode(renamed, 'human', { x: 0, y: 600 })).doc, ...inputs }],
      ['the selection', { doc: renamed, ...inputs, selection: ['tool-1'] }],
      ['the findings', { doc: renamed, ...inputs, findings: [{ fingerprint: 'f', rule: 'r', severity: 'high', subjects: ['tool-1'] }] }],
    ];
    for (const [what, changed] of changes) {
      const fresh = new SceneCache();
      fresh.of({ doc: renamed, ...inputs });
      expect(fresh.of(changed), what).toEqual(sceneOf(changed));
      expect(fresh.of(changed), what).not.toEqual(first);
    }
    // A new analysis that leaves every badge as it was (a rename changes the risks' titles,
    // not their places or severities) keeps the scene; one that changes a badge does not.
    const marker = { fingerprint: 'f', rule: 'r', severity: 'high' as const, subjects: ['tool-1'] };
    const analysed = cache.of({ doc: renamed, ...inputs, findings: [{ ...marker, title: 'Before' }] });
    expect(cache.of({ doc: renamed, ...inputs, findings: [{ ...marker, title: 'After the rename' }] })).toBe(analysed);
    const lesser = { ...marker, fingerprint: 'g', severity: 'low' as const };
    expect(cache.of({ doc: renamed, ...inputs, findings: [marker, lesser] }), 'a lesser risk at the same node').toBe(analysed);
    const worse = cache.of({ doc: renamed, ...inputs, findings: [{ ...marker, severity: 'critical' }] });
    expect(worse).not.toBe(analysed);
    expect(worse.nodes.find((n) => n.id === 'tool-1')).toEqual(sceneOf({ doc: renamed, ...inputs, findings: [{ ...marker, severity: 'critical' }] }).nodes.find((n) => n.id === 'tool-1'));
    const triaged = cache.of({ doc: renamed, ...inputs, findings: [{ ...marker, severity: 'critical', status: 'accepted' }] });
    expect(triaged).not.toBe(worse);
    // A node's kind is drawn (its colour): a new scene.
    const retyped: Model = { ...renamed, nodes: renamed.nodes.map((n) => (n.id === 'tool-1' ? { ...n, kind: 'datastore' } : n)) };
    expect(cache.of({ doc: retyped, ...inputs }).nodes.find((n) => n.id === 'tool-1')?.kind).toBe('datastore');
  });
});

describe('hit testing the far view', () => {
  const scene = sceneOf({ doc: sample(), selection: [], highlight: none, findings: null });

  it('finds the node under the point', () => {
    expect(hitTest(scene, { x: 150, y: 190 })).toBe('agent-1');
    expect(hitTest(scene, { x: 1200 + NODE_WIDTH, y: 180 + NODE_HEIGHT })).toBe('tool-1');
  });

  it('takes the nearest node within the slop, and nothing beyond it', () => {
    expect(hitTest(scene, { x: 1190, y: 200 }, 20)).toBe('tool-1');
    expect(hitTest(scene, { x: 1190, y: 200 }, 5)).toBeNull();
  });

  it('finds a boundary by its title band only', () => {
    expect(hitTest(scene, { x: 600, y: 100 + BOUNDARY_HEADER - 1 })).toBe('boundary-1');
    expect(hitTest(scene, { x: 600, y: 400 })).toBeNull();
  });

  it('prefers the innermost boundary and a node over a boundary', () => {
    let doc = sample();
    doc = unwrap(addBoundary(doc, { x: 120, y: 120, width: 400, height: 300 }, { parent: 'boundary-1' })).doc;
    const nested = sceneOf({ doc, selection: [], highlight: none, findings: null });
    expect(hitTest(nested, { x: 130, y: 130 })).toBe('boundary-2');
    expect(hitTest(nested, { x: 110, y: 110 })).toBe('boundary-1');
    expect(hitTest(nested, { x: 150, y: 190 })).toBe('agent-1');
  });
});

describe('the far view palette', () => {
  const theme = (vars: Record<string, string>) => ({ getPropertyValue: (name: string) => vars[name] ?? '' });

  it('takes kinds and zones from their one table and the rest from the theme\'s variables', () => {
    const light = paletteFrom(theme({ '--edge': ' #7b8494', '--accent': '#2563eb', '--sev-critical': '#b91c1c' }));
    const dark = paletteFrom(theme({ '--edge': '#8a93a3', '--accent': '#5b9cff', '--sev-critical': '#f87171' }));
    expect(light.kinds).toBe(KIND_COLOURS);
    expect(light.zones).toBe(ZONE_COLOURS);
    expect([light.edge, light.accent, light.severity.critical]).toEqual(['#7b8494', '#2563eb', '#b91c1c']);
    expect([dark.edge, dark.accent, dark.severity.critical]).toEqual(['#8a93a3', '#5b9cff', '#f87171']);
  });
});

/** A context that records the rectangles filled and the colour each was filled with. */
function recordingContext() {
  const fills: { colour: string; rect: number[] }[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    textBaseline: 'alphabetic',
    lineJoin: 'miter',
    setTransform() {},
    clearRect() {},
    fillRect(x: number, y: number, w: number, h: number) {
      fills.push({ colour: String(ctx.fillStyle), rect: [x, y, w, h] });
    },
    strokeRect() {},
    beginPath() {},
    moveTo() {},
    lineTo() {},
    arc() {},
    fill() {},
    stroke() {},
    fillText() {},
    strokeText() {},
    setLineDash() {},
  };
  return { ctx: ctx as unknown as Context2D, fills };
}

describe('drawing the far view', () => {
  const palette: Palette = paletteFrom({ getPropertyValue: () => '#000000' });
  const scene = sceneOf({ doc: sample(), selection: [], highlight: none, findings: null });

  it('fills each node in view with its kind\'s colour, at its place', () => {
    const { ctx, fills } = recordingContext();
    drawScene(ctx, scene, { x: 0, y: 0, zoom: 0.1 }, palette, { pixelRatio: 1, width: 400, height: 300, detail: 'full' });
    const nodeFills = fills.filter((f) => f.rect[2] === NODE_WIDTH && f.rect[3] === NODE_HEIGHT);
    expect(nodeFills).toEqual([
      { colour: KIND_COLOURS.agent, rect: [140, 180, NODE_WIDTH, NODE_HEIGHT] },
      { colour: KIND_COLOURS.tool, rect: [1200, 180, NODE_WIDTH, NODE_HEIGHT] },
    ]);
  });

  it('while React Flow mounts what is in view, draws only the nodes still to mount', () => {
    const { ctx, fills } = recordingContext();
    drawScene(ctx, scene, { x: 0, y: 0, zoom: 0.1 }, palette, {
      pixelRatio: 1,
      width: 400,
      height: 300,
      detail: 'edges',
      pending: new Set(['tool-1']),
    });
    expect(fills.map((f) => f.colour)).toEqual([KIND_COLOURS.tool]);
  });

  it('leaves out what is outside the view', () => {
    const { ctx, fills } = recordingContext();
    // 100 pixels wide at 10%: diagram x from 0 to 1,000, so the tool at 1,200 is out of view.
    drawScene(ctx, scene, { x: 0, y: 0, zoom: 0.1 }, palette, { pixelRatio: 1, width: 100, height: 300, detail: 'full' });
    expect(fills.filter((f) => f.rect[2] === NODE_WIDTH).map((f) => f.colour)).toEqual([KIND_COLOURS.agent]);
  });
});
