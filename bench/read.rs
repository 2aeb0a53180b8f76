//! `cargo bench --bench read`: reading model files whose shape once made reading
//! super-linear: one-line JSON, a very wide mapping, many repeated keys and ids, many
//! problems late in a long list. Each size is ten times the last, so near-linear reading
//! shows as times that grow about tenfold.

use bartizan::syntax::{Format, Limits, parse_model};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

fn node(id: &str, kind: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "kind": kind, "name": "Zürich ☃"})
}

fn one_line_json(nodes: usize) -> String {
    let nodes: Vec<_> = (0..nodes)
        .map(|i| node(&format!("n{i}"), "agent"))
        .collect();
    serde_json::json!({"bartizan": 1, "metadata": {"name": "One line"}, "nodes": nodes}).to_string()
}

/// Every node has the same id: one duplicate-id problem per node.
fn repeated_ids_json(nodes: usize) -> String {
    let nodes: Vec<_> = (0..nodes).map(|_| node("same", "agent")).collect();
    serde_json::json!({"bartizan": 1, "metadata": {"name": "Repeated"}, "nodes": nodes}).to_string()
}

/// A long list whose last 600 items are unreadable: more problems than the cap, all late.
fn late_problems_json(nodes: usize) -> String {
    let nodes: Vec<_> = (0..nodes)
        .map(|i| node(&format!("n{i}"), "agent"))
        .chain((0..600).map(|i| node(&format!("e{i}"), "agnet")))
        .collect();
    serde_json::json!({"bartizan": 1, "metadata": {"name": "Late"}, "nodes": nodes}).to_string()
}

/// One mapping (`layout.nodes`) with a key per node.
fn wide_mapping_yaml(keys: usize) -> String {
    let mut yaml = String::from("bartizan: 1\nmetadata:\n  name: Wide\nnodes:\n");
    for i in 0..keys {
        yaml.push_str(&format!("  - {{id: n{i}, kind: agent, name: N}}\n"));
    }
    yaml.push_str("layout:\n  nodes:\n");
    for i in 0..keys {
        yaml.push_str(&format!("    n{i}: {{x: 0, y: 0}}\n"));
    }
    yaml
}

/// One mapping where every key is the same: one duplicate-key problem per entry.
fn repeated_keys_yaml(keys: usize) -> String {
    let mut yaml =
        String::from("bartizan: 1\nmetadata:\n  name: Repeated\nnodes: []\nlayout:\n  nodes:\n");
    for _ in 0..keys {
        yaml.push_str("    same: {x: 0, y: 0}\n");
    }
    yaml
}

/// Writes a document of the given size.
type Shape = fn(usize) -> String;

fn read(c: &mut Criterion) {
    let shapes: [(&str, Format, Shape); 5] = [
        ("one-line-json", Format::Json, one_line_json),
        ("repeated-ids-json", Format::Json, repeated_ids_json),
        ("late-problems-json", Format::Json, late_problems_json),
        ("wide-mapping-yaml", Format::Yaml, wide_mapping_yaml),
        ("repeated-keys-yaml", Format::Yaml, repeated_keys_yaml),
    ];
    let limits = Limits::default();
    for (name, format, make) in shapes {
        let mut group = c.benchmark_group(format!("read/{name}"));
        group.sample_size(10);
        for size in [2_000, 20_000] {
            let text = make(size);
            group.bench_with_input(BenchmarkId::from_parameter(size), &text, |b, text| {
                b.iter(|| parse_model(text, format, &limits))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, read);
criterion_main!(benches);
