// What the findings panel computes from an analysis: counts, groups, the path to highlight,
// and the triage decision a finding's form writes into the document. Pure functions, tested
// in `findings.test.ts`.

import rulesJson from '../generated/rules.json';
import type { Finding, Report, Severity } from '../backend';
import type { TriageStatus } from '../model/types';
import type { TriageInput } from '../store';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const STATUSES: readonly TriageStatus[] = ['open', 'mitigated', 'accepted', 'false_positive'];

export interface RuleInfo {
  id: string;
  slug: string;
  title: string;
  area: string;
  default_severity: Severity;
  summary: string;
  rationale: string;
  remediation: string;
}

export interface FrameworkInfo {
  id: string;
  name: string;
  short: string;
}

const catalog = rulesJson as unknown as { frameworks: FrameworkInfo[]; rules: RuleInfo[] };
const rulesById = new Map(catalog.rules.map((r) => [r.id, r]));

export const FRAMEWORKS: readonly FrameworkInfo[] = catalog.frameworks;

export function ruleInfo(id: string): RuleInfo | undefined {
  return rulesById.get(id);
}

export function frameworkInfo(id: string): FrameworkInfo {
  return FRAMEWORKS.find((f) => f.id === id) ?? { id, name: id, short: id };
}

export type Grouping = 'severity' | 'check' | 'framework';

export interface FindingGroup {
  key: string;
  title: string;
  /** For severity groups: the severity (for colour). */
  severity?: Severity;
  findings: Finding[];
}

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/**
 * Findings grouped for the panel, keeping the report's order inside each group:
 * by severity (highest first), by check (rule id), or by the entries of one framework
 * (a finding appears under every entry of that framework it maps to).
 */
export function groupFindings(findings: readonly Finding[], grouping: Grouping, framework = 'owasp_agentic'): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  const add = (key: string, make: () => Omit<FindingGroup, 'findings'>, finding: Finding) => {
    let group = groups.get(key);
    if (!group) {
      group = { ...make(), findings: [] };
      groups.set(key, group);
    }
    if (!group.findings.includes(finding)) group.findings.push(finding);
  };
  for (const finding of findings) {
    if (grouping === 'severity') {
      add(finding.severity, () => ({ key: finding.severity, title: labelOfSeverity(finding.severity), severity: finding.severity }), finding);
    } else if (grouping === 'check') {
      add(finding.rule, () => ({ key: finding.rule, title: `${finding.rule} · ${finding.rule_title}` }), finding);
    } else {
      const refs = finding.references.filter((r) => r.framework === framework);
      if (refs.length === 0) add(UNMAPPED, () => ({ key: UNMAPPED, title: `Not mapped to ${frameworkInfo(framework).short}` }), finding);
      // MAESTRO cites a layer and a threat by name, so the title is part of the entry.
      for (const ref of refs) {
        const key = `${ref.id} · ${ref.title}`;
        add(key, () => ({ key, title: key }), finding);
      }
    }
  }
  const list = [...groups.values()];
  if (grouping === 'severity') list.sort((a, b) => severityRank(a.severity!) - severityRank(b.severity!));
  else list.sort((a, b) => compareKeys(a.key, b.key));
  return list;
}

/** Natural order for ids such as `ASI2` < `ASI10`, `NHI1:2025` < `NHI10:2025`; unmapped last. */
function compareKeys(a: string, b: string): number {
  const unmapped = Number(a === UNMAPPED) - Number(b === UNMAPPED);
  return unmapped !== 0 ? unmapped : a.localeCompare(b, 'en', { numeric: true });
}

const UNMAPPED = '~unmapped';

export function labelOfSeverity(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

export function labelOfStatus(status: TriageStatus): string {
  return status === 'false_positive' ? 'False positive' : status.charAt(0).toUpperCase() + status.slice(1);
}

/** Findings per severity, for the panel's header. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** The node and edge ids of a finding's witness path (what the canvas highlights). */
export function pathIds(finding: Finding): { nodes: string[]; edges: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  for (const step of finding.path) {
    if (!nodes.includes(step.node)) nodes.push(step.node);
    if (step.hop && !edges.includes(step.hop.edge)) edges.push(step.hop.edge);
  }
  for (const subject of finding.subjects) if (!nodes.includes(subject)) nodes.push(subject);
  return { nodes, edges };
}

/** Today's date as `YYYY-MM-DD` in local time (the form the engine's examples use). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Whether the triage form records a decision (signed by whoever makes it) rather than removing
 * one: everything but going back to open with no justification.
 */
export function recordsDecision(status: TriageStatus, justification: string): boolean {
  return status !== 'open' || justification.trim() !== '';
}

/**
 * What the triage form writes for a finding: a decision for the store's `setTriage`, signed
 * `by`, or null (no decision) when the status goes back to open with no justification.
 */
export function triageInput(
  finding: Pick<Finding, 'rule'>,
  status: TriageStatus,
  justification: string,
  by: string,
  at: string,
): TriageInput | null {
  const text = justification.trim();
  if (!recordsDecision(status, text)) return null;
  return { rule: finding.rule, status, ...(text ? { justification: text } : {}), by, at };
}

/** The report's findings, or none. */
export function findingsOf(report: Report | null | undefined): Finding[] {
  return report?.findings ?? [];
}
