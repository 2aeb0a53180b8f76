//! The fuzz targets' properties (`bartizan::robustness`) on the seed corpus (the example
//! models and the fixtures, in YAML and JSON) and on every input a fuzzer found, saved under
//! `tests/fixtures/fuzz/<target>/`: the cheap run of the fuzz targets that needs no fuzzer.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use bartizan::robustness::{Property, TARGETS, seed_corpus};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `target` on each input and fails with the name of every input that panicked.
fn replay(target: &str, property: Property, inputs: &[(String, Vec<u8>)]) {
    let failed: Vec<&str> = inputs
        .iter()
        .filter(|(_, bytes)| panic::catch_unwind(AssertUnwindSafe(|| property(bytes))).is_err())
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        failed.is_empty(),
        "{target} fails on {} of {} inputs: {failed:#?}",
        failed.len(),
        inputs.len()
    );
}

fn fixture_dir() -> PathBuf {
    root().join("tests/fixtures/fuzz")
}

fn saved_inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixture_dir().join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(String, Vec<u8>)> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = format!("{target}/{}", path.file_name().unwrap().to_string_lossy());
            (name, std::fs::read(&path).expect("a saved input reads"))
        })
        .collect();
    inputs.sort();
    inputs
}

/// Runs one target on every seed (one test per target, so that they run in parallel).
fn holds_on_the_seed_corpus(target: &str) {
    let (_, property) = TARGETS
        .into_iter()
        .find(|(name, _)| *name == target)
        .expect("a fuzz target");
    let mut seeds = seed_corpus(root());
    if target == "pdf_writer" {
        // A model written in the other format is the same model: its report is drawn from
        // the original already, and drawing is the slow part.
        seeds.retain(|(name, _)| !name.contains(".as."));
    }
    replay(target, property, &seeds);
}

#[test]
fn the_seed_corpus_has_each_model_in_both_formats() {
    let seeds = seed_corpus(root());
    for model in [
        "models__customer-support.bartizan.yaml",
        "tests__fixtures__invalid__several-errors.bartizan.json",
    ] {
        assert!(
            seeds.iter().any(|(name, _)| name == model),
            "{model} is a seed"
        );
    }
    assert!(
        seeds
            .iter()
            .any(|(name, _)| name == "models__customer-support.bartizan.yaml.as.json"),
        "the JSON form of a YAML model is a seed"
    );
}

#[test]
fn yaml_reader_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("yaml_reader");
}

#[test]
fn json_reader_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("json_reader");
}

#[test]
fn check_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("check");
}

#[test]
fn fmt_round_trip_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("fmt_round_trip");
}

#[test]
fn pdf_writer_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("pdf_writer");
}

#[test]
fn diagnostics_holds_on_the_seed_corpus() {
    holds_on_the_seed_corpus("diagnostics");
}

#[test]
fn every_target_holds_on_the_inputs_fuzzing_found() {
    for (target, property) in TARGETS {
        replay(target, property, &saved_inputs(target));
    }
}

/// Each property has its fuzz target (a binary in `fuzz/Cargo.toml` and its file), and each
/// folder of saved inputs is named for a target.
#[test]
fn the_fuzz_targets_are_the_properties() {
    let mut properties: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    properties.sort();

    let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut binaries: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .filter(|name| *name != "bartizan-fuzz")
        .collect();
    binaries.sort();
    assert_eq!(binaries, properties, "the binaries of fuzz/Cargo.toml");

    for name in &properties {
        let source = std::fs::read_to_string(root().join(format!("fuzz/fuzz_targets/{name}.rs")))
            .unwrap_or_else(|e| panic!("fuzz/fuzz_targets/{name}.rs: {e}"));
        assert!(
            source.contains(&format!("bartizan::robustness::{name}(data)")),
            "fuzz/fuzz_targets/{name}.rs calls robustness::{name}"
        );
    }

    if let Ok(entries) = std::fs::read_dir(fixture_dir()) {
        for entry in entries {
            let folder = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                properties.contains(&folder.as_str()),
                "tests/fixtures/fuzz/{folder} is not named for a fuzz target"
            );
        }
    }
}
