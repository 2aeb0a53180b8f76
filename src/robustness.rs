//! The properties every input must keep, one function per fuzz target (`fuzz/`): each takes
//! arbitrary bytes and panics when a property breaks. The fuzz targets call these, and
//! `tests/fuzz_corpus.rs` replays the seed corpus and every saved crash through them, so a
//! property is written once and checked by both.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::analysis;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::model::Model;
use crate::report::pdf::PdfOptions;
use crate::report::{self, CheckRun};
use crate::syntax::{self, Format, Limits, Parsed, parse_model};

/// A fuzz target's body: it panics when the input breaks one of its properties.
pub type Property = fn(&[u8]);

/// The fuzz targets, by the name of their binary in `fuzz/fuzz_targets/` and of their
/// fixture folder in `tests/fixtures/fuzz/`.
pub const TARGETS: [(&str, Property); 6] = [
    ("yaml_reader", yaml_reader),
    ("json_reader", json_reader),
    ("check", check),
    ("fmt_round_trip", fmt_round_trip),
    ("pdf_writer", pdf_writer),
    ("diagnostics", diagnostics),
];

/// Reading YAML: no panic; every diagnostic located inside the text on character boundaries;
/// no more diagnostics than the limit; no text with a raw NUL read as a model without error.
pub fn yaml_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    read(&text, Format::Yaml);
}

/// Reading JSON, with the properties of [`yaml_reader`].
pub fn json_reader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    read(&text, Format::Json);
}

/// Validation and the checks on every model the input reads as (YAML or JSON): no panic;
/// findings name only elements of the model; each report format renders, JSON and SARIF as
/// JSON.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (_, parsed) in valid_readings(&text) {
        let model = parsed.valid_model().expect("valid readings have a model");
        let run = check_run(&text, &parsed, model);
        let ids = element_ids(model);
        for finding in run.risks.iter().flat_map(|risk| &risk.facets) {
            for subject in &finding.subjects {
                assert!(
                    ids.contains(subject.as_str()),
                    "{} names `{subject}`, which is not in the model",
                    finding.rule
                );
            }
            for step in &finding.path {
                assert!(
                    ids.contains(step.node.as_str()),
                    "{}'s path passes `{}`, which is not in the model",
                    finding.rule,
                    step.node
                );
            }
        }
        for format in [
            report::Format::Text,
            report::Format::Csv,
            report::Format::Markdown,
        ] {
            run.render(format, false);
        }
        run.render(report::Format::Text, true);
        for format in [report::Format::Json, report::Format::Sarif] {
            let rendered = run.render(format, false);
            if let Err(error) = serde_json::from_str::<serde_json::Value>(&rendered) {
                panic!("the {format:?} report is not JSON ({error}):\n{rendered}");
            }
        }
    }
}

/// `fmt`: a model read from the input (YAML or JSON), written in either format, reads back
/// without error as the same model, and writing that again gives the same text.
pub fn fmt_round_trip(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (read_as, parsed) in valid_readings(&text) {
        let model = parsed.valid_model().expect("valid readings have a model");
        for written_as in [Format::Yaml, Format::Json] {
            let written = write(model, written_as);
            let reread = parse_model(&written, written_as, &Limits::default());
            let Some(reread_model) = reread.valid_model() else {
                panic!(
                    "a model read as {read_as:?} and written as {written_as:?} does not read back:\n\
                     {}\n--- written ---\n{written}",
                    diagnostic::render(&reread.diagnostics, &written, "written", false)
                );
            };
            assert_eq!(
                reread_model, model,
                "a model read as {read_as:?} and written as {written_as:?} reads back as \
                 another model; written:\n{written}"
            );
            let rewritten = write(reread_model, written_as);
            assert_eq!(
                rewritten, written,
                "writing a model as {written_as:?} is not idempotent"
            );
        }
    }
}

/// The PDF report of every valid model the input reads as: no panic, and the bytes are a PDF
/// whose pages' content streams decode into PDF operators with finite numbers.
pub fn pdf_writer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let options = PdfOptions {
        generated_at: 0,
        audit: None,
    };
    let mut rendered: Vec<Model> = Vec::new();
    for (_, parsed) in valid_readings(&text) {
        // JSON reads as YAML too, mostly as the same model: its report is drawn once.
        let model = parsed.valid_model().expect("valid readings have a model");
        if rendered.contains(model) {
            continue;
        }
        rendered.push(model.clone());
        let bytes = analysis::render_pdf(&text, &parsed, "fuzz.bartizan.yaml", &options)
            .expect("a valid model has a report");
        check_pdf(&bytes);
    }
}

/// Rendering every diagnostic of the input, read as YAML and as JSON, against its text, in
/// plain text and in colour, after the reader's own properties hold.
pub fn diagnostics(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for format in [Format::Yaml, Format::Json] {
        let parsed = read(&text, format);
        for color in [false, true] {
            diagnostic::render(&parsed.diagnostics, &text, "fuzz.bartizan.yaml", color);
        }
    }
}

/// The seed inputs of every target: the example models and the test fixtures as they are,
/// and each one that reads as a valid model written in the other format too, named by where
/// it comes from. `root` is the repository.
pub fn seed_corpus(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in ["models", "tests/fixtures/invalid", "tests/fixtures/rules"] {
        collect_models(&root.join(dir), &mut files);
    }
    files.sort();
    let mut seeds = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let format = Format::from_path(&path);
        if let Some(model) = std::str::from_utf8(&bytes)
            .ok()
            .map(|text| parse_model(text, format, &Limits::default()))
            .and_then(|parsed| parsed.valid_model().cloned())
        {
            let (other, extension) = match format {
                Format::Yaml => (Format::Json, "json"),
                Format::Json => (Format::Yaml, "yaml"),
            };
            seeds.push((
                format!("{name}.as.{extension}"),
                write(&model, other).into_bytes(),
            ));
        }
        seeds.push((name, bytes));
    }
    seeds
}

/// A libFuzzer dictionary of the format's words: every field name and every enumerated value
/// of the model's JSON Schema, one quoted entry a line, so mutations write words the reader
/// knows.
pub fn dictionary() -> String {
    let schema: serde_json::Value =
        serde_json::from_str(&crate::model::json_schema()).expect("the schema is JSON");
    let mut words = std::collections::BTreeSet::new();
    collect_schema_words(&schema, &mut words);
    words
        .iter()
        .map(|word| format!("\"{}\"\n", word.escape_default()))
        .collect()
}

fn collect_schema_words<'s>(
    schema: &'s serde_json::Value,
    words: &mut std::collections::BTreeSet<&'s str>,
) {
    match schema {
        serde_json::Value::Object(fields) => {
            if let Some(serde_json::Value::Object(properties)) = fields.get("properties") {
                // (A field named `properties` is reached as a schema too: skip its `$ref`.)
                let names = properties.keys().filter(|name| !name.starts_with('$'));
                words.extend(names.map(String::as_str));
            }
            for key in ["enum", "const"] {
                match fields.get(key) {
                    Some(serde_json::Value::Array(values)) => {
                        words.extend(values.iter().filter_map(serde_json::Value::as_str));
                    }
                    Some(serde_json::Value::String(value)) => {
                        words.insert(value);
                    }
                    _ => {}
                }
            }
            fields
                .values()
                .for_each(|value| collect_schema_words(value, words));
        }
        serde_json::Value::Array(values) => values
            .iter()
            .for_each(|value| collect_schema_words(value, words)),
        _ => {}
    }
}

fn collect_models(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        let name = path.to_string_lossy();
        if path.is_dir() {
            collect_models(&path, files);
        } else if name.ends_with(".bartizan.yaml") || name.ends_with(".bartizan.json") {
            files.push(path);
        }
    }
}

/// Reads `text` and checks what every reading must keep.
fn read(text: &str, format: Format) -> Parsed {
    let limits = Limits::default();
    let parsed = parse_model(text, format, &limits);
    assert!(
        parsed.diagnostics.len() <= limits.max_diagnostics,
        "{} diagnostics, over the limit of {}",
        parsed.diagnostics.len(),
        limits.max_diagnostics
    );
    for diagnostic in &parsed.diagnostics {
        check_locations(diagnostic, text);
    }
    if text.contains('\0') {
        assert!(
            parsed.has_errors(),
            "a text with a NUL byte was read as {format:?} without error"
        );
    }
    parsed
}

/// A diagnostic's span and its related spans lie inside `text`, on character boundaries.
fn check_locations(diagnostic: &Diagnostic, text: &str) {
    let related = diagnostic.related.iter().filter_map(|r| r.location);
    for location in diagnostic.location.into_iter().chain(related) {
        let Location { start, end, .. } = location;
        assert!(
            start <= end && end <= text.len(),
            "`{}` spans {start}..{end} in a text of {} bytes",
            diagnostic.code,
            text.len()
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "`{}` spans {start}..{end}, which cuts a character",
            diagnostic.code
        );
    }
}

/// The readings of `text`, as YAML and as JSON, that give a valid model.
fn valid_readings(text: &str) -> Vec<(Format, Parsed)> {
    [Format::Yaml, Format::Json]
        .into_iter()
        .map(|format| (format, read(text, format)))
        .filter(|(_, parsed)| parsed.valid_model().is_some())
        .collect()
}

fn check_run<'m>(text: &str, parsed: &Parsed, model: &'m Model) -> CheckRun<'m> {
    CheckRun::new(
        model,
        "fuzz.bartizan.yaml".to_owned(),
        report::content_hash(text.as_bytes()),
        parsed.locations(text),
        None,
    )
}

fn element_ids(model: &Model) -> HashSet<&str> {
    let nodes = model.nodes.iter().map(|n| n.id.as_str());
    let edges = model.edges.iter().map(|e| e.id.as_str());
    let boundaries = model.boundaries.iter().map(|b| b.id.as_str());
    nodes.chain(edges).chain(boundaries).collect()
}

fn write(model: &Model, format: Format) -> String {
    match format {
        Format::Yaml => syntax::to_yaml(model),
        Format::Json => syntax::to_json(model),
    }
}

/// The content stream operators of PDF 2.0 (ISO 32000-2, Annex A).
const PDF_OPERATORS: &[&str] = &[
    "b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0", "d1",
    "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i", "ID", "j", "J",
    "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri", "s", "S", "SC", "sc",
    "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts", "Tw",
    "Tz", "v", "w", "W", "W*", "y", "'", "\"",
];

fn check_pdf(bytes: &[u8]) {
    let document = match lopdf::Document::load_mem(bytes) {
        Ok(document) => document,
        Err(error) => panic!("the PDF report does not parse: {error}"),
    };
    let pages = document.get_pages();
    assert!(!pages.is_empty(), "the PDF report has no page");
    for (number, page) in pages {
        let stream = document.get_page_content(page);
        let content = match lopdf::content::Content::decode(&stream) {
            Ok(content) => content,
            Err(error) => panic!("page {number}'s content does not decode: {error}"),
        };
        for operation in &content.operations {
            assert!(
                PDF_OPERATORS.contains(&operation.operator.as_str()),
                "page {number} has `{}`, which is not a PDF operator (operands {:?})",
                operation.operator,
                operation.operands
            );
            for operand in &operation.operands {
                if let lopdf::Object::Real(value) = operand {
                    assert!(
                        value.is_finite(),
                        "page {number} has {value} in `{}`",
                        operation.operator
                    );
                }
            }
        }
    }
}
