import { describe, expect, it } from 'vitest';
import type { Finding } from '../backend';
import example from '../generated/examples/customer-support.json';
import { countBySeverity, groupFindings, pathIds, ruleInfo, todayIso, triageInput } from './findings';

const findings = (example as unknown as { analysis: { report: { findings: Finding[] } } }).analysis.report.findings;

describe('findings panel logic', () => {
  it('groups by severity, highest first, keeping every finding once', () => {
    const groups = groupFindings(findings, 'severity');
    expect(groups.map((g) => g.key)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(groups.reduce((n, g) => n + g.findings.length, 0)).toBe(findings.length);
    const counts = countBySeverity(findings);
    expect(groups[0].findings).toHaveLength(counts.critical);
  });

  it('groups by check and by framework entry', () => {
    const byCheck = groupFindings(findings, 'check');
    expect(byCheck[0].key).toBe('BTZ-AUT-001');
    expect(byCheck[0].title).toContain('request-time policy');
    const byFramework = groupFindings(findings, 'framework', 'owasp_agentic');
    expect(byFramework.every((g) => g.key.startsWith('ASI') || g.key === '~unmapped')).toBe(true);
    const asi02 = byFramework.find((g) => g.key.startsWith('ASI02 '));
    expect(asi02?.title).toBe('ASI02 · Tool Misuse and Exploitation');
    expect(asi02?.findings.some((f) => f.rule === 'BTZ-AUT-001')).toBe(true);
    const nhi = groupFindings(findings, 'framework', 'owasp_nhi').map((g) => g.key);
    expect(nhi[nhi.length - 1]).toBe('~unmapped');
    expect(nhi.slice(0, -1).every((k) => k.startsWith('NHI'))).toBe(true);
    const numbers = nhi.slice(0, -1).map((k) => Number(/^NHI(\d+)/.exec(k)![1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('highlights the path\'s nodes and edges', () => {
    const first = findings[0];
    expect(pathIds(first)).toEqual({
      nodes: ['support-agent', 'crm-connector'],
      edges: ['support-agent--invokes--crm-connector'],
    });
  });

  it('knows each rule\'s remediation', () => {
    expect(ruleInfo('BTZ-AUT-001')?.remediation).toMatch(/policy/);
  });

  it('turns the triage form into a decision, or none', () => {
    const f = findings[0];
    expect(triageInput(f, 'accepted', ' risk owner signed off ', 'ana', '2026-01-02')).toEqual({
      rule: f.rule,
      status: 'accepted',
      justification: 'risk owner signed off',
      by: 'ana',
      at: '2026-01-02',
    });
    expect(triageInput(f, 'mitigated', '  ', 'ana', '2026-01-03')).toEqual({ rule: f.rule, status: 'mitigated', by: 'ana', at: '2026-01-03' });
    expect(triageInput(f, 'open', '', 'ana', '2026-01-03')).toBeNull();
    expect(triageInput(f, 'open', 'still looking', 'ana', '2026-01-03')?.status).toBe('open');
  });

  it('dates decisions as YYYY-MM-DD', () => {
    expect(todayIso(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});
