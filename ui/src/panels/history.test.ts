import { beforeEach, describe, expect, it } from 'vitest';
import { backend, loadBackend, type Revision } from '../backend';
import { fakeControls } from '../backend/fake';
import { FlowProjector } from '../canvas/flow';
import example from '../generated/examples/finance-ops.json';
import type { Model } from '../model/types';
import { useStore } from '../store';
import { save } from './session';
import {
  compareChosen,
  comparedPair,
  comparisonLabel,
  deltaParts,
  diffMarks,
  elementCounts,
  formatDelta,
  loadHistory,
  restoreRevision,
  severityCounts,
  shortHash,
  toggleChoice,
  useHistory,
  whenSaved,
} from './history';

const doc = (example as unknown as { doc: Model }).doc;

function revision(number: number): Revision {
  return {
    number,
    content_hash: `sha256:${String(number).repeat(64).slice(0, 64)}`,
    recorded_at: 1_795_628_400,
    author: 'ana',
    name: 'Finance',
    nodes: 3,
    edges: 2,
    risks: { critical: 1, high: 0, medium: 2, low: 0, info: 0 },
    open: 3,
    delta: { added: 1, resolved: 0, changed: 0 },
  };
}

const none = { added: [], removed: [], changed: [] };

describe('the history panel’s words', () => {
  it('writes the risks delta as +added −resolved ~changed, each part coloured by its kind', () => {
    expect(formatDelta({ added: 2, resolved: 1, changed: 0 })).toBe('+2 \u22121 ~0');
    const parts = deltaParts({ added: 0, resolved: 3, changed: 1 });
    expect(parts.map((p) => p.kind)).toEqual(['added', 'resolved', 'changed']);
    expect(parts[1]).toMatchObject({ sign: '\u2212', count: 3, title: '3 risks resolved' });
    expect(parts[2].title).toBe('1 risk changed');
  });

  it('shortens content hashes and lists only the severities present, highest first', () => {
    expect(shortHash('sha256:3f2a9c1e00112233445566778899aabbccddeeff00112233445566778899aabb')).toBe('3f2a9c1e');
    expect(shortHash('abcdef0123456789')).toBe('abcdef01');
    expect(severityCounts({ low: 1, critical: 2, medium: 0 })).toEqual([
      { severity: 'critical', count: 2 },
      { severity: 'low', count: 1 },
    ]);
  });

  it('says when a revision was saved, and how long ago', () => {
    const at = Date.parse('2026-11-25T17:40:00Z') / 1000;
    const when = whenSaved(at, at * 1000 + 5 * 60_000);
    expect(when.ago).toBe('5 min ago');
    expect(when.date).toMatch(/2026/);
    expect(whenSaved(at, at * 1000 + 10_000).ago).toBe('just now');
    expect(whenSaved(at, at * 1000 + 3 * 86_400_000).ago).toBe('3 d ago');
    expect(whenSaved(Number.NaN).ago).toBe('');
    expect(comparisonLabel(1, 3)).toBe('Revision 1 → revision 3');
    expect(comparisonLabel(null, 1)).toBe('Nothing → revision 1');
  });
});

describe('choosing revisions to compare', () => {
  const revisions = [revision(5), revision(3), revision(2), revision(1)];

  it('keeps at most two choices, letting go of the first chosen', () => {
    expect(toggleChoice([], 3)).toEqual([3]);
    expect(toggleChoice([3], 5)).toEqual([3, 5]);
    expect(toggleChoice([3, 5], 1)).toEqual([5, 1]);
    expect(toggleChoice([3, 5], 3)).toEqual([5]);
  });

  it('compares two chosen revisions older first, or one with the revision before it', () => {
    expect(comparedPair([5, 2], revisions)).toEqual({ from: 2, to: 5 });
    expect(comparedPair([5], revisions)).toEqual({ from: 3, to: 5 });
    // Numbers need not be consecutive (a revision may have been dropped): the one before.
    expect(comparedPair([3], revisions)).toEqual({ from: 2, to: 3 });
    expect(comparedPair([1], revisions)).toBeNull();
    expect(comparedPair([], revisions)).toBeNull();
  });
});

describe('marking a comparison on the canvas', () => {
  it('marks the elements of the current document and lists the others by id', () => {
    const elements = {
      metadata: [{ field: 'name', before: 'A', after: 'B' }],
      nodes: {
        added: ['ap-agent', 'ghost-added'],
        removed: ['old-tool'],
        changed: [{ id: 'ap-clerk', fields: [{ field: 'name', before: 'Clerk', after: 'Clerk (EU)' }, { field: 'properties.role', before: null, after: 'AP' }] }],
      },
      edges: { ...none, added: ['payment-connector--holds--payment-api-key'], removed: ['old-tool--holds--old-key'] },
      boundaries: { ...none, changed: [{ id: 'corp', fields: [{ field: 'members', before: [], after: ['ap-agent'] }] }] },
      // Triage decisions are keyed by fingerprint: not on the canvas.
      triage: { ...none, added: ['BTZ-AUT-002:9b64a785ea815294'] },
      layout_changed: true,
    };
    const { marks, elsewhere, fields } = diffMarks(elements, doc);
    expect(marks).toEqual({
      'ap-agent': 'added',
      'payment-connector--holds--payment-api-key': 'added',
      'ap-clerk': 'changed',
      corp: 'changed',
    });
    expect(elsewhere).toEqual({ added: ['ghost-added'], changed: [], removed: ['old-tool', 'old-tool--holds--old-key'] });
    expect(fields['ap-clerk']).toEqual(['name', 'properties.role']);
    expect(elementCounts(elements)).toEqual({ added: 3, changed: 2, removed: 2 });
  });

  it('colours marked nodes and edges, and only those, and redraws when the marks change', () => {
    const projector = new FlowProjector();
    const highlight = { nodes: [], edges: [] };
    const plain = projector.nodes({ doc, selection: [], highlight, findings: null });
    const marks = { 'ap-agent': 'added' as const, 'ap-clerk': 'changed' as const, 'payment-connector--holds--payment-api-key': 'removed' as const };
    const marked = projector.nodes({ doc, selection: [], highlight, findings: null, marks });
    const byId = new Map(marked.map((n) => [n.id, n]));
    expect(byId.get('ap-agent')?.data.diff).toBe('added');
    expect(byId.get('ap-clerk')?.data.diff).toBe('changed');
    expect(marked.filter((n) => n.data.diff).map((n) => n.id).sort()).toEqual(['ap-agent', 'ap-clerk']);
    // Unmarked elements keep their objects; marked ones are new.
    const before = new Map(plain.map((n) => [n.id, n]));
    expect(byId.get('approval-gateway')).toBe(before.get('approval-gateway'));
    expect(byId.get('ap-agent')).not.toBe(before.get('ap-agent'));
    const edges = projector.edges({ doc, selection: [], highlight, findings: null, marks });
    expect(edges.find((e) => e.id === 'payment-connector--holds--payment-api-key')?.data?.diff).toBe('removed');
    expect(edges.filter((e) => e.data?.diff)).toHaveLength(1);
  });
});

describe('history, compare and restore against the fake back end', () => {
  const path = '/home/me/models/finance-history.bartizan.yaml';
  const edited: Model = {
    ...doc,
    metadata: { ...doc.metadata, name: 'Finance, edited' },
    nodes: [...doc.nodes.filter((n) => n.id !== 'payment-api-key'), { id: 'audit-agent', kind: 'agent', name: 'Audit agent' }],
    edges: (doc.edges ?? []).filter((e) => e.from !== 'payment-api-key' && e.to !== 'payment-api-key'),
  };

  beforeEach(async () => {
    expect((await loadBackend()).kind).toBe('fake');
    fakeControls()!.presetAuthor('Ana');
    useStore.getState().replaceDocument(doc, null);
    useHistory.getState().set({ path: null, revisions: [], chosen: [], diff: null, elsewhere: null, error: null });
  });

  it('has no history for a document never saved', async () => {
    await loadHistory(null);
    expect(useHistory.getState()).toMatchObject({ path: null, revisions: [], loading: false });
  });

  it('lists the revisions newest first, compares them on the canvas and restores the first as an undoable edit', async () => {
    await backend.saveModel(doc, path, false);
    await backend.saveModel(edited, path, false);
    useStore.getState().replaceDocument(edited, path);
    await loadHistory(path);
    const { revisions } = useHistory.getState();
    // Newest first.
    expect(revisions.map((r) => r.number)).toEqual([2, 1]);
    expect(revisions[0].delta.resolved).toBeGreaterThan(0);

    // One revision chosen: compared with the one before it.
    useHistory.getState().set({ chosen: [2] });
    await compareChosen();
    const diff = useHistory.getState().diff!;
    expect(diff.from?.number).toBe(1);
    expect(diff.to.number).toBe(2);
    expect(diff.risks.resolved.length).toBe(revisions[0].delta.resolved);
    const comparison = useStore.getState().comparison!;
    expect(comparison.label).toBe('Revision 1 → revision 2');
    expect(comparison.marks['audit-agent']).toBe('added');
    // The removed secret is not in the current document: listed, not marked.
    expect(comparison.marks['payment-api-key']).toBeUndefined();
    expect(useHistory.getState().elsewhere?.removed).toContain('payment-api-key');
    expect(comparison.offCanvas).toBeGreaterThan(0);

    // Clearing the canvas's marks (its legend) ends the comparison in the panel too.
    useStore.getState().setComparison(null);
    expect(useHistory.getState().diff).toBeNull();
    await compareChosen();
    expect(useHistory.getState().diff).not.toBeNull();

    // Restore revision 1: the document becomes it, unsaved, and undo brings the edit back.
    expect(await restoreRevision(1)).toBe(true);
    const state = useStore.getState();
    expect(state.doc.nodes.map((n) => n.id)).toContain('payment-api-key');
    expect(state.doc.metadata.name).toBe(doc.metadata.name);
    expect(state.dirty).toBe(true);
    expect(state.path).toBe(path);
    expect(state.comparison).toBeNull();
    expect(useHistory.getState().diff).toBeNull();
    state.undo();
    expect(useStore.getState().doc.metadata.name).toBe('Finance, edited');
    expect(useStore.getState().dirty).toBe(false);
  });

  it('forgets the choices and the comparison of another file', async () => {
    await backend.saveModel(doc, path, false);
    await loadHistory(path);
    useHistory.getState().set({ chosen: [1] });
    useStore.getState().setComparison({ label: 'x', marks: {}, offCanvas: 0 });
    await loadHistory('/home/me/models/other.bartizan.yaml');
    expect(useHistory.getState()).toMatchObject({ revisions: [], chosen: [], diff: null });
    expect(useStore.getState().comparison).toBeNull();
  });

  it('saves even when the history cannot record the revision, and says so', async () => {
    const file = '/home/me/models/locked-history.bartizan.yaml';
    useStore.getState().replaceDocument(doc, file);
    useStore.getState().updateMetadata({ name: 'Finance, locked' });
    fakeControls()!.workspaceError = 'database is locked';
    try {
      expect(await save()).toBe(true);
    } finally {
      fakeControls()!.workspaceError = null;
    }
    expect(useStore.getState().dirty).toBe(false);
    expect(fakeControls()!.files()[file].metadata.name).toBe('Finance, locked');
    const notice = useStore.getState().notice!;
    expect(notice.kind).toBe('error');
    expect(notice.text).toMatch(/^Saved locked-history\.bartizan\.yaml, but the history did not record it: .*database is locked/);
    await loadHistory(file);
    expect(useHistory.getState().revisions).toEqual([]);
  });
});
