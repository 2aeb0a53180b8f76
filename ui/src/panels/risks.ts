// What the risks, questions and plan panels compute from an analysis: the one count of open
// risks (panel header, severity chips and status bar all read `riskCounts`), the filter, the
// path a click highlights, the triage decision a risk's form writes, the field a question is
// answered in, and what a plan step closes. Pure functions, tested in `risks.test.ts`. The
// report's shapes (version 2) are in `../backend.ts`.

import type { PathStep, PlanRiskRef, PlanStep, Question, Report, Risk, Severity } from '../backend';
import { edgeIdOf } from '../model/ids';
import { findEdge, findNode } from '../model/structure';
import type { Model, ModelEdge, ModelNode, TriageStatus } from '../model/types';
import { EDGE_FIELDS, edgeFieldApplies } from '../model/vocabulary';
import type { FindingMarker, Highlight, TriageInput } from '../store';
import { SEVERITIES, recordsDecision } from './findings';
import { edgeField, propertyFields, type FieldSpec } from './formSpec';

/** The report's risks, or none. */
export function risksOf(report: Report | null | undefined): Risk[] {
  return report?.risks ?? [];
}

/** The report's open questions, or none. */
export function questionsOf(report: Report | null | undefined): Question[] {
  return report?.questions ?? [];
}

/** What counting needs of a risk: a report risk and a canvas marker both fit. */
export interface Countable {
  severity: Severity;
  status?: string;
  baselined?: boolean;
}

/** Open and not in a baseline: what still needs a decision (the engine's `actionable`). */
export function isOpen(risk: Countable): boolean {
  return (risk.status ?? 'open') === 'open' && !risk.baselined;
}

export interface RiskCounts {
  /** Every risk, triaged or not. */
  total: number;
  /** The open ones: the sum of `bySeverity`. */
  open: number;
  /** Triaged (mitigated, accepted, false positive) or baselined. */
  triaged: number;
  /** Open risks by severity. */
  bySeverity: Record<Severity, number>;
}

/**
 * The counts every part of the app shows: the panel's header, its severity chips and the
 * status bar. One function, so they cannot disagree.
 */
export function riskCounts(risks: readonly Countable[] | null | undefined): RiskCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let open = 0;
  for (const risk of risks ?? []) {
    if (!isOpen(risk)) continue;
    open += 1;
    bySeverity[risk.severity] += 1;
  }
  const total = risks?.length ?? 0;
  return { total, open, triaged: total - open, bySeverity };
}

/** `3 open risks` (and how many are triaged), the words the header and the status bar share. */
export function openRisksLabel(counts: RiskCounts): string {
  const open = `${counts.open} open risk${counts.open === 1 ? '' : 's'}`;
  return counts.triaged > 0 ? `${open} · ${counts.triaged} triaged` : open;
}

/** The canvas's marker of each risk: a badge at its place. */
export function riskMarkers(risks: readonly Risk[]): FindingMarker[] {
  return risks.map((r) => ({
    fingerprint: r.fingerprint,
    rule: r.kind,
    severity: r.severity,
    status: r.status,
    ...(r.baselined ? { baselined: true } : {}),
    subjects: [r.place],
    title: r.title,
  }));
}

/** The risks the panel lists: of the chosen severities (all when none is chosen), triaged ones only when asked. */
export function filterRisks(risks: readonly Risk[], severities: readonly Severity[], showTriaged: boolean): Risk[] {
  return risks.filter((r) => (severities.length === 0 || severities.includes(r.severity)) && (showTriaged || isOpen(r)));
}

/** A severity chip clicked: it joins the filter, or leaves it. */
export function toggleSeverity(filter: readonly Severity[], severity: Severity): Severity[] {
  return filter.includes(severity) ? filter.filter((s) => s !== severity) : SEVERITIES.filter((s) => s === severity || filter.includes(s));
}

/** The node and edge ids of one path (what the canvas highlights), with `also` among the nodes. */
export function pathHighlight(path: readonly PathStep[], also: readonly string[] = []): Highlight {
  const nodes: string[] = [];
  const edges: string[] = [];
  for (const step of path) {
    if (!nodes.includes(step.node)) nodes.push(step.node);
    if (step.hop && !edges.includes(step.hop.edge)) edges.push(step.hop.edge);
  }
  for (const id of also) if (!nodes.includes(id)) nodes.push(id);
  return { nodes, edges };
}

/** What selecting a risk highlights: its shortest path, and its place. */
export function riskHighlight(risk: Pick<Risk, 'paths' | 'place'>): Highlight {
  return pathHighlight(risk.paths[0] ?? [], [risk.place]);
}

/** `1 path`, `12 paths`: how many the risk affects, however few are shown. */
export function pathCountLabel(risk: Pick<Risk, 'paths' | 'path_count'>): string {
  const count = Math.max(risk.path_count ?? 0, risk.paths.length);
  return `${count} path${count === 1 ? '' : 's'}`;
}

/** The checks that fire at a risk, each once, in facet order. */
export function riskRules(risk: Pick<Risk, 'facets'>): string[] {
  return [...new Set(risk.facets.map((f) => f.rule))];
}

/** `BTZ-RISK-CRD` of `BTZ-RISK-CRD:1454…`: the code a decision records for readers of the file. */
export function riskCode(fingerprint: string): string {
  return fingerprint.split(':')[0];
}

/**
 * What the triage form writes for a risk: a decision keyed by the risk's fingerprint, signed
 * `by`, or null (no decision) when the status goes back to open with no justification.
 */
export function riskTriageInput(risk: Pick<Risk, 'fingerprint'>, status: TriageStatus, justification: string, by: string, at: string): TriageInput | null {
  const text = justification.trim();
  if (!recordsDecision(status, text)) return null;
  return { rule: riskCode(risk.fingerprint), status, ...(text ? { justification: text } : {}), by, at };
}

/** Where a question is answered: the element's field, its current value, and the edit that sets it. */
export type QuestionTarget =
  | { type: 'node'; node: ModelNode; spec: FieldSpec; value: unknown }
  | { type: 'edge'; edge: ModelEdge; id: string; spec: FieldSpec; value: unknown };

/** The field of the inspector that answers `question`, or null when the element is gone or has no such field. */
export function questionTarget(doc: Model, question: Pick<Question, 'element' | 'property'>): QuestionTarget | null {
  const node = findNode(doc, question.element);
  if (node) {
    const spec = propertyFields(node.kind).find((f) => f.name === question.property);
    if (!spec) return null;
    return { type: 'node', node, spec, value: (node.properties as Record<string, unknown> | undefined)?.[question.property] };
  }
  const edge = findEdge(doc, question.element);
  if (edge && (EDGE_FIELDS as readonly string[]).includes(question.property) && edgeFieldApplies(question.property as keyof ModelEdge, edge.relation)) {
    return { type: 'edge', edge, id: edgeIdOf(edge), spec: edgeField(question.property), value: edge[question.property as keyof ModelEdge] };
  }
  return null;
}

/** The test id of the inspector's control for a question's property (what "Show in inspector" focuses). */
export function inspectorFieldTestId(target: QuestionTarget): string {
  return target.type === 'node' ? `field-properties.${target.spec.name}` : `field-${target.spec.name}`;
}

/** The fingerprint of a risk a plan step names (as a fingerprint or as a risk). */
export function planRef(ref: string | PlanRiskRef): string {
  return typeof ref === 'string' ? ref : ref.fingerprint;
}

/** A risk a plan step names, as the current report has it (or as the step names it, when the report no longer does). */
export interface PlanRisk {
  fingerprint: string;
  title: string;
  severity?: Severity;
  /** Whether the current report has it (open or triaged). */
  current: boolean;
}

/** The risks a step closes (or opens), named from the current report. */
export function planRisks(refs: readonly (string | PlanRiskRef)[], risks: readonly Risk[]): PlanRisk[] {
  const byFingerprint = new Map(risks.map((r) => [r.fingerprint, r]));
  return refs.map((ref) => {
    const fingerprint = planRef(ref);
    const risk = byFingerprint.get(fingerprint);
    if (risk) return { fingerprint, title: risk.title, severity: risk.severity, current: true };
    const named = typeof ref === 'string' ? undefined : ref;
    return { fingerprint, title: named?.title ?? fingerprint, ...(named?.severity ? { severity: named.severity } : {}), current: false };
  });
}

/** How many of a step's closed risks the current report still has open. */
export function stillOpenClosedBy(step: Pick<PlanStep, 'closes'>, risks: readonly Risk[]): number {
  const open = new Set(risks.filter(isOpen).map((r) => r.fingerprint));
  return step.closes.filter((ref) => open.has(planRef(ref))).length;
}
