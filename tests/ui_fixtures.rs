//! The desktop app's browser tests run against a fake backend that serves the example models
//! and their analysis from `ui/src/generated/examples/<id>.json`. Those files are generated
//! here from `models/*.bartizan.yaml` and the engine's `analyze_document`, so the fake never
//! disagrees with the engine: `BARTIZAN_BLESS=1 cargo test --test ui_fixtures` rewrites them
//! (and `ui/src/generated/rules.json`, the check catalog the risks panel reads,
//! `ui/src/generated/rename.json`, the engine's renames the fake's must equal, and
//! `ui/src/generated/examples/<id>.plan.json`, the engine's plan of each example with the
//! document each step makes, which the fake serves and applies).

mod common;

use bartizan::syntax::{Format, Limits, parse_model, to_json};

/// `{ plan, applied }`: the engine's plan of an example's document, and for each step the
/// document `apply_plan_step` gives.
fn plan_fixture(id: &str, doc_text: &str) -> (String, String) {
    let plan = bartizan::analysis::plan_document(doc_text, Format::Json)
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let mut applied = serde_json::Map::new();
    for step in plan["steps"].as_array().unwrap() {
        let step_id = step["id"].as_str().unwrap();
        let result =
            bartizan::analysis::apply_plan_step_in_document(doc_text, Format::Json, step_id)
                .unwrap_or_else(|e| panic!("{id}: {step_id}: {e}"));
        applied.insert(step_id.to_owned(), result["doc"].clone());
    }
    let value = serde_json::json!({ "plan": plan, "applied": applied });
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    (format!("{id}.plan.json"), text)
}

/// `{ id, name, description, doc, analysis }` for one example model, and its plan fixture.
fn fixture(path: &std::path::Path) -> [(String, String); 2] {
    let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
    let id = file_name
        .trim_end_matches(".bartizan.yaml")
        .trim_end_matches(".bartizan.json")
        .to_owned();
    let source = std::fs::read_to_string(path).unwrap();
    let parsed = parse_model(&source, Format::from_path(path), &Limits::default());
    let model = parsed
        .valid_model()
        .unwrap_or_else(|| panic!("{file_name} is a valid example"));
    // The app's document is the model as the engine serialises it to JSON, and the app
    // analyses that JSON text, so the fixture does the same.
    let doc_text = to_json(model);
    let doc: serde_json::Value = serde_json::from_str(&doc_text).unwrap();
    let analysis = bartizan::analysis::analyze_document(
        &doc_text,
        Format::Json,
        &format!("models/{file_name}"),
    );
    let value = serde_json::json!({
        "id": id,
        "name": model.metadata.name,
        "description": model.metadata.description,
        "doc": doc,
        "analysis": analysis,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    [(format!("{id}.json"), text), plan_fixture(&id, &doc_text)]
}

#[test]
fn the_app_s_example_fixtures_are_current() {
    let dir = common::root().join("ui/src/generated/examples");
    let bless = std::env::var_os("BARTIZAN_BLESS").is_some();
    let fixtures: Vec<(String, String)> = common::example_models()
        .iter()
        .flat_map(|path| fixture(path))
        .collect();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    // No fixture may outlive its model.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !fixtures.iter().any(|(file, _)| *file == name) {
                if bless {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    panic!(
                        "ui/src/generated/examples/{name} has no model in models/: run `BARTIZAN_BLESS=1 cargo test --test ui_fixtures`"
                    );
                }
            }
        }
    }
    for (file, text) in fixtures {
        let path = dir.join(&file);
        if bless {
            std::fs::write(&path, &text).unwrap();
        } else {
            assert_eq!(
                std::fs::read_to_string(&path).ok().as_deref(),
                Some(text.as_str()),
                "ui/src/generated/examples/{file} is stale: run `BARTIZAN_BLESS=1 cargo test --test ui_fixtures`"
            );
        }
    }
}

/// The findings panel shows each check's summary and remediation ("how to fix") from
/// `ui/src/generated/rules.json` (the catalog `bartizan rules --format json` prints), and
/// names the frameworks findings map to as the engine does.
#[test]
fn the_app_s_rule_catalog_is_current() {
    let frameworks: Vec<serde_json::Value> = bartizan::frameworks::Framework::ALL
        .iter()
        .map(|f| serde_json::json!({ "id": f, "name": f.name(), "short": f.short() }))
        .collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({
        "version": 1,
        "frameworks": frameworks,
        "rules": bartizan::rules::ALL,
    }))
    .unwrap();
    text.push('\n');
    common::assert_generated("ui/src/generated/rules.json", &text, "ui_fixtures");
}

/// Every risk in a fixture carries what the risks panel shows: its fingerprint, place, paths,
/// and facets with their subjects and paths.
#[test]
fn every_example_fixture_reports_risks_with_paths_and_fingerprints() {
    for path in common::example_models() {
        let [(_, text), _] = fixture(&path);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["analysis"]["valid"], true, "{}", path.display());
        let report = &value["analysis"]["report"];
        assert_eq!(report["version"], bartizan::report::JSON_SCHEMA_VERSION);
        for risk in report["risks"].as_array().unwrap() {
            assert!(risk["fingerprint"].is_string());
            assert!(risk["place"].is_string());
            assert!(!risk["paths"].as_array().unwrap().is_empty());
            for facet in risk["facets"].as_array().unwrap() {
                assert!(facet["fingerprint"].is_string());
                assert!(!facet["subjects"].as_array().unwrap().is_empty());
                assert!(!facet["path"].as_array().unwrap().is_empty());
            }
        }
        assert!(report["questions"].is_array());
    }
}

/// The engine's answer to renaming ids in an example whose every risk is triaged
/// (`ui/src/generated/rename.json`), which the fake backend's rename must give too.
#[test]
fn the_app_s_rename_fixture_is_current() {
    let path = common::root().join("models/customer-support.bartizan.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let parsed = parse_model(&source, Format::Yaml, &Limits::default());
    let mut model = parsed.valid_model().unwrap().clone();
    let report = bartizan::analysis::analyze_document(&to_json(&model), Format::Json, "x");
    for risk in report["report"]["risks"].as_array().unwrap() {
        model.triage.push(bartizan::model::TriageDecision {
            fingerprint: risk["fingerprint"].as_str().unwrap().to_owned(),
            rule: None,
            status: bartizan::model::TriageStatus::Accepted,
            justification: Some(risk["title"].as_str().unwrap().to_owned()),
            by: Some("ana".into()),
            at: Some("2026-12-01".into()),
        });
    }
    let before = to_json(&model);
    // An agent (the place of the risks of its ungated calls), a secret (the place of a
    // credential risk), and a boundary (the place of none).
    let renames: Vec<serde_json::Value> = [
        ("support-agent", "helpdesk-agent"),
        ("billing-token", "refund-key"),
        ("finance", "finance-zone"),
    ]
    .iter()
    .map(|(old, new)| {
        let after =
            bartizan::analysis::rename_in_document(&before, Format::Json, old, new).unwrap();
        serde_json::json!({ "old": old, "new": new, "after": after })
    })
    .collect();
    let doc: serde_json::Value = serde_json::from_str(&before).unwrap();
    let mut text =
        serde_json::to_string_pretty(&serde_json::json!({ "before": doc, "renames": renames }))
            .unwrap();
    text.push('\n');
    common::assert_generated("ui/src/generated/rename.json", &text, "ui_fixtures");
}
