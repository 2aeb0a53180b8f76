//! The benchmark shapes (hub, chain, dense, star) are valid models, and what the checks report
//! on them grows with the model, not with its square: evidence names a few and counts the
//! rest, and a long path keeps its ends.

use bartizan::findings::{PATH_HEAD, PATH_TAIL};
use bartizan::graph::ModelGraph;
use bartizan::model::Model;

#[path = "../bench/generator.rs"]
mod generator;
#[path = "../bench/shapes.rs"]
mod shapes;

use shapes::Shape;

fn assess(model: &Model) -> bartizan::risks::Assessment {
    let diagnostics = bartizan::validate::validate(model);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", model.metadata.name);
    bartizan::risks::assess(&ModelGraph::new(model))
}

/// The report's size in bytes, as `check --format json` would write it.
fn report_size(model: &Model) -> usize {
    let run = bartizan::report::CheckRun::new(
        model,
        "model.bartizan.yaml".into(),
        String::new(),
        Default::default(),
        None,
    );
    run.render(bartizan::report::Format::Json, false).len()
}

#[test]
fn every_shape_is_a_valid_model_of_the_size_asked() {
    for shape in Shape::ALL {
        let model = shape.generate(1_000);
        assert!(
            (1_000..1_100).contains(&model.nodes.len()),
            "{}: {} nodes",
            shape.name(),
            model.nodes.len()
        );
        assert!(!assess(&model).risks.is_empty(), "{}", shape.name());
        assert_eq!(
            model,
            shape.generate(1_000),
            "{} is deterministic",
            shape.name()
        );
    }
}

#[test]
fn the_report_grows_with_the_model_on_every_shape() {
    for shape in Shape::ALL {
        let small = report_size(&shape.generate(1_000));
        let large = report_size(&shape.generate(4_000));
        // Four times the model: about four times the report, never sixteen.
        let ratio = large as f64 / small as f64;
        assert!(
            (3.0..5.0).contains(&ratio),
            "{}: the report grew {ratio:.1}× for 4× the model ({small} → {large} bytes)",
            shape.name()
        );
    }
}

#[test]
fn evidence_names_a_few_and_counts_the_rest() {
    // Behind the hub's shared gateway every agent reaches every tool.
    let model = Shape::Hub.generate(2_000);
    let assessment = assess(&model);
    let fan_out: Vec<_> = assessment
        .risks
        .iter()
        .flat_map(|risk| &risk.facets)
        .filter(|f| f.rule == "BTZ-RES-001")
        .collect();
    assert!(!fan_out.is_empty());
    for finding in fan_out {
        assert!(
            finding
                .title
                .contains("can drive at least 20 high-impact tools"),
            "{}",
            finding.title
        );
        let unlimited = finding
            .evidence
            .iter()
            .find(|e| e.starts_with("unlimited: "))
            .unwrap();
        assert!(unlimited.ends_with(" and more"), "{unlimited}");
        assert_eq!(
            unlimited.matches('`').count(),
            10,
            "five tools named: {unlimited}"
        );
    }
}

#[test]
fn a_long_path_keeps_its_ends_and_counts_what_it_leaves_out() {
    let model = Shape::Chain.generate(1_000);
    let assessment = assess(&model);
    let deepest = assessment
        .risks
        .iter()
        .flat_map(|risk| &risk.facets)
        .filter(|f| f.rule == "BTZ-INP-001")
        .max_by_key(|f| f.path.iter().map(|s| 1 + s.elided).sum::<usize>())
        .unwrap();
    let path = &deepest.path;
    assert_eq!(path.len(), PATH_HEAD + PATH_TAIL);
    assert_eq!(path[0].node, "inbound");
    assert!(path.last().unwrap().node.ends_with("-tool"));
    let gap = &path[PATH_HEAD];
    // The chain has 200 agents, each a hop further from the inbound channel.
    assert!(gap.elided > 190, "{} left out", gap.elided);
    assert!(path.iter().filter(|s| s.elided > 0).count() == 1);
    let line = bartizan::report::path_line(path);
    let gap_words = format!(" … {} more …", bartizan::report::plural_steps(gap.elided));
    assert!(line.contains(&gap_words), "{line}");
}

#[test]
fn the_ends_of_a_long_witness_show_as_the_whole_witness_does() {
    use bartizan::graph::Traversal;
    use bartizan::rules::{CheckContext, is_capability_edge};
    let model = Shape::Chain.generate(500);
    let graph = ModelGraph::new(&model);
    let context = CheckContext::new(&graph);
    let first = graph.index_of("a0").unwrap();
    let search = graph.search(&[first], &Traversal::forward(&is_capability_edge));
    for depth in [0, 1, 5, 9, 10, 11, 12, 13, 40, 99] {
        let agent = graph.index_of(&format!("a{depth}")).unwrap();
        let whole = search.witness(agent).unwrap();
        let ends = search.witness_ends(agent).unwrap();
        // Leaving out one node would save nothing: eleven nodes show whole.
        let shown = if whole.nodes.len() > PATH_HEAD + PATH_TAIL + 1 {
            PATH_HEAD + PATH_TAIL
        } else {
            whole.nodes.len()
        };
        assert_eq!(ends.nodes.len(), shown, "a{depth}");
        assert_eq!(ends.nodes.len() + ends.elided, whole.nodes.len());
        assert_eq!(context.steps(&ends), context.steps(&whole), "a{depth}");
    }
}
