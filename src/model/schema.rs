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
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
