//! The JSON report: a stable, versioned shape documented in `docs/findings-json.md`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::CheckRun;
use crate::findings::{AppliedTriage, Assumption, Factor, Finding, Severity, StaleDecision, Step};
use crate::frameworks::Reference;
use crate::risks::{Pending, Priority, Question, Risk, RiskKind};

/// Bumped on any incompatible change to the shape below. Version 2 reports risks (with the
/// findings as their facets) and open questions instead of a flat list of findings.
pub const JSON_SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    model: ModelInfo<'a>,
    summary: Summary,
    risks: Vec<RiskEntry<'a>>,
    questions: Vec<QuestionEntry<'a>>,
    stale_triage: &'a [StaleDecision],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct ModelInfo<'a> {
    path: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<&'a str>,
    content_hash: &'a str,
    nodes: usize,
    edges: usize,
}

#[derive(Serialize)]
struct Summary {
    /// Risks, not findings.
    total: usize,
    actionable: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_status: BTreeMap<&'static str, usize>,
    questions: usize,
}

#[derive(Serialize)]
struct RiskEntry<'a> {
    fingerprint: &'a str,
    kind: RiskKind,
    kind_label: &'static str,
    place: &'a str,
    place_name: &'a str,
    title: &'a str,
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    critical: Option<&'a str>,
    priority: Priority,
    remediation: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    assumed: &'a [Assumption],
    paths: &'a [Vec<Step>],
    path_count: u64,
    facets: Vec<FacetEntry<'a>>,
    references: &'a [Reference],
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    triage: Option<&'a AppliedTriage>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baselined: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

#[derive(Serialize)]
struct FacetEntry<'a> {
    rule: &'static str,
    rule_title: &'static str,
    title: &'a str,
    subjects: &'a [String],
    path: &'a [Step],
    other_paths: u64,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    evidence: &'a [String],
    default_severity: Severity,
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    critical: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    factors: &'a [Factor],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    assumptions: &'a [Assumption],
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

#[derive(Serialize)]
struct QuestionEntry<'a> {
    id: &'a str,
    element: &'a str,
    element_name: &'a str,
    property: &'static str,
    text: &'a str,
    reading: &'static str,
    rules: &'a [&'static str],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pending: &'a [Pending],
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
}

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
}

impl Location {
    fn of(location: crate::diagnostic::Location) -> Self {
        Location {
            line: location.line,
            column: location.column,
        }
    }
}

/// The JSON report, indented for people and diffs, as `check --format json` writes it.
pub fn render(run: &CheckRun) -> String {
    let mut text = serde_json::to_string_pretty(&report(run)).expect("a report serialises");
    text.push('\n');
    text
}

/// The same report on one line: what the desktop app parses at every edit, where the
/// indentation of a large model's report would be most of its bytes.
pub fn render_compact(run: &CheckRun) -> String {
    serde_json::to_string(&report(run)).expect("a report serialises")
}

fn report<'a>(run: &'a CheckRun) -> Report<'a> {
    let by_severity = Severity::ALL
        .iter()
        .map(|&s| {
            (
                s.as_str(),
                run.risks.iter().filter(|r| r.severity == s).count(),
            )
        })
        .collect();
    let mut by_status = BTreeMap::new();
    for risk in &run.risks {
        *by_status.entry(risk.status().as_str()).or_insert(0) += 1;
    }
    Report {
        version: JSON_SCHEMA_VERSION,
        tool: Tool {
            name: "bartizan",
            version: env!("CARGO_PKG_VERSION"),
        },
        model: ModelInfo {
            path: &run.model_path,
            name: &run.model.metadata.name,
            revision: run.model.metadata.revision.as_deref(),
            content_hash: &run.content_hash,
            nodes: run.model.nodes.len(),
            edges: run.model.edges.len(),
        },
        summary: Summary {
            total: run.risks.len(),
            actionable: run.risks.iter().filter(|r| r.is_actionable()).count(),
            by_severity,
            by_status,
            questions: run.questions.len(),
        },
        risks: run.risks.iter().map(|risk| risk_entry(run, risk)).collect(),
        questions: run
            .questions
            .iter()
            .map(|question| question_entry(run, question))
            .collect(),
        stale_triage: &run.stale,
    }
}

fn risk_entry<'a>(run: &'a CheckRun, risk: &'a Risk) -> RiskEntry<'a> {
    RiskEntry {
        fingerprint: &risk.fingerprint,
        kind: risk.kind,
        kind_label: risk.kind.label(),
        place: &risk.place,
        place_name: &risk.place_name,
        title: &risk.title,
        severity: risk.severity,
        critical: risk.critical.as_deref(),
        priority: risk.priority,
        remediation: &risk.remediation,
        assumed: &risk.assumed,
        paths: &risk.paths,
        path_count: risk.priority.paths,
        facets: risk
            .facets
            .iter()
            .map(|facet| facet_entry(run, facet))
            .collect(),
        references: &risk.references,
        status: risk.status().as_str(),
        triage: risk.triage.as_ref(),
        baselined: risk.baselined,
        location: run.locations.get(&risk.place).copied().map(Location::of),
    }
}

fn facet_entry<'a>(run: &CheckRun, facet: &'a Finding) -> FacetEntry<'a> {
    FacetEntry {
        rule: facet.rule,
        rule_title: run.rule(facet).title,
        title: &facet.title,
        subjects: &facet.subjects,
        path: &facet.path,
        other_paths: facet.other_paths,
        evidence: &facet.evidence,
        default_severity: facet.default_severity,
        severity: facet.severity,
        critical: facet.critical.as_deref(),
        factors: &facet.factors,
        assumptions: &facet.assumptions,
        fingerprint: &facet.fingerprint,
        location: run.location(facet).map(Location::of),
    }
}

fn question_entry<'a>(run: &CheckRun, question: &'a Question) -> QuestionEntry<'a> {
    QuestionEntry {
        id: &question.id,
        element: &question.element,
        element_name: &question.element_name,
        property: question.property,
        text: &question.text,
        reading: question.reading,
        rules: &question.rules,
        pending: &question.pending,
        location: run
            .locations
            .get(&question.element)
            .copied()
            .map(Location::of),
    }
}
