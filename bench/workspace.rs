//! `cargo bench --bench workspace`: the workspace's `history` and `diff` on 1,000 revisions
//! of a synthetic estate of about 1,000 nodes, each revision changing a few nodes (agents'
//! autonomy, credentials' lifetime, descriptions) and now and then a triage decision.
//!
//! Building the workspace records 1,000 revisions (parse, check, store: about a minute in a
//! release build), so it is kept in `target/tmp/bench-workspace/` and reused while it holds
//! exactly those revisions; delete that folder to rebuild it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bartizan::model::{Autonomy, Lifetime, Model, NodeProperties, TriageDecision, TriageStatus};
use bartizan::store::workspace::Workspace;
use bartizan::store::workspace::migrations::SCHEMA_VERSION;
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "generator.rs"]
mod generator;

// The same allocator as the `bartizan` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: bartizan::allocator::MiMalloc = bartizan::allocator::MiMalloc;

const NODES: usize = 1_000;
const REVISIONS: u32 = 1_000;

/// Changes a few nodes of `model` for revision `number`, deterministically.
fn edit(model: &mut Model, number: u32, rng: &mut generator::Rng) {
    for _ in 0..3 {
        let index = rng.below(model.nodes.len());
        let node = &mut model.nodes[index];
        match &mut node.properties {
            NodeProperties::Agent(agent) => {
                agent.autonomy = Some(match agent.autonomy {
                    Some(Autonomy::Autonomous) => Autonomy::Supervised,
                    _ => Autonomy::Autonomous,
                });
            }
            NodeProperties::Secret(secret) => {
                secret.lifetime = Some(match secret.lifetime {
                    Some(Lifetime::Jit) => Lifetime::Standing,
                    _ => Lifetime::Jit,
                });
            }
            _ => node.description = Some(format!("Changed in revision {number}.")),
        }
    }
    if number.is_multiple_of(10) {
        model.triage.push(TriageDecision {
            fingerprint: format!("BTZ-CRD-001:{number:016x}"),
            rule: Some("BTZ-CRD-001".into()),
            status: TriageStatus::Accepted,
            justification: Some(format!("Accepted in revision {number}.")),
            by: Some("bench".into()),
            at: None,
        });
    }
}

/// The cached workspace and the model file it records, built when missing or incomplete.
fn workspace() -> (Workspace, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-workspace");
    let database = dir.join(format!("workspace-v{SCHEMA_VERSION}.sqlite3"));
    let model_path = dir.join("estate.bartizan.yaml");
    if model_path.exists()
        && let Ok(workspace) = Workspace::open(&database)
        && workspace.history(&model_path).map(|h| h.len()).ok() == Some(REVISIONS as usize)
    {
        return (workspace, model_path);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let started = Instant::now();
    let mut model = generator::generate(NODES, 5, 7);
    let mut rng = generator::Rng::new(11);
    let mut workspace = Workspace::open(&database).unwrap();
    for number in 1..=REVISIONS {
        if number > 1 {
            edit(&mut model, number, &mut rng);
        }
        let text = bartizan::syntax::to_yaml(&model);
        if number == 1 {
            bartizan::store::write_atomically(&model_path, text.as_bytes()).unwrap();
        }
        let outcome = workspace
            .record(
                &model_path,
                &text,
                "bench",
                1_795_000_000 + i64::from(number),
            )
            .unwrap();
        assert!(outcome.created, "revision {number} changes the model");
    }
    let size = std::fs::metadata(&database).map_or(0, |m| m.len());
    eprintln!(
        "built {} ({} nodes, {} edges, {REVISIONS} revisions, {} MiB) in {:.0?}",
        database.display(),
        model.nodes.len(),
        model.edges.len(),
        size / (1 << 20),
        started.elapsed()
    );
    (workspace, model_path)
}

fn history_and_diff(c: &mut Criterion) {
    let (workspace, model) = workspace();
    let latest = workspace.history(&model).unwrap().len() as u32;
    let diff = workspace.diff(&model, Some(1), None).unwrap();
    eprintln!(
        "first vs latest: risks +{} −{} ~{}, nodes ~{}",
        diff.risks.added.len(),
        diff.risks.resolved.len(),
        diff.risks.changed.len(),
        diff.elements.nodes.changed.len()
    );

    let mut group = c.benchmark_group("workspace");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("history (1,000 revisions)", |b| {
        b.iter(|| workspace.history(&model).unwrap())
    });
    group.bench_function("diff latest vs previous", |b| {
        b.iter(|| workspace.diff(&model, None, None).unwrap())
    });
    group.bench_function("diff first vs latest", |b| {
        b.iter(|| workspace.diff(&model, Some(1), Some(latest)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, history_and_diff);
criterion_main!(benches);
