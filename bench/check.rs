//! `cargo bench --bench check`: the whole check (graph view, every check, findings grouped
//! into risks and questions) on every shape of model (`bench/shapes.rs`: estate, hub, chain,
//! dense, star) at 1k, 10k and 100k nodes, and reading the estate as YAML.
//!
//! `cargo bench --bench check -- 'check/hub'` runs one shape.

use bartizan::graph::ModelGraph;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "generator.rs"]
mod generator;
#[path = "shapes.rs"]
mod shapes;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

fn check(c: &mut Criterion) {
    bartizan::allocator::keep_freed_memory();
    for shape in shapes::Shape::ALL {
        let mut group = c.benchmark_group(format!("check/{}", shape.name()));
        group.sample_size(10);
        for nodes in [1_000, 10_000, 100_000] {
            let model = shape.generate(nodes);
            let label = format!("{}n-{}e", model.nodes.len(), model.edges.len());
            group.bench_with_input(BenchmarkId::from_parameter(label), &model, |b, model| {
                b.iter(|| bartizan::risks::assess(&ModelGraph::new(model)))
            });
        }
        group.finish();
    }
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    for nodes in [1_000, 10_000] {
        let model = generator::generate(nodes, 5, 7);
        let yaml = bartizan::syntax::to_yaml(&model);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{}n-{}KiB", nodes, yaml.len() / 1024)),
            &yaml,
            |b, yaml| {
                b.iter(|| {
                    bartizan::syntax::parse_model(
                        yaml,
                        bartizan::syntax::Format::Yaml,
                        &bartizan::syntax::Limits::default(),
                    )
                })
            },
        );
        // What the desktop app sends for every analysis: the document as one line of JSON.
        let json = serde_json::to_string(&model).expect("a model serialises");
        group.bench_with_input(
            BenchmarkId::from_parameter(format!(
                "{}n-{}KiB-one-line-json",
                nodes,
                json.len() / 1024
            )),
            &json,
            |b, json| {
                b.iter(|| {
                    bartizan::syntax::parse_model(
                        json,
                        bartizan::syntax::Format::Json,
                        &bartizan::syntax::Limits::default(),
                    )
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, check, parse);
criterion_main!(benches);
