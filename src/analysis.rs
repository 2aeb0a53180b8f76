//! One call from a model document to everything an editor shows: diagnostics, risks with
//! triage applied, open questions, and stale triage. The desktop app calls this on every (debounced) edit.

use std::fmt;

use serde_json::{Value, json};

use crate::diagnostic::Diagnostic;
use crate::edit::{RenameError, TriageRenamed, rename_id};
use crate::model::Model;
use crate::plan;
use crate::report::pdf::PdfOptions;
use crate::report::{self, CheckRun};
use crate::syntax::{self, Format, Limits, Parsed, parse_model};

/// Reads `text` (a model in `format`), validates it and, when it is valid, runs the checks.
/// Returns `{ "valid", "diagnostics", "report" }` where `report` is the JSON report of
/// `docs/findings-json.md` (null when the model is invalid).
pub fn analyze_document(text: &str, format: Format, path: &str) -> Value {
    serde_json::from_str(&analyze_text(text, format, |_| path.to_owned()))
        .expect("the analysis is JSON")
}

/// [`analyze_document`] as JSON text, written once: what the desktop app hands its window as
/// is, at every edit. `path` names the document in the report; it is asked for only when the
/// model is valid, with the model read (an unsaved document is named after the model).
pub fn analyze_text(text: &str, format: Format, path: impl FnOnce(&Model) -> String) -> String {
    let parsed = parse_model(text, format, &Limits::default());
    let diagnostics = serde_json::to_string(&parsed.diagnostics).expect("diagnostics serialise");
    let report = parsed
        .valid_model()
        .map(path)
        .and_then(|path| with_check_run(text, &parsed, &path, |run| run.render_compact_json()));
    match report {
        Some(report) => {
            format!(r#"{{"valid":true,"diagnostics":{diagnostics},"report":{report}}}"#)
        }
        None => format!(r#"{{"valid":false,"diagnostics":{diagnostics},"report":null}}"#),
    }
}

/// Renames the id `old` to `new` in the model document `text` (see [`rename_id`]) and returns
/// `{ "doc", "triage", "moved" }`: the renamed document as JSON, `"carried"` or `"untouched"`
/// (the model has errors, so its triage decisions were left as they were), and how many
/// decisions got a new fingerprint. A document that does not read completely is refused:
/// renaming what was read would drop the rest.
pub fn rename_in_document(
    text: &str,
    format: Format,
    old: &str,
    new: &str,
) -> Result<Value, RenameDocumentError> {
    let parsed = parse_model(text, format, &Limits::default());
    let model = read_completely(&parsed)
        .ok_or_else(|| RenameDocumentError::Unreadable(parsed.diagnostics.clone()))?;
    let renamed = rename_id(model, old, new).map_err(RenameDocumentError::Rename)?;
    let doc: Value =
        serde_json::from_str(&syntax::to_json(&renamed.model)).expect("the engine writes JSON");
    let (triage, moved) = match renamed.triage {
        TriageRenamed::Carried { moved } => ("carried", moved),
        TriageRenamed::Untouched => ("untouched", 0),
    };
    Ok(json!({ "doc": doc, "triage": triage, "moved": moved }))
}

/// The plan for the model document `text` (docs/plan.md): `{ model, open_before,
/// weight_before, candidates, candidate_limit, steps, open_after, weight_after, remaining }`.
/// The model must be valid: the plan re-runs the checks on it.
pub fn plan_document(text: &str, format: Format) -> Result<Value, PlanDocumentError> {
    let parsed = parse_model(text, format, &Limits::default());
    let model = parsed
        .valid_model()
        .ok_or_else(|| PlanDocumentError::Invalid(parsed.diagnostics.clone()))?;
    Ok(serde_json::to_value(plan::plan(model)).expect("a plan serialises"))
}

/// Applies the plan step `step` (a step's `id`, e.g. `policy-gateway:ap-agent`) to the model
/// document `text`, the same edit the plan simulated, and returns `{ "doc", "step", "edit" }`:
/// the edited document as JSON, the step's id, and the edit in words. The model must be valid
/// and read completely.
pub fn apply_plan_step_in_document(
    text: &str,
    format: Format,
    step: &str,
) -> Result<Value, PlanDocumentError> {
    let parsed = parse_model(text, format, &Limits::default());
    let model = read_completely(&parsed)
        .filter(|_| parsed.valid_model().is_some())
        .ok_or_else(|| PlanDocumentError::Invalid(parsed.diagnostics.clone()))?;
    let applied = plan::apply_step(model, step).map_err(PlanDocumentError::Step)?;
    let doc: Value =
        serde_json::from_str(&syntax::to_json(&applied.model)).expect("the engine writes JSON");
    Ok(json!({ "doc": doc, "step": step, "edit": applied.edit }))
}

/// Why a document could not be planned for, or a step not applied to it.
#[derive(Debug)]
pub enum PlanDocumentError {
    /// The model is invalid or does not read completely; its diagnostics say why.
    Invalid(Vec<Diagnostic>),
    /// The step is unknown, or cannot be applied to this model; the text says why.
    Step(String),
}

impl fmt::Display for PlanDocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanDocumentError::Invalid(diagnostics) => {
                write!(f, "the model has errors, so there is no plan for it")?;
                match diagnostics.iter().find(|d| d.is_error()) {
                    Some(d) => write!(f, ": {}", d.message),
                    None => Ok(()),
                }
            }
            PlanDocumentError::Step(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for PlanDocumentError {}

/// The model read, when nothing of the text was left out: its only errors, if any, are the
/// consistency problems `validate` finds in it (a dangling reference, a duplicate id), not a
/// value that could not be read and was dropped.
pub fn read_completely(parsed: &Parsed) -> Option<&Model> {
    parsed.model.as_ref().filter(|_| parsed.is_complete())
}

/// Why a document could not be renamed in.
#[derive(Debug)]
pub enum RenameDocumentError {
    /// The document does not read completely; its diagnostics say why.
    Unreadable(Vec<Diagnostic>),
    Rename(RenameError),
}

impl fmt::Display for RenameDocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameDocumentError::Unreadable(diagnostics) => {
                let first = diagnostics.iter().find(|d| d.is_error());
                write!(
                    f,
                    "the model does not read completely, so nothing was renamed"
                )?;
                match first {
                    Some(d) => write!(f, ": {}", d.message),
                    None => Ok(()),
                }
            }
            RenameDocumentError::Rename(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for RenameDocumentError {}

/// Runs the checks on the model read from `text` (`parsed` is what reading it gave) and
/// renders the report in `format`, locating risks and questions in `text`. `None` when the model has
/// errors.
pub fn render_report(
    text: &str,
    parsed: &Parsed,
    path: &str,
    format: report::Format,
) -> Option<String> {
    with_check_run(text, parsed, path, |run| run.render(format, false))
}

/// Runs the checks like [`render_report`] and renders the PDF report. `None` when the model
/// has errors.
pub fn render_pdf(
    text: &str,
    parsed: &Parsed,
    path: &str,
    options: &PdfOptions,
) -> Option<Vec<u8>> {
    with_check_run(text, parsed, path, |run| run.render_pdf(options))
}

fn with_check_run<T>(
    text: &str,
    parsed: &Parsed,
    path: &str,
    render: impl FnOnce(&CheckRun) -> T,
) -> Option<T> {
    let model = parsed.valid_model()?;
    let run = CheckRun::new(
        model,
        path.to_owned(),
        report::content_hash(text.as_bytes()),
        parsed.locations(text),
        None,
    );
    Some(render(&run))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_risks_for_a_valid_document_and_diagnostics_for_an_invalid_one() {
        let valid = r#"{"bartizan":1,"metadata":{"name":"x"},"nodes":[
            {"id":"a","kind":"agent","name":"A"},{"id":"k","kind":"secret","name":"K"},
            {"id":"h","kind":"human","name":"H"}],
            "edges":[{"from":"a","relation":"holds","to":"k"},{"from":"h","relation":"holds","to":"k"}]}"#;
        let result = analyze_document(valid, Format::Json, "untitled");
        assert_eq!(result["valid"], true);
        let risks = result["report"]["risks"].as_array().unwrap();
        let shared_key = risks
            .iter()
            .find(|r| r["place"] == "k")
            .expect("a risk is placed at the shared key");
        assert_eq!(shared_key["kind"], "credential");
        let rules: Vec<&str> = shared_key["facets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(rules.contains(&"BTZ-IDN-001"), "{rules:?}");

        let invalid = r#"{"metadata":{"name":"x"},"nodes":[{"id":"a","kind":"agnt","name":"A"}]}"#;
        let result = analyze_document(invalid, Format::Json, "untitled");
        assert_eq!(result["valid"], false);
        assert_eq!(result["diagnostics"][0]["path"], "nodes[0].kind");
        assert!(result["report"].is_null());
    }

    #[test]
    fn writes_the_analysis_once_and_names_only_a_valid_model() {
        let valid = r#"{"bartizan":1,"metadata":{"name":"Payments"},"nodes":[
            {"id":"a","kind":"agent","name":"A"},{"id":"k","kind":"secret","name":"K"}],
            "edges":[{"from":"a","relation":"holds","to":"k"}]}"#;
        let text = analyze_text(valid, Format::Json, |model| {
            format!("{}.bartizan.yaml", model.metadata.name)
        });
        let analysis: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(analysis["valid"], true);
        assert_eq!(
            analysis["report"]["model"]["path"],
            "Payments.bartizan.yaml"
        );
        assert_eq!(
            analysis,
            analyze_document(valid, Format::Json, "Payments.bartizan.yaml")
        );

        let invalid = "{\n  \"metadata\": {\"name\": \"x\"},\n  \"nodes\": [{\"id\": \"a\", \"kind\": \"agnt\", \"name\": \"A\"}]\n}";
        let text = analyze_text(invalid, Format::Json, |_| {
            unreachable!("no report names an invalid model")
        });
        let analysis: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(analysis["valid"], false);
        assert!(analysis["report"].is_null());
        // Located in the text as given.
        let kind = &analysis["diagnostics"][0];
        assert_eq!(kind["path"], "nodes[0].kind");
        assert_eq!(kind["line"], 3);
    }

    #[test]
    fn renames_in_a_document_and_refuses_one_that_does_not_read_completely() {
        let doc = r#"{"bartizan":1,"metadata":{"name":"x"},"nodes":[
            {"id":"a","kind":"agent","name":"A"},{"id":"k","kind":"secret","name":"K"}],
            "edges":[{"from":"a","relation":"holds","to":"k"}]}"#;
        let renamed = rename_in_document(doc, Format::Json, "a", "b").unwrap();
        assert_eq!(renamed["doc"]["edges"][0]["from"], "b");
        assert_eq!(renamed["triage"], "carried");

        let dangling = doc.replace(r#""to":"k""#, r#""to":"gone""#);
        let renamed = rename_in_document(&dangling, Format::Json, "a", "b").unwrap();
        assert_eq!(renamed["triage"], "untouched");

        let unknown_word = doc.replace("holds", "holdz");
        let refused = rename_in_document(&unknown_word, Format::Json, "a", "b").unwrap_err();
        assert!(
            matches!(refused, RenameDocumentError::Unreadable(_)),
            "{refused}"
        );
        let taken = rename_in_document(doc, Format::Json, "a", "k").unwrap_err();
        assert_eq!(taken.to_string(), "the id `k` is already used");
    }
    #[test]
    fn plans_a_document_and_applies_a_step_of_it() {
        let doc = r#"{"bartizan":1,"metadata":{"name":"x"},"nodes":[
            {"id":"mail","kind":"input","name":"Mail","properties":{"trust":"untrusted"}},
            {"id":"a","kind":"agent","name":"A"},
            {"id":"pay","kind":"tool","name":"Pay","properties":{"actions":["payment"]}}],
            "edges":[{"from":"mail","relation":"feeds","to":"a"},
                     {"from":"a","relation":"invokes","to":"pay"}]}"#;
        let plan = plan_document(doc, Format::Json).unwrap();
        let first = &plan["steps"][0];
        assert_eq!(first["id"], "policy-gateway:a");
        assert_eq!(first["control"], "policy_gateway");
        assert_eq!(first["at"], "a");
        assert!(!first["closes"].as_array().unwrap().is_empty(), "{plan}");

        let applied = apply_plan_step_in_document(doc, Format::Json, "policy-gateway:a").unwrap();
        assert_eq!(applied["step"], "policy-gateway:a");
        let edges = applied["doc"]["edges"].as_array().unwrap();
        assert!(
            edges
                .iter()
                .any(|e| e["from"] == "a-policy-gateway" && e["to"] == "pay"),
            "{applied}"
        );

        let unknown = apply_plan_step_in_document(doc, Format::Json, "teleport:a").unwrap_err();
        assert!(matches!(unknown, PlanDocumentError::Step(_)), "{unknown}");
        let dangling = doc.replace(r#""to":"pay"}"#, r#""to":"gone"}"#);
        let refused = plan_document(&dangling, Format::Json).unwrap_err();
        assert!(
            matches!(refused, PlanDocumentError::Invalid(_)),
            "{refused}"
        );
    }
}
