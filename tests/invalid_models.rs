//! Golden tests for invalid model files: each file in `tests/fixtures/invalid/` is broken in
//! one named way (its first line says how), and `bartizan validate` must reject it with exit
//! code 2 and exactly the diagnostics in its snapshot (`tests/snapshots/`), where each
//! snapshot also shows the file it was made from.
//!
//! After a deliberate change to a message, review and accept the new output with
//! `INSTA_UPDATE=always cargo test --test invalid_models`, then read the changed snapshots.

use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURES: &str = "tests/fixtures/invalid";

/// The fixtures' paths relative to the repository root, sorted.
fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(FIXTURES))
        .expect("tests/fixtures/invalid exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| {
            let name = file_name(path);
            name.ends_with(".bartizan.yaml") || name.ends_with(".bartizan.json")
        })
        .map(|path| Path::new(FIXTURES).join(path.file_name().expect("a file")))
        .collect();
    files.sort();
    assert!(
        files.len() >= 18,
        "expected at least 18 fixtures, found {}",
        files.len()
    );
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned()
}

/// `several-errors.bartizan.yaml` → `several-errors.yaml`, so YAML and JSON twins differ.
fn snapshot_name(path: &Path) -> String {
    file_name(path).replace(".bartizan.", ".")
}

/// Runs `bartizan validate --color never [ARGS] FILE` from the repository root, so the paths
/// in the output are the relative ones given.
fn validate(file: &Path, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "--color", "never"])
        .args(extra)
        .arg(file)
        .output()
        .expect("bartizan runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .expect("readable fixture")
}

/// Checks what a snapshot cannot show at a glance: every error has a `--> file:LINE:COL` that
/// lies inside the file, and the summary counts every error printed.
fn check_positions(file: &Path, source: &str, stdout: &str) {
    let path = file.display().to_string();
    let has_position = !file_name(file).starts_with("empty-file");
    let lines: Vec<&str> = source.split('\n').collect();
    let blocks: Vec<&str> = stdout
        .split("\n\n")
        .filter(|block| block.starts_with("error["))
        .collect();
    assert!(!blocks.is_empty(), "{path}: no error reported:\n{stdout}");
    for block in &blocks {
        let arrow = block
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("--> "))
            .unwrap_or_else(|| panic!("{path}: no `-->` line in\n{block}"));
        if !has_position {
            assert_eq!(arrow, path, "{path}: expected no position in\n{block}");
            continue;
        }
        let position = arrow
            .strip_prefix(&format!("{path}:"))
            .unwrap_or_else(|| panic!("{path}: `--> {arrow}` does not name the file"));
        let (line, column) = position
            .split_once(':')
            .and_then(|(line, column)| {
                Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
            })
            .unwrap_or_else(|| panic!("{path}: `--> {arrow}` has no LINE:COL"));
        assert!(
            (1..=lines.len()).contains(&line),
            "{path}: line {line} is outside the file"
        );
        let width = lines[line - 1].chars().count();
        assert!(
            (1..=width + 1).contains(&column),
            "{path}: column {column} is outside line {line} ({width} characters)"
        );
    }
    let summary = stdout.lines().last().unwrap_or_default();
    let errors = if blocks.len() == 1 {
        "1 error".to_owned()
    } else {
        format!("{} errors", blocks.len())
    };
    assert_eq!(
        summary,
        format!("{path}: invalid: {errors}"),
        "{path}: summary"
    );
}

/// Each snapshot names its fixture and, for YAML, says what is wrong (the fixture's first line).
fn snapshot_settings(file: &Path, source: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_input_file(file);
    settings.set_omit_expression(true);
    let source = source.trim_start_matches('\u{feff}');
    if let Some(what) = source
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("# "))
    {
        settings.set_description(what);
    }
    settings
}

#[test]
fn every_invalid_fixture_is_rejected_with_its_golden_diagnostics() {
    let mut failed = Vec::new();
    for file in fixtures() {
        let source = read(&file);
        let name = file_name(&file);
        if name.ends_with(".yaml") {
            let first_line = source.trim_start_matches('\u{feff}');
            assert!(
                first_line.starts_with("# "),
                "{name}: the first line says what is wrong, as `# ...`"
            );
        }
        let output = validate(&file, &[]);
        let stdout = text(&output.stdout);
        // Run every fixture before failing, so one run writes every changed snapshot.
        let result = std::panic::catch_unwind(|| {
            assert_eq!(output.status.code(), Some(2), "{name}: exit code\n{stdout}");
            assert_eq!(text(&output.stderr), "", "{name}: nothing on stderr");
            check_positions(&file, &source, &stdout);
            snapshot_settings(&file, &source).bind(|| {
                insta::assert_snapshot!(snapshot_name(&file), stdout);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "fixtures whose output changed or is wrong: {failed:?}"
    );
}

/// The machine-readable report of a file with many problems: every one, each with its
/// line, column and field path.
fn json_report(file: &str) {
    let file = Path::new(FIXTURES).join(file);
    let output = validate(&file, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON report");
    let entry = &report["files"][0];
    assert_eq!(entry["path"], file.display().to_string());
    assert_eq!(entry["valid"], false);
    let diagnostics = entry["diagnostics"]
        .as_array()
        .expect("a list of diagnostics");
    assert!(diagnostics.len() >= 5, "{stdout}");
    assert_eq!(
        entry["errors"],
        diagnostics
            .iter()
            .filter(|d| d["severity"] == "error")
            .count()
    );
    for diagnostic in diagnostics {
        for field in ["code", "message", "path", "line", "column"] {
            assert!(!diagnostic[field].is_null(), "no `{field}` in {diagnostic}");
        }
    }
    snapshot_settings(&file, &read(&file)).bind(|| {
        insta::assert_snapshot!(format!("json-report__{}", snapshot_name(&file)), stdout);
    });
}

#[test]
fn json_report_of_a_yaml_file_with_several_errors() {
    json_report("several-errors.bartizan.yaml");
}

#[test]
fn json_report_of_a_json_file_with_several_errors() {
    json_report("several-errors.bartizan.json");
}
