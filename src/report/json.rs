//! The JSON report: a stable, versioned shape documented in `docs/findings-json.md`.

use serde::Serialize;

use super::CheckRun;
use crate::findings::{Finding, StaleDecision};
use crate::frameworks::Reference;

/// Bumped on any incompatible change to the shape below.
pub const JSON_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    model: ModelInfo<'a>,
    summary: Summary,
    findings: Vec<FindingEntry<'a>>,
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
    total: usize,
    actionable: usize,
    by_severity: std::collections::BTreeMap<&'static str, usize>,
    by_status: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct FindingEntry<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    rule_title: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    references: &'static [Reference],
}

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
}

pub fn render(run: &CheckRun) -> String {
    let by_severity = crate::findings::Severity::ALL
        .iter()
        .map(|&s| {
            (
                s.as_str(),
                run.findings.iter().filter(|f| f.severity == s).count(),
            )
        })
        .collect();
    let report = Report {
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
            total: run.findings.len(),
            actionable: run.actionable().count(),
            by_severity,
            by_status: run.count_by_status(),
        },
        findings: run
            .findings
            .iter()
            .map(|finding| {
                let rule = run.rule(finding);
                FindingEntry {
                    finding,
                    rule_title: rule.title,
                    status: finding.status().as_str(),
                    location: run.location(finding).map(|l| Location {
                        line: l.line,
                        column: l.column,
                    }),
                    references: rule.references,
                }
            })
            .collect(),
        stale_triage: &run.stale,
    };
    let mut text = serde_json::to_string_pretty(&report).expect("a report serialises");
    text.push('\n');
    text
}
