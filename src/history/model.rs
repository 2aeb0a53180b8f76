//! Model elements across revisions: nodes, edges and boundaries matched by id, triage
//! decisions by fingerprint, and each changed element's fields with their old and new values.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::Model;

/// How one model differs from another, element by element.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ModelDiff {
    /// Changed `metadata` fields (`name`, `revision`, …).
    pub metadata: Vec<FieldChange>,
    pub nodes: ElementDiff,
    /// Edges by id (the derived `FROM--RELATION--TO` when the file gives none).
    pub edges: ElementDiff,
    pub boundaries: ElementDiff,
    /// Triage decisions by fingerprint.
    pub triage: ElementDiff,
    /// Whether any diagram position changed (positions are not listed).
    pub layout_changed: bool,
}

/// Elements of one kind added, removed and changed, each list sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ElementDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<ElementChange>,
}

/// An element present on both sides with different fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElementChange {
    pub id: String,
    pub fields: Vec<FieldChange>,
}

/// One field of an element, as written in the model file: `name`, `kind`,
/// `properties.autonomy`, `permissions`. A side is `None` when the field is absent there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl ElementDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl ModelDiff {
    pub fn is_empty(&self) -> bool {
        self.metadata.is_empty()
            && self.nodes.is_empty()
            && self.edges.is_empty()
            && self.boundaries.is_empty()
            && self.triage.is_empty()
            && !self.layout_changed
    }
}

/// Compares two models element by element. The order of elements in the files plays no part.
pub fn diff_models(before: &Model, after: &Model) -> ModelDiff {
    let by_id = |items: Vec<(String, Value)>| items.into_iter().collect::<BTreeMap<_, _>>();
    let nodes = |model: &Model| {
        by_id(
            model
                .nodes
                .iter()
                .map(|n| (n.id.clone(), to_value(n)))
                .collect(),
        )
    };
    let edges = |model: &Model| {
        by_id(
            model
                .edges
                .iter()
                .map(|e| (e.id.clone(), to_value(e)))
                .collect(),
        )
    };
    let boundaries = |model: &Model| {
        by_id(
            model
                .boundaries
                .iter()
                .map(|b| (b.id.clone(), to_value(b)))
                .collect(),
        )
    };
    let triage = |model: &Model| {
        by_id(
            model
                .triage
                .iter()
                .map(|d| (d.fingerprint.clone(), to_value(d)))
                .collect(),
        )
    };
    ModelDiff {
        metadata: field_changes(&to_value(&before.metadata), &to_value(&after.metadata)),
        nodes: diff_elements(&nodes(before), &nodes(after)),
        edges: diff_elements(&edges(before), &edges(after)),
        boundaries: diff_elements(&boundaries(before), &boundaries(after)),
        triage: diff_elements(&triage(before), &triage(after)),
        layout_changed: before.layout != after.layout,
    }
}

fn to_value(item: &impl Serialize) -> Value {
    serde_json::to_value(item).expect("model elements serialise")
}

fn diff_elements(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> ElementDiff {
    let mut diff = ElementDiff::default();
    for (id, new) in after {
        match before.get(id) {
            None => diff.added.push(id.clone()),
            Some(old) if old != new => diff.changed.push(ElementChange {
                id: id.clone(),
                fields: field_changes(old, new),
            }),
            Some(_) => {}
        }
    }
    diff.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .cloned()
        .collect();
    diff
}

/// The fields that differ between two serialised elements, nested objects flattened to
/// dotted names, sorted by name.
fn field_changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut old = BTreeMap::new();
    let mut new = BTreeMap::new();
    flatten("", before, &mut old);
    flatten("", after, &mut new);
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|name| old.get(*name) != new.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            before: old.get(name).map(|v| (*v).clone()),
            after: new.get(name).map(|v| (*v).clone()),
        })
        .collect()
}

fn flatten<'a>(prefix: &str, value: &'a Value, out: &mut BTreeMap<String, &'a Value>) {
    match value {
        Value::Object(map) if !map.is_empty() || prefix.is_empty() => {
            flatten_object(prefix, map, out);
        }
        _ => {
            out.insert(prefix.to_owned(), value);
        }
    }
}

fn flatten_object<'a>(
    prefix: &str,
    map: &'a Map<String, Value>,
    out: &mut BTreeMap<String, &'a Value>,
) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        flatten(&name, value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Format, Limits, parse_model};

    fn model(yaml: &str) -> Model {
        let parsed = parse_model(yaml, Format::Yaml, &Limits::default());
        parsed
            .valid_model()
            .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics))
            .clone()
    }

    const BEFORE: &str = "\
bartizan: 1
metadata: {name: Shop, revision: r1}
nodes:
  - {id: agent, kind: agent, name: Agent, properties: {autonomy: supervised}}
  - {id: key, kind: secret, name: Key}
  - {id: old, kind: tool, name: Old tool}
edges:
  - {from: agent, relation: holds, to: key}
  - {from: agent, relation: invokes, to: old}
";

    const AFTER: &str = "\
bartizan: 1
metadata: {name: Shop, revision: r2}
nodes:
  - {id: new, kind: tool, name: New tool}
  - {id: key, kind: secret, name: Key, description: Rotated weekly}
  - {id: agent, kind: agent, name: Agent, properties: {autonomy: autonomous}}
edges:
  - {from: agent, relation: holds, to: key}
  - {from: agent, relation: invokes, to: new}
layout:
  nodes:
    agent: {x: 1, y: 2}
";

    #[test]
    fn elements_are_matched_by_id_with_their_changed_fields() {
        let diff = diff_models(&model(BEFORE), &model(AFTER));
        assert_eq!(diff.nodes.added, ["new"]);
        assert_eq!(diff.nodes.removed, ["old"]);
        let changed: Vec<(&str, Vec<&str>)> = diff
            .nodes
            .changed
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.fields.iter().map(|f| f.field.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            changed,
            [
                ("agent", vec!["properties.autonomy"]),
                ("key", vec!["description"])
            ]
        );
        let autonomy = &diff.nodes.changed[0].fields[0];
        assert_eq!(autonomy.before, Some(Value::from("supervised")));
        assert_eq!(autonomy.after, Some(Value::from("autonomous")));
        assert_eq!(diff.nodes.changed[1].fields[0].before, None);
        assert_eq!(diff.edges.added, ["agent--invokes--new"]);
        assert_eq!(diff.edges.removed, ["agent--invokes--old"]);
        assert!(diff.edges.changed.is_empty());
        assert_eq!(diff.metadata.len(), 1);
        assert_eq!(diff.metadata[0].field, "revision");
        assert!(diff.layout_changed);
        assert!(diff_models(&model(AFTER), &model(AFTER)).is_empty());
    }
}
