//! Nodes: the things in an agent system, each with the properties of its kind.
//!
//! Every property is optional. An absent property means "not stated", which checks treat
//! as documented in each rule (usually the cautious reading), and which is never written back.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::duration::Duration;
use super::vocabulary::*;

/// A node of the model graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub properties: NodeProperties,
}

impl Node {
    pub fn kind(&self) -> NodeKind {
        self.properties.kind()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentProperties {
    /// How much the agent may do without a human.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autonomy: Option<Autonomy>,
    /// Whether the agent writes and runs code itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_code: Option<bool>,
    /// Whether the agent keeps memory across sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<bool>,
    /// Whether each task has a hard limit on steps, tool calls or spend that stops the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<bool>,
    /// Where the agent's framework or build comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Whether the agent's framework and build are pinned to a version or digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelProperties {
    /// Where the model runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
    /// Who provides the model (free text, e.g. the vendor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Model-layer controls: system-prompt rules, output filters, safety classifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guardrails: Vec<String>,
    /// Where the model's weights or endpoint come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Whether the model is pinned to a version (not a moving alias such as `latest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolProperties {
    /// What kind of interface the tool is.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub tool_type: Option<ToolType>,
    /// What the tool can do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Where the tool comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Whether the tool's version or digest is pinned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    /// Whether the tool runs in a sandbox (for tools that execute code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandboxed: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityProperties {
    /// What the identity is.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub identity_type: Option<IdentityType>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretProperties {
    /// What the credential is.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub secret_type: Option<SecretType>,
    /// Standing (always valid) or just in time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<Lifetime>,
    /// How long an issued credential stays valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Duration>,
    /// How often the credential is rotated, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_days: Option<u32>,
    /// Where the secret is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// How the credential is revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Revocation>,
    /// The provider-side scopes the credential carries (free text, e.g. `repo`, `payments:write`),
    /// as a description: what it permits comes from its `grants` edges, which it must have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Who is accountable for the credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatastoreProperties {
    /// What the datastore is.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub datastore_type: Option<DatastoreType>,
    /// How sensitive its contents are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    /// The classes of data it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<DataClass>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemoryProperties {
    /// What kind of memory it is.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub memory_type: Option<MemoryType>,
    /// Whether several agents, users or sessions share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    /// How sensitive what it holds is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    /// The classes of data it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<DataClass>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowProperties {
    /// Whether this is legacy automation (RPA, scripts, schedulers) outside the agent platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<bool>,
    /// What starts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    /// The engine it runs on (free text, e.g. an RPA suite or a CI system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HumanProperties {
    /// The person's role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// What the person may do themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entitlements: Vec<Action>,
    /// How many approval requests a day the person can review with care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_capacity: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputProperties {
    /// How far its content is trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<Trust>,
    /// How its content arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayProperties {
    /// The controls it enforces on every call it mediates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

/// Declares `NodeProperties` with one variant per kind, and the code that maps between kind
/// words and property types, so that adding a kind is one line here.
macro_rules! node_properties {
    ($($variant:ident($props:ty)),+ $(,)?) => {
        /// The properties of a node; the variant is the node's kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum NodeProperties {
            $($variant($props)),+
        }

        impl NodeProperties {
            pub fn kind(&self) -> NodeKind {
                match self { $(NodeProperties::$variant(_) => NodeKind::$variant),+ }
            }

            /// The empty properties of a kind.
            pub fn default_for(kind: NodeKind) -> Self {
                match kind { $(NodeKind::$variant => NodeProperties::$variant(<$props>::default())),+ }
            }

            /// Whether nothing is stated, so that `properties:` can be left out of the file.
            pub fn is_empty(&self) -> bool {
                match self { $(NodeProperties::$variant(p) => *p == <$props>::default()),+ }
            }

            fn serialize_inner<S: SerializeMap>(&self, map: &mut S) -> Result<(), S::Error> {
                match self { $(NodeProperties::$variant(p) => map.serialize_entry("properties", p)),+ }
            }

            fn deserialize_for<'de, D: Deserializer<'de>>(
                kind: NodeKind,
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let properties: Option<NodeProperties> = match kind {
                    $(NodeKind::$variant => Option::<$props>::deserialize(deserializer)?
                        .map(NodeProperties::$variant)),+
                };
                Ok(properties.unwrap_or_else(|| NodeProperties::default_for(kind)))
            }

            /// The JSON Schema of each kind's properties, generated from the types.
            pub(crate) fn schemas(
                generator: &mut schemars::SchemaGenerator,
            ) -> Vec<(NodeKind, schemars::Schema)> {
                vec![$((NodeKind::$variant, generator.subschema_for::<$props>())),+]
            }
        }
    };
}

node_properties! {
    Agent(AgentProperties),
    Model(ModelProperties),
    Tool(ToolProperties),
    Identity(IdentityProperties),
    Secret(SecretProperties),
    Datastore(DatastoreProperties),
    Memory(MemoryProperties),
    Workflow(WorkflowProperties),
    Human(HumanProperties),
    Input(InputProperties),
    Gateway(GatewayProperties),
}

/// The fields a node may have, in the order they are written.
pub const NODE_FIELDS: &[&str] = &["id", "kind", "name", "description", "properties"];

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("kind", &self.kind())?;
        map.serialize_entry("name", &self.name)?;
        if let Some(description) = &self.description {
            map.serialize_entry("description", description)?;
        }
        if !self.properties.is_empty() {
            self.properties.serialize_inner(&mut map)?;
        }
        map.end()
    }
}

/// Reads a node. `properties` is read with the type of `kind`, so `kind` must come first:
/// the model parser presents `kind` first whatever the file's order; other callers
/// (JSON from the desktop app) get `properties` buffered when it comes first.
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Node", NODE_FIELDS, NodeVisitor)
    }
}

struct NodeVisitor;

struct PropertiesSeed(NodeKind);

impl<'de> DeserializeSeed<'de> for PropertiesSeed {
    type Value = NodeProperties;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<NodeProperties, D::Error> {
        NodeProperties::deserialize_for(self.0, deserializer)
    }
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a node: a mapping with id, kind, name, description and properties")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut id: Option<String> = None;
        let mut kind: Option<NodeKind> = None;
        let mut name: Option<String> = None;
        let mut description: Option<Option<String>> = None;
        let mut properties: Option<NodeProperties> = None;
        let mut buffered_properties: Option<serde_json::Value> = None;

        while let Some(key) = map.next_key::<NodeField>()? {
            match key {
                NodeField::Id => set_once(&mut id, "id", map.next_value()?)?,
                NodeField::Kind => set_once(&mut kind, "kind", map.next_value()?)?,
                NodeField::Name => set_once(&mut name, "name", map.next_value()?)?,
                NodeField::Description => {
                    set_once(&mut description, "description", map.next_value()?)?
                }
                NodeField::Properties => {
                    if properties.is_some() || buffered_properties.is_some() {
                        return Err(de::Error::duplicate_field("properties"));
                    }
                    match kind {
                        Some(kind) => properties = Some(map.next_value_seed(PropertiesSeed(kind))?),
                        None => buffered_properties = Some(map.next_value()?),
                    }
                }
            }
        }

        let kind = kind.ok_or_else(|| de::Error::missing_field("kind"))?;
        let properties = match (properties, buffered_properties) {
            (Some(properties), _) => properties,
            (None, Some(value)) => {
                NodeProperties::deserialize_for(kind, value).map_err(de::Error::custom)?
            }
            (None, None) => NodeProperties::default_for(kind),
        };
        Ok(Node {
            id: id.unwrap_or_default(),
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            description: description.flatten(),
            properties,
        })
    }
}

fn set_once<T, E: de::Error>(slot: &mut Option<T>, field: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(field));
    }
    *slot = Some(value);
    Ok(())
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum NodeField {
    Id,
    Kind,
    Name,
    Description,
    Properties,
}

impl JsonSchema for Node {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Node".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let variants: Vec<serde_json::Value> = NodeProperties::schemas(generator)
            .into_iter()
            .map(|(kind, properties)| {
                serde_json::json!({
                    "type": "object",
                    "description": kind.description(),
                    "properties": {
                        "id": { "$ref": "#/$defs/Id" },
                        "kind": { "const": kind.as_str() },
                        "name": { "type": "string", "minLength": 1 },
                        "description": { "type": ["string", "null"] },
                        "properties": properties,
                    },
                    "required": ["kind", "name"],
                    "additionalProperties": false,
                })
            })
            .collect();
        schemars::json_schema!({ "oneOf": variants })
    }
}
