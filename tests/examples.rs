//! Golden findings: `bartizan check --format json` on every example model, pinned by snapshot,
//! and what each example is there to show.

mod common;

use common::{bartizan, stdout};

fn report(path: &str) -> serde_json::Value {
    let output = bartizan(&["check", "--format", "json", "--fail-on", "none", path]);
    assert_eq!(output.status.code(), Some(0), "{path}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn findings_on_every_example_match_the_golden_report() {
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
fn the_well_governed_example_has_no_high_or_critical_finding() {
    let report = report("models/well-governed.bartizan.yaml");
    let serious: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("high" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

/// The risks of an example, from the library: the governed examples are judged on risks, the
/// unit the product reports.
fn risks_of(path: &str) -> Vec<bartizan::risks::Risk> {
    let text = std::fs::read_to_string(common::root().join(path)).unwrap();
    let parsed = bartizan::syntax::parse_model(
        &text,
        bartizan::syntax::Format::Yaml,
        &bartizan::syntax::Limits::default(),
    );
    assert!(
        parsed.diagnostics.is_empty(),
        "{path}: {:#?}",
        parsed.diagnostics
    );
    let model = parsed.model.unwrap();
    bartizan::risks::assess(&bartizan::graph::ModelGraph::new(&model)).risks
}

#[test]
fn the_governed_examples_have_no_high_or_critical_risk() {
    for path in [
        "models/well-governed.bartizan.yaml",
        "models/shared-gateway.bartizan.yaml",
    ] {
        let serious: Vec<String> = risks_of(path)
            .into_iter()
            .filter(|r| r.severity >= bartizan::findings::Severity::High)
            .map(|r| r.title)
            .collect();
        assert!(serious.is_empty(), "{path}: {serious:#?}");
    }
}

/// The risk the product exists for — a person approves, an agent acts, a connector with
/// standing privileges beyond the person's does it — comes first on finance-ops, critical.
#[test]
fn finance_ops_leads_with_the_standing_connector_key() {
    let risks = risks_of("models/finance-ops.bartizan.yaml");
    let first = &risks[0];
    assert_eq!(
        first.place,
        "payment-api-key",
        "{:#?}",
        risks.iter().map(|r| &r.title).collect::<Vec<_>>()
    );
    assert_eq!(first.severity, bartizan::findings::Severity::Critical);
    assert!(first.rules().contains(&"BTZ-AUT-002"));
}

fn rules_fired(path: &str) -> Vec<String> {
    let mut rules: Vec<String> = report(path)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    rules.sort();
    rules.dedup();
    rules
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
