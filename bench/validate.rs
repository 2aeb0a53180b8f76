//! `cargo bench --bench validate`: validation of hostile models, each shaped to make a naive
//! pass quadratic or flood the diagnostics: one node in many side-by-side boundaries, a deep
//! chain of nested boundaries, many duplicate ids, many edges to unknown ids and many
//! warnings. `validate` times the semantic passes on the model; `read` the whole read of the
//! file (pretty JSON, so that the figures are validation's and locating's, not the reader's).

use bartizan::model::Model;
use bartizan::syntax::{Format, Limits};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

const SIZES: [usize; 3] = [1_000, 4_000, 16_000];

fn node(id: &str, kind: &str) -> Value {
    json!({ "id": id, "kind": kind, "name": id })
}

fn document(nodes: Vec<Value>, edges: Vec<Value>, boundaries: Vec<Value>) -> Value {
    json!({
        "bartizan": 1,
        "metadata": { "name": "hostile" },
        "nodes": nodes,
        "edges": edges,
        "boundaries": boundaries,
    })
}

fn boundaries(count: usize, nested: bool) -> Value {
    let boundaries = (0..count)
        .map(|i| {
            let mut boundary =
                json!({ "id": format!("b{i}"), "name": "B", "zone": "vendor", "members": ["n"] });
            if nested && i > 0 {
                boundary["parent"] = json!(format!("b{}", i - 1));
            }
            boundary
        })
        .collect();
    document(vec![node("n", "agent")], vec![], boundaries)
}

fn hostile(shape: &str, count: usize) -> Value {
    match shape {
        "overlapping-boundaries" => boundaries(count, false),
        "nested-boundaries" => boundaries(count, true),
        "duplicate-ids" => document(
            (0..count).map(|_| node("same", "agent")).collect(),
            vec![],
            vec![],
        ),
        "unknown-edge-ends" => document(
            (0..count)
                .map(|i| node(&format!("node{i}"), "agent"))
                .collect(),
            (0..count)
                .map(|i| json!({ "from": format!("node{i}"), "relation": "invokes", "to": format!("nodx{i}") }))
                .collect(),
            vec![],
        ),
        "warnings" => {
            let mut nodes = Vec::new();
            let mut edges = Vec::new();
            for i in 0..count {
                nodes.push(node(&format!("id{i}"), "identity"));
                nodes.push(node(&format!("tool{i}"), "tool"));
                edges.push(json!({ "from": format!("id{i}"), "relation": "grants", "to": format!("tool{i}") }));
            }
            document(nodes, edges, vec![])
        }
        _ => unreachable!("unknown shape {shape}"),
    }
}

const SHAPES: [&str; 5] = [
    "overlapping-boundaries",
    "nested-boundaries",
    "duplicate-ids",
    "unknown-edge-ends",
    "warnings",
];

fn validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    for shape in SHAPES {
        for count in SIZES {
            let model: Model = serde_json::from_value(hostile(shape, count)).expect("a model");
            group.bench_with_input(BenchmarkId::new(shape, count), &model, |b, model| {
                b.iter(|| bartizan::validate::validate(model))
            });
        }
    }
    group.finish();
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    for shape in SHAPES {
        for count in SIZES {
            let text = serde_json::to_string_pretty(&hostile(shape, count)).expect("JSON");
            group.bench_with_input(BenchmarkId::new(shape, count), &text, |b, text| {
                b.iter(|| bartizan::syntax::parse_model(text, Format::Json, &Limits::default()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, validate, read);
criterion_main!(benches);
