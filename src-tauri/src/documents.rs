//! Between the UI's document (the model as the engine serialises it to JSON) and the engine:
//! reading files and examples into documents, documents into models to save, reports, and the
//! workspace's history of each saved file. Nothing here decides what a model means; that is
//! the engine's.

use std::path::{Path, PathBuf};

use bartizan::diagnostic::{self, Diagnostic};
use bartizan::history::{Diff, Revision};
use bartizan::model::Model;
use bartizan::report::{self, pdf::PdfOptions};
use bartizan::store;
use bartizan::store::workspace::{self, Workspace, WorkspaceError};
use bartizan::syntax::{self, Format, Limits, Parsed, parse_model};
use serde::Serialize;
use serde_json::Value;

use crate::error::{CommandError, CommandResult};

/// `(id, file name, text)` of each example model in `models/`, embedded at build time.
pub static EXAMPLES: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/examples.rs"));

#[derive(Debug, Serialize, PartialEq)]
pub struct ExampleInfo {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A document as opened: where from (null for an example), the document, what the engine
/// said about the file (warnings, or errors the user has to fix), and whether the document
/// holds the whole file. An incomplete document lacks what could not be read (an edge with an
/// unknown relation, a property with a wrong word): the window shows it read-only, and the
/// shell never writes it over its file.
#[derive(Debug, Serialize)]
pub struct Opened {
    pub path: Option<String>,
    pub doc: Value,
    pub diagnostics: Vec<Diagnostic>,
    pub complete: bool,
}

pub fn examples() -> Vec<ExampleInfo> {
    EXAMPLES
        .iter()
        .map(|(id, file, text)| {
            let parsed = parse_model(text, Format::from_path(Path::new(file)), &Limits::default());
            let metadata = parsed.model.map(|m| m.metadata);
            ExampleInfo {
                id: (*id).to_owned(),
                name: metadata
                    .as_ref()
                    .map_or_else(|| (*id).to_owned(), |m| m.name.clone()),
                description: metadata.and_then(|m| m.description).unwrap_or_default(),
            }
        })
        .collect()
}

pub fn load_example(id: &str) -> CommandResult<Opened> {
    let (_, file, text) = EXAMPLES
        .iter()
        .find(|(example, _, _)| *example == id)
        .ok_or_else(|| CommandError::new("unknown-example", format!("no example `{id}`")))?;
    let origin = format!("models/{file}");
    let parsed = parse_model(text, Format::from_path(Path::new(file)), &Limits::default());
    opened(parsed, text, &origin, None)
}

/// Reads a model file the user chose.
pub fn open_file(path: &Path) -> CommandResult<Opened> {
    let file = store::read_model(path, &Limits::default())?;
    opened(
        file.parsed,
        &file.source,
        &path.display().to_string(),
        Some(path),
    )
}

/// What saving wrote: the file, and the revision the workspace recorded for it (null, with a
/// warning saying why, when recording failed: the file is saved all the same).
#[derive(Debug, Serialize)]
pub struct Saved {
    pub path: String,
    pub revision: Option<u32>,
    pub warning: Option<String>,
}

/// Where the app records revisions: `Workspace::default_path()` (`BARTIZAN_WORKSPACE` when set).
pub fn workspace_path() -> Result<PathBuf, WorkspaceError> {
    Workspace::default_path()
}

/// Records `model`, just saved at `path`, as a revision signed by `author` in the workspace at
/// `workspace`. The text recorded is the text written: saving is a pure function of the model.
/// Without an author (the user has not set their name) nothing is recorded: a revision is
/// never signed with a made-up name.
pub fn record_revision(
    workspace: &Path,
    path: &Path,
    model: &Model,
    author: Option<&str>,
) -> CommandResult<u32> {
    let author = author.ok_or_else(|| {
        CommandError::new(
            "no-author",
            "nobody to sign the revision: set your name (Your name…) and save again",
        )
    })?;
    let text = match Format::from_path(path) {
        Format::Yaml => syntax::to_yaml(model),
        Format::Json => syntax::to_json(model),
    };
    let outcome = Workspace::open(workspace)?.record(path, &text, author, workspace::now())?;
    Ok(outcome.revision.number)
}

/// The recorded revisions of the file at `path`, oldest first (none when nothing was recorded).
pub fn history(workspace: &Path, path: &Path) -> CommandResult<Vec<Revision>> {
    // Reading never creates, upgrades or writes the workspace.
    Ok(Workspace::open_read_only(workspace)?.history(path)?)
}

/// What changed between two revisions of the file at `path` (the engine's diff).
pub fn compare_revisions(
    workspace: &Path,
    path: &Path,
    from: Option<u32>,
    to: Option<u32>,
) -> CommandResult<Diff> {
    Ok(Workspace::open_read_only(workspace)?.diff(path, from, to)?)
}

/// Revision `number` of the file at `path`, read as opening the file would read it.
pub fn revision_document(workspace: &Path, path: &Path, number: u32) -> CommandResult<Opened> {
    let text = Workspace::open_read_only(workspace)?.revision_text(path, number)?;
    let parsed = parse_model(&text, Format::from_path(path), &Limits::default());
    let origin = format!("{} (revision {number})", path.display());
    opened(parsed, &text, &origin, Some(path))
}

fn opened(
    parsed: Parsed,
    source: &str,
    origin: &str,
    path: Option<&Path>,
) -> CommandResult<Opened> {
    let Some(model) = &parsed.model else {
        let mut error = CommandError::new(
            "invalid-model",
            format!(
                "{origin} is not a model Bartizan can open:\n{}",
                diagnostic::render(&parsed.diagnostics, source, origin, false)
            ),
        );
        if let Some(path) = path {
            error = error.at(path);
        }
        return Err(error);
    };
    Ok(Opened {
        path: path.map(|p| p.display().to_string()),
        doc: to_document(model),
        complete: parsed.is_complete(),
        diagnostics: parsed.diagnostics,
    })
}

fn to_document(model: &Model) -> Value {
    serde_json::from_str(&syntax::to_json(model)).expect("the engine writes JSON")
}

/// The model a document describes, for saving. A document the engine finds inconsistent
/// (a dangling reference, a duplicate id) is still saved, so that no work is lost and the
/// problems show again when the file is opened; one it cannot read completely (a wrong type
/// or word, which would drop part of the document) is refused.
pub fn model_to_save(doc: &Value) -> CommandResult<Model> {
    let parsed = parse_json(doc);
    let complete = parsed.is_complete();
    match parsed.model {
        Some(model) if complete => Ok(model),
        _ => Err(invalid(&parsed.diagnostics, "cannot be saved")),
    }
}

/// The engine's analysis of a document's JSON text, as JSON text: `{ valid, diagnostics,
/// report }`. `origin` names the document in the report, from its model's name.
pub fn analyze(text: &str, origin: impl FnOnce(&str) -> PathBuf) -> String {
    bartizan::analysis::analyze_text(text, Format::Json, |model| {
        origin(&model.metadata.name).display().to_string()
    })
}

/// The report of a document in an export format. Locations (SARIF regions, CSV lines) refer
/// to the document as the app saves it at `path`, so they match the saved file.
pub fn render_report(doc: &Value, path: &Path, format: report::Format) -> CommandResult<String> {
    let (text, reread) = as_saved(doc, path)?;
    Ok(
        bartizan::analysis::render_report(&text, &reread, &path.display().to_string(), format)
            .expect("a valid model stays valid when written and read back"),
    )
}

/// The PDF report of a document, located like [`render_report`].
pub fn render_pdf(doc: &Value, path: &Path, options: &PdfOptions) -> CommandResult<Vec<u8>> {
    let (text, reread) = as_saved(doc, path)?;
    Ok(
        bartizan::analysis::render_pdf(&text, &reread, &path.display().to_string(), options)
            .expect("a valid model stays valid when written and read back"),
    )
}

/// A valid document as the app would save it at `path`, and that text read back.
fn as_saved(doc: &Value, path: &Path) -> CommandResult<(String, Parsed)> {
    let parsed = parse_json(doc);
    let Some(model) = parsed.valid_model() else {
        return Err(invalid(
            &parsed.diagnostics,
            "has errors; fix them before exporting",
        ));
    };
    let file_format = Format::from_path(path);
    let text = match file_format {
        Format::Yaml => syntax::to_yaml(model),
        Format::Json => syntax::to_json(model),
    };
    let reread = parse_model(&text, file_format, &Limits::default());
    Ok((text, reread))
}

fn parse_json(doc: &Value) -> Parsed {
    parse_model(&doc.to_string(), Format::Json, &Limits::default())
}

fn invalid(diagnostics: &[Diagnostic], what: &str) -> CommandError {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let mut message = format!(
        "the model {what}: {} error{}",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors.iter().take(5) {
        match &error.path {
            Some(path) => message.push_str(&format!("\n- {path}: {}", error.message)),
            None => message.push_str(&format!("\n- {}", error.message)),
        }
    }
    if errors.len() > 5 {
        message.push_str(&format!("\n- and {} more", errors.len() - 5));
    }
    CommandError::new("invalid-model", message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn embeds_every_example_model_and_opens_each_without_errors() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../models"))
            .unwrap()
            .filter(|entry| {
                let name = entry.as_ref().unwrap().file_name();
                name.to_string_lossy().ends_with(".bartizan.yaml")
            })
            .count();
        let examples = examples();
        assert_eq!(examples.len(), on_disk);
        assert!(examples.iter().any(|e| e.id == "customer-support"
            && e.name == "Customer support agent"
            && !e.description.is_empty()));
        for example in &examples {
            let opened = load_example(&example.id).unwrap();
            assert!(opened.path.is_none());
            assert!(opened.diagnostics.is_empty(), "{}", example.id);
            assert_eq!(opened.doc["metadata"]["name"], example.name.as_str());
        }
        assert_eq!(load_example("nope").unwrap_err().code, "unknown-example");
    }

    fn doc() -> Value {
        json!({
            "bartizan": 1,
            "metadata": { "name": "Payments" },
            "nodes": [
                { "id": "a", "kind": "agent", "name": "A" },
                { "id": "t", "kind": "tool", "name": "T" },
                { "id": "s", "kind": "secret", "name": "S" }
            ],
            "edges": [
                { "from": "a", "relation": "invokes", "to": "t" },
                { "from": "t", "relation": "holds", "to": "s" }
            ],
            "layout": { "nodes": { "a": { "x": 10, "y": 20 } } }
        })
    }

    #[test]
    fn saves_inconsistent_documents_but_not_unreadable_ones() {
        let model = model_to_save(&doc()).unwrap();
        assert_eq!(model.nodes.len(), 3);

        // A dangling reference is the user's work in progress: it is saved.
        let mut dangling = doc();
        dangling["edges"][1]["to"] = json!("missing");
        assert_eq!(model_to_save(&dangling).unwrap().edges.len(), 2);

        // A word the engine does not know would drop the node: refused, with the place.
        let mut unreadable = doc();
        unreadable["nodes"][0]["kind"] = json!("robot");
        let error = model_to_save(&unreadable).unwrap_err();
        assert_eq!(error.code, "invalid-model");
        assert!(error.message.contains("nodes[0].kind"), "{}", error.message);

        // So is a property value that would be dropped.
        let mut property = doc();
        property["nodes"][0]["properties"] = json!({ "autonomy": "full" });
        assert_eq!(model_to_save(&property).unwrap_err().code, "invalid-model");

        // A duplicate id is consistency again: saved.
        let mut duplicate = doc();
        duplicate["nodes"][2]["id"] = json!("t");
        assert_eq!(model_to_save(&duplicate).unwrap().nodes.len(), 3);
    }

    #[test]
    fn reports_locate_findings_in_the_file_as_saved() {
        let sarif = render_report(
            &doc(),
            Path::new("/work/payments.bartizan.yaml"),
            report::Format::Sarif,
        )
        .unwrap();
        let sarif: Value = serde_json::from_str(&sarif).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        let location = &result["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("payments.bartizan.yaml")
        );
        // The line of the subject's `id:` in the canonical YAML the app writes.
        let yaml = syntax::to_yaml(&model_to_save(&doc()).unwrap());
        let line = location["region"]["startLine"].as_u64().unwrap() as usize;
        assert!(
            yaml.lines().nth(line - 1).unwrap().contains("id: "),
            "{yaml}"
        );

        let csv = render_report(&doc(), Path::new("p.bartizan.json"), report::Format::Csv).unwrap();
        assert!(csv.contains("BTZ-CRD-001"));

        let mut invalid = doc();
        invalid["edges"][1]["to"] = json!("missing");
        let error = render_report(&invalid, Path::new("p.bartizan.yaml"), report::Format::Json)
            .unwrap_err();
        assert_eq!(error.code, "invalid-model");
    }

    #[test]
    fn renders_the_pdf_report_of_a_valid_document_only() {
        let options = PdfOptions {
            generated_at: 1_795_624_800,
            audit: None,
        };
        let pdf = render_pdf(&doc(), Path::new("payments.bartizan.yaml"), &options).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));

        let mut invalid = doc();
        invalid["edges"][1]["to"] = json!("missing");
        let error = render_pdf(&invalid, Path::new("p.bartizan.yaml"), &options).unwrap_err();
        assert_eq!(error.code, "invalid-model");
    }

    #[test]
    fn records_each_save_and_reads_the_history_back() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("history").join("workspace.sqlite3");
        let file = dir.path().join("payments.bartizan.yaml");
        // Nothing recorded yet: no history, and reading creates no database.
        assert!(history(&workspace, &file).unwrap().is_empty());
        assert!(!workspace.exists());

        let first = model_to_save(&doc()).unwrap();
        store::write_model(&file, &first).unwrap();
        assert_eq!(
            record_revision(&workspace, &file, &first, Some("ana")).unwrap(),
            1
        );
        // The same model again is the same revision.
        assert_eq!(
            record_revision(&workspace, &file, &first, Some("ana")).unwrap(),
            1
        );

        let mut edited = doc();
        edited["nodes"][2]["properties"] = json!({ "lifetime": "jit" });
        edited["nodes"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "id": "h", "kind": "human", "name": "H" }));
        let second = model_to_save(&edited).unwrap();
        store::write_model(&file, &second).unwrap();
        assert_eq!(
            record_revision(&workspace, &file, &second, Some("bo")).unwrap(),
            2
        );

        let revisions = history(&workspace, &file).unwrap();
        assert_eq!(
            revisions.iter().map(|r| r.number).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(revisions[0].author, "ana");
        assert_eq!(revisions[1].author, "bo");
        assert_eq!(revisions[0].delta.added, revisions[0].risks.total());
        let as_json = serde_json::to_value(&revisions[1]).unwrap();
        for field in [
            "number",
            "content_hash",
            "recorded_at",
            "author",
            "risks",
            "delta",
        ] {
            assert!(as_json.get(field).is_some(), "{field} in {as_json}");
        }

        let diff = compare_revisions(&workspace, &file, Some(1), Some(2)).unwrap();
        assert_eq!(diff.elements.nodes.added, ["h"]);
        assert_eq!(diff.elements.nodes.changed[0].id, "s");
        assert_eq!(diff.to.number, 2);

        // A revision reads back as the document it was.
        let restored = revision_document(&workspace, &file, 1).unwrap();
        assert_eq!(restored.path.as_deref(), file.to_str());
        assert_eq!(restored.doc["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(restored.doc["layout"]["nodes"]["a"]["x"], 10.0);
        let missing = revision_document(&workspace, &file, 9).unwrap_err();
        assert_eq!(missing.code, "unknown-revision");
    }

    #[test]
    fn records_no_revision_without_a_name_to_sign_it() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace.sqlite3");
        let file = dir.path().join("payments.bartizan.yaml");
        let model = model_to_save(&doc()).unwrap();
        store::write_model(&file, &model).unwrap();
        let error = record_revision(&workspace, &file, &model, None).unwrap_err();
        assert_eq!(error.code, "no-author");
        assert!(error.message.contains("Your name"), "{}", error.message);
        assert!(!workspace.exists());
        assert!(history(&workspace, &file).unwrap().is_empty());
    }

    #[test]
    fn a_model_the_workspace_refuses_is_still_a_saved_file() {
        // An inconsistent model is saved (see above) but the workspace records only valid ones:
        // the save stands and the failure is the caller's warning.
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("workspace.sqlite3");
        let file = dir.path().join("wip.bartizan.yaml");
        let mut dangling = doc();
        dangling["edges"][1]["to"] = json!("missing");
        let model = model_to_save(&dangling).unwrap();
        store::write_model(&file, &model).unwrap();
        let error = record_revision(&workspace, &file, &model, Some("ana")).unwrap_err();
        assert!(
            error.message.contains("nothing was recorded"),
            "{}",
            error.message
        );
        assert!(file.is_file());
        assert!(history(&workspace, &file).unwrap().is_empty());
    }

    /// A model with typos: seven edges with an unknown relation and an unknown autonomy.
    fn typos() -> String {
        let mut text = String::from(
            "bartizan: 1\nmetadata:\n  name: Typos\nnodes:\n  - id: agent\n    kind: agent\n    \
             name: Agent\n    properties:\n      autonomy: supervized\n",
        );
        for i in 0..7 {
            text.push_str(&format!(
                "  - id: tool-{i}\n    kind: tool\n    name: Tool {i}\n"
            ));
        }
        text.push_str("edges:\n");
        for i in 0..7 {
            text.push_str(&format!(
                "  - from: agent\n    relation: invokez\n    to: tool-{i}\n"
            ));
        }
        text
    }

    #[test]
    fn says_whether_an_opened_file_was_read_completely() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("typos.bartizan.yaml");
        std::fs::write(&file, typos()).unwrap();
        let opened = open_file(&file).unwrap();
        assert!(!opened.complete);
        // Every error comes back, at its line, even though the document lacks the edges.
        let errors: Vec<&Diagnostic> = opened.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 8, "{errors:#?}");
        assert!(errors.iter().all(|d| d.location.is_some()), "{errors:#?}");
        assert!(opened.doc["edges"].as_array().is_none_or(Vec::is_empty));

        // A consistency error (a dangling reference) drops nothing: the file opens complete.
        let dangling = dir.path().join("dangling.bartizan.yaml");
        let mut model = doc();
        model["edges"][1]["to"] = json!("missing");
        store::write_model(&dangling, &model_to_save(&model).unwrap()).unwrap();
        let opened = open_file(&dangling).unwrap();
        assert!(opened.complete);
        assert!(opened.diagnostics.iter().any(Diagnostic::is_error));

        assert!(load_example("coding-agent").unwrap().complete);
    }

    #[test]
    fn opens_files_and_refuses_what_is_not_a_model() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("m.bartizan.yaml");
        store::write_model(&good, &model_to_save(&doc()).unwrap()).unwrap();
        let opened = open_file(&good).unwrap();
        assert_eq!(opened.doc["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(opened.doc["layout"]["nodes"]["a"]["x"], 10.0);

        let bad = dir.path().join("bad.bartizan.yaml");
        std::fs::write(&bad, "- just\n- a list\n").unwrap();
        let error = open_file(&bad).unwrap_err();
        assert_eq!(error.code, "invalid-model");
        assert_eq!(error.path.as_deref(), Some(bad.to_str().unwrap()));

        let error = open_file(&dir.path().join("absent.yaml")).unwrap_err();
        assert_eq!(error.code, "io");
    }
}
