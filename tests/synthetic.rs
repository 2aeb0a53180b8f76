//! The benchmark generator makes valid models of the requested size and density.

#[path = "../bench/generator.rs"]
mod generator;

#[test]
fn generated_models_are_valid_and_as_dense_as_asked() {
    let model = generator::generate(1_000, 5, 7);
    assert!(
        (975..=1_100).contains(&model.nodes.len()),
        "{} nodes",
        model.nodes.len()
    );
    assert!(model.edges.len() >= 4_500, "{} edges", model.edges.len());
    let diagnostics = bartizan::validate::validate(&model);
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let yaml = bartizan::syntax::to_yaml(&model);
    let parsed =
        bartizan::syntax::parse_model(&yaml, bartizan::syntax::Format::Yaml, &Default::default());
    assert!(!parsed.has_errors());
    assert_eq!(parsed.model.unwrap(), model);
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(
        generator::generate(500, 5, 7),
        generator::generate(500, 5, 7)
    );
    assert_ne!(
        generator::generate(500, 5, 7),
        generator::generate(500, 5, 8)
    );
}
