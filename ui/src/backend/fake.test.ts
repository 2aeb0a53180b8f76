import { describe, expect, it } from 'vitest';
import renameFixture from '../generated/rename.json';
import type { Model } from '../model/types';
import type { Renamed } from '../backend';
import { createFakeBackend, fakeAnalysis, fakeControls } from './fake';
import { fingerprint, sha256 } from './fingerprint';

const examples = Object.values(
  import.meta.glob<{ analysis: { report: { findings: { rule: string; subjects: string[]; fingerprint: string }[] } } }>(
    '../generated/examples/*.json',
    { eager: true, import: 'default' },
  ),
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

  it('equal the engine\'s for every finding of every example', () => {
    let checked = 0;
    for (const example of examples) {
      for (const f of example.analysis.report.findings) {
        expect(fingerprint(f.rule, f.subjects)).toBe(f.fingerprint);
        checked += 1;
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
    expect(analysis.report?.findings.length).toBeGreaterThan(10);
  });

  it('drops findings whose subjects are gone and applies triage', async () => {
    const backend = createFakeBackend();
    const { doc } = await backend.loadExample('customer-support');
    const all = fakeAnalysis(doc).report!.findings;
    const without: Model = { ...doc, nodes: doc.nodes.filter((n) => n.id !== 'refund-api') };
    const fewer = fakeAnalysis(without).report!.findings;
    expect(fewer.length).toBeLessThan(all.length);
    expect(fewer.some((f) => f.subjects.includes('refund-api'))).toBe(false);

    const fp = all[0].fingerprint;
    const triaged: Model = { ...doc, triage: [{ fingerprint: fp, status: 'accepted', justification: 'ok' }, { fingerprint: 'X:1', status: 'mitigated' }] };
    const report = fakeAnalysis(triaged).report!;
    expect(report.findings[0].status).toBe('accepted');
    expect(report.findings[0].triage?.justification).toBe('ok');
    expect(report.stale_triage).toEqual([{ fingerprint: 'X:1', rule: null, status: 'mitigated' }]);
    expect(report.summary.actionable).toBe(all.length - 1);
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
    const { doc } = await backend.loadExample('customer-support');
    const about = fakeAnalysis(doc).report!.findings.find((f) => f.subjects[0] === 'billing-token')!;
    const triaged: Model = { ...doc, triage: [{ fingerprint: about.fingerprint, rule: about.rule, status: 'accepted', justification: 'rotated daily', by: 'ana' }] };
    const renamed = await backend.renameId(triaged, 'billing-token', 'refund-key');
    expect(renamed.triage).toBe('carried');
    expect(renamed.moved).toBe(1);
    expect(renamed.doc.nodes.some((n) => n.id === 'billing-token')).toBe(false);
    expect(renamed.doc.edges?.some((e) => e.to === 'refund-key')).toBe(true);
    const report = fakeAnalysis(renamed.doc).report!;
    const after = report.findings.find((f) => f.rule === about.rule && f.subjects[0] === 'refund-key')!;
    expect(after.fingerprint).toBe(fingerprint(about.rule, ['refund-key', ...about.subjects.slice(1)]));
    expect(after.status).toBe('accepted');
    expect(after.triage).toEqual({ status: 'accepted', justification: 'rotated daily', by: 'ana' });
    expect(report.stale_triage).toEqual([]);
    expect(report.findings.length).toBe(fakeAnalysis(doc).report!.findings.length);
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

describe('the fake workspace (test double)', () => {
  it('records a revision per save, with counts and the findings delta', async () => {
    const backend = createFakeBackend();
    fakeControls()!.presetAuthor('Ana Lima');
    const { doc } = await backend.loadExample('finance-ops');
    const path = '/home/me/models/history-test.bartizan.yaml';
    expect(await backend.history(path)).toEqual([]);
    await backend.saveModel(doc, path, false);
    // The same text again records nothing new.
    expect((await backend.saveModel(doc, path, false))?.revision).toBe(1);
    const gone = doc.nodes.find((n) => (fakeAnalysis(doc).report?.findings ?? []).some((f) => f.subjects[0] === n.id))!.id;
    const edited: Model = {
      ...doc,
      nodes: [...doc.nodes.filter((n) => n.id !== gone), { id: 'new-agent', kind: 'agent', name: 'New agent' }],
      edges: (doc.edges ?? []).filter((e) => e.from !== gone && e.to !== gone),
    };
    expect((await backend.saveModel(edited, path, false))?.revision).toBe(2);

    const history = await backend.history(path);
    expect(history.map((r) => r.number)).toEqual([1, 2]);
    const [first, second] = history;
    const all = fakeAnalysis(doc).report!.findings;
    expect(first.delta).toEqual({ added: all.length, resolved: 0, changed: 0 });
    expect(Object.values(first.findings).reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(first.open).toBe(all.filter((f) => f.status === 'open').length);
    expect(first.nodes).toBe(doc.nodes.length);
    expect(second.delta.resolved).toBeGreaterThan(0);
    expect(second.author).toBe('Ana Lima');
    expect(second.content_hash).not.toBe(first.content_hash);

    const diff = await backend.compareRevisions(path, 1, 2);
    expect(diff.findings.resolved.length).toBe(second.delta.resolved);
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
