import { beforeEach, describe, expect, it, vi } from 'vitest';
import customerSupport from './generated/examples/customer-support.json';
import { fullLayout, NODE_HEIGHT, NODE_WIDTH } from './model/geometry';
import { derivedEdgeId, edgeIdOf, takenIds } from './model/ids';
import { nodeHomes } from './model/structure';
import type { Model, NodeKind, Relation } from './model/types';
import { KIND_WORDS, RELATIONS, validRelations } from './model/vocabulary';
import { backend, loadBackend } from './backend';
import { fakeAnalysis, fakeControls } from './backend/fake';
import { fingerprint } from './backend/fingerprint';
import { useStore } from './store';

const example = (customerSupport as unknown as { doc: Model }).doc;
const store = () => useStore.getState();

function fresh(doc?: Model) {
  store().replaceDocument(doc ?? { bartizan: 1, metadata: { name: 'Test' }, nodes: [] }, null);
  store().setHighlight(null);
  useStore.setState({ clipboard: null, notice: null });
}

/** A model as it crosses the save/load seam: JSON text and back. */
function roundTrip(doc: Model): Model {
  return JSON.parse(JSON.stringify(doc)) as Model;
}

describe('undo and redo', () => {
  beforeEach(() => fresh());

  it('undoes and redoes each command, one step at a time', () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 400, y: 0 });
    store().connect(agent, tool, 'invokes');
    store().updateNode(agent, { name: 'Support agent' });
    expect(store().doc.nodes).toHaveLength(2);
    expect(store().doc.edges).toHaveLength(1);

    store().undo();
    expect(store().doc.nodes.find((n) => n.id === agent)?.name).toBe('Agent 1');
    store().undo();
    expect(store().doc.edges ?? []).toHaveLength(0);
    store().undo();
    store().undo();
    expect(store().doc.nodes).toHaveLength(0);
    expect(store().canUndo).toBe(false);
    expect(store().dirty).toBe(false);

    store().redo();
    store().redo();
    store().redo();
    store().redo();
    expect(store().canRedo).toBe(false);
    expect(store().doc.edges).toHaveLength(1);
    expect(store().doc.nodes.find((n) => n.id === agent)?.name).toBe('Support agent');
  });

  it('drops the redo stack on a new edit', () => {
    store().addNode('agent', { x: 0, y: 0 });
    store().undo();
    expect(store().canRedo).toBe(true);
    store().addNode('tool', { x: 0, y: 0 });
    expect(store().canRedo).toBe(false);
  });

  it('makes a whole gesture one step', () => {
    const id = store().addNode('agent', { x: 0, y: 0 });
    store().beginGesture();
    for (let i = 1; i <= 10; i++) store().moveElements({ [id]: { x: i * 10, y: i } });
    store().endGesture();
    expect(store().doc.layout?.nodes?.[id]).toEqual({ x: 100, y: 10 });
    store().undo();
    expect(store().doc.layout?.nodes?.[id]).toEqual({ x: 0, y: 0 });
  });

  it('tracks unsaved changes against the saved document', () => {
    store().addNode('agent', { x: 0, y: 0 });
    expect(store().dirty).toBe(true);
    store().markSaved('/tmp/a.bartizan.yaml');
    expect(store().dirty).toBe(false);
    expect(store().path).toBe('/tmp/a.bartizan.yaml');
    store().addNode('tool', { x: 0, y: 0 });
    expect(store().dirty).toBe(true);
    store().undo();
    expect(store().dirty).toBe(false);
  });

  it('keeps selection and highlight out of history', () => {
    const id = store().addNode('agent', { x: 0, y: 0 });
    store().select([]);
    store().setHighlight({ nodes: [id], edges: [] });
    expect(store().canRedo).toBe(false);
    store().undo();
    expect(store().selection).toEqual([]);
  });
});

describe('a read-only document', () => {
  it('refuses every edit, says why, and is editable again once another document loads', () => {
    const errors = [{ severity: 'error' as const, code: 'unknown-variant', message: 'unknown relation `invokez`', line: 12, column: 15 }];
    store().replaceDocument(roundTrip(example), '/m/typos.bartizan.yaml', { readOnly: { errors } });
    const doc = store().doc;
    expect(store().readOnly).toEqual({ errors });
    store().addNode('agent', { x: 0, y: 0 });
    store().updateMetadata({ name: 'Renamed' });
    store().moveElements({ [doc.nodes[0].id]: { x: 999, y: 999 } });
    store().deleteElements([doc.nodes[0].id]);
    store().restoreDocument(roundTrip(example));
    expect(store().doc).toBe(doc);
    expect(store().dirty).toBe(false);
    expect(store().canUndo).toBe(false);
    expect(store().notice?.text).toMatch(/read-only.*reopen/);

    store().replaceDocument(roundTrip(example), '/m/typos.bartizan.yaml');
    expect(store().readOnly).toBeNull();
    store().addNode('agent', { x: 0, y: 0 });
    expect(store().dirty).toBe(true);
  });
});

describe('valid relations only', () => {
  beforeEach(() => fresh());

  it('offers exactly the relations of the engine table', () => {
    expect(validRelations('agent', 'tool')).toEqual(['invokes']);
    expect(validRelations('agent', 'secret')).toEqual(['holds']);
    expect(validRelations('human', 'agent')).toEqual(['invokes', 'delegates', 'approves', 'triggers']);
    expect(validRelations('secret', 'secret')).toEqual([]);
    for (const from of KIND_WORDS) {
      for (const to of KIND_WORDS) {
        for (const r of validRelations(from, to)) {
          const row = RELATIONS.find((x) => x.relation === r)!;
          expect(row.from).toContain(from);
          expect(row.to).toContain(to);
        }
      }
    }
  });

  it('connects only valid pairs, once', () => {
    const ids = new Map<NodeKind, string>();
    for (const kind of KIND_WORDS) ids.set(kind, store().addNode(kind, { x: 0, y: 0 }));
    let valid = 0;
    for (const from of KIND_WORDS) {
      for (const to of KIND_WORDS) {
        if (from === to) continue;
        for (const { relation } of RELATIONS) {
          const allowed = validRelations(from, to).includes(relation as Relation);
          const result = store().connect(ids.get(from)!, ids.get(to)!, relation);
          expect(result !== null).toBe(allowed);
          if (allowed) valid++;
        }
      }
    }
    expect(store().doc.edges).toHaveLength(valid);
    const agent = ids.get('agent')!;
    const tool = ids.get('tool')!;
    expect(store().connect(agent, tool, 'invokes')).toBeNull();
    expect(store().notice?.kind).toBe('error');
    expect(store().connect(agent, agent, 'invokes')).toBeNull();
  });

  it('derives edge ids as the engine does', () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const secret = store().addNode('secret', { x: 0, y: 0 });
    const id = store().connect(agent, secret, 'holds');
    expect(id).toBe(derivedEdgeId(agent, 'holds', secret));
    expect(store().doc.edges![0].id).toBeUndefined();
  });

  it('refuses an edge change that the kinds do not allow, and drops fields that no longer apply', () => {
    const secret = store().addNode('secret', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 0, y: 0 });
    const edge = store().connect(secret, tool, 'grants')!;
    store().updateEdge(edge, { permissions: ['read', 'write'] });
    expect(store().doc.edges![0].permissions).toEqual(['read', 'write']);
    expect(store().updateEdge(edge, { relation: 'invokes' })).toBeNull();
    expect(store().doc.edges![0].relation).toBe('grants');
  });
});

describe('layout round-trip', () => {
  beforeEach(() => fresh());

  it('keeps positions in doc.layout through save and load', () => {
    const agent = store().addNode('agent', { x: 120, y: 80 });
    const boundary = store().addBoundary({ x: 0, y: 0, width: 600, height: 400 });
    store().moveElements({ [agent]: { x: 150.5, y: 90 } });
    const saved = roundTrip(store().doc);
    expect(saved.layout?.nodes?.[agent]).toEqual({ x: 150.5, y: 90 });
    expect(saved.layout?.boundaries?.[boundary]).toEqual({ x: 0, y: 0, width: 600, height: 400 });

    fresh();
    store().replaceDocument(saved, '/tmp/m.bartizan.json');
    expect(store().doc).toEqual(saved);
    expect(store().dirty).toBe(false);
    expect(fullLayout(store().doc).nodes[agent]).toEqual({ x: 150.5, y: 90 });
  });

  it('places a node added inside a boundary in it, and moving the boundary carries it', () => {
    const boundary = store().addBoundary({ x: 0, y: 0, width: 600, height: 400 });
    const agent = store().addNode('agent', { x: 100, y: 100 });
    expect(nodeHomes(store().doc).get(agent)).toBe(boundary);
    store().moveElements({ [boundary]: { x: 50, y: 20 } });
    expect(store().doc.layout?.nodes?.[agent]).toEqual({ x: 150, y: 120 });
    expect(store().doc.layout?.boundaries?.[boundary]).toMatchObject({ x: 50, y: 20 });
  });

  it('moves a node out of and into boundaries when dropped', () => {
    const outer = store().addBoundary({ x: 0, y: 0, width: 800, height: 600 });
    const inner = store().addBoundary({ x: 100, y: 100, width: 400, height: 300 });
    expect(store().doc.boundaries!.find((b) => b.id === inner)!.parent).toBe(outer);
    const agent = store().addNode('agent', { x: 1000, y: 1000 });
    expect(nodeHomes(store().doc).get(agent)).toBeUndefined();
    store().moveElements({ [agent]: { x: 150, y: 150 } });
    store().dropElements([agent]);
    expect(nodeHomes(store().doc).get(agent)).toBe(inner);
    store().moveElements({ [agent]: { x: 600, y: 500 } });
    store().dropElements([agent]);
    expect(nodeHomes(store().doc).get(agent)).toBe(outer);
    expect(store().doc.boundaries!.find((b) => b.id === inner)!.members).toBeUndefined();
  });

  it('gives a model without layout a complete one, without marking it unsaved', () => {
    store().replaceDocument(roundTrip(example), 'models/customer-support.bartizan.yaml');
    const doc = store().doc;
    expect(store().dirty).toBe(false);
    for (const n of doc.nodes) expect(doc.layout?.nodes?.[n.id]).toBeDefined();
    for (const b of doc.boundaries ?? []) expect(doc.layout?.boundaries?.[b.id]).toBeDefined();
    // A boundary's box holds its members.
    for (const b of doc.boundaries ?? []) {
      const box = doc.layout!.boundaries![b.id];
      for (const m of b.members ?? []) {
        const p = doc.layout!.nodes![m];
        expect(p.x).toBeGreaterThanOrEqual(box.x);
        expect(p.y).toBeGreaterThanOrEqual(box.y);
        expect(p.x + NODE_WIDTH).toBeLessThanOrEqual(box.x + box.width);
        expect(p.y + NODE_HEIGHT).toBeLessThanOrEqual(box.y + box.height);
      }
    }
  });

  it('auto-layout places everything inside its boundary, as one undo step', async () => {
    store().replaceDocument(roundTrip(example), null);
    await store().autoLayout();
    const doc = store().doc;
    expect(store().canUndo).toBe(true);
    for (const b of doc.boundaries ?? []) {
      const box = doc.layout!.boundaries![b.id];
      for (const m of b.members ?? []) {
        const p = doc.layout!.nodes![m];
        expect(p.x).toBeGreaterThanOrEqual(box.x);
        expect(p.x + NODE_WIDTH).toBeLessThanOrEqual(box.x + box.width);
      }
    }
    const saved = roundTrip(doc);
    expect(saved.layout).toEqual(doc.layout);
  });
});

describe('copy and paste', () => {
  beforeEach(() => fresh());

  it('pastes with ids that clash with nothing, every time', () => {
    const boundary = store().addBoundary({ x: 0, y: 0, width: 800, height: 500 });
    const agent = store().addNode('agent', { x: 40, y: 80 });
    const tool = store().addNode('tool', { x: 400, y: 80 });
    store().connect(agent, tool, 'invokes');
    store().select([boundary]);
    store().copySelection();
    for (let i = 0; i < 3; i++) store().paste();
    const doc = store().doc;
    expect(doc.nodes).toHaveLength(8);
    expect(doc.boundaries).toHaveLength(4);
    expect(doc.edges).toHaveLength(4);
    const all = [
      ...doc.nodes.map((n) => n.id),
      ...doc.edges!.map(edgeIdOf),
      ...doc.boundaries!.map((b) => b.id),
    ];
    expect(new Set(all).size).toBe(all.length);
    expect(takenIds(doc).size).toBe(all.length);
    // Each pasted edge joins pasted nodes; each pasted boundary holds its own pasted nodes.
    for (const b of doc.boundaries!) {
      expect(b.members).toHaveLength(2);
      const members = new Set(b.members);
      const inside = doc.edges!.filter((e) => members.has(e.from));
      expect(inside).toHaveLength(1);
      expect(members.has(inside[0].to)).toBe(true);
    }
    // The last paste is selected, and is offset from the original.
    expect(store().selection).toHaveLength(4);
    const pastedAgent = store().selection.find((id) => id.startsWith('agent'))!;
    expect(doc.layout!.nodes![pastedAgent]).toEqual({ x: 40 + 120, y: 80 + 120 });
  });

  it('pastes a single node back into the boundary it was copied from', () => {
    const boundary = store().addBoundary({ x: 0, y: 0, width: 800, height: 500 });
    const agent = store().addNode('agent', { x: 40, y: 80 });
    store().select([agent]);
    store().copySelection();
    store().paste();
    const pasted = store().selection[0];
    expect(pasted).not.toBe(agent);
    expect(nodeHomes(store().doc).get(pasted)).toBe(boundary);
  });

  it('leaves out edges whose ends are not copied', () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 300, y: 0 });
    store().connect(agent, tool, 'invokes');
    store().select([agent]);
    store().copySelection();
    store().paste();
    expect(store().doc.edges).toHaveLength(1);
  });
});

describe('delete', () => {
  beforeEach(() => fresh());

  it('removes dangling edges, memberships and layout with a node', () => {
    const boundary = store().addBoundary({ x: 0, y: 0, width: 800, height: 500 });
    const agent = store().addNode('agent', { x: 40, y: 80 });
    const tool = store().addNode('tool', { x: 400, y: 80 });
    const secret = store().addNode('secret', { x: 400, y: 300 });
    store().connect(agent, tool, 'invokes');
    store().connect(agent, secret, 'holds');
    store().connect(secret, tool, 'grants');
    store().setHighlight({ nodes: [agent, tool], edges: [derivedEdgeId(agent, 'invokes', tool)] });
    store().select([agent]);
    store().deleteSelection();
    const doc = store().doc;
    expect(doc.nodes.map((n) => n.id)).toEqual([tool, secret]);
    expect(doc.edges!.map(edgeIdOf)).toEqual([derivedEdgeId(secret, 'grants', tool)]);
    expect(doc.boundaries!.find((b) => b.id === boundary)!.members).toEqual([tool, secret]);
    expect(doc.layout!.nodes![agent]).toBeUndefined();
    expect(store().selection).toEqual([]);
    expect(store().highlight).toEqual({ nodes: [tool], edges: [] });
    store().undo();
    expect(store().doc.nodes).toHaveLength(3);
    expect(store().doc.edges).toHaveLength(3);
  });

  it('keeps the contents of a deleted boundary, in its parent', () => {
    const outer = store().addBoundary({ x: 0, y: 0, width: 900, height: 700 });
    const inner = store().addBoundary({ x: 50, y: 50, width: 500, height: 400 });
    const innermost = store().addBoundary({ x: 60, y: 250, width: 300, height: 180 });
    const agent = store().addNode('agent', { x: 80, y: 100 });
    expect(nodeHomes(store().doc).get(agent)).toBe(inner);
    store().deleteElements([inner]);
    const doc = store().doc;
    expect(doc.nodes).toHaveLength(1);
    expect(nodeHomes(doc).get(agent)).toBe(outer);
    expect(doc.boundaries!.find((b) => b.id === innermost)!.parent).toBe(outer);
    expect(doc.layout!.boundaries![inner]).toBeUndefined();
  });

  it('deletes a selected edge alone', () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 300, y: 0 });
    const edge = store().connect(agent, tool, 'invokes')!;
    store().select([edge]);
    store().deleteSelection();
    expect(store().doc.nodes).toHaveLength(2);
    expect(store().doc.edges).toBeUndefined();
  });
});

describe('renames and triage', () => {
  beforeEach(() => fresh());

  it('renames a node everywhere it is referenced', async () => {
    const boundary = store().addBoundary({ x: 0, y: 0, width: 800, height: 500 });
    const agent = store().addNode('agent', { x: 40, y: 80 });
    const tool = store().addNode('tool', { x: 400, y: 80 });
    store().connect(agent, tool, 'invokes');
    store().select([agent]);
    expect(await store().renameElement(agent, 'support-agent')).toBe('support-agent');
    const doc = store().doc;
    expect(doc.edges![0].from).toBe('support-agent');
    expect(doc.boundaries!.find((b) => b.id === boundary)!.members).toContain('support-agent');
    expect(doc.layout!.nodes!['support-agent']).toEqual({ x: 40, y: 80 });
    expect(store().selection).toEqual(['support-agent']);
    expect(await store().renameElement('support-agent', tool)).toBeNull();
    expect(await store().renameElement('support-agent', 'bad id')).toBeNull();
    expect(store().doc).toBe(doc);
  });

  it('carries triage decisions with a rename, and undoes the whole rename as one edit', async () => {
    fresh(example);
    const about = fakeAnalysis(store().doc).report!.risks.find((r) => r.place === 'billing-token')!;
    const code = about.fingerprint.split(':')[0];
    const others = store().doc.triage ?? [];
    store().setTriage(about.fingerprint, { rule: code, status: 'accepted', justification: 'Rotated daily', by: 'ana', at: '2026-12-01' });
    const before = store().doc;
    const steps = store().past.length;
    expect(await store().renameElement('billing-token', 'refund-key')).toBe('refund-key');
    const after = store().doc;
    expect(store().past.length).toBe(steps + 1);
    expect(after.nodes.some((n) => n.id === 'billing-token')).toBe(false);
    expect(after.edges!.some((e) => e.to === 'refund-key' || e.from === 'refund-key')).toBe(true);
    expect(after.triage).toEqual([
      ...others,
      {
        fingerprint: fingerprint(code, ['refund-key']),
        rule: code,
        status: 'accepted',
        justification: 'Rotated daily',
        by: 'ana',
        at: '2026-12-01',
      },
    ]);
    const report = fakeAnalysis(after).report!;
    expect(report.stale_triage).toEqual([]);
    expect(report.risks.find((r) => r.fingerprint === after.triage![others.length].fingerprint)?.status).toBe('accepted');
    store().undo();
    expect(store().doc).toBe(before);
    store().redo();
    expect(store().doc).toBe(after);
  });

  it('renames a model with errors but leaves its triage as it was, and says so', async () => {
    fresh(example);
    await loadBackend();
    const controls = fakeControls()!;
    const about = fakeAnalysis(store().doc).report!.risks.find((r) => r.place === 'billing-token')!;
    store().setTriage(about.fingerprint, { rule: about.fingerprint.split(':')[0], status: 'accepted', justification: 'Rotated daily' });
    const triage = store().doc.triage;
    controls.diagnostics = [{ severity: 'error', code: 'unknown-node', message: 'no node `x`' }];
    try {
      expect(await store().renameElement('billing-token', 'refund-key')).toBe('refund-key');
    } finally {
      controls.diagnostics = [];
    }
    expect(store().doc.nodes.some((n) => n.id === 'refund-key')).toBe(true);
    expect(store().doc.triage).toEqual(triage);
    expect(store().notice?.text).toContain('triage decisions were left as they were');
  });

  it('renames in the newer document when it was edited while the engine worked', async () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 400, y: 0 });
    const renaming = store().renameElement(agent, 'planner');
    store().updateNode(tool, { name: 'Search' });
    expect(await renaming).toBe('planner');
    const doc = store().doc;
    expect(doc.nodes.map((n) => [n.id, n.name])).toEqual([
      ['planner', doc.nodes[0].name],
      [tool, 'Search'],
    ]);
    // Two edits, each undone on its own: the rename, then the name.
    store().undo();
    expect(store().doc.nodes.map((n) => [n.id, n.name])).toEqual([
      [agent, doc.nodes[0].name],
      [tool, 'Search'],
    ]);
  });

  it('renames an edge, and gives it back its derived id', async () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const tool = store().addNode('tool', { x: 400, y: 0 });
    const edge = store().connect(agent, tool, 'invokes')!;
    expect(await store().renameElement(edge, 'search-call')).toBe('search-call');
    expect(store().doc.edges![0].id).toBe('search-call');
    expect(await store().renameElement('search-call', edge)).toBe(edge);
    expect(store().doc.edges![0].id).toBeUndefined();
  });

  it('cleans properties and records triage by fingerprint', () => {
    const secret = store().addNode('secret', { x: 0, y: 0 });
    store().updateNode(secret, { properties: { lifetime: 'standing', scopes: [], owner: '' } });
    expect(store().doc.nodes[0].properties).toEqual({ lifetime: 'standing' });
    store().setTriage('BTZ-CRD-001:0123456789abcdef', { status: 'accepted', justification: 'ok' });
    store().setTriage('BTZ-CRD-001:0123456789abcdef', { status: 'mitigated', justification: '' });
    expect(store().doc.triage).toEqual([
      { fingerprint: 'BTZ-CRD-001:0123456789abcdef', status: 'mitigated' },
    ]);
    store().setTriage('BTZ-CRD-001:0123456789abcdef', null);
    expect(store().doc.triage).toBeUndefined();
  });
});

describe('fix plan steps', () => {
  beforeEach(() => fresh());

  it('applies a step as one undoable edit of the engine\'s document, with places for what it added', async () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const start = store().doc;
    const edited: Model = { ...start, nodes: [...start.nodes, { id: 'policy-gateway', kind: 'gateway', name: 'Policy gateway' }] };
    const apply = vi.spyOn(backend, 'applyPlanStep').mockResolvedValueOnce(edited);
    const steps = store().past.length;
    expect(await store().applyPlanStep('gateway:agent', 'Route calls through a gateway')).toBe(true);
    expect(apply).toHaveBeenCalledWith(start, 'gateway:agent');
    expect(store().doc.nodes.map((n) => n.id)).toEqual([agent, 'policy-gateway']);
    expect(fullLayout(store().doc).nodes['policy-gateway']).toBeDefined();
    expect(store().past.length).toBe(steps + 1);
    expect(store().notice?.text).toContain('Route calls through a gateway');
    store().undo();
    expect(store().doc).toBe(start);
    apply.mockRestore();
  });

  it('does not apply a step to a document edited while the engine worked, nor a failed one', async () => {
    const agent = store().addNode('agent', { x: 0, y: 0 });
    const start = store().doc;
    let answer: (doc: Model) => void = () => undefined;
    const apply = vi.spyOn(backend, 'applyPlanStep').mockReturnValueOnce(new Promise<Model>((resolve) => (answer = resolve)));
    const applying = store().applyPlanStep('step-1');
    store().updateNode(agent, { name: 'Planner' });
    answer({ ...start, nodes: [] });
    expect(await applying).toBe(false);
    expect(store().doc.nodes.map((n) => n.name)).toEqual(['Planner']);
    expect(store().notice?.text).toContain('the model changed meanwhile');

    apply.mockRejectedValueOnce({ code: 'plan-unavailable', message: 'no plan' });
    const before = store().doc;
    expect(await store().applyPlanStep('step-1')).toBe(false);
    expect(store().doc).toBe(before);
    expect(store().notice?.text).toContain('no plan');
    apply.mockRestore();
  });
});

describe('foldable panels', () => {
  it('fold and open, and showing a field opens the inspector and asks it to focus the field', () => {
    fresh();
    const agent = store().addNode('agent', { x: 0, y: 0 });
    store().setOpen('inspector', false);
    store().setOpen('palette', false);
    expect(store().open).toEqual({ palette: false, inspector: false });
    store().showInInspector(agent, 'field-properties.autonomy');
    expect(store().open.inspector).toBe(true);
    expect(store().selection).toEqual([agent]);
    const first = store().inspectorFocus!;
    expect(first).toMatchObject({ id: agent, field: 'field-properties.autonomy' });
    store().showInInspector(agent, 'field-properties.autonomy');
    expect(store().inspectorFocus!.token).not.toBe(first.token);
    store().setOpen('palette', true);
  });
});

describe('adding without a position', () => {
  beforeEach(() => fresh());

  it('puts each new node in a free place near the centre', () => {
    const ids = ['agent', 'tool', 'secret', 'datastore', 'human'].map((k) => store().addNode(k as NodeKind));
    const places = ids.map((id) => store().doc.layout!.nodes![id]);
    for (let i = 0; i < places.length; i++) {
      for (let j = i + 1; j < places.length; j++) {
        const overlap =
          Math.abs(places[i].x - places[j].x) < NODE_WIDTH && Math.abs(places[i].y - places[j].y) < NODE_HEIGHT;
        expect(overlap).toBe(false);
      }
    }
    expect(store().selection).toEqual([ids[4]]);
  });
});

describe('grouping', () => {
  beforeEach(() => fresh());

  it('wraps the selection in a new boundary that holds it', () => {
    const outer = store().addBoundary({ x: 0, y: 0, width: 1400, height: 900 });
    const a = store().addNode('agent', { x: 100, y: 100 });
    const t = store().addNode('tool', { x: 500, y: 100 });
    store().select([a, t]);
    const group = store().addBoundary();
    const doc = store().doc;
    expect(nodeHomes(doc).get(a)).toBe(group);
    expect(nodeHomes(doc).get(t)).toBe(group);
    expect(doc.boundaries!.find((b) => b.id === group)!.parent).toBe(outer);
    const box = doc.layout!.boundaries![group];
    expect(box.x).toBeLessThan(100);
    expect(box.x + box.width).toBeGreaterThan(500 + NODE_WIDTH);
    expect(store().selection).toEqual([group]);
    store().undo();
    expect(nodeHomes(store().doc).get(a)).toBe(outer);
  });
});
