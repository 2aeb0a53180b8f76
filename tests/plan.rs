//! `bartizan plan`: the plan of the examples, and what it claims holding when it is applied.

mod common;

use std::collections::BTreeSet;

use bartizan::graph::ModelGraph;
use bartizan::model::{Model, TriageStatus};
use bartizan::plan::{Plan, apply_step, plan, severity_weight};
use bartizan::risks::{self, Risk, RiskKind};
use bartizan::syntax::{Format, Limits, parse_model};
use bartizan::validate::validate;
use common::{bartizan, stdout};

fn load(path: &std::path::Path) -> Model {
    let source = std::fs::read_to_string(path).unwrap();
    parse_model(&source, Format::Yaml, &Limits::default())
        .valid_model()
        .unwrap_or_else(|| panic!("{} is valid", path.display()))
        .clone()
}

fn read_json(text: &str) -> Model {
    let parsed = parse_model(text, Format::Json, &Limits::default());
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.model.unwrap()
}

/// The open risks of a model, its triage decisions applied.
fn open_risks(model: &Model) -> Vec<Risk> {
    let mut found = risks::assess(&ModelGraph::new(model)).risks;
    risks::apply_triage(&mut found, &model.triage);
    found.retain(|risk| risk.status() == TriageStatus::Open);
    found
}

/// Applies every step of the plan, in order, with the function the app's Apply calls.
fn apply_all(model: &Model, plan: &Plan) -> Model {
    let mut current = model.clone();
    for step in &plan.steps {
        let applied = apply_step(&current, &step.id)
            .unwrap_or_else(|reason| panic!("{} applies: {reason}", step.id));
        assert_eq!(applied.edit, step.edit, "{} edits as simulated", step.id);
        assert_eq!(applied.changes, step.changes, "{}", step.id);
        current = applied.model;
    }
    current
}

#[test]
fn the_plans_of_the_examples() {
    for name in ["finance-ops", "coding-agent", "customer-support"] {
        let path = format!("models/{name}.bartizan.yaml");
        let output = bartizan(&["plan", &path]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        insta::with_settings!({ snapshot_suffix => name, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("plan", stdout(&output));
        });
    }
}

#[test]
fn applying_the_whole_plan_leaves_open_no_risk_it_claims_to_close() {
    for path in common::example_models() {
        let model = load(&path);
        let plan = plan(&model);
        let after = apply_all(&model, &plan);
        assert!(
            validate(&after).iter().all(|d| !d.is_error()),
            "{}: the planned model is valid",
            path.display()
        );
        let open: Vec<Risk> = open_risks(&after);
        let open_fingerprints: BTreeSet<&str> =
            open.iter().map(|r| r.fingerprint.as_str()).collect();
        for step in &plan.steps {
            assert!(!step.closes.is_empty(), "{}: {}", path.display(), step.id);
            let weight: i64 = step
                .closes
                .iter()
                .map(|r| severity_weight(r.severity))
                .sum::<i64>()
                - step
                    .opens
                    .iter()
                    .map(|r| severity_weight(r.severity))
                    .sum::<i64>();
            assert_eq!(step.weight, weight, "{}: {}", path.display(), step.id);
            assert!(step.weight > 0, "{}: {}", path.display(), step.id);
            for closed in &step.closes {
                assert!(
                    !open_fingerprints.contains(closed.fingerprint.as_str()),
                    "{}: {} claims to close {} ({}), which is open after the plan",
                    path.display(),
                    step.id,
                    closed.fingerprint,
                    closed.title
                );
            }
        }
        // What the plan says is left is what the checks find on the planned model.
        let remaining: Vec<&str> = plan
            .remaining
            .iter()
            .map(|r| r.risk.fingerprint.as_str())
            .collect();
        let found: Vec<&str> = open.iter().map(|r| r.fingerprint.as_str()).collect();
        assert_eq!(remaining, found, "{}", path.display());
        let weight: i64 = open.iter().map(|r| severity_weight(r.severity)).sum();
        assert_eq!(plan.weight_after, weight, "{}", path.display());
        assert!(plan.candidates <= plan.candidate_limit);
    }
}

#[test]
fn the_plans_of_the_named_examples_lower_the_open_risk_and_say_why_the_rest_stays() {
    for name in ["finance-ops", "coding-agent", "customer-support"] {
        let model = load(&common::root().join(format!("models/{name}.bartizan.yaml")));
        let plan = plan(&model);
        assert!(!plan.steps.is_empty(), "{name} has a plan");
        assert!(
            plan.weight_after < plan.weight_before,
            "{name}: the plan lowers the open risk"
        );
        for remaining in &plan.remaining {
            assert!(
                !remaining.reason.is_empty(),
                "{name}: {} says why it stays open",
                remaining.risk.fingerprint
            );
        }
    }
}

#[test]
fn a_plan_is_the_same_whatever_the_order_of_the_file() {
    for name in ["finance-ops", "coding-agent", "customer-support"] {
        let model = load(&common::root().join(format!("models/{name}.bartizan.yaml")));
        let mut reordered = model.clone();
        reordered.nodes.reverse();
        reordered.edges.reverse();
        let (plan, again) = (plan(&model), bartizan::plan::plan(&reordered));
        let summary = |plan: &Plan| -> Vec<(String, Vec<String>)> {
            plan.steps
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        s.closes.iter().map(|r| r.fingerprint.clone()).collect(),
                    )
                })
                .collect()
        };
        assert_eq!(summary(&plan), summary(&again), "{name}");
        assert_eq!(plan, bartizan::plan::plan(&model), "{name}: deterministic");
    }
}

#[test]
fn says_why_it_leaves_a_risk_no_edit_closes() {
    // One person approves five gated payment tools: an oversight risk, which no edit closes.
    let mut nodes = vec![
        r#"{"id":"clerk","kind":"human","name":"Clerk"}"#.to_owned(),
        r#"{"id":"a","kind":"agent","name":"A"}"#.to_owned(),
    ];
    let mut edges = Vec::new();
    for n in 1..=5 {
        nodes.push(format!(
            r#"{{"id":"pay{n}","kind":"tool","name":"Pay {n}","properties":{{"actions":["payment"]}}}}"#
        ));
        edges.push(format!(
            r#"{{"from":"clerk","relation":"approves","to":"pay{n}"}}"#
        ));
        edges.push(format!(
            r#"{{"from":"a","relation":"invokes","to":"pay{n}"}}"#
        ));
    }
    let model = read_json(&format!(
        r#"{{"bartizan":1,"metadata":{{"name":"x"}},"nodes":[{}],"edges":[{}]}}"#,
        nodes.join(","),
        edges.join(",")
    ));
    let oversight = open_risks(&model)
        .into_iter()
        .find(|r| r.kind == RiskKind::Oversight)
        .expect("the approver is overloaded");
    let plan = plan(&model);
    let left = plan
        .remaining
        .iter()
        .find(|r| r.risk.fingerprint == oversight.fingerprint)
        .expect("no step closes an oversight risk");
    assert!(
        left.reason.starts_with("no edit of the model closes it"),
        "{}",
        left.reason
    );
}

#[test]
fn says_why_it_cannot_put_a_control_where_it_belongs() {
    // The agent's id is so long that no gateway id derived from it is a valid id.
    let long = "a".repeat(120);
    let model = read_json(&format!(
        r#"{{"bartizan":1,"metadata":{{"name":"x"}},"nodes":[
            {{"id":"mail","kind":"input","name":"Mail","properties":{{"trust":"untrusted"}}}},
            {{"id":"{long}","kind":"agent","name":"A"}},
            {{"id":"pay","kind":"tool","name":"Pay","properties":{{"actions":["payment"]}}}}],
            "edges":[{{"from":"mail","relation":"feeds","to":"{long}"}},
                     {{"from":"{long}","relation":"invokes","to":"pay"}}]}}"#
    ));
    let plan = plan(&model);
    assert!(
        plan.steps
            .iter()
            .all(|s| !s.id.starts_with("policy-gateway:")),
        "{:?}",
        plan.steps
    );
    let gate = format!("policy-gateway:{long} is not in the plan: no valid id is free");
    assert!(
        plan.remaining.iter().any(|r| r.reason.contains(&gate)),
        "{:#?}",
        plan.remaining
    );
    assert!(apply_step(&model, &format!("policy-gateway:{long}")).is_err());
}

#[test]
fn the_json_plan_names_each_step_and_what_it_closes() {
    let output = bartizan(&[
        "plan",
        "--format",
        "json",
        "models/finance-ops.bartizan.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "model",
        "open_before",
        "weight_before",
        "candidates",
        "candidate_limit",
        "steps",
        "open_after",
        "weight_after",
        "remaining",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    let step = &json["steps"][0];
    for key in [
        "id", "control", "at", "title", "edit", "changes", "closes", "opens", "lowers", "weight",
    ] {
        assert!(step.get(key).is_some(), "{key} in {step}");
    }
    let closed = &step["closes"][0];
    for key in ["fingerprint", "kind", "place", "title", "severity"] {
        assert!(closed.get(key).is_some(), "{key} in {closed}");
    }
    assert_eq!(
        format!(
            "{}:{}",
            step["id"].as_str().unwrap().split(':').next().unwrap(),
            step["at"].as_str().unwrap()
        ),
        step["id"].as_str().unwrap()
    );
}

#[test]
fn an_invalid_model_has_no_plan() {
    let output = bartizan(&[
        "plan",
        "tests/fixtures/invalid/edge-to-unknown-node.bartizan.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
