//! `cargo bench`: the whole check pipeline (graph view + every check) on synthetic agent
//! systems of 1k, 10k and 100k nodes with five edges per node.

use bartizan::graph::ModelGraph;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "generator.rs"]
mod generator;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for nodes in [1_000, 10_000, 100_000] {
        let model = generator::generate(nodes, 5, 7);
        let label = format!("{}n-{}e", model.nodes.len(), model.edges.len());
        group.bench_with_input(BenchmarkId::from_parameter(label), &model, |b, model| {
            b.iter(|| {
                let graph = ModelGraph::new(model);
                bartizan::rules::run(&graph)
            })
        });
    }
    group.finish();
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
    }
    group.finish();
}

criterion_group!(benches, check, parse);
criterion_main!(benches);
