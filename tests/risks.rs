//! Risks and open questions on the examples: what a reviewer gets is one item per root cause,
//! critical is rare, unknowns are questions, and fingerprints survive edits.

mod common;

use std::collections::BTreeSet;

use bartizan::findings::Severity;
use bartizan::graph::ModelGraph;
use bartizan::model::{Model, NodeKind};
use bartizan::risks::{self, Assessment, RiskKind};
use bartizan::syntax::{Format, Limits, parse_model};

fn load(path: &std::path::Path) -> Model {
    let text = std::fs::read_to_string(path).unwrap();
    parse_model(&text, Format::Yaml, &Limits::default())
        .valid_model()
        .unwrap_or_else(|| panic!("{} is valid", path.display()))
        .clone()
}

fn assess(model: &Model) -> Assessment {
    risks::assess(&ModelGraph::new(model))
}

fn example(name: &str) -> Model {
    load(&common::root().join(format!("models/{name}.bartizan.yaml")))
}

#[test]
fn the_first_risk_of_finance_ops_is_critical_because_of_the_approval() {
    let assessment = assess(&example("finance-ops"));
    let first = &assessment.risks[0];
    assert_eq!(first.place, "payment-api-key", "{:#?}", first.title);
    assert_eq!(first.kind, RiskKind::Credential);
    assert_eq!(first.severity, Severity::Critical);
    assert!(
        first.rules().contains(&"BTZ-AUT-002"),
        "{:?}",
        first.rules()
    );
}

#[test]
fn one_place_and_one_kind_make_one_risk_with_every_check_as_a_facet() {
    for path in common::example_models() {
        let assessment = assess(&load(&path));
        let mut seen = BTreeSet::new();
        for risk in &assessment.risks {
            assert!(
                seen.insert((risk.kind, risk.place.clone())),
                "{}: two risks at {}",
                common::relative(&path),
                risk.place
            );
            assert!(!risk.facets.is_empty());
            for facet in &risk.facets {
                assert_eq!(facet.place, risk.place);
                assert!(facet.is_stated(), "a facet never rests on an unknown alone");
                assert!(facet.severity <= risk.severity);
            }
            assert_eq!(risk.fingerprint, risks::fingerprint(risk.kind, &risk.place));
            assert!(risk.paths.len() <= risks::PATHS_SHOWN);
            assert!(risk.priority.paths >= risk.paths.len() as u64);
            if risk.severity == Severity::Critical {
                assert!(
                    risk.critical.is_some(),
                    "{}: critical needs a why",
                    risk.title
                );
            }
        }
    }
}

#[test]
fn risks_speak_in_the_names_people_drew() {
    for path in common::example_models() {
        let model = load(&path);
        for risk in assess(&model).risks {
            assert!(!risk.title.contains('`'), "{}", risk.title);
            let place = model.nodes.iter().find(|n| n.id == risk.place).unwrap();
            assert_eq!(risk.place_name, place.name);
            assert!(
                risk.remediation.contains(&place.name),
                "{}",
                risk.remediation
            );
        }
    }
}

#[test]
fn an_unstated_property_is_a_question_never_a_risk() {
    // The finance-ops payment key with its lifetime, storage, revocation, rotation and owner
    // left unstated: nothing about them is reported, each is asked.
    let mut model = example("finance-ops");
    let key = model
        .nodes
        .iter_mut()
        .find(|n| n.id == "payment-api-key")
        .unwrap();
    key.properties = bartizan::model::NodeProperties::default_for(NodeKind::Secret);
    let assessment = assess(&model);
    for property in [
        "lifetime",
        "storage",
        "revocation",
        "owner",
        "rotation_days",
    ] {
        let id = format!("{property}:payment-api-key");
        assert!(
            assessment.questions.iter().any(|q| q.id == id),
            "no question {id}: {:?}",
            assessment
                .questions
                .iter()
                .map(|q| &q.id)
                .collect::<Vec<_>>()
        );
    }
    for risk in &assessment.risks {
        for facet in &risk.facets {
            for rule in [
                "BTZ-CRD-001",
                "BTZ-CRD-002",
                "BTZ-CRD-003",
                "BTZ-CRD-004",
                "BTZ-CRD-005",
            ] {
                assert!(
                    !(facet.rule == rule && facet.subjects.contains(&"payment-api-key".into())),
                    "{rule} fired on unstated properties: {}",
                    facet.title
                );
            }
        }
    }
    let lifetime = assessment
        .questions
        .iter()
        .find(|q| q.id == "lifetime:payment-api-key")
        .unwrap();
    assert!(
        lifetime.text.contains("Bank platform API key"),
        "{}",
        lifetime.text
    );
}

#[test]
fn a_production_system_entered_from_outside_is_named_with_its_outside_caller() {
    let model =
        load(&common::root().join("tests/fixtures/rules/BTZ-AUT-004/trigger.bartizan.yaml"));
    let assessment = assess(&model);
    let exposed = assessment
        .risks
        .iter()
        .find(|risk| risk.place == "shipment-api")
        .expect("the shipment API is a risk");
    assert_eq!(exposed.kind, RiskKind::UngatedActions);
    assert_eq!(
        exposed.title,
        "Shipment API can be called from outside production by Partner booking agent with no gateway"
    );
}

#[test]
fn an_unstated_authentication_into_another_zone_is_a_question_and_a_stated_none_a_risk() {
    let model =
        load(&common::root().join("tests/fixtures/rules/BTZ-MAG-003/trigger.bartizan.yaml"));
    let assessment = assess(&model);
    let places: Vec<&str> = assessment
        .risks
        .iter()
        .filter(|risk| risk.rules().contains(&"BTZ-MAG-003"))
        .map(|risk| risk.place.as_str())
        .collect();
    assert_eq!(places, ["ops-mcp"], "only `auth: none` is a risk");
    assert!(
        assessment
            .questions
            .iter()
            .any(|q| q.id == "auth:ops-agent--invokes--batch-scheduler"),
        "the scheduler call, whose `auth` is not stated, is asked about"
    );
}

/// A risk whose every facet is about volume names the missing limit, not a policy gate the
/// place may well have; altering one's own audit log joins the ungated-write risk.
#[test]
fn a_risk_of_volume_facets_names_the_missing_limit() {
    let fixture = |rule: &str| {
        load(&common::root().join(format!("tests/fixtures/rules/{rule}/trigger.bartizan.yaml")))
    };
    let title_at = |assessment: &Assessment, place: &str| {
        assessment
            .risks
            .iter()
            .find(|risk| risk.place == place)
            .map(|risk| risk.title.clone())
            .unwrap_or_default()
    };
    // Altering one's own audit log is a direct action on a store: the same risk as the
    // ungated write, with the tampering as a facet.
    let tampering = assess(&fixture("BTZ-OPS-004"));
    let at_agent = tampering
        .risks
        .iter()
        .find(|risk| risk.place == "ops-agent")
        .expect("a risk at the agent");
    assert!(at_agent.rules().contains(&"BTZ-OPS-004"));
    assert!(at_agent.rules().contains(&"BTZ-AUT-001"));
    assert_eq!(
        title_at(&assess(&fixture("BTZ-RES-003")), "cleanup-agent"),
        "Storage clean-up agent calls Object storage API with no rate limit or task budget"
    );
}

/// Unknown budgets and capacities are questions: the examples state neither, and none of
/// their risks has a facet of the checks that read them.
#[test]
fn an_unstated_budget_or_capacity_raises_no_risk_on_the_examples() {
    for path in common::example_models() {
        let assessment = assess(&load(&path));
        for risk in &assessment.risks {
            for rule in risk.rules() {
                assert!(
                    rule != "BTZ-RES-003" && rule != "BTZ-OPS-003",
                    "{}: {rule} at {}",
                    path.display(),
                    risk.place
                );
            }
        }
    }
}
