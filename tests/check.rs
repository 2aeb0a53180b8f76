//! `bartizan check`: outputs, triage, baselines, exit codes and fingerprint stability.

mod common;

use bartizan::graph::ModelGraph;
use bartizan::model::Model;
use bartizan::syntax::{Format, Limits, parse_model, to_yaml};
use common::{bartizan, stdout};

const SHARED: &str = "models/legacy-rpa-shared-token.bartizan.yaml";

fn load(path: &str) -> Model {
    let source = std::fs::read_to_string(common::root().join(path)).unwrap();
    parse_model(&source, Format::Yaml, &Limits::default())
        .model
        .unwrap()
}

fn json_report(args: &[&str]) -> serde_json::Value {
    let output = bartizan(args);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)))
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_the_right_rules_and_levels() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("tests/fixtures/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .build(&schema)
        .expect("the official SARIF 2.1.0 schema loads");
    for model in common::example_models() {
        let path = common::relative(&model);
        let sarif = json_report(&["check", "--format", "sarif", "--fail-on", "none", &path]);
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");

        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), bartizan::rules::ALL.len());
        let findings = json_report(&["check", "--format", "json", "--fail-on", "none", &path]);
        let results = run["results"].as_array().unwrap();
        assert_eq!(
            results.len(),
            findings["findings"].as_array().unwrap().len()
        );
        for (result, finding) in results.iter().zip(findings["findings"].as_array().unwrap()) {
            assert_eq!(result["ruleId"], finding["rule"]);
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], finding["rule"]);
            let expected_level = match finding["severity"].as_str().unwrap() {
                "critical" | "high" => "error",
                "medium" => "warning",
                _ => "note",
            };
            assert_eq!(result["level"], expected_level);
            assert_eq!(
                result["partialFingerprints"]["bartizanFingerprint/v1"],
                finding["fingerprint"]
            );
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert_eq!(region["startLine"], finding["location"]["line"], "{path}");
        }
    }
}

#[test]
fn sarif_points_at_the_line_of_the_subject_node() {
    let sarif = json_report(&["check", "--format", "sarif", "--fail-on", "none", SHARED]);
    let source = std::fs::read_to_string(common::root().join(SHARED)).unwrap();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let subject = result["locations"][0]["logicalLocations"][0]["name"]
            .as_str()
            .unwrap();
        let line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap() as usize;
        let text = source.lines().nth(line - 1).unwrap();
        assert!(
            text.contains(subject),
            "line {line} `{text}` should define `{subject}`"
        );
    }
}

#[test]
fn json_report_is_versioned_and_complete() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "bartizan");
    assert!(
        report["model"]["content_hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert_eq!(report["summary"]["total"], findings.len());
    for finding in findings {
        for field in [
            "rule",
            "rule_title",
            "title",
            "subjects",
            "path",
            "severity",
            "default_severity",
            "fingerprint",
            "status",
            "references",
        ] {
            assert!(!finding[field].is_null(), "missing {field} in {finding}");
        }
        assert!(
            finding["path"]
                .as_array()
                .unwrap()
                .iter()
                .skip(1)
                .all(|step| step["hop"]["reason"].is_string())
        );
    }
}

#[test]
fn csv_and_markdown_carry_every_finding() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let count = report["findings"].as_array().unwrap().len();
    let csv = stdout(&bartizan(&[
        "check",
        "--format",
        "csv",
        "--fail-on",
        "none",
        SHARED,
    ]));
    assert_eq!(
        csv.split("\r\n").filter(|l| !l.is_empty()).count(),
        count + 1
    );
    assert!(csv.starts_with("fingerprint,rule,rule_title,severity"));
    let markdown = stdout(&bartizan(&[
        "check",
        "--format",
        "md",
        "--fail-on",
        "none",
        SHARED,
    ]));
    for finding in report["findings"].as_array().unwrap() {
        assert!(markdown.contains(finding["fingerprint"].as_str().unwrap()));
        assert!(csv.contains(finding["fingerprint"].as_str().unwrap()));
    }
}

#[test]
fn out_writes_the_report_to_a_file_without_colour() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let output = bartizan(&[
        "check",
        "--format",
        "sarif",
        "--fail-on",
        "none",
        "--out",
        out.to_str().unwrap(),
        SHARED,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains('\u{1b}'));
    serde_json::from_str::<serde_json::Value>(&written).unwrap();
}

#[test]
fn triage_marks_findings_and_reports_stale_decisions() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let findings = report["findings"].as_array().unwrap();
    let mut model = load(SHARED);
    for finding in findings {
        model.triage.push(bartizan::model::TriageDecision {
            fingerprint: finding["fingerprint"].as_str().unwrap().to_owned(),
            rule: Some(finding["rule"].as_str().unwrap().to_owned()),
            status: bartizan::model::TriageStatus::Accepted,
            justification: Some("Compensating control: quarterly access review".into()),
            by: Some("risk-board".into()),
            at: Some("2026-11-20".into()),
        });
    }
    model.triage.push(bartizan::model::TriageDecision {
        fingerprint: "BTZ-IDN-001:0000000000000000".into(),
        rule: Some("BTZ-IDN-001".into()),
        status: bartizan::model::TriageStatus::FalsePositive,
        justification: Some("Removed in the redesign".into()),
        by: None,
        at: None,
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("triaged.bartizan.yaml");
    std::fs::write(&path, to_yaml(&model)).unwrap();
    let file = path.to_str().unwrap();

    let triaged = json_report(&["check", "--format", "json", "--fail-on", "none", file]);
    assert!(
        triaged["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "accepted")
    );
    assert_eq!(triaged["summary"]["actionable"], 0);
    assert_eq!(
        triaged["stale_triage"][0]["fingerprint"],
        "BTZ-IDN-001:0000000000000000"
    );
    // Accepted findings do not fail the run.
    assert_eq!(
        bartizan(&["check", "--fail-on", "info", file])
            .status
            .code(),
        Some(0)
    );
    let text = stdout(&bartizan(&["check", file]));
    assert!(
        text.contains("[accepted: Compensating control: quarterly access review]"),
        "{text}"
    );
    assert!(text.contains("stale triage"), "{text}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let highest = report["findings"][0]["severity"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        bartizan(&["check", "--fail-on", &highest, SHARED])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        bartizan(&["check", "--fail-on", "none", SHARED])
            .status
            .code(),
        Some(0)
    );
    if highest != "critical" {
        assert_eq!(
            bartizan(&["check", "--fail-on", "critical", SHARED])
                .status
                .code(),
            Some(0)
        );
    }
}

#[test]
fn a_baseline_lets_ci_fail_only_on_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();
    let written = bartizan(&[
        "check",
        "--fail-on",
        "none",
        "--write-baseline",
        baseline_arg,
        SHARED,
    ]);
    assert_eq!(written.status.code(), Some(0));
    assert_eq!(
        bartizan(&[
            "check",
            "--fail-on",
            "info",
            "--baseline",
            baseline_arg,
            SHARED
        ])
        .status
        .code(),
        Some(0)
    );

    // A new credential shared by the agent and the operator is a new finding: the run fails again.
    let mut model = load(SHARED);
    model.nodes.push(bartizan::model::Node {
        id: "payroll-export-key".into(),
        name: "Payroll export key".into(),
        description: None,
        properties: bartizan::model::NodeProperties::default_for(bartizan::model::NodeKind::Secret),
    });
    for holder in ["hr-agent", "hr-operator"] {
        model.edges.push(bartizan::model::Edge::new(
            holder,
            bartizan::model::Relation::Holds,
            "payroll-export-key",
        ));
    }
    let changed = dir.path().join("changed.bartizan.yaml");
    std::fs::write(&changed, to_yaml(&model)).unwrap();
    let output = bartizan(&[
        "check",
        "--fail-on",
        "info",
        "--baseline",
        baseline_arg,
        "--format",
        "json",
        changed.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let new: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baselined"].is_null())
        .collect();
    assert!(!new.is_empty(), "the change adds a finding");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn fingerprints_survive_renames_reordering_and_unrelated_edits() {
    let mut ids_renamed = 0;
    for path in common::example_models() {
        let path = common::relative(&path);
        let original = load(&path);
        let before = bartizan::rules::run(&ModelGraph::new(&original));

        let mut edited = original.clone();
        edited.nodes.reverse();
        edited.edges.reverse();
        edited.boundaries.reverse();
        // Rename (display name) every node, and add an unrelated node with an edge.
        for node in &mut edited.nodes {
            node.name = format!("{} (renamed)", node.name);
        }
        edited.nodes.push(bartizan::model::Node {
            id: "unrelated-human".into(),
            name: "Someone unrelated".into(),
            description: None,
            properties: bartizan::model::NodeProperties::default_for(
                bartizan::model::NodeKind::Human,
            ),
        });
        edited.nodes.push(bartizan::model::Node {
            id: "unrelated-store".into(),
            name: "Unrelated wiki".into(),
            description: None,
            properties: bartizan::model::NodeProperties::default_for(
                bartizan::model::NodeKind::Datastore,
            ),
        });
        edited.edges.push(bartizan::model::Edge::new(
            "unrelated-human",
            bartizan::model::Relation::Reads,
            "unrelated-store",
        ));
        // Rename the id of a node that no finding mentions, with the edges that refer to it.
        let mentioned: std::collections::HashSet<String> = before
            .iter()
            .flat_map(|f| {
                f.subjects
                    .iter()
                    .cloned()
                    .chain(f.path.iter().map(|s| s.node.clone()))
            })
            .collect();
        let renamed = edited
            .nodes
            .iter()
            .map(|n| n.id.clone())
            .find(|id| !mentioned.contains(id));
        if let Some(old_id) = renamed {
            ids_renamed += 1;
            let new_id = format!("{old_id}-renamed");
            for node in &mut edited.nodes {
                if node.id == old_id {
                    node.id = new_id.clone();
                }
            }
            for edge in &mut edited.edges {
                for end in [&mut edge.from, &mut edge.to] {
                    if *end == old_id {
                        *end = new_id.clone();
                    }
                }
                edge.id = bartizan::model::Edge::derived_id(&edge.from, edge.relation, &edge.to);
            }
            for boundary in &mut edited.boundaries {
                for member in &mut boundary.members {
                    if *member == old_id {
                        *member = new_id.clone();
                    }
                }
            }
        }
        let after = bartizan::rules::run(&ModelGraph::new(&edited));

        let fingerprints = |findings: &[bartizan::findings::Finding]| {
            let mut set: Vec<(String, Vec<String>)> = findings
                .iter()
                .map(|f| {
                    (
                        f.fingerprint.clone(),
                        f.path_ids().iter().map(|s| s.to_string()).collect(),
                    )
                })
                .collect();
            set.sort();
            set
        };
        assert_eq!(
            fingerprints(&before),
            fingerprints(&after),
            "{path}: fingerprints or paths changed"
        );
        assert!(
            !before.is_empty() || path.contains("well-governed") || path.contains("shared-gateway"),
            "{path} has findings to compare"
        );
    }
    assert!(
        ids_renamed >= 3,
        "only {ids_renamed} examples had an unrelated node to rename"
    );
}

#[test]
fn findings_are_deterministic_across_runs() {
    let first = stdout(&bartizan(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "none",
        SHARED,
    ]));
    let second = stdout(&bartizan(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "none",
        SHARED,
    ]));
    assert_eq!(first, second);
}

#[test]
fn rules_lists_the_catalog_in_each_format() {
    let text = stdout(&bartizan(&["rules"]));
    for rule in bartizan::rules::ALL {
        assert!(
            text.contains(rule.id) && text.contains(rule.title),
            "{}",
            rule.id
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&bartizan(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(
        json["rules"].as_array().unwrap().len(),
        bartizan::rules::ALL.len()
    );
    let md = stdout(&bartizan(&["rules", "--format", "md"]));
    assert!(md.starts_with("# Bartizan checks"));
}
