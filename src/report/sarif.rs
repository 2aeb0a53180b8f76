//! SARIF 2.1.0 for code scanning (mapping in `docs/reports.md`). One result per risk, under
//! the rule of its kind (`BTZ-RISK-ACT` …), located at the definition of its place, with each
//! check that fires there as a related location at its subject and the risk's fingerprint as a
//! partial fingerprint, so code scanning tracks it across runs. Open questions are results of
//! level `note` under the rule `BTZ-QUESTION`, at the element they ask about. The checks are
//! rules too, each related to its risk kind, so every facet's `ruleId` resolves.
//!
//! Built as JSON directly rather than through a typed SARIF crate: the log needs a handful
//! of properties, and the test suite validates the output against the official 2.1.0 schema.

use serde_json::{Value, json};

use super::CheckRun;
use crate::diagnostic::Location;
use crate::findings::Severity;
use crate::graph::ModelGraph;
use crate::model::TriageStatus;
use crate::risks::RiskKind;
use crate::rules::ALL;

/// The rule of every open-question result.
pub const QUESTION_RULE: &str = "BTZ-QUESTION";

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

/// Rule indexes: the risk kinds first, then the question rule, then the checks.
fn kind_index(kind: RiskKind) -> usize {
    RiskKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed")
}

fn question_index() -> usize {
    RiskKind::ALL.len()
}

fn check_index(rule: &str) -> usize {
    RiskKind::ALL.len()
        + 1
        + ALL
            .iter()
            .position(|r| r.id == rule)
            .expect("catalogued rule")
}

/// Model text in a SARIF message: brackets escaped, so that only Bartizan's own links
/// (`[BTZ-AUT-001](0)`, to a related location) read as links (SARIF 2.1.0 §3.11.6).
fn literal(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

fn physical(run: &CheckRun, location: Option<Location>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": run.model_path } });
    if let Some(location) = location {
        physical["region"] = json!({ "startLine": location.line, "startColumn": location.column });
    }
    physical
}

fn rules() -> Vec<Value> {
    let mut rules: Vec<Value> = RiskKind::ALL
        .iter()
        .map(|kind| {
            let checks: Vec<&str> = ALL.iter().filter(|r| r.risk == *kind).map(|r| r.id).collect();
            // The fix names the place; a rule describes every place of its kind.
            let fix = kind.remediation(&format!("‹{}›", kind.place_label()));
            json!({
                "id": kind.code(),
                "name": kind,
                "shortDescription": { "text": kind.label() },
                "fullDescription": { "text": format!("A control missing at one place ({}); every check that fires there is a facet of the one risk: {}.", kind.place_label(), checks.join(", ")) },
                "help": {
                    "text": format!("Fix: {fix}\n\nChecks: {}", checks.join(", ")),
                    "markdown": format!("**Fix:** {fix}\n\n**Checks:** {}", checks.join(", ")),
                },
                "defaultConfiguration": { "level": "error" },
                // No `security-severity`: code scanning reads it per rule, and the risks of one
                // kind span severities; each result's level carries its own.
                "properties": { "tags": ["security", kind.label()] },
            })
        })
        .collect();
    rules.push(json!({
        "id": QUESTION_RULE,
        "name": "open_question",
        "shortDescription": { "text": "A property the checks read is unstated" },
        "fullDescription": { "text": "The model leaves a property unstated that a check reads. Until it is stated, the checks read it as the message says; findings that hold only under that reading wait on the answer and are not reported as risks." },
        "help": {
            "text": "State the property in the model; see docs/defaults.md for how each unstated property is read.",
            "markdown": "State the property in the model; `docs/defaults.md` says how each unstated property is read.",
        },
        "defaultConfiguration": { "level": "note" },
        "properties": { "tags": ["question"] },
    }));
    for rule in ALL {
        let references: Vec<String> = rule.references.iter().map(|r| r.label()).collect();
        rules.push(json!({
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
            "relationships": [{
                "target": { "id": rule.risk.code(), "index": kind_index(rule.risk) },
                "kinds": ["relevant"],
                "description": { "text": format!("Its findings are facets of a {} risk.", rule.risk.label()) },
            }],
            "properties": {
                "tags": ["security", rule.area.label()],
                "security-severity": security_severity(rule.default_severity),
                "references": references,
            },
        }));
    }
    rules
}

fn risk_results(run: &CheckRun, graph: &ModelGraph) -> Vec<Value> {
    run.risks
        .iter()
        .map(|risk| {
            let related: Vec<Value> = risk
                .facets
                .iter()
                .enumerate()
                .map(|(index, facet)| {
                    json!({
                        "id": index,
                        "message": { "text": format!("{} {}: {}", facet.rule, run.rule(facet).title, literal(&crate::risks::named(graph, &facet.title))) },
                        "physicalLocation": physical(run, run.location(facet)),
                        "logicalLocations": facet.subjects.iter().map(|s| json!({ "name": s, "kind": "element" })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let facets: Vec<Value> = risk
                .facets
                .iter()
                .map(|facet| {
                    json!({
                        "ruleId": facet.rule,
                        "ruleIndex": check_index(facet.rule),
                        "severity": facet.severity.as_str(),
                        "title": crate::risks::named(graph, &facet.title),
                        "subjects": facet.subjects,
                    })
                })
                .collect();
            let mut message = format!("{}.", literal(&risk.title));
            if let Some(path) = risk.paths.first() {
                message.push_str(&format!(
                    " {} path{}; shortest: {}.",
                    risk.priority.paths,
                    if risk.priority.paths == 1 { "" } else { "s" },
                    literal(&run.path_line(path))
                ));
            }
            // Links to the related locations, which viewers show beside the message.
            let checks: Vec<String> = risk
                .facets
                .iter()
                .enumerate()
                .map(|(index, facet)| format!("[{}]({index})", facet.rule))
                .collect();
            message.push_str(&format!(" Checks: {}.", checks.join(", ")));
            message.push_str(&format!(" Fix: {}", literal(&risk.remediation)));
            let mut result = json!({
                "ruleId": risk.kind.code(),
                "ruleIndex": kind_index(risk.kind),
                "level": level(risk.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": physical(run, run.place_location(risk)),
                    "logicalLocations": [{ "name": risk.place, "kind": "element" }],
                }],
                "relatedLocations": related,
                "partialFingerprints": { "bartizanRisk/v1": risk.fingerprint },
                "properties": {
                    "severity": risk.severity.as_str(),
                    "security-severity": security_severity(risk.severity),
                    "kind": risk.kind,
                    "place": risk.place,
                    "placeName": risk.place_name,
                    "facets": facets,
                    "paths": risk.priority.paths,
                    "shortestPaths": risk.paths.iter().map(|p| p.iter().map(|s| s.node.as_str()).collect::<Vec<_>>()).collect::<Vec<_>>(),
                    "references": super::reference_ids(risk),
                    "status": risk.status().as_str(),
                },
            });
            if let Some(why) = &risk.critical {
                result["properties"]["critical"] = json!(why);
            }
            if !risk.assumed.is_empty() {
                result["properties"]["assumed"] = json!(risk.assumed);
            }
            if let Some(triage) = &risk.triage
                && triage.status != TriageStatus::Open
            {
                result["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": triage.justification.clone().unwrap_or_default(),
                }]);
            }
            if run.baseline_in_use {
                result["baselineState"] = json!(if risk.baselined { "unchanged" } else { "new" });
            }
            result
        })
        .collect()
}

fn question_results(run: &CheckRun) -> Vec<Value> {
    run.questions
        .iter()
        .map(|question| {
            let mut message = format!(
                "{} Until it is stated, read as: {}.",
                literal(&question.text),
                question.reading
            );
            if !question.pending.is_empty() {
                let pending: Vec<String> = question
                    .pending
                    .iter()
                    .map(|p| format!("{} {}", p.rule, literal(&p.title)))
                    .collect();
                message.push_str(&format!(" The answer decides: {}.", pending.join("; ")));
            }
            json!({
                "ruleId": QUESTION_RULE,
                "ruleIndex": question_index(),
                "level": "note",
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": physical(run, run.question_location(question)),
                    "logicalLocations": [{ "name": question.element, "kind": "element" }],
                }],
                "partialFingerprints": { "bartizanQuestion/v1": question.id },
                "properties": {
                    "property": question.property,
                    "element": question.element,
                    "reading": question.reading,
                    "rules": question.rules,
                    "pending": question.pending,
                },
            })
        })
        .collect()
}

pub fn render(run: &CheckRun) -> String {
    let graph = ModelGraph::new(run.model);
    let mut results = risk_results(run, &graph);
    results.extend(question_results(run));
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "Bartizan",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules(),
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

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn model_text_cannot_make_a_link_to_a_related_location() {
        assert_eq!(literal("Key [old](0)"), "Key \\[old\\](0)");
        assert_eq!(literal("plain"), "plain");
    }
}
