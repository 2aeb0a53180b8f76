//! The commands the window may call, one per operation of the UI's backend seam
//! (`ui/src/backend.ts`). Each is a few lines over the engine (`documents`), the dialogs and the
//! app data; every error is a `CommandError`.

use std::path::{Path, PathBuf};

use bartizan::report::{self, pdf::PdfOptions};
use bartizan::store;
use bartizan::store::workspace::audit_trail;
use bartizan::syntax::Format;
use serde_json::Value;
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::{AppHandle, State};

use bartizan::history::{Diff, Revision};

use crate::appdata;
use crate::documents::{self, ExampleInfo, Opened, Saved};
use crate::error::{CommandError, CommandResult};
use crate::session::Session;

#[tauri::command]
pub async fn examples() -> CommandResult<Vec<ExampleInfo>> {
    Ok(documents::examples())
}

#[tauri::command]
pub async fn load_example(
    app: AppHandle,
    session: State<'_, Session>,
    id: String,
) -> CommandResult<Opened> {
    let opened = documents::load_example(&id)?;
    session.showing(&app, None, &document_name(&opened.doc));
    Ok(opened)
}

/// The model named on the command line (`bartizan-desktop MODEL`), once; null after that.
#[tauri::command]
pub async fn initial_model(
    app: AppHandle,
    session: State<'_, Session>,
) -> CommandResult<Option<Opened>> {
    match session.take_initial() {
        Some(path) => open_path(&app, &session, &path).map(Some),
        None => Ok(None),
    }
}

#[tauri::command]
pub async fn open_model(
    app: AppHandle,
    session: State<'_, Session>,
) -> CommandResult<Option<Opened>> {
    let Some(path) = session.dialogs.open_model(&app) else {
        return Ok(None);
    };
    session.grant(&path);
    open_path(&app, &session, &path).map(Some)
}

#[tauri::command]
pub async fn open_recent(
    app: AppHandle,
    session: State<'_, Session>,
    path: String,
) -> CommandResult<Opened> {
    let path = PathBuf::from(path);
    session.check_permitted(&path)?;
    open_path(&app, &session, &path)
}

fn open_path(app: &AppHandle, session: &Session, path: &Path) -> CommandResult<Opened> {
    let opened = documents::open_file(path)?;
    record_open(app, session, path, &opened);
    Ok(opened)
}

/// `opened`, read from `path`, is now the window's document.
pub fn record_open(app: &AppHandle, session: &Session, path: &Path, opened: &Opened) {
    session.opened(path, opened.complete);
    remember(session, path);
    session.showing(app, Some(path), &document_name(&opened.doc));
}

/// The recent files that still exist, most recent first.
#[tauri::command]
pub async fn recent_files(session: State<'_, Session>) -> CommandResult<Vec<String>> {
    Ok(session
        .data
        .recent()
        .into_iter()
        .filter(|path| path.is_file())
        .map(|path| path.display().to_string())
        .collect())
}

/// Saves to `path`, or where the user chooses when there is no path or `save_as`, and records
/// the save as a revision in the workspace, signed with the user's name (the `author`
/// preference; without one nothing is recorded). Returns what was written (`{ path, revision,
/// warning }`), or null when the user cancelled the dialog. Failing to record the revision
/// does not fail the save: the file is written, and `warning` says what went wrong.
#[tauri::command]
pub async fn save_model(
    app: AppHandle,
    session: State<'_, Session>,
    doc: Value,
    path: Option<String>,
    save_as: bool,
) -> CommandResult<Option<Saved>> {
    let model = documents::model_to_save(&doc)?;
    let target = match path.map(PathBuf::from) {
        Some(path) if !save_as => {
            session.check_permitted(&path)?;
            path
        }
        path => {
            let suggested = path
                .as_deref()
                .and_then(Path::file_name)
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| format!("{}.bartizan.yaml", slug(&model.metadata.name)));
            match session.dialogs.save_model(&app, &suggested) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    // The window refuses to save a document that opened incomplete; this holds even if it
    // did not.
    session.check_writable(&target)?;
    store::write_model(&target, &model)?;
    session.grant(&target);
    remember(&session, &target);
    session.showing(&app, Some(&target), &model.metadata.name);
    let author = session.data.author();
    let recorded = documents::workspace_path()
        .map_err(CommandError::from)
        .and_then(|workspace| {
            documents::record_revision(&workspace, &target, &model, author.as_deref())
        });
    let (revision, warning) = match recorded {
        Ok(number) => (Some(number), None),
        Err(error) => {
            eprintln!(
                "bartizan-desktop: the revision was not recorded: {}",
                error.message
            );
            (None, Some(error.message))
        }
    };
    Ok(Some(Saved {
        path: target.display().to_string(),
        revision,
        warning,
    }))
}

/// The recorded revisions of the file at `path` (the open document's file when null), oldest
/// first; none for a document without a file.
#[tauri::command]
pub async fn history(
    session: State<'_, Session>,
    path: Option<String>,
) -> CommandResult<Vec<Revision>> {
    match file_of(&session, path)? {
        Some(path) => documents::history(&documents::workspace_path()?, &path),
        None => Ok(Vec::new()),
    }
}

/// What changed from revision `from` to revision `to` of the file at `path` (the open
/// document's file when null): the engine's diff. `to` defaults to the latest revision and
/// `from` to the one before `to`.
#[tauri::command]
pub async fn compare_revisions(
    session: State<'_, Session>,
    path: Option<String>,
    from: Option<u32>,
    to: Option<u32>,
) -> CommandResult<Diff> {
    let path = file_of(&session, path)?.ok_or_else(no_history)?;
    documents::compare_revisions(&documents::workspace_path()?, &path, from, to)
}

/// Revision `revision` of the file at `path` (the open document's file when null) as a
/// document, read the way opening a file reads it, for the window to restore.
#[tauri::command]
pub async fn revision_document(
    session: State<'_, Session>,
    path: Option<String>,
    revision: u32,
) -> CommandResult<Opened> {
    let path = file_of(&session, path)?.ok_or_else(no_history)?;
    documents::revision_document(&documents::workspace_path()?, &path, revision)
}

/// The file a history command is about: the one named (which the user must have chosen), or
/// the open document's.
fn file_of(session: &Session, path: Option<String>) -> CommandResult<Option<PathBuf>> {
    match path.map(PathBuf::from) {
        Some(path) => {
            session.check_permitted(&path)?;
            Ok(Some(path))
        }
        None => Ok(session.file()),
    }
}

fn no_history() -> CommandError {
    CommandError::new(
        "unknown-revision",
        "the model has no file yet, so it has no history",
    )
}

/// The engine's analysis of the document whose JSON text is the request's raw body: `{ valid,
/// diagnostics, report }` (docs/findings-json.md), answered as the engine wrote it. The engine
/// reads the text as sent, so diagnostics give its lines and columns; the window parses the
/// answer once. It runs on a worker thread, never on the one that runs the windows.
#[tauri::command]
pub async fn analyze(session: State<'_, Session>, request: Request<'_>) -> CommandResult<Response> {
    let InvokeBody::Raw(body) = request.body() else {
        return Err(CommandError::new(
            "invalid-request",
            "the document comes as the raw request body: its JSON text",
        ));
    };
    let text = String::from_utf8(body.clone())
        .map_err(|_| CommandError::new("invalid-request", "the document's text is not UTF-8"))?;
    let file = session.file();
    let analysis = tauri::async_runtime::spawn_blocking(move || {
        documents::analyze(&text, |name| origin_named(file, Some(name)))
    })
    .await
    .map_err(|error| CommandError::new("analysis-failed", error.to_string()))?;
    Ok(Response::new(analysis))
}

/// The document with the id `old` renamed to `new` everywhere it is referenced, triage
/// included: `{ doc, triage, moved }` (`bartizan::analysis::rename_in_document`).
#[tauri::command]
pub async fn rename_id(doc: Value, old: String, new: String) -> CommandResult<Value> {
    Ok(bartizan::analysis::rename_in_document(
        &doc.to_string(),
        Format::Json,
        &old,
        &new,
    )?)
}

/// The plan for the document: the fewest controls that close the most risk, each simulated
/// (`bartizan::analysis::plan_document`, docs/plan.md).
#[tauri::command]
pub async fn plan(doc: Value) -> CommandResult<Value> {
    Ok(bartizan::analysis::plan_document(
        &doc.to_string(),
        Format::Json,
    )?)
}

/// The document with the plan step `step` applied, the same edit the plan simulated:
/// `{ doc, step, edit }` (`bartizan::analysis::apply_plan_step_in_document`).
#[tauri::command]
pub async fn apply_plan_step(doc: Value, step: String) -> CommandResult<Value> {
    Ok(bartizan::analysis::apply_plan_step_in_document(
        &doc.to_string(),
        Format::Json,
        &step,
    )?)
}

/// Writes the findings report in `format` (`json`, `sarif`, `csv`, `md`, or `pdf` for the PDF
/// report) where the user chooses. Returns the path written, or null when the user cancelled.
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    session: State<'_, Session>,
    doc: Value,
    format: String,
) -> CommandResult<Option<String>> {
    let (report_format, kind, extension) = match format.as_str() {
        "json" => (Some(report::Format::Json), "JSON report", "json"),
        "sarif" => (Some(report::Format::Sarif), "SARIF 2.1.0", "sarif"),
        "csv" => (Some(report::Format::Csv), "CSV", "csv"),
        "md" => (Some(report::Format::Markdown), "Markdown", "md"),
        "pdf" => (None, "PDF report", "pdf"),
        other => {
            return Err(CommandError::new(
                "unknown-format",
                format!("no export format `{other}`: json, sarif, csv, md or pdf"),
            ));
        }
    };
    let origin = origin(&session, &doc);
    let rendered = match report_format {
        Some(format) => documents::render_report(&doc, &origin, format)?.into_bytes(),
        None => {
            // A saved file has a history in the workspace: its triage audit trail goes in the
            // report's appendix. A workspace that cannot be read leaves the trail out rather
            // than the export.
            let options = match session.file() {
                Some(file) => match audit_trail(None, &file) {
                    Ok(audit) => PdfOptions::now().with_audit(audit),
                    Err(_) => PdfOptions::now(),
                },
                None => PdfOptions::now(),
            };
            documents::render_pdf(&doc, &origin, &options)?
        }
    };
    let stem = origin
        .file_name()
        .map(|name| {
            let name = name.to_string_lossy();
            let stem = [
                ".bartizan.yaml",
                ".bartizan.yml",
                ".bartizan.json",
                ".yaml",
                ".yml",
                ".json",
            ]
            .iter()
            .find_map(|ext| name.strip_suffix(ext))
            .unwrap_or(&name);
            stem.to_owned()
        })
        .unwrap_or_else(|| slug(&document_name(&doc)));
    let what = if report_format.is_some() {
        "findings"
    } else {
        "report"
    };
    let suggested = format!("{stem}-{what}.{extension}");
    let Some(target) = session
        .dialogs
        .save_report(&app, &suggested, (kind, extension))
    else {
        return Ok(None);
    };
    store::write_atomically(&target, &rendered)?;
    Ok(Some(target.display().to_string()))
}

/// Keeps the document for crash recovery, in the app data directory.
#[tauri::command]
pub async fn autosave(
    session: State<'_, Session>,
    doc: Value,
    path: Option<String>,
) -> CommandResult<()> {
    // A path is kept only when the window may use it, so recovering grants nothing new.
    let path = path.map(PathBuf::from).filter(|p| session.permits(p));
    // An incomplete document restored after a crash would be saved over its file.
    if let Some(path) = &path {
        session.check_writable(path)?;
    }
    session.data.save_recovery(&doc, path.as_deref())?;
    Ok(())
}

/// `{ doc, path, savedAt }` left by a session that ended without closing cleanly, or null.
#[tauri::command]
pub async fn recover(session: State<'_, Session>) -> CommandResult<Option<Value>> {
    Ok(recovery(&session))
}

/// The crash-recovery document; the window may then write to the file it came from.
pub fn recovery(session: &Session) -> Option<Value> {
    let recovery = session.data.recovery();
    if let Some(path) = recovery
        .as_ref()
        .and_then(|r| r.get("path"))
        .and_then(Value::as_str)
    {
        session.grant(Path::new(path));
    }
    recovery
}

#[tauri::command]
pub async fn discard_recovery(session: State<'_, Session>) -> CommandResult<()> {
    session.data.discard_recovery();
    Ok(())
}

/// The window reports unsaved changes: the title shows them and closing asks first.
#[tauri::command]
pub async fn set_dirty(
    app: AppHandle,
    session: State<'_, Session>,
    dirty: bool,
) -> CommandResult<()> {
    session.set_dirty(&app, dirty);
    Ok(())
}

/// The OS user's name, which the window offers when it first asks for the user's name; null
/// when unknown. It never signs anything itself.
#[tauri::command]
pub async fn user_name() -> CommandResult<Option<String>> {
    Ok(os_user_name())
}

/// The name the user set to sign triage decisions and recorded revisions (the app's
/// preference); null until they set one.
#[tauri::command]
pub async fn author(session: State<'_, Session>) -> CommandResult<Option<String>> {
    Ok(session.data.author())
}

/// Sets the name that signs triage decisions and revisions; returns it as kept (trimmed).
#[tauri::command]
pub async fn set_author(session: State<'_, Session>, name: String) -> CommandResult<String> {
    let name = appdata::clean_author(&name).ok_or_else(|| {
        CommandError::new(
            "invalid-name",
            format!(
                "a name that signs decisions is 1 to {} characters, without control characters",
                appdata::AUTHOR_MAX_CHARS
            ),
        )
    })?;
    session.data.set_author(&name)?;
    Ok(name)
}

fn os_user_name() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .filter(|name| !name.trim().is_empty())
}

fn remember(session: &Session, path: &Path) {
    // The recent list is a convenience: failing to update it must not fail the open or save.
    if let Err(error) = session.data.remember(path) {
        eprintln!("bartizan-desktop: cannot update the recent files: {error}");
    }
}

/// How reports name the document: its file, or the file the save dialog would suggest.
fn origin(session: &Session, doc: &Value) -> PathBuf {
    origin_named(
        session.file(),
        doc.pointer("/metadata/name").and_then(Value::as_str),
    )
}

/// [`origin`] from the document's file, if it has one, and its model's name.
fn origin_named(file: Option<PathBuf>, name: Option<&str>) -> PathBuf {
    file.unwrap_or_else(|| PathBuf::from(format!("{}.bartizan.yaml", slug(&named(name)))))
}

fn document_name(doc: &Value) -> String {
    named(doc.pointer("/metadata/name").and_then(Value::as_str))
}

/// A model's name as the app shows it: "Untitled" when it has none.
fn named(name: Option<&str>) -> String {
    name.filter(|name| !name.trim().is_empty())
        .unwrap_or("Untitled")
        .to_owned()
}

/// A file name from a model's name: `Finance ops (EU)` → `finance-ops-eu`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "model".to_owned()
    } else {
        slug.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_file_names_from_model_names() {
        assert_eq!(slug("Finance ops (EU)"), "finance-ops-eu");
        assert_eq!(slug("  "), "model");
        assert_eq!(slug("Café — été"), "café-été");
    }
}
