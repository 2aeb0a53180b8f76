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

/// Strings that stress the writer: every combination of a leading part, a middle and a
/// trailing part, among newlines, spaces, tabs, comment and mapping indicators, quotes,
/// carriage returns and non-ASCII text.
fn tricky_strings() -> Vec<String> {
    let leading = ["", " ", "  ", "\t", "\n", "\n\n", "# ", "- ", "'", "\""];
    let middle = [
        "",
        "a",
        "é😀",
        "a: b",
        "a #b",
        "a\nb",
        "a\n\nb",
        "a\n  b",
        "a \nb",
        "a\n \nb",
        "a\n\tb",
        "a\r\nb",
        "a\rb",
        "'q' \"d\"",
        "a\n#b\n- c\n---",
        "\u{85}\u{2028}\u{a0}\u{feff}\u{7f}\u{80}",
    ];
    let trailing = [
        "", " ", "\t", ":", "\n", "\n\n", "\n\n\n", " \n", "\n ", "\n \n", "\n\t", "\r",
    ];
    let mut strings = Vec::new();
    for lead in leading {
        for mid in middle {
            for trail in trailing {
                strings.push(format!("{lead}{mid}{trail}"));
            }
        }
    }
    strings
}

/// A model holding `text` at the end of a section, in the middle of a mapping, in a list and
/// as a key.
fn model_holding(text: &str) -> bartizan::model::Model {
    let json = serde_json::json!({
        "bartizan": 1,
        "metadata": {"name": "Round trip", "description": text, "tags": [text, "x"]},
        "nodes": [
            {"id": "a", "kind": "agent", "name": "A", "description": text},
            {"id": "b", "kind": "agent", "name": "B", "description": text}
        ],
        "boundaries": [{"id": "zone", "name": "Zone", "zone": "corporate", "description": text, "members": ["a"]}],
        "layout": {"nodes": {text: {"x": 0, "y": 0}, "a": {"x": 1, "y": 1}}},
    });
    let parsed = parse(&json.to_string(), Format::Json);
    assert!(!parsed.has_errors(), "{text:?}: {:#?}", parsed.diagnostics);
    parsed.model.expect("a model")
}

#[test]
fn writing_is_the_identity_and_idempotent_for_tricky_strings() {
    use bartizan::syntax::{to_json, to_yaml};
    let mut failures = Vec::new();
    for text in tricky_strings() {
        let model = model_holding(&text);
        for (format, written) in [
            (Format::Yaml, to_yaml(&model)),
            (Format::Json, to_json(&model)),
        ] {
            let reread = parse(&written, format);
            match reread.model.as_ref() {
                Some(reread_model) if !reread.has_errors() && *reread_model == model => {
                    let rewritten = match format {
                        Format::Yaml => to_yaml(reread_model),
                        Format::Json => to_json(reread_model),
                    };
                    if rewritten != written {
                        failures.push(format!("{format:?} {text:?}: not idempotent"));
                    }
                }
                _ => failures.push(format!(
                    "{format:?} {text:?}: does not read back:\n{written}\n{:?}",
                    reread.diagnostics.first().map(|d| &d.message)
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fmt_of_every_example_is_idempotent_in_both_formats() {
    use bartizan::syntax::{to_json, to_yaml};
    for path in common::example_models() {
        let source = std::fs::read_to_string(&path).unwrap();
        let model = parse(&source, Format::from_path(&path)).model.unwrap();
        for (format, written) in [
            (Format::Yaml, to_yaml(&model)),
            (Format::Json, to_json(&model)),
        ] {
            let reread = parse(&written, format).model.unwrap();
            assert_eq!(reread, model, "{}: {format:?}", path.display());
            let rewritten = match format {
                Format::Yaml => to_yaml(&reread),
                Format::Json => to_json(&reread),
            };
            assert_eq!(rewritten, written, "{}: {format:?}", path.display());
        }
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[test]
fn a_late_problem_in_a_wide_yaml_mapping_is_located() {
    let mut source = String::from("bartizan: 1\nmetadata:\n  name: Wide\nnodes:\n");
    for index in 0..50_000 {
        source.push_str(&format!("  - {{id: a{index}, kind: agent, name: Ä}}\n"));
    }
    source.push_str("layout:\n  nodes:\n");
    for index in 0..50_000 {
        source.push_str(&format!("    a{index}: {{x: 0, y: 0}}\n"));
    }
    source.push_str("    a49999: {x: 1, y: 1}\n");
    let parsed = parse(&source, Format::Yaml);
    let duplicate = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-key")
        .expect("the repeated key is reported");
    let location = duplicate.location.unwrap();
    let repeat = source.rfind("a49999").unwrap();
    assert_eq!(
        (location.line, location.column),
        line_and_column(&source, repeat)
    );
    let first = duplicate.related[0].location.unwrap();
    assert_eq!(first.start, source.find("    a49999:").unwrap() + 4);
}

#[test]
fn a_late_problem_in_one_line_json_is_located() {
    let mut nodes: Vec<serde_json::Value> = (0..20_000)
        .map(|index| serde_json::json!({"id": format!("n{index}"), "kind": "agent", "name": "Zürich ☃"}))
        .collect();
    nodes.push(serde_json::json!({"id": "late", "kind": "agnet", "name": "Late"}));
    nodes.push(serde_json::json!({"id": "n7", "kind": "agent", "name": "Again", "name": "x"}));
    let source =
        serde_json::json!({"bartizan": 1, "metadata": {"name": "One line"}, "nodes": nodes})
            .to_string()
            .replace(
                r#""id":"n7","kind":"agent","name":"x""#,
                r#""id":"n7","kind":"agent","name":"Again","name":"x""#,
            );
    assert!(!source.contains('\n'));
    let parsed = parse(&source, Format::Json);
    let kind = diagnostic_at(&parsed, "nodes[20000].kind")
        .location
        .unwrap();
    let at = source.find(r#""agnet""#).unwrap();
    assert_eq!((kind.line, kind.column), line_and_column(&source, at));
    assert_eq!(&source[kind.start..kind.end], r#""agnet""#);
    let duplicate_key = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-key")
        .expect("the repeated key is reported")
        .location
        .unwrap();
    assert_eq!(
        (duplicate_key.line, duplicate_key.column),
        line_and_column(&source, source.rfind(r#""name":"x""#).unwrap())
    );
    let duplicate_id = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-id")
        .expect("the repeated id is reported")
        .location
        .unwrap();
    assert_eq!(duplicate_id.start, source.rfind(r#""n7""#).unwrap());
}

/// Problems late in a long list are all found, up to the cap, each where it is.
#[test]
fn many_late_problems_in_a_long_list_are_each_located() {
    let mut nodes: Vec<serde_json::Value> = (0..5_000)
        .map(|index| serde_json::json!({"id": format!("n{index}"), "kind": "agent", "name": "N"}))
        .collect();
    nodes.extend(
        (0..600).map(
            |index| serde_json::json!({"id": format!("e{index}"), "kind": "agnet", "name": "E"}),
        ),
    );
    let source = serde_json::json!({"bartizan": 1, "metadata": {"name": "Late"}, "nodes": nodes})
        .to_string();
    let parsed = parse(&source, Format::Json);
    let limits = Limits::default();
    assert_eq!(parsed.diagnostics.len(), limits.max_diagnostics);
    for (index, diagnostic) in parsed.diagnostics.iter().enumerate() {
        assert_eq!(diagnostic.code, "invalid-value");
        assert_eq!(
            diagnostic.path.as_ref().unwrap().to_string(),
            format!("nodes[{}].kind", 5_000 + index)
        );
    }
}
