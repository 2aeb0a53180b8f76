//! SARIF 2.1.0 for code-scanning: one rule per check (with its help text and references),
//! one result per finding located at the model-file line of its subject, and the finding's
//! fingerprint as a partial fingerprint so code-scanning tracks it across runs.
//!
//! Built as JSON directly rather than through a typed SARIF crate: the log needs a handful
//! of properties, and the test suite validates the output against the official 2.1.0 schema.

use serde_json::{Value, json};

use super::{CheckRun, path_line};
use crate::findings::Severity;
use crate::rules::ALL;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0.0–10.0) to rank security results.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

pub fn render(run: &CheckRun) -> String {
    let rules: Vec<Value> = ALL
        .iter()
        .map(|rule| {
            let references: Vec<String> = rule.references.iter().map(|r| r.label()).collect();
            json!({
                "id": rule.id,
                "name": rule.slug,
                "shortDescription": { "text": rule.title },
                "fullDescription": { "text": rule.summary },
                "help": {
                    "text": format!("{}\n\nFix: {}\n\nReferences: {}", rule.rationale, rule.remediation, references.join("; ")),
                    "markdown": format!("{}\n\n**Fix:** {}\n\n**References:**\n{}", rule.rationale, rule.remediation,
                        references.iter().map(|r| format!("- {r}")).collect::<Vec<_>>().join("\n")),
                },
                "defaultConfiguration": { "level": level(rule.default_severity) },
                "properties": {
                    "tags": ["security", rule.area.label()],
                    "security-severity": security_severity(rule.default_severity),
                    "references": references,
                },
            })
        })
        .collect();
    let results: Vec<Value> = run
        .findings
        .iter()
        .map(|finding| {
            let rule_index = ALL.iter().position(|r| r.id == finding.rule).expect("catalogued rule");
            let mut physical = json!({ "artifactLocation": { "uri": run.model_path } });
            if let Some(location) = run.location(finding) {
                physical["region"] = json!({ "startLine": location.line, "startColumn": location.column });
            }
            let mut result = json!({
                "ruleId": finding.rule,
                "ruleIndex": rule_index,
                "level": level(finding.severity),
                "message": { "text": format!("{}. Path: {}", finding.title, path_line(finding)) },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": finding.subjects.iter().map(|s| json!({ "name": s, "kind": "element" })).collect::<Vec<_>>(),
                }],
                "partialFingerprints": { "bartizanFingerprint/v1": finding.fingerprint },
                "properties": {
                    "severity": finding.severity.as_str(),
                    "security-severity": security_severity(finding.severity),
                    "path": finding.path_ids(),
                    "otherPaths": finding.other_paths,
                    "status": finding.status().as_str(),
                },
            });
            if let Some(triage) = &finding.triage {
                let kind = match triage.status {
                    crate::model::TriageStatus::Open => None,
                    crate::model::TriageStatus::Accepted | crate::model::TriageStatus::Mitigated => Some("external"),
                    crate::model::TriageStatus::FalsePositive => Some("external"),
                };
                if let Some(kind) = kind {
                    result["suppressions"] = json!([{
                        "kind": kind,
                        "status": "accepted",
                        "justification": triage.justification.clone().unwrap_or_default(),
                    }]);
                }
            }
            if run.baseline_in_use {
                result["baselineState"] = json!(if finding.baselined { "unchanged" } else { "new" });
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "Bartizan",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "artifacts": [{ "location": { "uri": run.model_path }, "hashes": { "sha-256": run.content_hash.trim_start_matches("sha256:") } }],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    text.push('\n');
    text
}
