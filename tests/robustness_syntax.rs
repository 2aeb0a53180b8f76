//! The readers and writers on awkward text: escapes next to non-ASCII characters, characters
//! a file may not hold, very wide documents, round trips of tricky strings.

mod common;

use bartizan::diagnostic::{Diagnostic, render};
use bartizan::syntax::{Format, Limits, Parsed, parse_model};

fn parse(source: &str, format: Format) -> Parsed {
    parse_model(source, format, &Limits::default())
}

/// The diagnostic whose field path is `path`.
fn diagnostic_at<'a>(parsed: &'a Parsed, path: &str) -> &'a Diagnostic {
    parsed
        .diagnostics
        .iter()
        .find(|d| d.path.as_ref().is_some_and(|p| p.to_string() == path))
        .unwrap_or_else(|| panic!("no diagnostic at {path}: {:#?}", parsed.diagnostics))
}

/// A YAML model whose second node has `kind: {written}` (not a kind, so it is underlined),
/// after a block of non-ASCII text that throws yaml-rust2's own character count off.
fn yaml_with_kind(written: &str) -> String {
    format!(
        "bartizan: 1\nmetadata:\n  name: Spans\nnodes:\n  - id: first\n    kind: agent\n    name: First\n    description: |\n      Zürich — Genève\n      ünïcödé\n  - id: second\n    kind: {written}\n    name: Second\n"
    )
}

fn json_with_kind(written: &str) -> String {
    format!(
        "{{\"bartizan\": 1, \"metadata\": {{\"name\": \"Zürich\"}}, \"nodes\": [\n  {{\"id\": \"first\", \"kind\": \"agent\", \"name\": \"é\"}},\n  {{\"id\": \"second\", \"kind\": {written}, \"name\": \"Second\"}}\n]}}\n"
    )
}

/// The underline of `nodes[1].kind` is exactly `underlined`, where it is written, and every
/// diagnostic renders.
fn assert_underlined(source: &str, format: Format, underlined: &str) {
    let parsed = parse(source, format);
    let diagnostic = diagnostic_at(&parsed, "nodes[1].kind");
    let location = diagnostic.location.expect("located");
    let start = source
        .find(underlined)
        .unwrap_or_else(|| panic!("{underlined:?} is not in the source"));
    assert_eq!(
        source.get(location.start..location.end),
        Some(underlined),
        "{source}"
    );
    assert_eq!(location.start, start, "{source}");
    let line_start = source[..start].rfind('\n').map_or(0, |n| n + 1);
    assert_eq!(
        (location.line, location.column),
        (
            source[..start].matches('\n').count() + 1,
            source[line_start..start].chars().count() + 1
        ),
        "{source}"
    );
    let text = render(&parsed.diagnostics, source, "model", false);
    assert!(text.contains("is not a valid node kind"), "{text}");
}

#[test]
fn yaml_spans_are_the_value_as_written() {
    for (written, underlined) in [
        (r#""\t\té""#, r#""\t\té""#),
        (r#""\n\nü😀""#, r#""\n\nü😀""#),
        (r#""\u00e9é""#, r#""\u00e9é""#),
        (r#""\x41\\é\"""#, r#""\x41\\é\"""#),
        (
            r#""é\
      ü""#,
            r#""é\"#,
        ),
        ("\"é\n      ü\"", "\"é"),
        ("'it''s é'", "'it''s é'"),
        (r"'\té'", r"'\té'"),
        ("café über", "café über"),
        ("é\tü", "é\tü"),
        ("|\n      é\tü\n      x", "é\tü"),
        ("|-\n      ü😀", "ü😀"),
        (">+\n      ü x\n      y\n", "ü x"),
    ] {
        assert_underlined(&yaml_with_kind(written), Format::Yaml, underlined);
    }
}

#[test]
fn json_spans_are_the_value_as_written() {
    for written in [
        r#""\t\té""#,
        r#""\u00e9é""#,
        r#""\ud83d\ude00é""#,
        r#""\"é\\""#,
        r#""\/é""#,
        r#""ü\nü""#,
        "12",
        "true",
    ] {
        assert_underlined(&json_with_kind(written), Format::Json, written);
        let one_line = json_with_kind(written).replace('\n', "");
        assert_underlined(&one_line, Format::Json, written);
    }
}

/// A valid model with a warning pointing at an escaped key followed by non-ASCII text: the
/// warning is printed and `check` carries on.
#[test]
fn check_prints_a_warning_on_an_escaped_value() {
    let directory = tempfile::tempdir().unwrap();
    for (name, model) in [
        (
            "escaped.bartizan.yaml",
            "bartizan: 1\nmetadata:\n  name: x\nnodes:\n  - id: a\n    kind: agent\n    name: A\nlayout:\n  nodes:\n    \"\\t\\té\": {x: 0, y: 0}\n",
        ),
        (
            "escaped.bartizan.json",
            "{\"bartizan\": 1, \"metadata\": {\"name\": \"x\"}, \"nodes\": [{\"id\": \"a\", \"kind\": \"agent\", \"name\": \"A\"}], \"layout\": {\"nodes\": {\"\\t\\té\": {\"x\": 0, \"y\": 0}}}}",
        ),
    ] {
        let path = directory.path().join(name);
        std::fs::write(&path, model).unwrap();
        let output = common::bartizan(&["check", path.to_str().unwrap()]);
        let all = format!(
            "{}{}",
            common::stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(output.status.code(), Some(0), "{name}: {all}");
        assert!(all.contains("warning[stale-layout]"), "{name}: {all}");
        assert!(all.contains(r#""\t\té""#), "{name}: {all}");
    }
}
