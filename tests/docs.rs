//! Keeps `docs/model-format.md` true to the code.
//!
//! The doc follows these conventions, which this test relies on:
//!
//! - Words are written in backticks: every node kind, relation and vocabulary word appears as
//!   `word` somewhere outside code blocks.
//! - The relation table has the header `| relation | from | to | edge fields |`. Each row names
//!   one relation, then lists kinds and edge fields as comma-separated backticked words (`—`
//!   when none). It must match `RELATION_RULES` and `EDGE_ATTRIBUTES` exactly.
//! - A field table's header starts with `top-level field`, `metadata field`, `node field`,
//!   `edge field`, `boundary field`, `triage field`, or `property` (for the properties of the
//!   kind named in the `### ` heading above it). Its rows name the fields of that mapping, in the
//!   order `bartizan fmt` writes them (the order of the JSON Schema), and where a field takes
//!   words, the second cell lists exactly those words.
//! - A ```yaml block whose first line that is not blank or a comment is `bartizan: 1` is a
//!   complete model. It must read with no diagnostic at all, and its canonical form (what
//!   `bartizan fmt` writes) must be in the doc as a complete model too: usually it is the block
//!   itself; otherwise it is the "after" of a before/after example.
//! - Every other ```yaml block is a fragment of one running example: top-level section keys
//!   (`nodes:`, `edges:`, `boundaries:`, `triage:`, `layout:`) followed by indented entries. Each
//!   fragment must be a YAML mapping on its own. All fragments together, each section's entries
//!   concatenated in document order under a minimal `metadata`, must read with no diagnostic
//!   at all and have a node of every kind and an edge of every relation.
//! - Blocks in other languages (```json, ```text) are not checked.

mod common;

use std::collections::BTreeSet;

use bartizan::model::relations::{EDGE_ATTRIBUTES, RELATION_RULES};
use bartizan::model::*;
use bartizan::syntax::{Format, Limits, Parsed, parse_model, to_yaml};
use serde_json::Value as Json;

/// The top-level keys a fragment may use, in the order they are merged.
const FRAGMENT_SECTIONS: &[&str] = &["nodes", "edges", "boundaries", "triage", "layout"];

struct Doc {
    /// Lines outside code blocks: (1-based line number, text).
    prose: Vec<(usize, String)>,
    /// Markdown tables outside code blocks.
    tables: Vec<Table>,
    /// ```yaml blocks: (line of the opening fence, text ending with a newline).
    yaml_blocks: Vec<(usize, String)>,
}

struct Table {
    line: usize,
    /// The text of the `### ` heading the table sits under, if any.
    heading: Option<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn doc() -> Doc {
    let path = common::root().join("docs/model-format.md");
    let text = std::fs::read_to_string(&path).expect("docs/model-format.md exists");
    let mut doc = Doc {
        prose: Vec::new(),
        tables: Vec::new(),
        yaml_blocks: Vec::new(),
    };
    let mut block: Option<(usize, String, String)> = None;
    let mut heading: Option<String> = None;
    let mut table_lines: Vec<(usize, &str)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if !line.trim_start().starts_with('|') && !table_lines.is_empty() {
            doc.tables.push(table(&table_lines, heading.clone()));
            table_lines.clear();
        }
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            match block.take() {
                Some((start, language, body)) => {
                    if language == "yaml" {
                        doc.yaml_blocks.push((start, body));
                    }
                }
                None => block = Some((number, fence.trim().to_owned(), String::new())),
            }
            continue;
        }
        if let Some((_, _, body)) = block.as_mut() {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        if let Some(title) = line.strip_prefix("### ") {
            heading = Some(title.trim().to_owned());
        } else if line.starts_with("## ") || line.starts_with("# ") {
            heading = None;
        }
        if line.trim_start().starts_with('|') {
            table_lines.push((number, line));
        }
        doc.prose.push((number, line.to_owned()));
    }
    assert!(
        block.is_none(),
        "docs/model-format.md has an unclosed code block"
    );
    if !table_lines.is_empty() {
        doc.tables.push(table(&table_lines, heading));
    }
    doc
}

fn table(lines: &[(usize, &str)], heading: Option<String>) -> Table {
    let cells = |line: &str| -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        inner
            .split('|')
            .map(|cell| cell.trim().to_owned())
            .collect()
    };
    Table {
        line: lines[0].0,
        heading,
        header: cells(lines[0].1),
        // lines[1] is the `|---|` separator.
        rows: lines.iter().skip(2).map(|(_, line)| cells(line)).collect(),
    }
}

/// The backticked spans of a piece of Markdown: "`a`, `b`" gives ["a", "b"].
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn sorted<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut words: Vec<&str> = words.into_iter().collect();
    words.sort_unstable();
    words
}

/// Every closed word list a model file uses, by type name.
fn vocabularies() -> Vec<(&'static str, Vec<&'static str>)> {
    macro_rules! vocabularies {
        ($($ty:ident),+ $(,)?) => {
            vec![$((stringify!($ty), $ty::ALL.iter().map(|word| word.as_str()).collect())),+]
        };
    }
    vocabularies![
        NodeKind,
        Relation,
        Autonomy,
        Hosting,
        ToolType,
        Provenance,
        IdentityType,
        SecretType,
        Lifetime,
        Storage,
        Revocation,
        Sensitivity,
        DatastoreType,
        DataClass,
        MemoryType,
        Trigger,
        Trust,
        Channel,
        Control,
        DelegationAuth,
        Zone,
        TriageStatus,
        Action,
    ]
}

fn parse(text: &str) -> Parsed {
    parse_model(text, Format::Yaml, &Limits::default())
}

fn describe_diagnostics(parsed: &Parsed) -> String {
    parsed
        .diagnostics
        .iter()
        .map(|d| {
            let path = d.path.as_ref().map(ToString::to_string).unwrap_or_default();
            let line = d.location.map(|l| l.line).unwrap_or(0);
            format!("\n  line {line}: {} [{}] at {path}", d.message, d.code)
        })
        .collect()
}

fn is_complete_model(block: &str) -> bool {
    block
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .is_some_and(|line| line == "bartizan: 1")
}

#[test]
fn every_word_is_documented() {
    let doc = doc();
    let spans: BTreeSet<&str> = doc
        .prose
        .iter()
        .flat_map(|(_, line)| backticked(line))
        .collect();
    let missing: Vec<String> = vocabularies()
        .into_iter()
        .flat_map(|(list, words)| {
            let spans = &spans;
            words
                .into_iter()
                .filter(move |word| !spans.contains(word))
                .map(move |word| format!("{list}::{word}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/model-format.md does not mention these words in backticks: {missing:?}"
    );
}

#[test]
fn the_relation_table_matches_the_rules() {
    let doc = doc();
    let tables: Vec<&Table> = doc
        .tables
        .iter()
        .filter(|t| t.header == ["relation", "from", "to", "edge fields"])
        .collect();
    assert_eq!(
        tables.len(),
        1,
        "expected one `| relation | from | to | edge fields |` table"
    );
    let table = tables[0];
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for row in &table.rows {
        let [relation, from, to, fields] = row.as_slice() else {
            problems.push(format!("row {row:?} does not have four cells"));
            continue;
        };
        let Some(relation) = backticked(relation)
            .first()
            .and_then(|word| Relation::from_word(word))
        else {
            problems.push(format!("row {row:?} names no relation"));
            continue;
        };
        seen.push(relation);
        let rule = RELATION_RULES
            .iter()
            .find(|rule| rule.relation == relation)
            .expect("every relation has a rule");
        let words = |kinds: &[NodeKind]| sorted(kinds.iter().map(|kind| kind.as_str()));
        if sorted(backticked(from)) != words(rule.from) {
            problems.push(format!(
                "`{relation}` from: doc {from}, code {:?}",
                words(rule.from)
            ));
        }
        if sorted(backticked(to)) != words(rule.to) {
            problems.push(format!(
                "`{relation}` to: doc {to}, code {:?}",
                words(rule.to)
            ));
        }
        let expected = sorted(
            EDGE_ATTRIBUTES
                .iter()
                .filter(|(_, relations)| relations.contains(&relation))
                .map(|(field, _)| *field),
        );
        if sorted(backticked(fields)) != expected {
            problems.push(format!(
                "`{relation}` edge fields: doc {fields}, code {expected:?}"
            ));
        }
    }
    for relation in Relation::ALL {
        let rows = seen.iter().filter(|&seen| seen == relation).count();
        if rows != 1 {
            problems.push(format!("`{relation}` has {rows} rows"));
        }
    }
    assert!(
        problems.is_empty(),
        "the relation table (line {}) is wrong:\n{}",
        table.line,
        problems.join("\n")
    );
}

/// The schema object whose `properties` a field table documents.
fn documented_object<'s>(schema: &'s Json, table: &Table) -> Result<&'s Json, String> {
    let defs = &schema["$defs"];
    let node_variants = defs["Node"]["oneOf"].as_array().expect("Node is a oneOf");
    let object = match table.header[0].as_str() {
        "top-level field" => schema,
        "metadata field" => &defs["Metadata"],
        "node field" => &node_variants[0],
        "edge field" => &defs["Edge"],
        "boundary field" => &defs["Boundary"],
        "triage field" => &defs["TriageDecision"],
        "property" => {
            let heading = table.heading.as_deref().unwrap_or_default();
            let kind = backticked(heading).first().copied().unwrap_or_default();
            let variant = node_variants
                .iter()
                .find(|v| v["properties"]["kind"]["const"] == kind)
                .ok_or_else(|| format!("the heading `### {heading}` names no node kind"))?;
            resolve(schema, &variant["properties"]["properties"])
        }
        other => return Err(format!("unknown kind of field table `{other}`")),
    };
    Ok(object)
}

/// Follows a `$ref` to its definition.
fn resolve<'s>(schema: &'s Json, value: &'s Json) -> &'s Json {
    match value["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            &schema["$defs"][name]
        }
        None => value,
    }
}

/// The words a field takes, when it is a word or a list of words.
fn field_words(schema: &Json, field: &Json) -> Option<Vec<String>> {
    let candidates = field["anyOf"]
        .as_array()
        .into_iter()
        .flatten()
        .chain([field, &field["items"]]);
    candidates
        .map(|candidate| resolve(schema, candidate))
        .find_map(|definition| definition["oneOf"].as_array())
        .map(|variants| {
            variants
                .iter()
                .filter_map(|variant| variant["const"].as_str().map(str::to_owned))
                .collect()
        })
}

#[test]
fn the_field_tables_match_the_schema() {
    let doc = doc();
    let schema: Json = serde_json::from_str(&json_schema()).expect("the schema is JSON");
    let field_tables: Vec<&Table> = doc
        .tables
        .iter()
        .filter(|t| t.header[0] == "property" || t.header[0].ends_with(" field"))
        .collect();
    let mut problems = Vec::new();
    let mut property_tables = Vec::new();
    for table in &field_tables {
        let object = match documented_object(&schema, table) {
            Ok(object) => object,
            Err(problem) => {
                problems.push(format!("line {}: {problem}", table.line));
                continue;
            }
        };
        if table.header[0] == "property" {
            property_tables.push(table.heading.clone().unwrap_or_default());
        }
        let properties = object["properties"]
            .as_object()
            .expect("an object schema with properties");
        let documented: Vec<&str> = table
            .rows
            .iter()
            .map(|row| backticked(&row[0]).first().copied().unwrap_or_default())
            .collect();
        let expected: Vec<&str> = properties.keys().map(String::as_str).collect();
        if documented != expected {
            problems.push(format!(
                "line {}: the table lists {documented:?}, but the fields are, in order, {expected:?}",
                table.line
            ));
            continue;
        }
        for row in &table.rows {
            let name = backticked(&row[0])[0];
            let Some(words) = field_words(&schema, &properties[name]) else {
                continue;
            };
            let value = row.get(1).map(String::as_str).unwrap_or_default();
            if sorted(backticked(value)) != sorted(words.iter().map(String::as_str)) {
                problems.push(format!(
                    "line {}: `{name}` takes the words {words:?}, but the table says {value}",
                    table.line
                ));
            }
        }
    }
    for kind in NodeKind::ALL {
        let heading = format!("`{kind}`");
        let count = property_tables.iter().filter(|h| **h == heading).count();
        if count != 1 {
            problems.push(format!("`{kind}` has {count} property tables, expected 1"));
        }
    }
    for header in [
        "top-level field",
        "metadata field",
        "node field",
        "edge field",
        "boundary field",
        "triage field",
    ] {
        if !field_tables.iter().any(|t| t.header[0] == header) {
            problems.push(format!("no `| {header} |` table"));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/model-format.md's field tables are wrong:\n{}",
        problems.join("\n")
    );
}

#[test]
fn complete_models_are_valid_and_canonical() {
    let doc = doc();
    let complete: Vec<&(usize, String)> = doc
        .yaml_blocks
        .iter()
        .filter(|(_, text)| is_complete_model(text))
        .collect();
    assert!(!complete.is_empty(), "the doc shows no complete model");
    for (line, text) in &complete {
        let parsed = parse(text);
        assert!(
            parsed.diagnostics.is_empty(),
            "the model at docs/model-format.md:{line} has diagnostics:{}",
            describe_diagnostics(&parsed)
        );
        let canonical = to_yaml(parsed.model.as_ref().expect("a valid model"));
        assert!(
            complete.iter().any(|(_, other)| *other == canonical),
            "the canonical form of the model at docs/model-format.md:{line} is not in the doc:\n{canonical}"
        );
    }
}

#[test]
fn fragments_form_one_valid_model() {
    let doc = doc();
    let mut sections: Vec<String> = vec![String::new(); FRAGMENT_SECTIONS.len()];
    let mut fragments = 0;
    for (line, text) in doc
        .yaml_blocks
        .iter()
        .filter(|(_, t)| !is_complete_model(t))
    {
        fragments += 1;
        let alone = parse(text);
        assert!(
            alone.tree.is_some(),
            "the fragment at docs/model-format.md:{line} is not a YAML mapping:{}",
            describe_diagnostics(&alone)
        );
        let mut section: Option<usize> = None;
        for entry in text.lines() {
            let top_level = !entry.starts_with([' ', '#']) && !entry.trim().is_empty();
            if top_level {
                let key = entry.trim_end().strip_suffix(':').unwrap_or_default();
                section = FRAGMENT_SECTIONS.iter().position(|s| *s == key);
                assert!(
                    section.is_some(),
                    "the fragment at docs/model-format.md:{line} has the top-level line `{entry}`; \
                     a fragment holds only {FRAGMENT_SECTIONS:?} sections"
                );
            } else if let Some(index) = section {
                sections[index].push_str(entry);
                sections[index].push('\n');
            }
        }
    }
    assert!(fragments > 0, "the doc shows no fragment");

    let mut merged =
        String::from("bartizan: 1\nmetadata:\n  name: Fragments of the format reference\n");
    for (name, body) in FRAGMENT_SECTIONS.iter().zip(&sections) {
        if !body.is_empty() {
            merged.push_str(&format!("{name}:\n{body}"));
        }
    }
    let parsed = parse(&merged);
    assert!(
        parsed.diagnostics.is_empty(),
        "the fragments of docs/model-format.md, put together, have diagnostics \
         (lines are in the merged text below):{}\n\n{merged}",
        describe_diagnostics(&parsed)
    );
    let model = parsed.model.expect("a valid model");
    let kinds: BTreeSet<NodeKind> = model.nodes.iter().map(|node| node.kind()).collect();
    let relations: BTreeSet<Relation> = model.edges.iter().map(|edge| edge.relation).collect();
    let missing_kinds: Vec<&NodeKind> = NodeKind::ALL
        .iter()
        .filter(|k| !kinds.contains(k))
        .collect();
    let missing_relations: Vec<&Relation> = Relation::ALL
        .iter()
        .filter(|r| !relations.contains(r))
        .collect();
    assert!(
        missing_kinds.is_empty() && missing_relations.is_empty(),
        "the doc's fragments have no example of the kinds {missing_kinds:?} or the relations {missing_relations:?}"
    );
}
