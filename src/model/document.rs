//! The model document: metadata, nodes, edges, boundaries, triage decisions and layout.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::node::Node;
use super::vocabulary::*;

/// The format version this Bartizan reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The version key's name before the product was called Bartizan. No model field takes it:
/// the reader refuses a file that still has it, with help that names `bartizan`.
pub const FORMER_VERSION_KEY: &str = "rampart";

/// A whole agent-system model, as kept in a `*.bartizan.yaml` or `*.bartizan.json` file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Bartizan model",
    description = "An AI agent system as a graph, for Bartizan."
)]
pub struct Model {
    /// The format version of the file. Always 1.
    #[serde(default = "format_version")]
    pub bartizan: u32,
    // Read as empty when absent, so that a missing name is reported with the other problems;
    // the schema still marks it required.
    #[serde(default)]
    pub metadata: Metadata,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<Edge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundaries: Vec<Boundary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triage: Vec<TriageDecision>,
    #[serde(default, skip_serializing_if = "Layout::is_empty")]
    pub layout: Layout,
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

impl Model {
    /// An empty model with a name.
    pub fn new(name: impl Into<String>) -> Self {
        Model {
            bartizan: FORMAT_VERSION,
            metadata: Metadata {
                name: name.into(),
                ..Metadata::default()
            },
            nodes: Vec::new(),
            edges: Vec::new(),
            boundaries: Vec::new(),
            triage: Vec::new(),
            layout: Layout::default(),
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }
}

/// What the model is and who answers for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The system's name.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub name: String,
    /// What the system does and what the model covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who owns the system or the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The model's revision label, e.g. `2026-11-r3` or `v1.4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// When the model was last reviewed or changed (`YYYY-MM-DD` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Free labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A directed relation between two nodes.
///
/// Written without its `id` when the id is the derived one, so that files stay short and a
/// renamed end renames the edge with it.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// Optional: when absent the edge is known as `FROM--RELATION--TO`.
    #[serde(default)]
    pub id: String,
    pub from: String,
    pub relation: Relation,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// On `grants`: what the secret or identity permits on the target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<Action>,
    /// On `delegates` and `invokes`: how the caller authenticates to the callee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<DelegationAuth>,
    /// On `delegates`, `triggers` and `approves`: the actions the task needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<Action>,
    /// On `invokes` and `delegates`: whether the caller verifies the callee's identity (a
    /// CA-verified or pinned certificate, a signed agent card or server manifest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// On `approves`: how many requests a day this gate sends the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_volume: Option<u32>,
    /// On `sends`: whether the receiving client renders the content (markdown, links, images)
    /// and so may fetch the addresses it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renders: Option<bool>,
}

impl Edge {
    /// The id an edge has when the file gives none. Stable as long as its ends are.
    pub fn derived_id(from: &str, relation: Relation, to: &str) -> String {
        format!("{from}--{relation}--{to}")
    }

    pub fn new(from: impl Into<String>, relation: Relation, to: impl Into<String>) -> Self {
        let (from, to) = (from.into(), to.into());
        Edge {
            id: Edge::derived_id(&from, relation, &to),
            from,
            relation,
            to,
            description: None,
            permissions: Vec::new(),
            auth: None,
            scope: Vec::new(),
            verified: None,
            daily_volume: None,
            renders: None,
        }
    }

    /// Whether the id is the derived one (and so need not be written).
    pub fn has_derived_id(&self) -> bool {
        // Compared in pieces, not written out: every edge is asked at every analysis.
        [
            self.from.as_str(),
            "--",
            self.relation.as_str(),
            "--",
            self.to.as_str(),
        ]
        .into_iter()
        .try_fold(self.id.as_str(), |rest, piece| rest.strip_prefix(piece))
        .is_some_and(str::is_empty)
    }
}

impl Serialize for Edge {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        if !self.id.is_empty() && !self.has_derived_id() {
            map.serialize_entry("id", &self.id)?;
        }
        map.serialize_entry("from", &self.from)?;
        map.serialize_entry("relation", &self.relation)?;
        map.serialize_entry("to", &self.to)?;
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        if !self.permissions.is_empty() {
            map.serialize_entry("permissions", &self.permissions)?;
        }
        if let Some(auth) = &self.auth {
            map.serialize_entry("auth", auth)?;
        }
        if !self.scope.is_empty() {
            map.serialize_entry("scope", &self.scope)?;
        }
        if let Some(verified) = &self.verified {
            map.serialize_entry("verified", verified)?;
        }
        if let Some(daily_volume) = &self.daily_volume {
            map.serialize_entry("daily_volume", daily_volume)?;
        }
        if let Some(renders) = &self.renders {
            map.serialize_entry("renders", renders)?;
        }
        map.end()
    }
}

/// A trust boundary: a zone that groups nodes. Boundaries nest through `parent`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub zone: Zone,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The boundary this one sits inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The ids of the nodes directly inside this boundary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// A decision about one finding, kept with the model and keyed by the finding's fingerprint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageDecision {
    pub fingerprint: String,
    /// The rule the finding came from, for readers of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub status: TriageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Who decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When (`YYYY-MM-DD` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// Where the diagram puts things. Kept sorted by id so that saving is deterministic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub nodes: BTreeMap<String, Position>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub boundaries: BTreeMap<String, Rect>,
}

impl Layout {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.boundaries.is_empty()
    }
}

/// The largest layout coordinate, box width or height (and, negated, the smallest
/// coordinate). A million diagram units is far beyond any diagram a person arranges, while
/// every sum and scale the diagram and the PDF compute from such numbers (in `f32` in the PDF)
/// stays finite and precise to a fraction of a unit; `1e308` would not.
pub const MAX_COORDINATE: f64 = 1_000_000.0;

/// A node's top-left corner on the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    #[schemars(range(min = -MAX_COORDINATE, max = MAX_COORDINATE))]
    pub x: f64,
    #[schemars(range(min = -MAX_COORDINATE, max = MAX_COORDINATE))]
    pub y: f64,
}

/// A boundary's box on the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rect {
    #[schemars(range(min = -MAX_COORDINATE, max = MAX_COORDINATE))]
    pub x: f64,
    #[schemars(range(min = -MAX_COORDINATE, max = MAX_COORDINATE))]
    pub y: f64,
    #[schemars(range(max = MAX_COORDINATE), extend("exclusiveMinimum" = 0))]
    pub width: f64,
    #[schemars(range(max = MAX_COORDINATE), extend("exclusiveMinimum" = 0))]
    pub height: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_has_a_derived_id_only_when_its_id_is_exactly_the_one_derived() {
        let edge = |id: &str, from: &str, to: &str| Edge {
            id: id.to_owned(),
            ..Edge::new(from, Relation::Holds, to)
        };
        assert!(Edge::new("agent", Relation::Holds, "key").has_derived_id());
        assert!(edge("a--b--holds--c", "a--b", "c").has_derived_id());
        for (id, from, to) in [
            ("agent--holds--key2", "agent", "key"),
            ("agent--holds--ke", "agent", "key"),
            ("agent--reads--key", "agent", "key"),
            ("agent-holds-key", "agent", "key"),
            ("", "agent", "key"),
        ] {
            assert!(!edge(id, from, to).has_derived_id(), "{id}");
        }
    }
}
