//! Hostile files are refused quickly with a clear message, never a hang or a crash.

mod common;

use std::io::Write;

fn write_temp(name: &str, contents: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(contents)
        .unwrap();
    let path = path.display().to_string();
    (dir, path)
}

#[test]
fn a_50_mb_file_is_refused_by_size_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.bartizan.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let output = common::bartizan(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let text = common::stdout(&output);
    assert!(text.contains("error[size-limit]"), "{text}");
    assert!(text.contains("the file is 52428800 bytes"), "{text}");
}

#[test]
fn a_billion_laughs_alias_bomb_is_refused() {
    let mut yaml = String::from(
        "bartizan: 1\nmetadata:\n  name: bomb\n  tags: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    yaml.push_str("x:\n");
    for level in 1..=9 {
        let previous = level - 1;
        let refs = vec![format!("*l{previous}"); 10].join(", ");
        yaml.push_str(&format!("  l{level}: &l{level} [{refs}]\n"));
    }
    let (_dir, path) = write_temp("bomb.bartizan.yaml", yaml.as_bytes());
    let output = common::bartizan(&["validate", &path]);
    assert_eq!(output.status.code(), Some(2));
    let text = common::stdout(&output);
    assert!(text.contains("error[alias-limit]"), "{text}");
}

#[test]
fn deep_nesting_is_refused_in_yaml_and_json() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for name in ["deep.bartizan.yaml", "deep.bartizan.json"] {
        let (_dir, path) = write_temp(name, deep.as_bytes());
        let output = common::bartizan(&["validate", &path]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let text = common::stdout(&output);
        assert!(text.contains("error[depth-limit]"), "{name}: {text}");
    }
}

#[test]
fn a_binary_file_is_refused_as_not_utf8() {
    let (_dir, path) = write_temp(
        "binary.bartizan.yaml",
        b"bartizan: 1\nmetadata:\n  name: \xff\xfe\n",
    );
    let output = common::bartizan(&["validate", &path]);
    assert_eq!(output.status.code(), Some(2));
    let text = common::stdout(&output);
    assert!(text.contains("error[encoding]"), "{text}");
    assert!(text.contains("line 3, column 9"), "{text}");
}

#[test]
fn many_errors_stop_at_the_diagnostic_cap() {
    let mut yaml = String::from("bartizan: 1\nmetadata:\n  name: many\nnodes:\n");
    for index in 0..2_000 {
        yaml.push_str(&format!("  - id: n{index}\n    kind: agnt\n    name: N\n"));
    }
    let (_dir, path) = write_temp("many.bartizan.yaml", yaml.as_bytes());
    let output = common::bartizan(&["validate", "--format", "json", &path]);
    assert_eq!(output.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = report["files"][0]["errors"].as_u64().unwrap();
    assert_eq!(errors, 500);
}
