//! One measured run of the check pipeline on a generated model, with peak memory:
//!
//!     cargo run --release --example scale -- NODES [--shape SHAPE] [--write FILE] [--per-check]
//!     cargo run --release --example scale -- --read FILE [--per-check]
//!
//! SHAPE is estate (the default), hub, chain, dense or star (`bench/shapes.rs`); `--read`
//! measures a model file instead, such as a generated one edited into a new shape. Prints the
//! model's size, the time to build the graph view, to run every check and to group the
//! findings into risks and questions, the counts, and the process's peak resident memory
//! (Linux `VmHWM`). Times are wall-clock; `--per-check` also gives each check's CPU time, which
//! holds on a busy machine where wall-clock time does not.

use std::time::Instant;

use bartizan::graph::ModelGraph;

#[path = "generator.rs"]
mod generator;
#[path = "shapes.rs"]
mod shapes;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The CPU time this thread has used so far.
fn thread_cpu_time() -> std::time::Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    std::time::Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// A valid model read from `path`; the run stops with the reason when there is none.
fn read(path: &std::path::Path) -> bartizan::model::Model {
    let file = bartizan::store::read_model(path, &bartizan::syntax::Limits::default())
        .unwrap_or_else(|error| {
            eprintln!("{}: {error}", path.display());
            std::process::exit(3)
        });
    file.parsed.model.unwrap_or_else(|| {
        eprintln!("{}: not a model that reads", path.display());
        std::process::exit(2)
    })
}

fn main() {
    bartizan::allocator::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let nodes: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let shape = match option("--shape") {
        Some(name) => shapes::Shape::from_name(name).unwrap_or_else(|| {
            eprintln!("unknown shape `{name}`: estate, hub, chain, dense or star");
            std::process::exit(3)
        }),
        None => shapes::Shape::Estate,
    };

    let started = Instant::now();
    let model = match option("--read") {
        Some(path) => read(std::path::Path::new(path)),
        None => shape.generate(nodes),
    };
    let generated = started.elapsed();
    if let Some(path) = option("--write") {
        bartizan::store::write_model(std::path::Path::new(path), &model)
            .expect("the model is written");
    }
    let pipeline_cpu_started = thread_cpu_time();
    let started = Instant::now();
    let graph = ModelGraph::new(&model);
    let built = started.elapsed();
    let started = Instant::now();
    let findings = bartizan::rules::run(&graph);
    let checked = started.elapsed();
    let finding_count = findings.len();
    let started = Instant::now();
    let assessment = bartizan::risks::from_findings(&graph, findings);
    let grouped = started.elapsed();
    let pipeline_cpu = thread_cpu_time() - pipeline_cpu_started;
    if args.iter().any(|a| a == "--per-check") {
        let context = bartizan::rules::CheckContext::new(&graph);
        for rule in bartizan::rules::ALL {
            let (started, cpu_started) = (Instant::now(), thread_cpu_time());
            let count = (rule.check)(&context).len();
            println!(
                "  {} {:>8.3} s (CPU {:.3} s)  {count} findings",
                rule.id,
                started.elapsed().as_secs_f64(),
                (thread_cpu_time() - cpu_started).as_secs_f64()
            );
        }
    }
    println!(
        "{} {} nodes, {} edges: {} in {:.3} s, graph {:.3} s, {} checks {:.3} s, risks {:.3} s (CPU {:.3} s \
         in all); {} findings, {} risks, {} questions, peak memory {} MiB",
        option("--read").map_or(shape.name(), String::as_str),
        model.nodes.len(),
        model.edges.len(),
        if option("--read").is_some() {
            "read"
        } else {
            "generated"
        },
        generated.as_secs_f64(),
        built.as_secs_f64(),
        bartizan::rules::ALL.len(),
        checked.as_secs_f64(),
        grouped.as_secs_f64(),
        pipeline_cpu.as_secs_f64(),
        finding_count,
        assessment.risks.len(),
        assessment.questions.len(),
        peak_memory_kib().map_or("?".into(), |k| (k / 1024).to_string())
    );
}
