//! `cargo bench --bench report`: the PDF report of a synthetic agent estate of about 500 nodes
//! and a few hundred risks — the rendering alone (from a check run), and the whole of what the desktop
//! app's export does (read the model text, run the checks, apply triage, render).

use std::time::Duration;

use bartizan::report::pdf::PdfOptions;
use bartizan::report::{self, CheckRun};
use bartizan::syntax::{Format, Limits, parse_model};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "generator.rs"]
mod generator;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

/// Nodes asked of the generator: it makes 523 nodes (whole teams) and 2,550 edges.
const NODES: usize = 510;

fn report(c: &mut Criterion) {
    let generated = generator::generate(NODES, 5, 7);
    let yaml = bartizan::syntax::to_yaml(&generated);
    let parsed = parse_model(&yaml, Format::Yaml, &Limits::default());
    let model = parsed
        .valid_model()
        .expect("the generator makes valid models");
    let run = CheckRun::new(
        model,
        "estate.bartizan.yaml".to_owned(),
        report::content_hash(yaml.as_bytes()),
        parsed.locations(&yaml),
        None,
    );
    let options = PdfOptions {
        generated_at: 1_795_624_800,
        audit: None,
    };
    let pdf = run.render_pdf(&options);
    let label = format!(
        "{}n-{}e-{}risks",
        model.nodes.len(),
        model.edges.len(),
        run.risks.len()
    );
    let pages = lopdf::Document::load_mem(&pdf)
        .expect("the report is a PDF")
        .get_pages()
        .len();
    eprintln!(
        "report: {} nodes, {} edges, {} risks, {} open questions -> {} KiB of PDF, {pages} pages",
        model.nodes.len(),
        model.edges.len(),
        run.risks.len(),
        run.questions.len(),
        pdf.len() / 1024
    );

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_with_input(BenchmarkId::new("pdf", &label), &run, |b, run| {
        b.iter(|| run.render_pdf(&options))
    });
    group.bench_with_input(
        BenchmarkId::new("checks+pdf", &label),
        &(&yaml, &parsed),
        |b, (yaml, parsed)| {
            b.iter(|| {
                bartizan::analysis::render_pdf(yaml, parsed, "estate.bartizan.yaml", &options)
                    .expect("valid")
            })
        },
    );
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
