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
    // A near miss about a grant that does not say what it permits carries the warning that
    // says so; every other fixture is valid with no warning.
    let name = path.file_name().unwrap().to_string_lossy();
    let expected =
        |code: &str| name.starts_with("near_miss_unscoped") && code == "missing-permissions";
    let unexpected: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| !expected(d.code))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} must be valid with no warnings: {:#?}",
        path.display(),
        unexpected
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

/// A rule's fixtures whose name starts with `prefix`, in name order.
fn fixtures_starting(rule: &str, prefix: &str) -> Vec<std::path::PathBuf> {
    let folder = common::root().join("tests/fixtures/rules").join(rule);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".bartizan.yaml")
        })
        .collect();
    files.sort();
    files
}

/// Every trigger fixture (`trigger.bartizan.yaml`, and one `trigger_<case>.bartizan.yaml` per
/// further case a check covers) fires, exactly as recorded in `<name>@<rule-id>.snap`.
#[test]
fn every_check_fires_on_its_trigger_exactly_as_recorded() {
    for rule in ALL {
        let files = fixtures_starting(rule.id, "trigger");
        assert!(
            files.iter().any(|f| f.ends_with("trigger.bartizan.yaml")),
            "{}: no trigger.bartizan.yaml",
            rule.id
        );
        for file in files {
            let findings = findings_of(&file, rule.id);
            assert!(
                !findings.is_empty(),
                "{}: {} produced no finding",
                rule.id,
                file.display()
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
            let name = file.file_name().unwrap().to_string_lossy();
            let name = name.trim_end_matches(".bartizan.yaml").to_owned();
            insta::with_settings!({ snapshot_suffix => rule.id, prepend_module_to_snapshot => false }, {
                insta::assert_json_snapshot!(name, findings);
            });
        }
    }
}

/// A rule's near misses: `near_miss.bartizan.yaml`, and one `near_miss_<case>.bartizan.yaml`
/// per false positive that was fixed, so that it stays fixed.
fn near_misses(rule: &str) -> Vec<std::path::PathBuf> {
    fixtures_starting(rule, "near_miss")
}

/// A near miss raises no risk: no finding of the rule holds on what the model states. A
/// finding that holds only under an unstated property is a question, not a risk.
#[test]
fn no_check_fires_on_its_near_misses() {
    for rule in ALL {
        let files = near_misses(rule.id);
        assert!(
            files.iter().any(|f| f.ends_with("near_miss.bartizan.yaml")),
            "{}: no near_miss.bartizan.yaml",
            rule.id
        );
        for file in files {
            let stated: Vec<Finding> = findings_of(&file, rule.id)
                .into_iter()
                .filter(Finding::is_stated)
                .collect();
            assert!(
                stated.is_empty(),
                "{}: {} produced {:#?}",
                rule.id,
                file.display(),
                stated
            );
        }
    }
}

#[test]
fn data_leaving_through_a_grant_of_unstated_permissions_is_a_question() {
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
    let assessment = bartizan::risks::assess(&graph);
    assert!(
        assessment
            .risks
            .iter()
            .all(|risk| !risk.rules().contains(&"BTZ-DAT-001")),
        "an unknown raised a risk"
    );
    assert!(
        assessment
            .questions
            .iter()
            .any(|q| q.element == "bank-key--grants--bank-ledger" && q.property == "permissions"),
        "the grant's permissions are asked"
    );
}

/// Human use of a non-human credential (OWASP NHI10) is cited only where a person shares it.
#[test]
fn shared_identity_cites_human_use_only_with_a_person() {
    let rule = rules::by_id("BTZ-IDN-001").unwrap();
    assert!(
        rule.references.iter().all(|r| r.id() != "NHI10:2025"),
        "BTZ-IDN-001 cites NHI10 for every share, with or without a person"
    );
    let cites_nhi10 =
        |finding: &Finding| finding.evidence.iter().any(|fact| fact.contains("NHI10"));
    let without_person = findings_of(&fixture("BTZ-IDN-001", "trigger.bartizan.yaml"), rule.id);
    assert!(!without_person.is_empty() && !without_person.iter().any(cites_nhi10));
    let with_person = findings_of(
        &fixture("BTZ-IDN-001", "trigger_with_person.bartizan.yaml"),
        rule.id,
    );
    assert!(!with_person.is_empty() && with_person.iter().all(cites_nhi10));
}

/// Critical is kept for the product's signature risk: a person's approval carried out with a
/// standing credential whose stated privileges go beyond the person's stated entitlements.
#[test]
fn privilege_amplification_is_critical_only_behind_an_approval() {
    use bartizan::findings::Severity;
    let approved = findings_of(
        &fixture("BTZ-AUT-002", "trigger_approval.bartizan.yaml"),
        "BTZ-AUT-002",
    );
    assert_eq!(approved.len(), 1, "{approved:#?}");
    assert_eq!(approved[0].severity, Severity::Critical);
    assert_eq!(approved[0].place, "payment-api-key");
    assert!(approved[0].critical.as_deref().unwrap().contains("admin"));
    // A delegation with no approval: high at most, as every other credential finding.
    let delegated = findings_of(
        &fixture("BTZ-AUT-002", "trigger.bartizan.yaml"),
        "BTZ-AUT-002",
    );
    assert!(!delegated.is_empty());
    assert!(delegated.iter().all(|f| f.severity <= Severity::High));
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

/// A witness path shows a way through the model: it never passes the same node twice.
#[test]
fn no_path_doubles_back() {
    for path in every_fixture_and_example() {
        let source = std::fs::read_to_string(&path).unwrap();
        let Some(model) = parse_model(&source, Format::Yaml, &Limits::default()).model else {
            continue;
        };
        let graph = ModelGraph::new(&model);
        for finding in rules::run(&graph) {
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

/// A knowledge base several agents read spreads one poisoned entry to each of them: the
/// finding counts the readers and says so, even where the model does not call it shared.
#[test]
fn memory_poisoning_counts_the_agents_a_knowledge_base_reaches() {
    let findings = findings_of(
        &fixture("BTZ-INP-003", "trigger_several_readers.bartizan.yaml"),
        "BTZ-INP-003",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let finding = &findings[0];
    assert!(
        finding.evidence.contains(
            &"read by `billing-agent`, `onboarding-agent` and `support-agent`".to_owned()
        ),
        "{:#?}",
        finding.evidence
    );
    assert!(
        finding
            .factors
            .iter()
            .any(|f| f.detail.contains("read by 3 agents")),
        "{:#?}",
        finding.factors
    );
    // One reader: the factor comes from the stated sharing alone.
    let single = findings_of(
        &fixture("BTZ-INP-003", "trigger.bartizan.yaml"),
        "BTZ-INP-003",
    );
    let details: Vec<&str> = single
        .iter()
        .flat_map(|f| f.factors.iter().map(|x| x.detail.as_str()))
        .collect();
    assert_eq!(
        details,
        ["`kb-index` is shared: a poisoned entry reaches other agents, users or sessions"]
    );
}

/// A memory or index stated confidential is private data exactly as a datastore is: the data
/// checks follow it out.
#[test]
fn a_confidential_memory_is_private_data() {
    let findings = findings_of(
        &fixture("BTZ-DAT-001", "trigger_memory.bartizan.yaml"),
        "BTZ-DAT-001",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].subjects, ["deal-index", "chat-poster"]);
    assert!(
        findings[0].title.contains("(confidential)"),
        "{}",
        findings[0].title
    );
}

/// Models and agent frameworks are supply chain too: a stated `provenance: unverified` or
/// `pinned: false` is reported at the agent, as for a tool.
#[test]
fn unverified_or_unpinned_models_and_agent_frameworks_are_reported() {
    let subjects = |rule: &str, name: &str| -> Vec<(String, String)> {
        findings_of(&fixture(rule, name), rule)
            .into_iter()
            .map(|f| (f.subjects[0].clone(), f.place))
            .collect()
    };
    let pair = |subject: &str, place: &str| (subject.to_owned(), place.to_owned());
    assert_eq!(
        subjects("BTZ-SUP-001", "trigger_model_and_agent.bartizan.yaml"),
        [
            pair("hub-model", "research-agent"),
            pair("research-agent", "research-agent")
        ]
    );
    assert_eq!(
        subjects("BTZ-SUP-002", "trigger_model_and_agent.bartizan.yaml"),
        [
            pair("llm", "support-agent"),
            pair("support-agent", "support-agent")
        ]
    );
}

/// An agent whose answers are rendered is reported for them; the agents that hand it tasks
/// are not reported again for the same answers.
#[test]
fn rendered_answers_are_reported_at_the_agent_that_answers() {
    let findings = findings_of(
        &fixture("BTZ-INP-005", "trigger_handed_on.bartizan.yaml"),
        "BTZ-INP-005",
    );
    let places: Vec<&str> = findings.iter().map(|f| f.place.as_str()).collect();
    assert_eq!(places, ["chat-assistant"], "{findings:#?}");
}

/// A direct write to a datastore, and a high-impact grant from an identity the agent acts as,
/// are actions for the input, policy and audit checks alike, placed at the agent; reading a
/// store and writing the agent's own memory are not.
#[test]
fn direct_actions_on_datastores_are_actions() {
    use bartizan::findings::Severity;
    let trigger = fixture("BTZ-INP-001", "trigger_direct_write.bartizan.yaml");
    let near_miss = fixture("BTZ-INP-001", "near_miss_direct_read.bartizan.yaml");
    for rule in ["BTZ-INP-001", "BTZ-AUT-001", "BTZ-OPS-001"] {
        let findings = findings_of(&trigger, rule);
        let subjects: BTreeSet<&str> = findings.iter().map(|f| f.subjects[0].as_str()).collect();
        assert_eq!(
            subjects,
            BTreeSet::from(["invoices", "vendor-master"]),
            "{rule}: {findings:#?}"
        );
        assert!(findings.iter().all(|f| f.place == "intake-agent"), "{rule}");
        assert!(
            findings_of(&near_miss, rule).is_empty(),
            "{rule} fired on reads"
        );
    }
    // Deleting invoices on an email's say-so, past no gate, meets the critical bar.
    let deletes = findings_of(&trigger, "BTZ-INP-001")
        .into_iter()
        .find(|f| f.subjects[0] == "invoices")
        .unwrap();
    assert_eq!(deletes.severity, Severity::Critical);
    assert_eq!(
        deletes.path.last().unwrap().hop.as_ref().unwrap().relation,
        bartizan::model::Relation::Grants
    );
    // One risk at the agent, named for the stores it acts on.
    let source = std::fs::read_to_string(&trigger).unwrap();
    let model = parse_model(&source, Format::Yaml, &Limits::default())
        .model
        .unwrap();
    let graph = ModelGraph::new(&model);
    let ungated: Vec<String> = bartizan::risks::assess(&graph)
        .risks
        .into_iter()
        .filter(|risk| risk.place == "intake-agent")
        .map(|risk| risk.title)
        .collect();
    assert_eq!(
        ungated,
        ["Supplier intake agent acts on Invoice ledger and Vendor master with no policy gate"]
    );
}

/// A content filter lowers an injection finding and says so; it never closes it, and a path
/// through it is never critical.
#[test]
fn a_content_filter_lowers_injection_and_never_closes_it() {
    use bartizan::findings::{FactorKind, Severity};
    for (rule, name) in [
        ("BTZ-INP-001", "trigger_content_filter.bartizan.yaml"),
        ("BTZ-INP-003", "trigger_content_filter.bartizan.yaml"),
    ] {
        let findings = findings_of(&fixture(rule, name), rule);
        assert!(!findings.is_empty(), "{rule}: the filter closed it");
        for finding in &findings {
            assert!(
                finding
                    .factors
                    .iter()
                    .any(|f| f.kind == FactorKind::ContentFilter && f.effect == -1),
                "{rule}: {finding:#?}"
            );
            assert!(finding.severity < Severity::Critical, "{rule}");
        }
    }
}

/// An identity's grants beyond what the workloads acting as it use are over-scope, as a
/// secret's are: one check, one risk at the identity.
#[test]
fn an_identity_can_be_over_scoped() {
    let findings = findings_of(
        &fixture("BTZ-CRD-006", "trigger_identity.bartizan.yaml"),
        "BTZ-CRD-006",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].place, "forecast-role");
    assert!(findings[0].title.contains("write, delete, admin"));
}

/// Where an unstated fact decides a finding, the finding waits on it as a question; the near
/// miss beside each such trigger raises no finding at all, not even a pending one.
#[test]
fn unstated_volume_and_endpoint_facts_are_asked_only_where_they_decide() {
    let cases = [
        (
            "BTZ-OPS-003",
            "trigger_untrusted_callers.bartizan.yaml",
            "near_miss_rate_limited.bartizan.yaml",
            "daily_capacity",
        ),
        (
            "BTZ-MAG-003",
            "trigger_same_zone_mcp.bartizan.yaml",
            "near_miss_same_zone_api.bartizan.yaml",
            "auth",
        ),
        (
            "BTZ-MAG-004",
            "trigger_nested_boundary.bartizan.yaml",
            "near_miss_same_zone_api.bartizan.yaml",
            "verified",
        ),
        (
            "BTZ-RES-003",
            "trigger_unstated_autonomy.bartizan.yaml",
            "near_miss.bartizan.yaml",
            "autonomy",
        ),
    ];
    for (rule, trigger, near_miss, property) in cases {
        let findings = findings_of(&fixture(rule, trigger), rule);
        assert!(!findings.is_empty(), "{rule}: {trigger} asks nothing");
        for finding in &findings {
            assert!(
                !finding.is_stated()
                    && finding
                        .assumptions
                        .iter()
                        .any(|a| a.decisive && a.property == property),
                "{rule}: {trigger} does not wait on `{property}`: {finding:#?}"
            );
        }
        let asked = findings_of(&fixture(rule, near_miss), rule);
        assert!(asked.is_empty(), "{rule}: {near_miss} asks {asked:#?}");
    }
}

/// The unstated origin and pinning of a model or an agent's framework are asked, each finding
/// pending on that one property, only where an agent acts on its own or reads untrusted content.
#[test]
fn unstated_model_and_framework_origin_is_asked_only_where_it_matters() {
    let decisive = |finding: &Finding| -> Vec<(String, &'static str)> {
        finding
            .assumptions
            .iter()
            .filter(|a| a.decisive)
            .map(|a| (a.element.clone(), a.property))
            .collect()
    };
    let asked = |rule: &str, name: &str| -> Vec<(String, &'static str)> {
        let mut asked: Vec<_> = findings_of(&fixture(rule, name), rule)
            .iter()
            .flat_map(decisive)
            .collect();
        asked.sort();
        asked
    };
    let pair = |element: &str, property| (element.to_owned(), property);
    assert_eq!(
        asked("BTZ-SUP-001", "trigger_unstated_origin.bartizan.yaml"),
        [
            pair("llm", "provenance"),
            pair("reply-agent", "provenance"),
            pair("triage-agent", "provenance"),
        ]
    );
    assert_eq!(
        asked("BTZ-SUP-002", "trigger_unstated_pinning.bartizan.yaml"),
        [pair("llm", "pinned"), pair("triage-agent", "pinned")]
    );
    for (rule, near_miss) in [
        (
            "BTZ-SUP-001",
            "near_miss_unstated_origin_supervised.bartizan.yaml",
        ),
        (
            "BTZ-SUP-002",
            "near_miss_unstated_pinning_supervised.bartizan.yaml",
        ),
    ] {
        let findings = findings_of(&fixture(rule, near_miss), rule);
        assert!(
            findings.is_empty(),
            "{rule}: {near_miss} asked {findings:#?}"
        );
    }
}
