//! The JSON Schema of a model file, generated from the types so editors can complete and
//! check model files. `docs/model.schema.json` is this output; a test keeps it in sync.

use schemars::generate::SchemaSettings;

use super::Model;

/// The pattern every user-typed id must match.
pub const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

/// The schema as pretty JSON, ending with a newline.
pub fn json_schema() -> String {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.root_schema_for::<Model>();
    schema.ensure_object()["$defs"]["Id"] = serde_json::json!({
        "type": "string",
        "pattern": ID_PATTERN,
        "description": "A short slug: letters, digits, and . _ : - after the first character."
    });
    // `metadata` and its `name` are read leniently (see `Model`) but required of authors.
    let root = schema.as_object_mut().expect("an object schema");
    root.insert("required".into(), serde_json::json!(["metadata"]));
    if let Some(property) = root["properties"]["metadata"].as_object_mut() {
        property.remove("default");
    }
    let metadata = &mut root["$defs"]["Metadata"];
    metadata["required"] = serde_json::json!(["name"]);
    if let Some(name) = metadata["properties"]["name"].as_object_mut() {
        name.remove("default");
    }
    // Every id and every reference to one has the id syntax the reader enforces.
    let id = serde_json::json!({ "$ref": "#/$defs/Id" });
    let defs = &mut root["$defs"];
    for (definition, field) in [
        ("Edge", "id"),
        ("Edge", "from"),
        ("Edge", "to"),
        ("Boundary", "id"),
        ("Boundary", "parent"),
    ] {
        let property = &mut defs[definition]["properties"][field];
        let description = property.get("description").cloned();
        *property = id.clone();
        if let Some(description) = description {
            property["description"] = description;
        }
    }
    defs["Boundary"]["properties"]["members"]["items"] = id;
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

/// The model's vocabulary for editors (the desktop app's palette, connect menu and
/// inspector): kinds, relations with the kinds they join, which edge fields apply where, and
/// every closed word list. `ui/src/generated/vocabulary.json` is this output; a test keeps
/// it in sync.
pub fn vocabulary_json() -> String {
    use super::relations::{EDGE_ATTRIBUTES, RELATION_RULES};
    use super::*;
    use serde_json::json;

    fn words<T: Copy + std::fmt::Display>(
        all: &[T],
        describe: impl Fn(T) -> &'static str,
    ) -> serde_json::Value {
        all.iter()
            .map(|&w| json!({ "word": w.to_string(), "description": describe(w) }))
            .collect()
    }
    let relations: Vec<serde_json::Value> = RELATION_RULES
        .iter()
        .map(|rule| {
            json!({
                "relation": rule.relation.as_str(),
                "description": rule.relation.description(),
                "from": rule.from.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                "to": rule.to.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let attributes: serde_json::Map<String, serde_json::Value> = EDGE_ATTRIBUTES
        .iter()
        .map(|(field, relations)| {
            (
                (*field).to_owned(),
                relations
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .into(),
            )
        })
        .collect();
    let value = json!({
        "format_version": FORMAT_VERSION,
        "kinds": words(NodeKind::ALL, NodeKind::description),
        "relations": relations,
        "edge_attributes": attributes,
        "words": {
            "action": words(Action::ALL, Action::description),
            "autonomy": words(Autonomy::ALL, Autonomy::description),
            "hosting": words(Hosting::ALL, Hosting::description),
            "tool_type": words(ToolType::ALL, ToolType::description),
            "provenance": words(Provenance::ALL, Provenance::description),
            "identity_type": words(IdentityType::ALL, IdentityType::description),
            "secret_type": words(SecretType::ALL, SecretType::description),
            "lifetime": words(Lifetime::ALL, Lifetime::description),
            "storage": words(Storage::ALL, Storage::description),
            "revocation": words(Revocation::ALL, Revocation::description),
            "sensitivity": words(Sensitivity::ALL, Sensitivity::description),
            "datastore_type": words(DatastoreType::ALL, DatastoreType::description),
            "data_class": words(DataClass::ALL, DataClass::description),
            "memory_type": words(MemoryType::ALL, MemoryType::description),
            "trigger": words(Trigger::ALL, Trigger::description),
            "trust": words(Trust::ALL, Trust::description),
            "channel": words(Channel::ALL, Channel::description),
            "control": words(Control::ALL, Control::description),
            "delegation_auth": words(DelegationAuth::ALL, DelegationAuth::description),
            "zone": words(Zone::ALL, Zone::description),
            "triage_status": words(TriageStatus::ALL, TriageStatus::description),
        },
    });
    let mut text = serde_json::to_string_pretty(&value).expect("the vocabulary serialises");
    text.push('\n');
    text
}
