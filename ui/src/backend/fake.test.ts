import { describe, expect, it } from 'vitest';
import renameFixture from '../generated/rename.json';
import type { Model } from '../model/types';
import type { Renamed, Report } from '../backend';
import { createFakeBackend, fakeAnalysis, fakeControls, hasDelta, stepDelta, withDelta } from './fake';
import { fingerprint, sha256 } from './fingerprint';

const examples = Object.values(
  import.meta.glob<{ analysis: { report: Report } }>(['../generated/examples/*.json', '!../generated/examples/*.plan.json'], {
    eager: true,
    import: 'default',
  }),
);

describe('fingerprints', () => {
  it('are SHA-256 as the engine computes them', () => {
    const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // Two blocks: 56 bytes need a second block for the length.
    expect(hex(sha256(new TextEncoder().encode('a'.repeat(56))))).toBe(
      'b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a',
    );
  });

  it('equal the engine\'s for every risk and every facet of every example', () => {
    let checked = 0;
    for (const example of examples) {
      for (const r of example.analysis.report.risks) {
        // A risk's: its kind's code over its place.
        expect(fingerprint(r.fingerprint.split(':')[0], [r.place])).toBe(r.fingerprint);
        for (const f of r.facets) expect(fingerprint(f.rule, f.subjects)).toBe(f.fingerprint);
        checked += 1 + r.facets.length;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('the fake back end (test double)', () => {
  it('serves every example with the engine\'s stored analysis', async () => {
    const backend = createFakeBackend();
    const examples = await backend.examples();
    expect(examples.map((e) => e.id)).toContain('customer-support');
    const opened = await backend.loadExample('customer-support');
    expect(opened.path).toBeNull();
    const analysis = await backend.analyze(opened.doc);
    expect(analysis.valid).toBe(true);
    expect(analysis.report?.version).toBe(2);
    expect(analysis.report?.risks.length).toBeGreaterThan(2);
  });

  it('drops risks whose place or paths are gone and applies triage by risk', async () => {
    const backend = createFakeBackend();
    const { doc } = await backend.loadExample('customer-support');
    const plain: Model = { ...doc, triage: [] };
    const all = fakeAnalysis(plain).report!.risks;
    const place = all[0].place;
    const without: Model = { ...plain, nodes: plain.nodes.filter((n) => n.id !== place), edges: (plain.edges ?? []).filter((e) => e.from !== place && e.to !== place) };
    const fewer = fakeAnalysis(without).report!.risks;
    expect(fewer.length).toBeLessThan(all.length);
    expect(fewer.some((r) => r.place === place)).toBe(false);
    for (const r of fewer) for (const p of r.paths) expect(p.some((step) => step.node === place)).toBe(false);

    const fp = all[0].fingerprint;
    const triaged: Model = { ...plain, triage: [{ fingerprint: fp, status: 'accepted', justification: 'ok' }, { fingerprint: 'X:1', status: 'mitigated' }] };
    const report = fakeAnalysis(triaged).report!;
    expect(report.risks[0].status).toBe('accepted');
    expect(report.risks[0].triage?.justification).toBe('ok');
    expect(report.stale_triage).toEqual([{ fingerprint: 'X:1', rule: null, status: 'mitigated' }]);
    expect(report.summary.actionable).toBe(all.length - 1);
  });

  it('drops a question once the document states its property', async () => {
    const backend = createFakeBackend();
    const example = examples.find((e) => e.analysis.report.questions.some((q) => !q.element.includes('--')))!;
    const question = example.analysis.report.questions.find((q) => !q.element.includes('--'))!;
    const doc = (example as unknown as { doc: Model }).doc;
    expect((await backend.analyze(doc)).report!.questions.some((q) => q.id === question.id)).toBe(true);
    const answered: Model = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === question.element ? ({ ...n, properties: { ...(n.properties ?? {}), [question.property]: 'stated' } } as typeof n) : n)),
    };
    const report = (await backend.analyze(answered)).report!;
    expect(report.questions.some((q) => q.id === question.id)).toBe(false);
    expect(report.summary.questions).toBe(report.questions.length);
  });

  it('has no plan without a generated plan fixture, and says so', async () => {
    const backend = createFakeBackend();
    const doc: Model = { bartizan: 1, metadata: { name: 'none' }, nodes: [] };
    await expect(backend.plan(doc)).rejects.toMatchObject({ code: 'plan-unavailable' });
    await expect(backend.applyPlanStep(doc, 'step-1')).rejects.toMatchObject({ code: 'plan-unavailable' });
  });

  it('refuses, as the shell does, to save or autosave over a file that opened incomplete', async () => {
    const backend = createFakeBackend();
    const controls = fakeControls()!;
    const { doc } = await backend.loadExample('coding-agent');
    const path = '/home/me/models/typos.bartizan.yaml';
    const error = { severity: 'error' as const, code: 'unknown-variant', message: 'unknown relation `invokez`', line: 41, column: 15 };
    controls.putIncompleteFile(path, doc, [error]);
    const opened = await backend.openModel();
    expect(opened).toMatchObject({ path, complete: false, diagnostics: [error] });

    await expect(backend.saveModel(doc, path, false)).rejects.toMatchObject({ code: 'read-only', path });
    await expect(backend.autosave(doc, path)).rejects.toMatchObject({ code: 'read-only' });
    expect(controls.files()[path]).toEqual(doc);
    // Another file is not concerned.
    controls.nextSavePath = '/home/me/models/other.bartizan.yaml';
    expect(await backend.saveModel(doc, path, true)).toMatchObject({ path: '/home/me/models/other.bartizan.yaml' });

    // Fixed and reopened, it reads completely and may be saved again.
    controls.putFile(path, doc);
    expect(await backend.openRecent(path)).toMatchObject({ complete: true, diagnostics: [] });
    expect(await backend.saveModel(doc, path, false)).toMatchObject({ path });
  });

  it('renames an id with its triage, and its analysis follows the new id', async () => {
    const backend = createFakeBackend();
    const { doc: example } = await backend.loadExample('customer-support');
    const doc: Model = { ...example, triage: [] };
    const about = fakeAnalysis(doc).report!.risks.find((r) => r.place === 'billing-token')!;
    const code = about.fingerprint.split(':')[0];
    const triaged: Model = { ...doc, triage: [{ fingerprint: about.fingerprint, rule: code, status: 'accepted', justification: 'rotated daily', by: 'ana' }] };
    const renamed = await backend.renameId(triaged, 'billing-token', 'refund-key');
    expect(renamed.triage).toBe('carried');
    expect(renamed.moved).toBe(1);
    expect(renamed.doc.nodes.some((n) => n.id === 'billing-token')).toBe(false);
    expect(renamed.doc.edges?.some((e) => e.to === 'refund-key')).toBe(true);
    const report = fakeAnalysis(renamed.doc).report!;
    const after = report.risks.find((r) => r.kind === about.kind && r.place === 'refund-key')!;
    expect(after.fingerprint).toBe(fingerprint(code, ['refund-key']));
    expect(after.status).toBe('accepted');
    expect(after.triage).toEqual({ status: 'accepted', justification: 'rotated daily', by: 'ana' });
    expect(after.facets.every((f) => !f.subjects.includes('billing-token'))).toBe(true);
    expect(report.stale_triage).toEqual([]);
    expect(report.risks.length).toBe(fakeAnalysis(doc).report!.risks.length);
    await expect(backend.renameId(doc, 'billing-token', 'support-agent')).rejects.toMatchObject({ code: 'invalid-rename' });
  });

  it('renames as the engine does (ui/src/generated/rename.json)', async () => {
    const backend = createFakeBackend();
    const fixture = renameFixture as unknown as { before: Model; renames: { old: string; new: string; after: Renamed }[] };
    for (const rename of fixture.renames) {
      expect(await backend.renameId(fixture.before, rename.old, rename.new)).toEqual(rename.after);
    }
  });

  it('saves, lists recent files, reopens, autosaves and recovers', async () => {
    const backend = createFakeBackend();
    fakeControls()!.presetAuthor('Ana');
    const { doc } = await backend.loadExample('finance-ops');
    const saved = await backend.saveModel(doc, null, false);
    const path = saved!.path;
    expect(path).toMatch(/\.bartizan\.yaml$/);
    expect(saved!.revision).toBe(1);
    expect(await backend.recentFiles()).toEqual([path]);
    expect((await backend.openRecent(path)).doc).toEqual(doc);
    expect((await backend.openModel())?.path).toBe(path);
    await backend.autosave(doc, path);
    expect((await backend.recover())?.doc).toEqual(doc);
    await backend.discardRecovery();
    expect(await backend.recover()).toBeNull();
  });
});

describe('the fake\'s plan steps (test double)', () => {
  const example: Model = {
    bartizan: 1,
    metadata: { name: 'plan' },
    nodes: [
      { id: 'agent', kind: 'agent', name: 'Agent' },
      { id: 'tool', kind: 'tool', name: 'Tool' },
      { id: 'key', kind: 'secret', name: 'Key', properties: { lifetime: 'standing' } },
    ],
    edges: [
      { from: 'agent', to: 'tool', relation: 'invokes' },
      { from: 'tool', to: 'key', relation: 'holds' },
    ],
    layout: { nodes: { agent: { x: 0, y: 0 }, tool: { x: 300, y: 0 }, key: { x: 600, y: 0 } } },
  } as Model;
  // What the engine's step gives: a gateway between the agent and the tool, and a JIT key.
  const applied: Model = {
    ...example,
    nodes: [
      example.nodes[0],
      example.nodes[1],
      { id: 'key', kind: 'secret', name: 'Key', properties: { lifetime: 'jit', ttl: '15m' } },
      { id: 'gateway', kind: 'gateway', name: 'Gateway' },
    ],
    edges: [
      { from: 'agent', to: 'gateway', relation: 'invokes' },
      { from: 'gateway', to: 'tool', relation: 'invokes' },
      { from: 'tool', to: 'key', relation: 'holds' },
    ],
    layout: { nodes: { ...example.layout!.nodes, gateway: { x: 150, y: 100 } } },
  } as Model;

  it('replay the engine\'s edit by element id onto a document edited since, keeping the other edits', () => {
    const delta = stepDelta(example, applied);
    expect(hasDelta(example, delta)).toBe(false);
    expect(hasDelta(applied, delta)).toBe(true);
    // Edited meanwhile: the agent renamed, a decision recorded.
    const edited: Model = {
      ...example,
      nodes: [{ ...example.nodes[0], name: 'Planner' }, ...example.nodes.slice(1)],
      triage: [{ fingerprint: 'BTZ-RISK-CRD:0000000000000000', status: 'accepted' }],
    };
    const result = withDelta(edited, delta);
    expect(hasDelta(result, delta)).toBe(true);
    expect(result.nodes.map((n) => [n.id, n.name])).toEqual([
      ['agent', 'Planner'],
      ['tool', 'Tool'],
      ['key', 'Key'],
      ['gateway', 'Gateway'],
    ]);
    expect(result.nodes[2].properties).toEqual({ lifetime: 'jit', ttl: '15m' });
    expect((result.edges ?? []).map((e) => `${e.from}>${e.to}`)).toEqual(['tool>key', 'agent>gateway', 'gateway>tool']);
    expect(result.layout?.nodes?.gateway).toEqual({ x: 150, y: 100 });
    expect(result.triage).toEqual(edited.triage);
    // The step's element changed again afterwards: no longer the step's edit.
    const changedAgain: Model = { ...result, nodes: result.nodes.map((n) => (n.id === 'key' ? { ...n, properties: { lifetime: 'standing' } } : n)) } as Model;
    expect(hasDelta(changedAgain, delta)).toBe(false);
  });
});

describe('the fake workspace (test double)', () => {
  it('records a revision per save, with counts and the risks delta', async () => {
    const backend = createFakeBackend();
    fakeControls()!.presetAuthor('Ana Lima');
    const { doc } = await backend.loadExample('finance-ops');
    const path = '/home/me/models/history-test.bartizan.yaml';
    expect(await backend.history(path)).toEqual([]);
    await backend.saveModel(doc, path, false);
    // The same text again records nothing new.
    expect((await backend.saveModel(doc, path, false))?.revision).toBe(1);
    const gone = doc.nodes.find((n) => (fakeAnalysis(doc).report?.risks ?? []).some((r) => r.place === n.id))!.id;
    const edited: Model = {
      ...doc,
      nodes: [...doc.nodes.filter((n) => n.id !== gone), { id: 'new-agent', kind: 'agent', name: 'New agent' }],
      edges: (doc.edges ?? []).filter((e) => e.from !== gone && e.to !== gone),
    };
    expect((await backend.saveModel(edited, path, false))?.revision).toBe(2);

    const history = await backend.history(path);
    expect(history.map((r) => r.number)).toEqual([1, 2]);
    const [first, second] = history;
    const all = fakeAnalysis(doc).report!.risks;
    expect(first.delta).toEqual({ added: all.length, resolved: 0, changed: 0 });
    expect(Object.values(first.risks).reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(first.open).toBe(all.filter((r) => r.status === 'open').length);
    expect(first.nodes).toBe(doc.nodes.length);
    expect(second.delta.resolved).toBeGreaterThan(0);
    expect(second.author).toBe('Ana Lima');
    expect(second.content_hash).not.toBe(first.content_hash);

    const diff = await backend.compareRevisions(path, 1, 2);
    expect(diff.risks.resolved.length).toBe(second.delta.resolved);
    expect(diff.from?.number).toBe(1);
    expect(diff.to.number).toBe(2);
    expect(diff.elements.nodes.added).toEqual(['new-agent']);
    expect(diff.elements.nodes.removed).toEqual([gone]);
    expect(diff.elements.edges.removed.length).toBeGreaterThan(0);
    expect((await backend.revisionDocument(path, 1)).doc).toEqual(doc);
    await expect(backend.revisionDocument(path, 9)).rejects.toMatchObject({ code: 'unknown-revision' });
  });

  it('signs revisions only with the name the user set, as the shell does', async () => {
    const backend = createFakeBackend();
    const controls = fakeControls()!;
    controls.presetAuthor(null);
    controls.osUserName = 'ana';
    const { doc } = await backend.loadExample('coding-agent');
    const path = '/home/me/models/unsigned.bartizan.yaml';
    // No name set: the file is saved, no revision is recorded, and the warning says why.
    expect(await backend.author()).toBeNull();
    const saved = await backend.saveModel(doc, path, false);
    expect(saved).toMatchObject({ path, revision: null });
    expect(saved!.warning).toMatch(/nobody to sign.*Your name/);
    expect(await backend.history(path)).toEqual([]);
    // The OS user name is only offered; a name is kept trimmed; an unusable one is refused.
    expect(await backend.userName()).toBe('ana');
    await expect(backend.setAuthor('  \t ')).rejects.toMatchObject({ code: 'invalid-name' });
    await expect(backend.setAuthor('a'.repeat(101))).rejects.toMatchObject({ code: 'invalid-name' });
    expect(await backend.setAuthor('  Ana   Lima ')).toBe('Ana Lima');
    expect(await backend.author()).toBe('Ana Lima');
    expect((await backend.saveModel(doc, path, false))?.revision).toBe(1);
    expect((await backend.history(path))[0].author).toBe('Ana Lima');
    controls.osUserName = null;
  });

  it('saves the file even when the revision cannot be recorded', async () => {
    const backend = createFakeBackend();
    const { doc } = await backend.loadExample('coding-agent');
    fakeControls()!.workspaceError = 'database is locked';
    const saved = await backend.saveModel(doc, '/home/me/models/locked.bartizan.yaml', false);
    fakeControls()!.workspaceError = null;
    expect(saved).toMatchObject({ path: '/home/me/models/locked.bartizan.yaml', revision: null });
    expect(saved?.warning).toContain('database is locked');
    expect(fakeControls()!.files()['/home/me/models/locked.bartizan.yaml']).toEqual(doc);
    expect(await backend.history('/home/me/models/locked.bartizan.yaml')).toEqual([]);
  });
});
