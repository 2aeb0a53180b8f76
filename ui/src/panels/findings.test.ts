import { describe, expect, it } from 'vitest';
import { frameworkInfo, labelOfStatus, recordsDecision, ruleInfo, todayIso } from './findings';

describe('check catalogue and words', () => {
  it('knows each check\'s title, rationale and remediation', () => {
    expect(ruleInfo('BTZ-AUT-001')?.remediation).toMatch(/policy/);
    expect(ruleInfo('BTZ-AUT-001')?.rationale.length).toBeGreaterThan(20);
    expect(ruleInfo('BTZ-NOPE-999')).toBeUndefined();
  });

  it('names frameworks, and falls back to the id for an unknown one', () => {
    expect(frameworkInfo('owasp_nhi').short).toMatch(/NHI/);
    expect(frameworkInfo('nope')).toEqual({ id: 'nope', name: 'nope', short: 'nope' });
  });

  it('records a decision unless the status goes back to open with no note', () => {
    expect(recordsDecision('accepted', '')).toBe(true);
    expect(recordsDecision('open', ' ')).toBe(false);
    expect(recordsDecision('open', 'still looking')).toBe(true);
    expect(labelOfStatus('false_positive')).toBe('False positive');
  });

  it('dates decisions as YYYY-MM-DD', () => {
    expect(todayIso(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});
