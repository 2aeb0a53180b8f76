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
        let report = json_report(&["check", "--format", "json", "--fail-on", "none", &path]);
        // A result stands for a risk or for one of its facets: whichever it is, it says what
        // the JSON report says of it.
        let risks = report["risks"].as_array().unwrap();
        let items: Vec<&serde_json::Value> = risks
            .iter()
            .chain(risks.iter().flat_map(|r| r["facets"].as_array().unwrap()))
            .collect();
        let results = run["results"].as_array().unwrap();
        assert!(results.len() >= risks.len(), "{path}");
        for result in results {
            let fingerprint = &result["partialFingerprints"]["bartizanFingerprint/v1"];
            let item = items
                .iter()
                .find(|item| item["fingerprint"] == *fingerprint)
                .unwrap_or_else(|| panic!("{path}: {fingerprint} is in the JSON report"));
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            let expected_level = match item["severity"].as_str().unwrap() {
                "critical" | "high" => "error",
                "medium" => "warning",
                _ => "note",
            };
            assert_eq!(result["level"], expected_level);
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
    assert_eq!(report["version"], 2);
    assert_eq!(report["tool"]["name"], "bartizan");
    assert!(
        report["model"]["content_hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert!(report.get("findings").is_none(), "findings live in risks");
    let risks = report["risks"].as_array().unwrap();
    assert!(!risks.is_empty());
    let summary = &report["summary"];
    assert_eq!(summary["total"], risks.len());
    let by_severity: u64 = summary["by_severity"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_severity, risks.len() as u64);
    let questions = report["questions"].as_array().unwrap();
    assert_eq!(summary["questions"], questions.len());
    let step_reasons = |path: &serde_json::Value| {
        path.as_array()
            .unwrap()
            .iter()
            .skip(1)
            .all(|step| step["hop"]["reason"].is_string())
    };
    for risk in risks {
        for field in [
            "fingerprint",
            "kind",
            "kind_label",
            "place",
            "place_name",
            "title",
            "severity",
            "priority",
            "remediation",
            "paths",
            "path_count",
            "facets",
            "references",
            "status",
            "location",
        ] {
            assert!(!risk[field].is_null(), "missing {field} in {risk}");
        }
        let fingerprint = risk["fingerprint"].as_str().unwrap();
        assert!(fingerprint.starts_with("BTZ-RISK-"), "{fingerprint}");
        let paths = risk["paths"].as_array().unwrap();
        assert!(!paths.is_empty() && paths.len() <= bartizan::risks::PATHS_SHOWN);
        assert!(risk["path_count"].as_u64().unwrap() >= paths.len() as u64);
        assert!(paths.iter().all(step_reasons));
        let facets = risk["facets"].as_array().unwrap();
        assert!(!facets.is_empty());
        // The risk is as severe as its most severe facet, which comes first.
        assert_eq!(risk["severity"], facets[0]["severity"]);
        for facet in facets {
            for field in [
                "rule",
                "rule_title",
                "title",
                "subjects",
                "path",
                "other_paths",
                "severity",
                "default_severity",
                "fingerprint",
                "location",
            ] {
                assert!(!facet[field].is_null(), "missing {field} in {facet}");
            }
            assert!(step_reasons(&facet["path"]));
            // No facet holds only because of an unstated property: those are questions.
            for assumption in facet["assumptions"].as_array().into_iter().flatten() {
                assert_eq!(assumption["decisive"], false, "{facet}");
            }
        }
    }
    for question in questions {
        for field in [
            "id",
            "element",
            "element_name",
            "property",
            "text",
            "reading",
            "rules",
            "location",
        ] {
            assert!(!question[field].is_null(), "missing {field} in {question}");
        }
    }
}

#[test]
fn csv_and_markdown_carry_every_risk() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let csv = stdout(&bartizan(&[
        "check",
        "--format",
        "csv",
        "--fail-on",
        "none",
        SHARED,
    ]));
    assert!(csv.starts_with("fingerprint,"), "{csv}");
    let markdown = stdout(&bartizan(&[
        "check",
        "--format",
        "md",
        "--fail-on",
        "none",
        SHARED,
    ]));
    // A risk is carried as itself, or as each of its facets.
    let carried = |text: &str, risk: &serde_json::Value| {
        text.contains(risk["fingerprint"].as_str().unwrap())
            || risk["facets"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| text.contains(f["fingerprint"].as_str().unwrap()))
    };
    for risk in report["risks"].as_array().unwrap() {
        assert!(carried(&markdown, risk), "{risk}");
        assert!(carried(&csv, risk), "{risk}");
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
fn triage_marks_risks_and_reports_stale_decisions() {
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let risks = report["risks"].as_array().unwrap();
    let mut model = load(SHARED);
    for risk in risks {
        model.triage.push(bartizan::model::TriageDecision {
            fingerprint: risk["fingerprint"].as_str().unwrap().to_owned(),
            rule: None,
            status: bartizan::model::TriageStatus::Accepted,
            justification: Some("Compensating control: quarterly access review".into()),
            by: Some("risk-board".into()),
            at: Some("2026-11-20".into()),
        });
    }
    // A decision about a finding, as recorded before risks: about no risk now.
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
    for risk in triaged["risks"].as_array().unwrap() {
        assert_eq!(risk["status"], "accepted");
        assert_eq!(
            risk["triage"]["justification"],
            "Compensating control: quarterly access review"
        );
        assert_eq!(risk["triage"]["by"], "risk-board");
    }
    assert_eq!(triaged["summary"]["actionable"], 0);
    assert_eq!(triaged["summary"]["by_status"]["accepted"], risks.len());
    assert_eq!(triaged["stale_triage"].as_array().unwrap().len(), 1);
    assert_eq!(
        triaged["stale_triage"][0]["fingerprint"],
        "BTZ-IDN-001:0000000000000000"
    );
    // Accepted risks do not fail the run.
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
    let highest = report["risks"][0]["severity"].as_str().unwrap().to_owned();
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
fn a_baseline_lets_ci_fail_only_on_new_risks() {
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
    let known =
        bartizan::findings::Baseline::from_json(&std::fs::read_to_string(&baseline).unwrap())
            .unwrap();
    let report = json_report(&["check", "--format", "json", "--fail-on", "none", SHARED]);
    let risks: std::collections::BTreeSet<String> = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(known.fingerprints, risks, "the baseline lists the risks");
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

    // A new credential shared by the agent and the operator is a new risk: the run fails again.
    let mut model = load(SHARED);
    model.nodes.push(bartizan::model::Node {
        id: "payroll-export-key".into(),
        name: "Payroll export key".into(),
        description: None,
        properties: bartizan::model::NodeProperties::Secret(bartizan::model::SecretProperties {
            lifetime: Some(bartizan::model::Lifetime::Standing),
            ..Default::default()
        }),
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
    let new: Vec<&serde_json::Value> = report["risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselined"].is_null())
        .collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["place"], "payroll-export-key");
    assert_eq!(report["summary"]["actionable"], 1);
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
                    .chain(std::iter::once(f.place.clone()))
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
        // Risks, and which facets each holds, are as stable as the findings.
        let risks = |model: &Model| {
            let mut set: Vec<(String, Vec<String>)> =
                bartizan::risks::assess(&ModelGraph::new(model))
                    .risks
                    .iter()
                    .map(|r| {
                        let mut facets: Vec<String> =
                            r.facets.iter().map(|f| f.fingerprint.clone()).collect();
                        facets.sort();
                        (r.fingerprint.clone(), facets)
                    })
                    .collect();
            set.sort();
            set
        };
        assert_eq!(
            risks(&original),
            risks(&edited),
            "{path}: risk fingerprints or facets changed"
        );

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
fn reports_are_deterministic_across_runs() {
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

/// docs/findings-json.md has a row for every field a report on the examples carries, at the
/// top level, in the summary, and in each risk, facet and question.
#[test]
fn the_json_reference_documents_every_field() {
    let doc = std::fs::read_to_string(common::root().join("docs/findings-json.md")).unwrap();
    let documented = |field: &str| {
        doc.contains(&format!("| `{field}` |")) || doc.contains(&format!("`{field}` ("))
    };
    let mut missing = std::collections::BTreeSet::new();
    let mut note = |object: &serde_json::Value, what: &str| {
        for key in object.as_object().unwrap().keys() {
            if !documented(key) {
                missing.insert(format!("{what}.{key}"));
            }
        }
    };
    for model in common::example_models() {
        let path = common::relative(&model);
        let report = json_report(&["check", "--format", "json", "--fail-on", "none", &path]);
        note(&report, "report");
        note(&report["summary"], "summary");
        for risk in report["risks"].as_array().unwrap() {
            note(risk, "risk");
            for facet in risk["facets"].as_array().unwrap() {
                note(facet, "facet");
            }
        }
        for question in report["questions"].as_array().unwrap() {
            note(question, "question");
        }
    }
    assert!(
        missing.is_empty(),
        "docs/findings-json.md does not document {missing:?}"
    );
}

/// A baseline written before risks lists finding fingerprints, which no risk has: it is
/// refused with how to write a new one, rather than failing CI on every risk as new.
#[test]
fn a_baseline_of_findings_is_refused_with_how_to_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(
        &baseline,
        r#"{"version": 1, "fingerprints": ["BTZ-IDN-001:666f264ed340d859"]}"#,
    )
    .unwrap();
    let output = bartizan(&["check", "--baseline", baseline.to_str().unwrap(), SHARED]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("baseline version 1 lists findings"),
        "{stderr}"
    );
    assert!(stderr.contains("--write-baseline"), "{stderr}");
}
