//! Edits of a model that keep every reference true. Renaming an id is one: nodes, edges and
//! boundaries are referred to by id from edges, boundaries, the layout and, through the
//! fingerprints of risks (made from the risk's kind and place), from triage decisions.

use std::collections::HashMap;
use std::fmt;

use crate::model::{Edge, Model};
use crate::risks::{self, RiskKind};
use crate::validate::{is_valid_id, validate};

/// A model with one id renamed, and what became of its triage decisions.
#[derive(Clone, Debug, PartialEq)]
pub struct Renamed {
    pub model: Model,
    pub triage: TriageRenamed,
}

/// Whether the triage decisions followed the rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriageRenamed {
    /// The decisions about risks placed at a renamed id got the fingerprint those risks have
    /// after the rename; `moved` says how many.
    Carried { moved: usize },
    /// The model has errors, so no check runs on it and no risk is reported for a decision to
    /// follow: the decisions were left as they were.
    Untouched,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// No node, edge or boundary has the id.
    UnknownId(String),
    /// The new id does not follow the id syntax.
    InvalidId(String),
    /// The new id already names something.
    IdTaken(String),
    /// An edge without an id of its own is known by its ends; renaming one of them would give
    /// it this id, which something else already has.
    DerivedIdTaken(String),
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::UnknownId(id) => write!(f, "no node, edge or boundary has the id `{id}`"),
            RenameError::InvalidId(id) => write!(
                f,
                "`{id}` is not a valid id: 1 to 128 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit"
            ),
            RenameError::IdTaken(id) => write!(f, "the id `{id}` is already used"),
            RenameError::DerivedIdTaken(id) => write!(
                f,
                "an edge without an id of its own would become `{id}`, which is already used: give that edge an id first"
            ),
        }
    }
}

impl std::error::Error for RenameError {}

/// Renames the node, edge or boundary `old` to `new` and every reference to it: edge ends (and
/// the ids edges derive from their ends), boundary members and parents, layout places, and the
/// fingerprints of the triage decisions about risks placed at it (their status, author, date
/// and justification kept). A risk's fingerprint is made from its kind and place only, so a
/// decision about the place follows it whether or not its risk is reported today; any other
/// decision is kept as it is. Renaming an id to itself changes nothing.
pub fn rename_id(model: &Model, old: &str, new: &str) -> Result<Renamed, RenameError> {
    let is_node = model.nodes.iter().any(|node| node.id == old);
    let is_boundary = model.boundaries.iter().any(|boundary| boundary.id == old);
    let is_edge = model.edges.iter().any(|edge| edge_id(edge) == old);
    if !(is_node || is_boundary || is_edge) {
        return Err(RenameError::UnknownId(old.to_owned()));
    }
    if old == new {
        return Ok(Renamed {
            model: model.clone(),
            triage: TriageRenamed::Carried { moved: 0 },
        });
    }
    if !is_valid_id(new) {
        return Err(RenameError::InvalidId(new.to_owned()));
    }
    let taken = |id: &str| {
        model.nodes.iter().any(|node| node.id == id)
            || model.boundaries.iter().any(|boundary| boundary.id == id)
            || model.edges.iter().any(|edge| edge_id(edge) == id)
    };
    // An edge may take its own derived id: it is then known by its ends again.
    let own_derived = model.edges.iter().any(|edge| {
        edge_id(edge) == old && Edge::derived_id(&edge.from, edge.relation, &edge.to) == new
    });
    if taken(new) && !own_derived {
        return Err(RenameError::IdTaken(new.to_owned()));
    }

    let mut renamed = model.clone();
    // Every id that changes, old → new: the one asked for, and the derived ids of the edges
    // whose ends it names.
    let mut ids: HashMap<String, String> = HashMap::from([(old.to_owned(), new.to_owned())]);
    let swap = |id: &mut String| {
        if id == old {
            *id = new.to_owned();
        }
    };
    for node in &mut renamed.nodes {
        swap(&mut node.id);
    }
    for edge in &mut renamed.edges {
        if edge_id(edge) == old {
            edge.id = new.to_owned();
            continue;
        }
        let derived = edge.id.is_empty() || edge.has_derived_id();
        let before = edge_id(edge);
        swap(&mut edge.from);
        swap(&mut edge.to);
        if derived {
            edge.id = Edge::derived_id(&edge.from, edge.relation, &edge.to);
            if edge.id != before {
                if taken(&edge.id) {
                    return Err(RenameError::DerivedIdTaken(edge.id.clone()));
                }
                ids.insert(before, edge.id.clone());
            }
        }
    }
    for boundary in &mut renamed.boundaries {
        swap(&mut boundary.id);
        if let Some(parent) = &mut boundary.parent {
            swap(parent);
        }
        for member in &mut boundary.members {
            swap(member);
        }
    }
    if let Some(place) = renamed.layout.nodes.remove(old) {
        renamed.layout.nodes.insert(new.to_owned(), place);
    }
    if let Some(rect) = renamed.layout.boundaries.remove(old) {
        renamed.layout.boundaries.insert(new.to_owned(), rect);
    }

    let triage = if validate(model).iter().any(|d| d.is_error()) {
        TriageRenamed::Untouched
    } else {
        let moved = carry_triage(&mut renamed, &ids);
        TriageRenamed::Carried { moved }
    };
    Ok(Renamed {
        model: renamed,
        triage,
    })
}

/// Gives each decision of `renamed` about a risk placed at a renamed id the fingerprint of the
/// risk of the same kind at the new id. Returns how many moved.
fn carry_triage(renamed: &mut Model, ids: &HashMap<String, String>) -> usize {
    let moved_to: HashMap<String, String> = ids
        .iter()
        .flat_map(|(old, new)| {
            RiskKind::ALL
                .iter()
                .map(|&kind| (risks::fingerprint(kind, old), risks::fingerprint(kind, new)))
        })
        .collect();
    let mut moved = 0;
    for decision in &mut renamed.triage {
        if let Some(fingerprint) = moved_to.get(&decision.fingerprint) {
            decision.fingerprint = fingerprint.clone();
            moved += 1;
        }
    }
    moved
}

/// An edge's id: its own, or the derived one when it states none.
fn edge_id(edge: &Edge) -> String {
    if edge.id.is_empty() {
        Edge::derived_id(&edge.from, edge.relation, &edge.to)
    } else {
        edge.id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ModelGraph;
    use crate::model::{TriageDecision, TriageStatus};
    use crate::risks::{Risk, apply_triage};
    use crate::syntax::{Format, Limits, parse_model};

    /// An agent and a person share a standing key (a risk placed at the key); the agent
    /// sits in a boundary and on the diagram.
    const SHARED_KEY: &str = r#"{"bartizan":1,"metadata":{"name":"x"},
        "nodes":[{"id":"a","kind":"agent","name":"A"},{"id":"k","kind":"secret","name":"K"},
                 {"id":"h","kind":"human","name":"H"},{"id":"t","kind":"tool","name":"T"}],
        "edges":[{"from":"a","relation":"holds","to":"k"},{"from":"h","relation":"holds","to":"k"},
                 {"id":"named","from":"a","relation":"invokes","to":"t"}],
        "boundaries":[{"id":"outer","name":"Outer","zone":"production"},
                      {"id":"inner","name":"Inner","zone":"production","parent":"outer","members":["a"]}],
        "layout":{"nodes":{"a":{"x":1,"y":2}},"boundaries":{"inner":{"x":0,"y":0,"width":9,"height":9}}}}"#;

    fn read(text: &str) -> Model {
        let parsed = parse_model(text, Format::Json, &Limits::default());
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        parsed.model.expect("the test model reads")
    }

    fn risks(model: &Model) -> Vec<Risk> {
        crate::risks::assess(&ModelGraph::new(model)).risks
    }

    /// The model with an accepted decision on each risk placed at `id`.
    fn accepted_about(mut model: Model, id: &str) -> Model {
        for risk in risks(&model) {
            if risk.place == id {
                model.triage.push(TriageDecision {
                    fingerprint: risk.fingerprint.clone(),
                    rule: None,
                    status: TriageStatus::Accepted,
                    justification: Some("the key is rotated daily".into()),
                    by: Some("ana".into()),
                    at: Some("2026-12-01".into()),
                });
            }
        }
        assert!(!model.triage.is_empty(), "a risk is placed at `{id}`");
        model
    }

    #[test]
    fn an_accepted_decision_survives_renaming_its_place() {
        let model = accepted_about(read(SHARED_KEY), "k");
        let renamed = rename_id(&model, "k", "billing-key").unwrap();
        assert_eq!(
            renamed.triage,
            TriageRenamed::Carried {
                moved: model.triage.len()
            }
        );
        let mut after = risks(&renamed.model);
        let outcome = apply_triage(&mut after, &renamed.model.triage);
        assert!(outcome.stale.is_empty(), "{:?}", outcome.stale);
        let about: Vec<&Risk> = after.iter().filter(|r| r.place == "billing-key").collect();
        assert_eq!(about.len(), model.triage.len());
        for risk in about {
            let triage = risk.triage.as_ref().expect("the decision is attached");
            assert_eq!(triage.status, TriageStatus::Accepted);
            assert_eq!(
                triage.justification.as_deref(),
                Some("the key is rotated daily")
            );
            assert_eq!(triage.by.as_deref(), Some("ana"));
            assert_eq!(triage.at.as_deref(), Some("2026-12-01"));
        }
    }

    #[test]
    fn every_decision_of_an_example_survives_renaming_any_of_its_elements() {
        for text in [
            include_str!("../models/finance-ops.bartizan.yaml"),
            include_str!("../models/customer-support.bartizan.yaml"),
        ] {
            let parsed = parse_model(text, Format::Yaml, &Limits::default());
            let mut model = parsed.valid_model().expect("the example is valid").clone();
            model.triage = risks(&model)
                .iter()
                .map(|risk| TriageDecision {
                    fingerprint: risk.fingerprint.clone(),
                    rule: None,
                    status: TriageStatus::Mitigated,
                    justification: Some(risk.title.clone()),
                    by: None,
                    at: None,
                })
                .collect();
            let ids = model
                .nodes
                .iter()
                .map(|n| n.id.clone())
                .chain(model.boundaries.iter().map(|b| b.id.clone()))
                .chain(model.edges.iter().map(|e| e.id.clone()));
            for id in ids {
                let renamed = rename_id(&model, &id, "renamed").unwrap().model;
                let mut after = risks(&renamed);
                let outcome = apply_triage(&mut after, &renamed.triage);
                assert!(
                    outcome.stale.is_empty(),
                    "renaming `{id}`: {:?}",
                    outcome.stale
                );
                assert!(
                    after.iter().all(|r| r.status() == TriageStatus::Mitigated),
                    "renaming `{id}` left a risk open"
                );
            }
        }
    }

    #[test]
    fn edges_boundaries_and_layout_follow_a_renamed_node() {
        let renamed = rename_id(&read(SHARED_KEY), "a", "agent-a").unwrap().model;
        assert!(renamed.node("a").is_none() && renamed.node("agent-a").is_some());
        let ids: Vec<(&str, &str, &str)> = renamed
            .edges
            .iter()
            .map(|e| (e.id.as_str(), e.from.as_str(), e.to.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("agent-a--holds--k", "agent-a", "k"),
                ("h--holds--k", "h", "k"),
                ("named", "agent-a", "t"),
            ]
        );
        assert_eq!(renamed.boundaries[1].members, ["agent-a"]);
        assert_eq!(renamed.layout.nodes.keys().collect::<Vec<_>>(), ["agent-a"]);
        assert!(validate(&renamed).iter().all(|d| !d.is_error()));
    }

    #[test]
    fn renaming_a_boundary_renames_its_children_parent_and_its_box() {
        let renamed = rename_id(&read(SHARED_KEY), "outer", "dmz").unwrap().model;
        assert_eq!(renamed.boundaries[0].id, "dmz");
        assert_eq!(renamed.boundaries[1].parent.as_deref(), Some("dmz"));
        let renamed = rename_id(&renamed, "inner", "core").unwrap().model;
        assert_eq!(
            renamed.layout.boundaries.keys().collect::<Vec<_>>(),
            ["core"]
        );
    }

    #[test]
    fn renaming_an_edge_gives_it_its_own_id_or_its_derived_one_back() {
        let model = read(SHARED_KEY);
        let renamed = rename_id(&model, "h--holds--k", "shared").unwrap().model;
        assert_eq!(renamed.edges[1].id, "shared");
        let back = rename_id(&renamed, "shared", "h--holds--k").unwrap().model;
        assert_eq!(back, model);
    }

    #[test]
    fn refuses_an_unknown_id_an_invalid_one_and_one_in_use() {
        let model = read(SHARED_KEY);
        assert_eq!(
            rename_id(&model, "zz", "b"),
            Err(RenameError::UnknownId("zz".into()))
        );
        assert_eq!(
            rename_id(&model, "a", "-a"),
            Err(RenameError::InvalidId("-a".into()))
        );
        assert_eq!(
            rename_id(&model, "a", ""),
            Err(RenameError::InvalidId("".into()))
        );
        for used in ["k", "inner", "named", "h--holds--k"] {
            assert_eq!(
                rename_id(&model, "a", used),
                Err(RenameError::IdTaken(used.into()))
            );
        }
        let mut clash = model.clone();
        clash.edges[2].id = "b--holds--k".into();
        assert_eq!(
            rename_id(&clash, "a", "b"),
            Err(RenameError::DerivedIdTaken("b--holds--k".into()))
        );
    }

    #[test]
    fn renaming_to_the_same_id_or_back_changes_nothing() {
        let model = accepted_about(read(SHARED_KEY), "k");
        let same = rename_id(&model, "k", "k").unwrap();
        assert_eq!(same.model, model);
        let there = rename_id(&model, "k", "b").unwrap().model;
        assert_ne!(there.triage, model.triage);
        assert_eq!(rename_id(&there, "b", "k").unwrap().model, model);
    }

    #[test]
    fn an_invalid_model_is_renamed_with_its_triage_untouched() {
        let mut model = accepted_about(read(SHARED_KEY), "k");
        model
            .edges
            .push(Edge::new("a", crate::model::Relation::Holds, "missing"));
        let renamed = rename_id(&model, "k", "b").unwrap();
        assert_eq!(renamed.triage, TriageRenamed::Untouched);
        assert_eq!(renamed.model.triage, model.triage);
        assert_eq!(renamed.model.edges[0].to, "b");
    }

    #[test]
    fn a_stale_decision_is_kept_as_it_is() {
        let mut model = read(SHARED_KEY);
        let stale = TriageDecision {
            fingerprint: "BTZ-CRD-001:0000000000000000".into(),
            rule: None,
            status: TriageStatus::Mitigated,
            justification: None,
            by: None,
            at: None,
        };
        model.triage.push(stale.clone());
        let renamed = rename_id(&model, "a", "b").unwrap();
        assert_eq!(renamed.triage, TriageRenamed::Carried { moved: 0 });
        assert_eq!(renamed.model.triage, [stale]);
    }
}
