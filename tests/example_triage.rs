//! The examples' triage decisions are about the risks they report. Decisions recorded before
//! risks were keyed by finding fingerprints; `BARTIZAN_BLESS=1 cargo test --test
//! example_triage -- --nocapture` moves each onto the risk whose facets hold its finding when
//! the decisions cover every facet of that risk (merging several into the most considered),
//! drops the rest, says on stderr what it dropped and why, and rewrites
//! `models/*.bartizan.yaml` in canonical form. A decision about part of a risk is dropped
//! rather than widened to the whole risk: restate it about the risk, or as a fact in the model.

mod common;

use bartizan::findings::move_onto_risks;
use bartizan::graph::ModelGraph;
use bartizan::syntax::{Format, Limits, parse_model, to_yaml};

#[test]
fn every_example_decision_is_about_a_current_risk() {
    let bless = std::env::var_os("BARTIZAN_BLESS").is_some();
    let mut problems = Vec::new();
    for path in common::example_models() {
        let source = std::fs::read_to_string(&path).unwrap();
        let parsed = parse_model(&source, Format::from_path(&path), &Limits::default());
        let mut model = parsed.valid_model().expect("the example is valid").clone();
        let risks = bartizan::risks::assess(&ModelGraph::new(&model)).risks;
        let moved = move_onto_risks(&risks, &model.triage);
        let name = common::relative(&path);
        if bless {
            for decision in &moved.dropped {
                eprintln!(
                    "{name}: dropped {} ({:?}): it is about no current risk",
                    decision.fingerprint, decision.status
                );
            }
            for (decision, risk) in &moved.partial {
                eprintln!(
                    "{name}: dropped {} ({:?}): it decides only some facets of {risk}",
                    decision.fingerprint, decision.status
                );
            }
            for decision in &moved.merged {
                eprintln!(
                    "{name}: merged {} ({:?}) into another decision about its risk",
                    decision.fingerprint, decision.status
                );
            }
            if moved.decisions != model.triage {
                model.triage = moved.decisions;
                std::fs::write(&path, to_yaml(&model)).unwrap();
            }
        } else if moved.decisions != model.triage {
            problems.push(format!(
                "{name}: {} decision(s) are not keyed by a current risk ({} about none, {} about part of one, {} merged)",
                model
                    .triage
                    .iter()
                    .filter(|d| !risks.iter().any(|r| r.fingerprint == d.fingerprint))
                    .count(),
                moved.dropped.len(),
                moved.partial.len(),
                moved.merged.len()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nrun `BARTIZAN_BLESS=1 cargo test --test example_triage` and review the rewrite",
        problems.join("\n")
    );
}
