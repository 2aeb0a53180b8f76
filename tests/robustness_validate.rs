//! Hostile models that parse but stress validation: thousands of elements shaped to make a
//! naive pass quadratic or flood the output. Each test states the diagnostics a user gets
//! (how many, the first one, the line that counts the rest); the matching benchmarks are in
//! `bench/validate.rs`.

use bartizan::diagnostic::{Diagnostic, Severity};
use bartizan::syntax::{Format, Limits, Parsed, parse_model};
use serde_json::{Value, json};

fn read(model: &Value) -> Parsed {
    parse_model(
        &serde_json::to_string_pretty(model).unwrap(),
        Format::Json,
        &Limits::default(),
    )
}

fn model(nodes: Vec<Value>, edges: Vec<Value>, boundaries: Vec<Value>) -> Value {
    json!({
        "bartizan": 1,
        "metadata": { "name": "hostile" },
        "nodes": nodes,
        "edges": edges,
        "boundaries": boundaries,
    })
}

fn node(id: &str, kind: &str) -> Value {
    json!({ "id": id, "kind": kind, "name": id })
}

fn boundary(id: &str, parent: Option<&str>, members: &[&str]) -> Value {
    let mut boundary = json!({ "id": id, "name": id, "zone": "vendor", "members": members });
    if let Some(parent) = parent {
        boundary["parent"] = json!(parent);
    }
    boundary
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_node_in_thousands_of_side_by_side_boundaries_gets_one_diagnostic() {
    let boundaries: Vec<Value> = (0..5_000)
        .map(|i| boundary(&format!("b{i}"), None, &["n"]))
        .collect();
    let parsed = read(&model(vec![node("n", "agent")], vec![], boundaries));

    assert_eq!(codes(&parsed.diagnostics), ["boundary-overlap"]);
    let overlap = &parsed.diagnostics[0];
    assert_eq!(
        overlap.message,
        "`n` is in `b0` and in 4999 other boundaries that do not nest with it: `b1`, `b2`, `b3` and 4996 more"
    );
    assert_eq!(
        overlap.path.as_ref().unwrap().to_string(),
        "boundaries[1].members[0]"
    );
    assert_eq!(overlap.related[0].message, "also a member of `b0`");
}

#[test]
fn a_node_in_a_deep_chain_of_nested_boundaries_is_valid() {
    let ids: Vec<String> = (0..4_000).map(|i| format!("b{i}")).collect();
    let boundaries: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| boundary(id, i.checked_sub(1).map(|up| ids[up].as_str()), &["n"]))
        .collect();
    let parsed = read(&model(vec![node("n", "agent")], vec![], boundaries));

    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert!(parsed.valid_model().is_some());
}

#[test]
fn overlap_names_only_the_boundaries_off_the_innermost_ones_line() {
    // outer ⊃ inner, and beside them `other`: `n` in all three clashes only with `other`.
    let boundaries = vec![
        boundary("outer", None, &["n"]),
        boundary("other", None, &["n"]),
        boundary("inner", Some("outer"), &["n"]),
    ];
    let parsed = read(&model(vec![node("n", "agent")], vec![], boundaries));

    assert_eq!(codes(&parsed.diagnostics), ["boundary-overlap"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "`n` is in both `other` and `inner`, which do not nest"
    );
    assert_eq!(
        parsed.diagnostics[0].path.as_ref().unwrap().to_string(),
        "boundaries[2].members[0]"
    );
}

#[test]
fn a_boundary_under_a_cycle_is_checked_without_walking_the_cycle_forever() {
    // a → b → a is a cycle; `under` sits below it; `beside` is a root. `n` in `under` and
    // `beside` is an overlap; the cycle is reported once.
    let boundaries = vec![
        boundary("a", Some("b"), &[]),
        boundary("b", Some("a"), &[]),
        boundary("under", Some("a"), &["n"]),
        boundary("beside", None, &["n"]),
    ];
    let parsed = read(&model(vec![node("n", "agent")], vec![], boundaries));

    assert_eq!(
        codes(&parsed.diagnostics),
        ["boundary-cycle", "boundary-overlap"]
    );
    assert!(
        parsed
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Error)
    );
}

fn duplicate_ids(count: usize) -> Value {
    let nodes: Vec<Value> = (0..count).map(|_| node("same", "agent")).collect();
    model(nodes, vec![], vec![])
}

#[test]
fn validation_keeps_no_more_diagnostics_than_the_cap_and_counts_the_rest() {
    let model: bartizan::model::Model =
        serde_json::from_value(duplicate_ids(20_000)).expect("a model");
    let cap = Limits::default().max_diagnostics;
    assert_eq!(bartizan::validate::validate(&model).len(), cap);

    let mut collector = bartizan::validate::Collector::new(10);
    bartizan::validate::validate_into(&model, &Default::default(), &mut collector);
    let (kept, skipped) = collector.finish();
    assert_eq!(kept.len(), 10);
    assert_eq!(skipped.errors, 19_999 - 10);
}

#[test]
fn thousands_of_duplicate_ids_show_the_cap_and_count_the_rest() {
    let parsed = read(&duplicate_ids(20_000));
    let diagnostics = &parsed.diagnostics;
    assert_eq!(diagnostics.len(), 500);
    assert_eq!(diagnostics[0].code, "duplicate-id");
    assert_eq!(diagnostics[0].message, "the id `same` is used twice");
    assert_eq!(
        diagnostics[0].path.as_ref().unwrap().to_string(),
        "nodes[1].id"
    );
    let last = diagnostics.last().unwrap();
    assert_eq!(last.code, "too-many-problems");
    assert_eq!(last.message, "19500 more problems are not shown");
}

/// `count` grants without `permissions` (a warning each) on an otherwise valid model.
fn many_warnings(count: usize) -> Value {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for i in 0..count {
        nodes.push(node(&format!("id{i}"), "identity"));
        nodes.push(node(&format!("tool{i}"), "tool"));
        edges.push(
            json!({ "from": format!("id{i}"), "relation": "grants", "to": format!("tool{i}") }),
        );
    }
    model(nodes, edges, vec![])
}

fn write_model(dir: &tempfile::TempDir, model: &Value) -> String {
    let path = dir.path().join("model.bartizan.json");
    std::fs::write(&path, serde_json::to_string_pretty(model).unwrap()).unwrap();
    path.display().to_string()
}

fn bartizan(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .args(["--color", "never"])
        .args(args)
        .output()
        .expect("bartizan runs")
}

#[test]
fn thousands_of_warnings_leave_a_model_valid() {
    let model = many_warnings(2_000);
    let parsed = read(&model);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics.last());
    assert!(parsed.valid_model().is_some());
    let last = parsed.diagnostics.last().unwrap();
    assert_eq!(last.code, "too-many-problems");
    assert_eq!(last.severity, Severity::Warning);
    assert_eq!(last.message, "1501 more problems are not shown");

    let analysis = bartizan::analysis::analyze_document(
        &serde_json::to_string_pretty(&model).unwrap(),
        Format::Json,
        "many-warnings.bartizan.json",
    );
    assert_eq!(analysis["valid"], true);
    assert!(analysis["report"]["risks"].is_array());

    let dir = tempfile::tempdir().unwrap();
    let path = write_model(&dir, &model);
    let validate = bartizan(&["validate", &path]);
    let text = String::from_utf8(validate.stdout).unwrap();
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        &text[text.len() - 300..]
    );
    assert!(
        text.trim_end()
            .ends_with("valid (4000 nodes, 2000 edges, 0 boundaries), 500 warnings"),
        "{}",
        &text[text.len() - 300..]
    );
    let check = bartizan(&["check", "--fail-on", "none", &path]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn an_error_past_the_cap_still_makes_the_model_invalid() {
    let mut model = many_warnings(1_000);
    // Last in the file, so it is among the problems not shown.
    model["edges"].as_array_mut().unwrap().push(
        json!({ "from": "id0", "relation": "grants", "to": "nowhere", "permissions": ["read"] }),
    );
    let parsed = read(&model);
    assert!(parsed.has_errors());
    assert!(parsed.valid_model().is_none());
    assert!(
        parsed.diagnostics[..499]
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
    let last = parsed.diagnostics.last().unwrap();
    assert_eq!(last.severity, Severity::Error);
    assert_eq!(last.message, "502 more problems are not shown");
    assert_eq!(
        last.help.as_deref(),
        Some("1 of them is an error; fix the problems above and run again")
    );
}

#[test]
fn thousands_of_edges_to_unknown_ids_are_reported_with_a_bounded_number_of_suggestions() {
    let nodes: Vec<Value> = (0..8_000)
        .map(|i| node(&format!("node{i}"), "agent"))
        .collect();
    let edges: Vec<Value> = (0..8_000)
        .map(|i| json!({ "from": format!("node{i}"), "relation": "invokes", "to": format!("nodx{i}") }))
        .collect();
    let parsed = read(&model(nodes, edges, vec![]));
    let diagnostics = &parsed.diagnostics;

    assert_eq!(diagnostics.len(), 500);
    assert_eq!(diagnostics[0].message, "no node has the id `nodx0`");
    assert_eq!(
        diagnostics[0].path.as_ref().unwrap().to_string(),
        "edges[0].to"
    );
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean `node0`?")
    );
    let suggested = diagnostics
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    assert_eq!(suggested, 20);
    assert_eq!(
        diagnostics[100].help.as_deref(),
        Some("add the node, or correct the id")
    );
    assert_eq!(
        diagnostics.last().unwrap().message,
        "7501 more problems are not shown"
    );
}

#[test]
fn a_repeated_typo_keeps_its_suggestion_past_the_search_limit() {
    let mut nodes: Vec<Value> = vec![node("support-agent", "agent")];
    nodes.extend((0..100).map(|i| node(&format!("tool{i}"), "tool")));
    let edges: Vec<Value> = (0..100)
        .map(|i| json!({ "from": "suport-agent", "relation": "invokes", "to": format!("tool{i}") }))
        .collect();
    let parsed = read(&model(nodes, edges, vec![]));

    assert_eq!(parsed.diagnostics.len(), 100);
    assert!(
        parsed.diagnostics.iter().all(|d| d.code == "unknown-node"
            && d.help.as_deref() == Some("did you mean `support-agent`?"))
    );
}

#[test]
fn diagnostics_after_skipped_elements_point_at_the_element_in_the_file() {
    // `nodes[0]` cannot be read (unknown kind), so the model's `nodes[k]` is the file's
    // `nodes[k + 1]`.
    let mut nodes = vec![node("broken", "agnt")];
    nodes.extend((0..3_000).map(|_| node("same", "agent")));
    let parsed = read(&model(nodes, vec![], vec![]));
    let paths: Vec<String> = parsed
        .diagnostics
        .iter()
        .take(3)
        .map(|d| d.path.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["nodes[0].kind", "nodes[2].id", "nodes[3].id"]);
    let line = |path: &str| {
        parsed
            .diagnostics
            .iter()
            .find(|d| d.path.as_ref().unwrap().to_string() == path)
            .and_then(|d| d.location)
            .unwrap()
            .line
    };
    // Pretty JSON puts each node's `id` on a line of its own, six lines apart.
    assert_eq!(line("nodes[3].id") - line("nodes[2].id"), 5);
}

#[test]
fn overlaps_past_the_cap_are_counted() {
    let ids: Vec<String> = (0..1_000).map(|i| format!("n{i}")).collect();
    let members: Vec<&str> = ids.iter().map(String::as_str).collect();
    let parsed = read(&model(
        ids.iter().map(|id| node(id, "agent")).collect(),
        vec![],
        vec![
            boundary("left", None, &members),
            boundary("right", None, &members),
        ],
    ));
    let diagnostics = &parsed.diagnostics;
    assert_eq!(diagnostics.len(), 500);
    assert!(
        diagnostics[..499]
            .iter()
            .all(|d| d.code == "boundary-overlap")
    );
    assert_eq!(
        diagnostics[0].message,
        "`n0` is in both `left` and `right`, which do not nest"
    );
    assert_eq!(
        diagnostics.last().unwrap().message,
        "501 more problems are not shown"
    );
}
