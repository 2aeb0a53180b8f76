//! Golden findings: `rampart check --format json` on every example model, pinned by snapshot,
//! and what each example is there to show.

mod common;

use common::{rampart, stdout};

fn report(path: &str) -> serde_json::Value {
    let output = rampart(&["check", "--format", "json", "--fail-on", "none", path]);
    assert_eq!(output.status.code(), Some(0), "{path}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn findings_on_every_example_match_the_golden_report() {
    for model in common::example_models() {
        let path = common::relative(&model);
        let output = rampart(&["check", "--format", "json", "--fail-on", "none", &path]);
        let name = model
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".rampart.yaml", "");
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("check", stdout(&output));
        });
    }
}

#[test]
fn the_well_governed_example_has_no_high_or_critical_finding() {
    let report = report("models/well-governed.rampart.yaml");
    let serious: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["severity"].as_str(), Some("high" | "critical")))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
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
            "models/customer-support.rampart.yaml",
            &[
                "RMP-IDN-001",
                "RMP-CRD-001",
                "RMP-CRD-005",
                "RMP-INP-001",
                "RMP-INP-002",
            ],
        ),
        (
            "models/coding-agent.rampart.yaml",
            &[
                "RMP-EXE-001",
                "RMP-SUP-001",
                "RMP-SUP-002",
                "RMP-CRD-006",
                "RMP-AUT-003",
            ],
        ),
        (
            "models/finance-ops.rampart.yaml",
            &["RMP-AUT-002", "RMP-AUT-003", "RMP-CRD-001", "RMP-CRD-006"],
        ),
        (
            "models/research-multi-agent.rampart.yaml",
            &["RMP-MAG-001", "RMP-MAG-002", "RMP-INP-003", "RMP-IDN-001"],
        ),
        (
            "models/desktop-assistant-mcp.rampart.yaml",
            &["RMP-IDN-002", "RMP-SUP-001", "RMP-SUP-002", "RMP-CRD-005"],
        ),
        (
            "models/legacy-rpa-shared-token.rampart.yaml",
            &["RMP-IDN-001", "RMP-IDN-003", "RMP-CRD-002", "RMP-CRD-005"],
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
