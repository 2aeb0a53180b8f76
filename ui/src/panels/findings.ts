// What the panels share about checks and decisions: the check catalogue (`generated/rules.json`:
// each check's title, rationale and framework entries), the severity and status words, and
// when a triage form records a decision. Pure functions, tested in `findings.test.ts`.

import rulesJson from '../generated/rules.json';
import type { Severity } from '../backend';
import type { TriageStatus } from '../model/types';

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

export function labelOfSeverity(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

export function labelOfStatus(status: TriageStatus): string {
  return status === 'false_positive' ? 'False positive' : status.charAt(0).toUpperCase() + status.slice(1);
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
