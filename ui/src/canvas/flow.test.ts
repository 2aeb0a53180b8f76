import { describe, expect, it } from 'vitest';
import { addBoundary, addNode, connect, emptyModel, moveElements, updateNode } from '../model/document';
import { NODE_WIDTH } from '../model/geometry';
import type { Model } from '../model/types';
import { badgesFor, edgeSides, FlowProjector, HANDLE, HIGHLIGHT_CLASS } from './flow';

function unwrap<T>(result: { ok: true; doc: Model; value: T } | { ok: false; error: string }) {
  if (!result.ok) throw new Error(result.error);
  return result;
}

function sample() {
  let doc = emptyModel('Sample');
  doc = unwrap(addBoundary(doc, { x: 0, y: 0, width: 900, height: 400 })).doc;
  doc = unwrap(addNode(doc, 'agent', { x: 40, y: 80 }, { boundary: 'boundary-1' })).doc;
  doc = unwrap(addNode(doc, 'tool', { x: 500, y: 80 })).doc;
  doc = unwrap(connect(doc, 'agent-1', 'tool-1', 'invokes')).doc;
  return doc;
}

const none = { nodes: [], edges: [] };

describe('the canvas projection', () => {
  it('puts boundaries before their members, with positions relative to the parent', () => {
    const doc = sample();
    const nodes = new FlowProjector().nodes({ doc, selection: [], highlight: none, findings: null });
    expect(nodes.map((n) => n.id)).toEqual(['boundary-1', 'agent-1', 'tool-1']);
    const agent = nodes[1];
    expect(agent.parentId).toBe('boundary-1');
    expect(agent.position).toEqual({ x: 40, y: 80 });
    expect(nodes[0].width).toBe(900);
  });

  it('reuses unchanged objects, so React Flow skips them', () => {
    const projector = new FlowProjector();
    const doc = sample();
    const first = projector.nodes({ doc, selection: [], highlight: none, findings: null });
    const moved = unwrap(updateNode(doc, 'tool-1', { name: 'Billing API' })).doc;
    const second = projector.nodes({ doc: moved, selection: [], highlight: none, findings: null });
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    const edges1 = projector.edges({ doc, selection: [], highlight: none, findings: null });
    const edges2 = projector.edges({ doc: moved, selection: [], highlight: none, findings: null });
    expect(edges2[0]).toBe(edges1[0]);
  });

  it('keeps the very array when nothing in it changed, so React Flow does not re-index it', () => {
    const projector = new FlowProjector();
    const doc = sample();
    const findings = [{ fingerprint: 'f1', rule: 'credential', severity: 'high' as const, subjects: ['tool-1'] }];
    const nodes1 = projector.nodes({ doc, selection: [], highlight: none, findings: null });
    const edges1 = projector.edges({ doc, selection: [], highlight: none, findings: null });
    // A node's name changed: a new node array, the same edge array.
    const renamed = unwrap(updateNode(doc, 'tool-1', { name: 'Billing API' })).doc;
    const nodes2 = projector.nodes({ doc: renamed, selection: [], highlight: none, findings: null });
    expect(nodes2).not.toBe(nodes1);
    expect(projector.edges({ doc: renamed, selection: [], highlight: none, findings: null })).toBe(edges1);
    // A new analysis with a risk on the tool: its badge, in a new node array; edges untouched.
    const nodes3 = projector.nodes({ doc: renamed, selection: [], highlight: none, findings });
    expect(nodes3).not.toBe(nodes2);
    expect(nodes3[2].data).toMatchObject({ badge: { count: 1, severity: 'high' } });
    expect(projector.edges({ doc: renamed, selection: [], highlight: none, findings })).toBe(edges1);
    // The same inputs again: both arrays as they were.
    expect(projector.nodes({ doc: renamed, selection: [], highlight: none, findings })).toBe(nodes3);
    // Selecting the edge changes the edge array.
    const selected = projector.edges({ doc: renamed, selection: ['agent-1--invokes--tool-1'], highlight: none, findings });
    expect(selected).not.toBe(edges1);
    expect(selected[0].selected).toBe(true);
  });

  it('projects the edges again whenever what they show changed, and only then', () => {
    const projector = new FlowProjector();
    const doc = sample();
    const inputs = { selection: [], highlight: none, findings: null };
    const edges1 = projector.edges({ doc, ...inputs });
    expect(edges1[0].sourceHandle).toBe(HANDLE.outRight);
    // A node's fields edited: the very array, not worked out again.
    const edited = unwrap(updateNode(doc, 'agent-1', { description: 'Reads the inbox' })).doc;
    expect(projector.edges({ doc: edited, ...inputs })).toBe(edges1);
    // The tool moved to the agent's left: the edge leaves and arrives on the other sides.
    const moved = moveElements(edited, { 'tool-1': { x: -600, y: 80 } });
    const edges2 = projector.edges({ doc: moved, ...inputs });
    expect(edges2[0].sourceHandle).not.toBe(edges1[0].sourceHandle);
    // An edge to a node not in the document is not drawn; once the node is added, it is, though
    // the edges themselves did not change.
    const dangling: Model = { ...moved, edges: [...(moved.edges ?? []), { from: 'agent-1', relation: 'invokes', to: 'tool-2' }] };
    expect(projector.edges({ doc: dangling, ...inputs })).toHaveLength(1);
    const completed = unwrap(addNode(dangling, 'tool', { x: 500, y: 300 })).doc;
    expect(completed.nodes.at(-1)!.id).toBe('tool-2');
    expect(completed.edges).toBe(dangling.edges);
    expect(projector.edges({ doc: completed, ...inputs }).map((e) => e.target)).toEqual(['tool-1', 'tool-2']);
  });

  it('marks the highlighted path and dims the rest', () => {
    const doc = sample();
    const highlight = { nodes: ['agent-1'], edges: ['agent-1--invokes--tool-1'] };
    const projector = new FlowProjector();
    const nodes = projector.nodes({ doc, selection: [], highlight, findings: null });
    const agent = nodes.find((n) => n.id === 'agent-1')!;
    const tool = nodes.find((n) => n.id === 'tool-1')!;
    expect(agent.className).toBe(HIGHLIGHT_CLASS);
    expect(tool.data.dimmed).toBe(true);
    const [edge] = projector.edges({ doc, selection: [], highlight, findings: null });
    expect(edge.id).toBe('agent-1--invokes--tool-1');
    expect(edge.className).toBe(HIGHLIGHT_CLASS);
  });

  it('attaches edges on the sides that face each other', () => {
    expect(edgeSides({ x: 0, y: 0 }, { x: NODE_WIDTH * 2, y: 0 })).toEqual([HANDLE.outRight, HANDLE.inLeft]);
    expect(edgeSides({ x: NODE_WIDTH * 2, y: 0 }, { x: 0, y: 0 })).toEqual([HANDLE.outLeft, HANDLE.inRight]);
    expect(edgeSides({ x: 0, y: 0 }, { x: 10, y: 300 })).toEqual([HANDLE.outRight, HANDLE.inRight]);
  });

  it('counts open findings on their main subject, with the worst severity', () => {
    const badges = badgesFor([
      { fingerprint: 'a', rule: 'R1', severity: 'medium', subjects: ['agent-1', 'tool-1'] },
      { fingerprint: 'b', rule: 'R2', severity: 'critical', subjects: ['agent-1'] },
      { fingerprint: 'c', rule: 'R3', severity: 'high', status: 'accepted', subjects: ['agent-1'] },
      { fingerprint: 'd', rule: 'R4', severity: 'low', status: 'open', subjects: ['tool-1'] },
    ]);
    expect(badges.get('agent-1')).toEqual({ count: 2, severity: 'critical' });
    expect(badges.get('tool-1')).toEqual({ count: 1, severity: 'low' });
  });
});
