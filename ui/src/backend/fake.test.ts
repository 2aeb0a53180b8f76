import { describe, expect, it } from 'vitest';
import type { Model } from '../model/types';
import { createFakeBackend, fakeAnalysis } from './fake';

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

  it('saves, lists recent files, reopens, autosaves and recovers', async () => {
    const backend = createFakeBackend();
    const { doc } = await backend.loadExample('finance-ops');
    const path = await backend.saveModel(doc, null, false);
    expect(path).toMatch(/\.rampart\.yaml$/);
    expect(await backend.recentFiles()).toEqual([path]);
    expect((await backend.openRecent(path!)).doc).toEqual(doc);
    expect((await backend.openModel())?.path).toBe(path);
    await backend.autosave(doc, path);
    expect((await backend.recover())?.doc).toEqual(doc);
    await backend.discardRecovery();
    expect(await backend.recover()).toBeNull();
  });
});
