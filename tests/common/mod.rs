//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `models/` and `tests/fixtures/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example model, sorted by file name.
pub fn example_models() -> Vec<PathBuf> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(root().join("models"))
        .expect("models/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".bartizan.yaml") || name.ends_with(".bartizan.json")
        })
        .collect();
    models.sort();
    assert!(models.len() >= 7, "models/ holds at least seven examples");
    models
}

/// Runs the `bartizan` binary from the repository root, without colour.
pub fn bartizan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(root())
        .arg("--color")
        .arg("never")
        .args(args)
        .output()
        .expect("bartizan runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Checks that a generated file is current, or rewrites it when `BARTIZAN_BLESS` is set.
/// `test` names the test binary to rerun, for the message.
pub fn assert_generated(relative: &str, text: &str, test: &str) {
    let path = root().join(relative);
    if std::env::var_os("BARTIZAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(text),
            "{relative} is stale: run `BARTIZAN_BLESS=1 cargo test --test {test}`"
        );
    }
}
