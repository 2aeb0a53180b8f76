//! `docs/model.schema.json` is generated from the model types; this keeps it in sync.

mod common;

#[test]
fn the_checked_in_schema_is_current() {
    common::assert_generated(
        "docs/model.schema.json",
        &bartizan::model::json_schema(),
        "schema",
    );
}

#[test]
fn the_cli_prints_the_same_schema() {
    let output = common::bartizan(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(common::stdout(&output), bartizan::model::json_schema());
}

#[test]
fn the_schema_names_every_kind_and_relation() {
    let schema: serde_json::Value = serde_json::from_str(&bartizan::model::json_schema()).unwrap();
    let text = schema.to_string();
    for kind in bartizan::model::NodeKind::ALL {
        assert!(text.contains(&format!("\"const\":\"{kind}\"")), "{kind}");
    }
    for relation in bartizan::model::Relation::ALL {
        assert!(text.contains(&format!("\"{relation}\"")), "{relation}");
    }
}

#[test]
fn every_example_model_satisfies_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&bartizan::model::json_schema()).unwrap();
    let validator =
        jsonschema::draft202012::new(&schema).expect("the schema is a valid JSON Schema");
    for path in common::example_models() {
        let source = std::fs::read_to_string(&path).unwrap();
        let parsed = bartizan::syntax::parse_model(
            &source,
            bartizan::syntax::Format::from_path(&path),
            &bartizan::syntax::Limits::default(),
        );
        let model = parsed.model.expect("valid example");
        let instance = serde_json::to_value(&model).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_schema_rejects_what_the_reader_rejects() {
    let schema: serde_json::Value = serde_json::from_str(&bartizan::model::json_schema()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let cases = [
        serde_json::json!({ "nodes": [] }),
        serde_json::json!({ "metadata": { "name": "x" }, "nodes": [{ "id": "a", "kind": "agent", "name": "A", "properties": { "autonomy": "semi" } }] }),
        serde_json::json!({ "metadata": { "name": "x" }, "nodes": [{ "id": "a", "kind": "secret", "name": "K", "properties": { "ttl": "3600" } }] }),
        serde_json::json!({ "metadata": { "name": "x" }, "nodes": [{ "id": "a", "kind": "tool", "name": "T", "properties": { "autonomy": "autonomous" } }] }),
        serde_json::json!({ "metadata": { "name": "x" }, "extra": true }),
        serde_json::json!({ "metadata": { "name": "x" }, "edges": [{ "from": "a", "relation": "owns", "to": "b" }] }),
    ];
    for case in cases {
        assert!(!validator.is_valid(&case), "the schema accepted {case}");
    }
}

/// The desktop app reads the model's vocabulary and schema from files generated here.
#[test]
fn the_app_s_generated_vocabulary_and_schema_are_current() {
    let vocabulary = bartizan::model::vocabulary_json();
    common::assert_generated("ui/src/generated/vocabulary.json", &vocabulary, "schema");
    let schema = bartizan::model::json_schema();
    common::assert_generated("ui/src/generated/model.schema.json", &schema, "schema");
}
