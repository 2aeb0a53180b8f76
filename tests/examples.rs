//! Golden reports: `bartizan check --format json` on every example model, pinned by snapshot,
//! what each example is there to show, and the bar for a readable report: few risks,
//! critical rare, unknowns asked rather than reported.

mod common;

use common::{bartizan, stdout};

fn report(path: &str) -> serde_json::Value {
    let output = bartizan(&["check", "--format", "json", "--fail-on", "none", path]);
    assert_eq!(output.status.code(), Some(0), "{path}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn risks_on_every_example_match_the_golden_report() {
    for model in common::example_models() {
        let path = common::relative(&model);
        let output = bartizan(&["check", "--format", "json", "--fail-on", "none", &path]);
        let name = model
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".bartizan.yaml", "");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("check", stdout(&output));
        });
    }
}

#[test]
fn the_governed_examples_have_no_high_or_critical_risk() {
    let mut governed = 0;
    for model in common::example_models() {
        let path = common::relative(&model);
        if !(path.contains("well-governed") || path.contains("shared-gateway")) {
            continue;
        }
        governed += 1;
        let report = report(&path);
        let serious: Vec<&serde_json::Value> = report["risks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| matches!(r["severity"].as_str(), Some("high" | "critical")))
            .collect();
        assert!(serious.is_empty(), "{path}: {serious:#?}");
    }
    assert!(governed >= 1, "models/ holds the well-governed example");
}

/// The checks that fire on a model: as facets of its risks, or waiting on a question.
fn rules_fired(path: &str) -> Vec<String> {
    let report = report(path);
    let facets = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["facets"].as_array().unwrap());
    let pending = report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["pending"].as_array().into_iter().flatten());
    let mut rules: Vec<String> = facets
        .chain(pending)
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn every_example_reports_few_risks_and_rarely_critical() {
    for model in common::example_models() {
        let path = common::relative(&model);
        let report = report(&path);
        let nodes = report["model"]["nodes"].as_u64().unwrap();
        let risks = report["risks"].as_array().unwrap();
        assert!(
            risks.len() as u64 * 10 <= 3 * nodes,
            "{path}: {} risks on {nodes} nodes, more than 3 per 10",
            risks.len()
        );
        let critical = risks.iter().filter(|r| r["severity"] == "critical").count();
        assert!(critical <= 2, "{path}: {critical} critical risks");
        // One risk per root cause: no two risks share a kind and a place.
        let mut places: Vec<(&str, &str)> = risks
            .iter()
            .map(|r| (r["kind"].as_str().unwrap(), r["place"].as_str().unwrap()))
            .collect();
        places.sort();
        let before = places.len();
        places.dedup();
        assert_eq!(places.len(), before, "{path}");
    }
}

/// A finding that holds only because a property is unstated is never a risk, and never lost:
/// it waits on the question about that property.
#[test]
fn a_finding_that_rests_on_an_unknown_waits_on_its_question() {
    use bartizan::graph::ModelGraph;
    use bartizan::syntax::{Format, Limits, parse_model};
    for model in common::example_models() {
        let source = std::fs::read_to_string(&model).unwrap();
        let parsed = parse_model(&source, Format::from_path(&model), &Limits::default());
        let graph = ModelGraph::new(parsed.valid_model().unwrap());
        let findings = bartizan::rules::run(&graph);
        let assessment = bartizan::risks::from_findings(&graph, findings.clone());
        for finding in &findings {
            let facet = assessment.risks.iter().any(|r| {
                r.facets
                    .iter()
                    .any(|f| f.fingerprint == finding.fingerprint)
            });
            assert_eq!(
                facet,
                finding.is_stated(),
                "{}: {finding:#?}",
                model.display()
            );
            for assumption in finding.assumptions.iter().filter(|a| a.decisive) {
                let question = assessment
                    .questions
                    .iter()
                    .find(|q| q.element == assumption.element && q.property == assumption.property)
                    .unwrap_or_else(|| {
                        panic!("{}: no question for {assumption:?}", model.display())
                    });
                assert!(
                    question.pending.iter().any(|p| p.rule == finding.rule),
                    "{}: {} waits on {}",
                    model.display(),
                    finding.rule,
                    question.id
                );
            }
        }
    }
}

/// The case the product exists for comes first on finance-ops: a person approves, an agent
/// executes, and a connector's standing bank key with privileges beyond the approver's does it.
#[test]
fn the_standing_payment_key_behind_an_approval_is_finance_ops_first_risk() {
    let report = report("models/finance-ops.bartizan.yaml");
    let first = &report["risks"][0];
    assert_eq!(first["kind"], "credential", "{first:#}");
    assert_eq!(first["place"], "payment-api-key", "{first:#}");
    assert_eq!(first["status"], "open");
}

#[test]
fn each_example_shows_the_risks_it_was_drawn_for() {
    let expectations: &[(&str, &[&str])] = &[
        (
            "models/customer-support.bartizan.yaml",
            &[
                "BTZ-IDN-001",
                "BTZ-CRD-001",
                "BTZ-CRD-005",
                "BTZ-INP-001",
                "BTZ-INP-002",
            ],
        ),
        (
            "models/coding-agent.bartizan.yaml",
            &[
                "BTZ-EXE-001",
                "BTZ-SUP-001",
                "BTZ-SUP-002",
                "BTZ-CRD-006",
                "BTZ-AUT-003",
            ],
        ),
        (
            "models/finance-ops.bartizan.yaml",
            &["BTZ-AUT-002", "BTZ-AUT-003", "BTZ-CRD-001", "BTZ-CRD-006"],
        ),
        (
            "models/research-multi-agent.bartizan.yaml",
            &["BTZ-MAG-001", "BTZ-MAG-002", "BTZ-INP-003", "BTZ-IDN-001"],
        ),
        (
            "models/desktop-assistant-mcp.bartizan.yaml",
            &["BTZ-IDN-002", "BTZ-SUP-001", "BTZ-SUP-002", "BTZ-CRD-005"],
        ),
        (
            "models/legacy-rpa-shared-token.bartizan.yaml",
            &["BTZ-IDN-001", "BTZ-IDN-003", "BTZ-CRD-002", "BTZ-CRD-005"],
        ),
    ];
    for (path, expected) in expectations {
        let fired = rules_fired(path);
        for rule in *expected {
            assert!(
                fired.iter().any(|r| r == rule),
                "{path} should show {rule}; it shows {fired:?}"
            );
        }
    }
}
