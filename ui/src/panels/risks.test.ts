import { describe, expect, it } from 'vitest';
import type { Analysis, Facet, PathStep, Question, Risk } from '../backend';
import { fakeAnalysis } from '../backend/fake';
import type { Model } from '../model/types';
import {
  filterRisks,
  inspectorFieldTestId,
  openRisksLabel,
  pathCountLabel,
  pathHighlight,
  planRisks,
  questionTarget,
  riskCounts,
  riskHighlight,
  riskMarkers,
  riskTriageInput,
  stillOpenClosedBy,
  toggleSeverity,
} from './risks';

// Small hand-built report pieces (version 2), so the logic is tested whatever the examples say.
const path: PathStep[] = [
  { node: 'agent' },
  { node: 'connector', hop: { edge: 'agent--invokes--connector', relation: 'invokes', reversed: false, reason: 'invokes' } },
  { node: 'key', hop: { edge: 'connector--holds--key', relation: 'holds', reversed: false, reason: 'holds' } },
];

const facet = (rule: string, severity: Risk['severity']): Facet => ({
  rule,
  rule_title: `${rule} title`,
  title: `${rule} fires on \`key\``,
  subjects: ['key'],
  path,
  other_paths: 0,
  severity,
  fingerprint: `${rule}:0000000000000000`,
});

const risk = (fingerprint: string, severity: Risk['severity'], status: Risk['status'] = 'open', extra: Partial<Risk> = {}): Risk => ({
  fingerprint,
  kind: 'credential',
  kind_label: 'Identity and credentials',
  place: 'key',
  place_name: 'Payment key',
  title: 'Payment key is standing',
  severity,
  priority: { impact: 6, exposed: true, paths: 4 },
  remediation: 'Replace Payment key with a just-in-time credential.',
  paths: [path],
  path_count: 4,
  facets: [facet('BTZ-CRD-001', severity)],
  references: [],
  status,
  ...extra,
});

const risks = [
  risk('BTZ-RISK-CRD:1', 'critical'),
  risk('BTZ-RISK-ACT:2', 'high'),
  risk('BTZ-RISK-ACT:3', 'high', 'accepted'),
  risk('BTZ-RISK-SUP:4', 'medium', 'open', { baselined: true }),
  risk('BTZ-RISK-CTX:5', 'low'),
];

const doc: Model = {
  bartizan: 1,
  metadata: { name: 'small' },
  nodes: [
    { id: 'agent', kind: 'agent', name: 'Agent' },
    { id: 'connector', kind: 'tool', name: 'Connector' },
    { id: 'key', kind: 'secret', name: 'Payment key', properties: { lifetime: 'standing' } },
    { id: 'bank', kind: 'datastore', name: 'Bank' },
  ],
  edges: [
    { from: 'agent', to: 'connector', relation: 'invokes' },
    { from: 'connector', to: 'key', relation: 'holds' },
    { from: 'key', to: 'bank', relation: 'grants' },
  ],
} as Model;

describe('risk counts', () => {
  it('count open risks (not triaged, not baselined) by severity; the total counts every risk', () => {
    const counts = riskCounts(risks);
    expect(counts).toEqual({ total: 5, open: 3, triaged: 2, bySeverity: { critical: 1, high: 1, medium: 0, low: 1, info: 0 } });
    expect(openRisksLabel(counts)).toBe('3 open risks · 2 triaged');
    expect(openRisksLabel(riskCounts([risks[0]]))).toBe('1 open risk');
    expect(riskCounts(null).open).toBe(0);
  });

  it('are the same counted from the canvas markers the status bar reads', () => {
    expect(riskCounts(riskMarkers(risks))).toEqual(riskCounts(risks));
    expect(riskMarkers(risks)[0]).toMatchObject({ fingerprint: 'BTZ-RISK-CRD:1', subjects: ['key'], severity: 'critical', status: 'open' });
  });
});

describe('risk list', () => {
  it('filters by the chosen severities, and hides triaged risks when asked', () => {
    expect(filterRisks(risks, [], true)).toHaveLength(5);
    expect(filterRisks(risks, ['high'], true).map((r) => r.fingerprint)).toEqual(['BTZ-RISK-ACT:2', 'BTZ-RISK-ACT:3']);
    expect(filterRisks(risks, ['high'], false).map((r) => r.fingerprint)).toEqual(['BTZ-RISK-ACT:2']);
    expect(filterRisks(risks, [], false)).toHaveLength(3);
  });

  it('toggles a severity chip in and out of the filter, in severity order', () => {
    expect(toggleSeverity([], 'high')).toEqual(['high']);
    expect(toggleSeverity(['high'], 'critical')).toEqual(['critical', 'high']);
    expect(toggleSeverity(['critical', 'high'], 'high')).toEqual(['critical']);
  });

  it('highlights a path with the risk\'s place, and counts every path', () => {
    expect(pathHighlight(path)).toEqual({ nodes: ['agent', 'connector', 'key'], edges: ['agent--invokes--connector', 'connector--holds--key'] });
    expect(riskHighlight({ paths: [path.slice(0, 2)], place: 'key' }).nodes).toEqual(['agent', 'connector', 'key']);
    expect(riskHighlight({ paths: [], place: 'key' })).toEqual({ nodes: ['key'], edges: [] });
    expect(pathCountLabel(risks[0])).toBe('4 paths');
    expect(pathCountLabel({ paths: [path], path_count: 1 })).toBe('1 path');
  });

  it('writes a triage decision under the risk\'s fingerprint, recording the risk\'s code', () => {
    expect(riskTriageInput(risks[0], 'accepted', ' owner signed off ', 'ana', '2026-01-02')).toEqual({
      rule: 'BTZ-RISK-CRD',
      status: 'accepted',
      justification: 'owner signed off',
      by: 'ana',
      at: '2026-01-02',
    });
    expect(riskTriageInput(risks[0], 'mitigated', ' ', 'ana', '2026-01-02')).toEqual({ rule: 'BTZ-RISK-CRD', status: 'mitigated', by: 'ana', at: '2026-01-02' });
    expect(riskTriageInput(risks[0], 'open', '', 'ana', '2026-01-02')).toBeNull();
  });
});

describe('open questions', () => {
  const question = (element: string, property: string): Question => ({
    id: `${property}:${element}`,
    element,
    element_name: element,
    property,
    text: '?',
    reading: 'the worst case',
    rules: [],
  });

  it('are answered in the element\'s own field: the words the vocabulary allows', () => {
    const target = questionTarget(doc, question('key', 'revocation'));
    expect(target?.type).toBe('node');
    expect(target?.spec.type).toBe('enum');
    expect(target?.spec.options?.length).toBeGreaterThan(1);
    expect(target?.value).toBeUndefined();
    expect(inspectorFieldTestId(target!)).toBe('field-properties.revocation');
    expect(questionTarget(doc, question('key', 'lifetime'))?.value).toBe('standing');
    expect(questionTarget(doc, question('key', 'rotation_days'))?.spec.type).toBe('integer');
  });

  it('are answered on an edge in the edge\'s field, where the relation has it', () => {
    const target = questionTarget(doc, question('key--grants--bank', 'permissions'));
    expect(target).toMatchObject({ type: 'edge', id: 'key--grants--bank' });
    expect(target?.spec.type).toBe('enum-list');
    expect(inspectorFieldTestId(target!)).toBe('field-permissions');
    expect(questionTarget(doc, question('agent--invokes--connector', 'permissions'))).toBeNull();
    const verified = questionTarget(doc, question('agent--invokes--connector', 'verified'));
    expect(verified).toMatchObject({ type: 'edge', id: 'agent--invokes--connector' });
    expect(verified?.spec.type).toBe('boolean');
    expect(questionTarget(doc, question('gone', 'owner'))).toBeNull();
    expect(questionTarget(doc, question('key', 'no_such_property'))).toBeNull();
  });
});

describe('fix plan', () => {
  it('names the risks a step closes from the current report, and counts those still open', () => {
    const step = { closes: ['BTZ-RISK-CRD:1', { fingerprint: 'BTZ-RISK-ACT:3' }, { fingerprint: 'BTZ-RISK-OVR:9', title: 'Gone', severity: 'high' as const }] };
    expect(planRisks(step.closes, risks)).toEqual([
      { fingerprint: 'BTZ-RISK-CRD:1', title: 'Payment key is standing', severity: 'critical', current: true },
      { fingerprint: 'BTZ-RISK-ACT:3', title: 'Payment key is standing', severity: 'high', current: true },
      { fingerprint: 'BTZ-RISK-OVR:9', title: 'Gone', severity: 'high', current: false },
    ]);
    // The accepted one is not open, the gone one is not there.
    expect(stillOpenClosedBy(step, risks)).toBe(1);
  });
});

const examples = Object.values(
  import.meta.glob<{ id: string; doc: Model; analysis: Analysis }>(['../generated/examples/*.json', '!../generated/examples/*.plan.json'], {
    eager: true,
    import: 'default',
  }),
);

describe('on every example', () => {
  it('the header, the severity chips and the status bar agree with each other and with the engine\'s summary', () => {
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) {
      const report = example.analysis.report!;
      // Report version 1 fixtures predate risks: `BARTIZAN_BLESS=1 cargo test --test ui_fixtures` regenerates them.
      expect(report.version, `${example.id}: regenerate the fixtures`).toBe(2);
      const header = riskCounts(report.risks);
      const statusBar = riskCounts(riskMarkers(report.risks));
      expect(statusBar, example.id).toEqual(header);
      const chips = Object.values(header.bySeverity).reduce((a, b) => a + b, 0);
      expect(chips, example.id).toBe(header.open);
      expect(header.open, example.id).toBe(report.summary.actionable);
      expect(header.total, example.id).toBe(report.summary.total);
      expect(report.questions.length, example.id).toBe(report.summary.questions);
      // The browser tests' back end serves the same counts.
      expect(riskCounts(fakeAnalysis(example.doc).report!.risks), example.id).toEqual(header);
    }
  });
});
