//! Writing a model: deterministic YAML (and JSON) so that a saved file diffs cleanly in git.
//!
//! The key order is the order of the model's fields, list order is the model's, layout maps
//! are sorted; the same model always gives the same bytes. YAML is emitted here rather than
//! by a generic serializer to control quoting (a string that could read as a number, a
//! boolean or null is quoted), use flow style for short word lists, and keep multi-line
//! descriptions as literal blocks.

use serde_json::Value as Json;

use super::characters::is_yaml_printable;
use super::de::{parse_float, parse_integer};
use super::tree::is_null;
use crate::model::Model;

pub fn to_json(model: &Model) -> String {
    let mut text = serde_json::to_string_pretty(model).expect("a model serialises to JSON");
    text.push('\n');
    text
}

pub fn to_yaml(model: &Model) -> String {
    let value = serde_json::to_value(model).expect("a model serialises");
    let mut out = String::new();
    let Json::Object(sections) = value else {
        unreachable!("a model serialises to an object")
    };
    for (position, (key, value)) in sections.iter().enumerate() {
        if position > 1 {
            out.push('\n');
        }
        out.push_str(&key_text(key));
        out.push(':');
        write_value(&mut out, value, 0);
    }
    out
}

/// Writes what follows `key:`, starting on the key's line.
fn write_value(out: &mut String, value: &Json, indent: usize) {
    match value {
        Json::Object(map) if map.is_empty() => out.push_str(" {}\n"),
        Json::Array(items) if items.is_empty() => out.push_str(" []\n"),
        Json::Object(map) => {
            out.push('\n');
            write_entries(out, map.iter(), indent + 2);
        }
        Json::Array(items) => {
            if let Some(flow) = flow_list(items) {
                out.push(' ');
                out.push_str(&flow);
                out.push('\n');
            } else {
                out.push('\n');
                write_items(out, items, indent + 2);
            }
        }
        Json::String(text) if is_literal_block(text) => {
            // Clip (`|`) keeps one final newline, strip (`|-`) none.
            let chomping = if text.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!(" |{chomping}\n"));
            let body = text.strip_suffix('\n').unwrap_or(text);
            for line in body.split('\n') {
                if !line.is_empty() {
                    push_indent(out, indent + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

fn write_entries<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a String, &'a Json)>,
    indent: usize,
) {
    for (key, value) in entries {
        push_indent(out, indent);
        out.push_str(&key_text(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

fn write_items(out: &mut String, items: &[Json], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push('-');
        match item {
            Json::Object(map) if !map.is_empty() => {
                let mut entries = map.iter();
                let (key, value) = entries.next().expect("not empty");
                out.push(' ');
                out.push_str(&key_text(key));
                out.push(':');
                write_value(out, value, indent + 2);
                write_entries(out, entries, indent + 2);
            }
            Json::Array(inner) if !inner.is_empty() && flow_list(inner).is_none() => {
                out.push('\n');
                write_items(out, inner, indent + 2);
            }
            other => write_value(out, other, indent),
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `[read, write]` for short lists of simple words.
fn flow_list(items: &[Json]) -> Option<String> {
    let words: Option<Vec<String>> = items
        .iter()
        .map(|item| match item {
            Json::String(text) if is_flow_word(text) => Some(text.clone()),
            Json::Number(number) => Some(number.to_string()),
            Json::Bool(value) => Some(value.to_string()),
            _ => None,
        })
        .collect();
    let flow = format!("[{}]", words?.join(", "));
    (flow.len() <= 80).then_some(flow)
}

/// Plain text that also reads back unchanged inside `[...]`: no flow indicators.
fn is_flow_word(text: &str) -> bool {
    is_plain_safe(text) && !text.contains([',', '[', ']', '{', '}', '#', '"', '\''])
}

fn key_text(key: &str) -> String {
    if is_plain_safe(key) {
        key.to_owned()
    } else {
        quoted(key)
    }
}

fn scalar_text(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(value) => value.to_string(),
        Json::Number(number) => number.to_string(),
        Json::String(text) if is_plain_safe(text) => text.clone(),
        Json::String(text) => quoted(text),
        Json::Array(_) | Json::Object(_) => unreachable!("collections are written as blocks"),
    }
}

/// A double-quoted YAML string; JSON string escaping is valid YAML. JSON leaves DEL, the C1
/// controls and the like unescaped, which a YAML file cannot hold raw: they become `\uXXXX`.
fn quoted(text: &str) -> String {
    let json = serde_json::to_string(text).expect("a string serialises");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_yaml_printable(c) && !is_yaml_break_or_mark(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        }
    }
    out
}

/// Characters YAML 1.1 readers take as line breaks, and the byte-order mark.
fn is_yaml_break_or_mark(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Multi-line text that reads back identically from a literal block. Text ending in several
/// newlines is not: keep chomping (`|+`) would also take in the blank line that follows the
/// block at the end of a section, and the text would grow on every save.
fn is_literal_block(text: &str) -> bool {
    text.contains('\n')
        && !text.ends_with("\n\n")
        && !text.starts_with([' ', '\t', '\n'])
        && !text.contains('\r')
        && text
            .chars()
            .all(|c| c == '\n' || c == '\t' || (is_yaml_printable(c) && !c.is_control()))
        && !text.chars().any(is_yaml_break_or_mark)
}

/// Whether a string can be written without quotes and still read back as the same string.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reads_as_other_type = is_null(text)
        || matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | ".inf" | "-.inf" | "+.inf" | ".nan"
        )
        || parse_integer(text).is_some()
        || parse_float(text).is_some()
        // Dates, times and sexagesimal numbers that YAML 1.1 readers would not keep as text.
        || text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))
            && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'_' | b':' | b'e' | b'E'));
    !reads_as_other_type
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !text.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\n', '\r', '\t'])
        && text.chars().all(|c| {
            is_yaml_printable(c) && !c.is_control() && !is_yaml_break_or_mark(c) && c != '\u{a0}'
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_would_read_as_another_type() {
        for text in [
            "true",
            "No",
            "null",
            "~",
            "",
            "123",
            "1.5",
            "0x1F",
            "-3",
            "1e5",
            ".inf",
            "2026-11-25",
            "12:30",
        ] {
            assert!(!is_plain_safe(text), "`{text}` must be quoted");
        }
        for text in [
            "crm-connector",
            "Support agent",
            "Zürich Ops — Ünïcode",
            "v1.4",
            "agent:reader",
            "90d",
            "1h",
        ] {
            assert!(is_plain_safe(text), "`{text}` can be plain");
        }
        for text in [
            "a: b",
            "- x",
            "# c",
            "x #y",
            "trailing ",
            "key:",
            "'q",
            "*ref",
            "&a",
        ] {
            assert!(!is_plain_safe(text), "`{text}` must be quoted");
        }
    }

    #[test]
    fn escapes_what_a_yaml_file_cannot_hold_raw() {
        for text in [
            "a\u{7f}b",
            "\u{80}",
            "x\u{feff}",
            "\u{fffe}",
            "a\u{85}b",
            "l\u{2028}s",
            "a\0\u{1b}b",
            "multi\nline \u{9f}\n",
        ] {
            let written = quoted(text);
            let source = format!("key: {written}\n");
            assert!(
                super::super::characters::refuse_unprintable(&source, super::super::Format::Yaml)
                    .is_none(),
                "{written}"
            );
            let (tree, _) = super::super::yaml::parse(&source, &Default::default()).unwrap();
            let value = tree.get(tree.root.unwrap(), "key").unwrap();
            assert_eq!(tree.scalar_text(value), Some(text), "{written}");
        }
    }
}
