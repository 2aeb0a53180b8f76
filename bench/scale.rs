//! One measured run of the check pipeline on a synthetic model, with peak memory:
//!
//!     cargo run --release --example scale -- NODES [EDGES_PER_NODE] [--write FILE] [--per-check]
//!
//! Prints the model's size, the time to build the graph view and to run every check, the
//! number of findings, and the process's peak resident memory (Linux `VmHWM`).

use std::time::Instant;

use bartizan::graph::ModelGraph;

#[path = "generator.rs"]
mod generator;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nodes: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let per_node: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1));

    let started = Instant::now();
    let model = generator::generate(nodes, per_node, 7);
    let generated = started.elapsed();
    if let Some(path) = write {
        bartizan::store::write_model(std::path::Path::new(path), &model)
            .expect("the model is written");
    }
    let started = Instant::now();
    let graph = ModelGraph::new(&model);
    let built = started.elapsed();
    let started = Instant::now();
    let findings = bartizan::rules::run(&graph);
    let checked = started.elapsed();
    if args.iter().any(|a| a == "--per-check") {
        let context = bartizan::rules::CheckContext::new(&graph);
        for rule in bartizan::rules::ALL {
            let started = Instant::now();
            let count = (rule.check)(&context).len();
            println!(
                "  {} {:>8.3} s  {count} findings",
                rule.id,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "{} nodes, {} edges: generated in {:.3} s, graph in {:.3} s, {} checks in {:.3} s, {} findings, peak memory {} MiB",
        model.nodes.len(),
        model.edges.len(),
        generated.as_secs_f64(),
        built.as_secs_f64(),
        bartizan::rules::ALL.len(),
        checked.as_secs_f64(),
        findings.len(),
        peak_memory_kib().map_or("?".into(), |k| (k / 1024).to_string())
    );
}
