//! The example models: each is valid, in canonical form, and survives a save and a reload.

mod common;

use bartizan::model::Model;
use bartizan::syntax::{Format, Limits, parse_model, to_json, to_yaml};

fn read(path: &std::path::Path) -> (String, Model) {
    let source = std::fs::read_to_string(path).unwrap();
    let parsed = parse_model(&source, Format::from_path(path), &Limits::default());
    assert!(
        parsed.diagnostics.is_empty(),
        "{} has diagnostics: {:#?}",
        path.display(),
        parsed.diagnostics
    );
    (source, parsed.model.expect("a valid model"))
}

#[test]
fn every_example_is_valid_without_warnings() {
    for path in common::example_models() {
        read(&path);
    }
}

#[test]
fn every_example_is_in_canonical_form() {
    for path in common::example_models() {
        let (source, model) = read(&path);
        assert_eq!(
            to_yaml(&model),
            source,
            "{} is not in canonical form: run `bartizan fmt {}`",
            path.display(),
            common::relative(&path)
        );
    }
}

#[test]
fn yaml_round_trip_gives_an_equal_model_and_identical_bytes() {
    for path in common::example_models() {
        let (_, first) = read(&path);
        let saved = to_yaml(&first);
        let second = parse_model(&saved, Format::Yaml, &Limits::default())
            .model
            .expect("saved YAML reads back");
        assert_eq!(
            first,
            second,
            "{}: YAML round trip changed the model",
            path.display()
        );
        assert_eq!(
            saved,
            to_yaml(&second),
            "{}: second save differs",
            path.display()
        );
    }
}

#[test]
fn json_round_trip_gives_an_equal_model_and_identical_bytes() {
    for path in common::example_models() {
        let (_, first) = read(&path);
        let saved = to_json(&first);
        let parsed = parse_model(&saved, Format::Json, &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
        let second = parsed.model.expect("saved JSON reads back");
        assert_eq!(
            first,
            second,
            "{}: JSON round trip changed the model",
            path.display()
        );
        assert_eq!(
            saved,
            to_json(&second),
            "{}: second save differs",
            path.display()
        );
    }
}

#[test]
fn yaml_and_json_describe_the_same_model() {
    for path in common::example_models() {
        let (_, model) = read(&path);
        let via_json = parse_model(&to_json(&model), Format::Json, &Limits::default())
            .model
            .unwrap();
        assert_eq!(to_yaml(&via_json), to_yaml(&model));
    }
}

#[test]
fn strings_that_look_like_other_types_survive_a_round_trip() {
    let mut model = Model::new("yes");
    model.metadata.description = Some("line one\nline two: with colon\n\n  indented\n".into());
    model.metadata.revision = Some("1.10".into());
    model.metadata.owner = Some("null".into());
    model.metadata.updated = Some("2026-11-25".into());
    model.metadata.tags = vec![
        "true".into(),
        "#hash".into(),
        "a, b".into(),
        "Zürich Ops — Ünïcode".into(),
    ];
    let yaml = to_yaml(&model);
    let back = parse_model(&yaml, Format::Yaml, &Limits::default());
    assert!(
        back.diagnostics.is_empty(),
        "{yaml}\n{:#?}",
        back.diagnostics
    );
    assert_eq!(back.model.unwrap(), model, "{yaml}");
}

#[test]
fn saving_writes_generated_node_ids_so_they_stay_stable() {
    let source =
        "bartizan: 1\nmetadata:\n  name: No ids\nnodes:\n  - kind: agent\n    name: Agent\n";
    let parsed = parse_model(source, Format::Yaml, &Limits::default());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "missing-id");
    let model = parsed.model.unwrap();
    let id = &model.nodes[0].id;
    assert!(
        uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 7),
        "{id}"
    );
    let again = parse_model(&to_yaml(&model), Format::Yaml, &Limits::default());
    assert!(again.diagnostics.is_empty());
    assert_eq!(&again.model.unwrap().nodes[0].id, id);
}
