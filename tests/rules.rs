//! Every check, specified by its fixtures: `tests/fixtures/rules/<rule-id>/trigger.bartizan.yaml`
//! must produce exactly the findings in its snapshot (path included), and
//! `near_miss.bartizan.yaml` — the same risk with the control that breaks it, or just short of
//! the condition — must produce none of that rule.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use bartizan::findings::Finding;
use bartizan::graph::ModelGraph;
use bartizan::rules::{self, ALL};
use bartizan::syntax::{Format, Limits, parse_model};

fn findings_of(path: &Path, rule: &str) -> Vec<Finding> {
    let source =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = parse_model(&source, Format::Yaml, &Limits::default());
    assert!(
        parsed.diagnostics.is_empty(),
        "{} must be valid with no warnings: {:#?}",
        path.display(),
        parsed.diagnostics
    );
    let model = parsed.model.unwrap();
    let graph = ModelGraph::new(&model);
    rules::run(&graph)
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

fn fixture(rule: &str, name: &str) -> std::path::PathBuf {
    common::root()
        .join("tests/fixtures/rules")
        .join(rule)
        .join(name)
}

#[test]
fn every_check_fires_on_its_trigger_exactly_as_recorded() {
    for rule in ALL {
        let findings = findings_of(&fixture(rule.id, "trigger.bartizan.yaml"), rule.id);
        assert!(
            !findings.is_empty(),
            "{}: the trigger fixture produced no finding",
            rule.id
        );
        for finding in &findings {
            assert!(
                !finding.path.is_empty(),
                "{}: a finding without a path",
                rule.id
            );
            assert!(
                !finding.subjects.is_empty(),
                "{}: a finding without subjects",
                rule.id
            );
        }
        insta::with_settings!({ snapshot_suffix => rule.id, prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!("trigger", findings);
        });
    }
}

/// A check's near misses: `near_miss.bartizan.yaml`, and one `near_miss_<what>.bartizan.yaml`
/// per false positive fixed.
fn near_misses(rule: &str) -> Vec<std::path::PathBuf> {
    let dir = common::root().join("tests/fixtures/rules").join(rule);
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with("near_miss") && name.ends_with(".bartizan.yaml")
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn no_check_fires_on_its_near_misses() {
    for rule in ALL {
        let paths = near_misses(rule.id);
        assert!(!paths.is_empty(), "{}: no near-miss fixture", rule.id);
        for path in paths {
            let findings = findings_of(&path, rule.id);
            assert!(
                findings.is_empty(),
                "{}: {} produced {:#?}",
                rule.id,
                path.display(),
                findings
            );
        }
    }
}

#[test]
fn data_leaving_through_a_grant_of_unstated_permissions_waits_on_the_question() {
    let path = fixture("BTZ-DAT-001", "assumed_unstated_grant.bartizan.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let parsed = parse_model(&source, Format::Yaml, &Limits::default());
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.code == "missing-permissions"),
        "{:#?}",
        parsed.diagnostics
    );
    let model = parsed.model.unwrap();
    let graph = ModelGraph::new(&model);
    let findings: Vec<Finding> = rules::run(&graph)
        .into_iter()
        .filter(|f| f.rule == "BTZ-DAT-001")
        .collect();
    assert!(
        !findings.is_empty(),
        "the cautious reading still finds the flow"
    );
    for finding in &findings {
        assert!(
            finding.assumptions.iter().any(|a| a.decisive
                && a.property == "permissions"
                && a.element == "bank-key--grants--bank-ledger"),
            "{finding:#?}"
        );
    }
    let assessment = bartizan::risks::assess(&graph);
    assert!(
        assessment
            .risks
            .iter()
            .all(|risk| !risk.rules().contains(&"BTZ-DAT-001")),
        "an unknown raised a risk"
    );
    let question = assessment
        .questions
        .iter()
        .find(|q| q.element == "bank-key--grants--bank-ledger" && q.property == "permissions")
        .expect("the grant's permissions are asked");
    assert!(question.pending.iter().any(|p| p.rule == "BTZ-DAT-001"));
}

#[test]
fn the_catalog_lists_every_rule_file() {
    let rules_dir = common::root().join("src/rules");
    let mut on_disk = BTreeSet::new();
    for area in std::fs::read_dir(&rules_dir).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&area).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".rs") && name != "mod.rs" {
                let relative = file.strip_prefix(&rules_dir).unwrap().display().to_string();
                on_disk.insert(relative);
            }
        }
    }
    let listed: BTreeSet<String> = rules::FILES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        listed, on_disk,
        "src/rules/mod.rs `catalog!` must list every rule file"
    );
}

#[test]
fn rule_metadata_is_complete_and_unique() {
    assert!(ALL.len() >= 20, "the catalog has {} checks", ALL.len());
    let mut ids = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for rule in ALL {
        let id_shape = rule.id.len() == 11
            && rule.id.starts_with("BTZ-")
            && rule.id[4..7].chars().all(|c| c.is_ascii_uppercase())
            && &rule.id[7..8] == "-"
            && rule.id[8..].chars().all(|c| c.is_ascii_digit());
        assert!(id_shape, "{} is not shaped BTZ-XXX-000", rule.id);
        assert!(ids.insert(rule.id), "{} is used twice", rule.id);
        assert!(slugs.insert(rule.slug), "{} is used twice", rule.slug);
        assert!(
            rule.slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.slug
        );
        for text in [rule.title, rule.summary, rule.rationale, rule.remediation] {
            assert!(!text.trim().is_empty(), "{} has empty metadata", rule.id);
        }
        assert!(
            rule.rationale.len() > 80,
            "{}: the rationale should say why",
            rule.id
        );
        assert!(
            rule.remediation.len() > 60,
            "{}: the remediation should say how",
            rule.id
        );
    }
    let mut sorted: Vec<&str> = ALL.iter().map(|r| r.id).collect();
    sorted.sort();
    assert_eq!(
        sorted,
        ALL.iter().map(|r| r.id).collect::<Vec<_>>(),
        "ALL is in id order"
    );
}

#[test]
fn every_reference_is_in_the_framework_catalog() {
    use bartizan::frameworks::Framework;
    for rule in ALL {
        assert!(
            !rule.references.is_empty(),
            "{} cites no framework",
            rule.id
        );
        for reference in rule.references {
            assert!(
                reference.is_known(),
                "{} cites {:?}, which is not in the catalog",
                rule.id,
                reference
            );
        }
        let cites =
            |framework: Framework| rule.references.iter().any(|r| r.framework() == framework);
        assert!(
            cites(Framework::OwaspAgentic),
            "{} cites no ASI entry",
            rule.id
        );
        assert!(
            cites(Framework::Maestro),
            "{} cites no MAESTRO layer",
            rule.id
        );
        assert!(
            cites(Framework::NistAiRmf) || cites(Framework::Nist80053),
            "{} cites no NIST entry",
            rule.id
        );
    }
}

/// Every model the checks are specified on: the shipped examples and every rule fixture.
fn every_fixture_and_example() -> Vec<std::path::PathBuf> {
    let root = common::root();
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(root.join("models")).unwrap() {
        paths.push(entry.unwrap().path());
    }
    for rule in ALL {
        for entry in std::fs::read_dir(root.join("tests/fixtures/rules").join(rule.id)).unwrap() {
            paths.push(entry.unwrap().path());
        }
    }
    paths.sort();
    paths
}

#[test]
fn no_ungated_action_path_doubles_back() {
    for path in every_fixture_and_example() {
        let source = std::fs::read_to_string(&path).unwrap();
        let Some(model) = parse_model(&source, Format::Yaml, &Limits::default()).model else {
            continue;
        };
        let graph = ModelGraph::new(&model);
        for finding in rules::run(&graph) {
            let kind = rules::by_id(finding.rule).unwrap().risk;
            if kind != rules::RiskKind::UngatedActions {
                continue;
            }
            let nodes: Vec<&str> = finding.path.iter().map(|s| s.node.as_str()).collect();
            let distinct: BTreeSet<&str> = nodes.iter().copied().collect();
            assert_eq!(
                distinct.len(),
                nodes.len(),
                "{}: {} passes a node twice: {nodes:?}",
                path.display(),
                finding.rule
            );
        }
    }
}
