//! One call from a model document to everything an editor shows: diagnostics, findings with
//! triage applied, and stale triage. The desktop app calls this on every (debounced) edit.

use serde_json::{Value, json};

use crate::findings::apply_triage;
use crate::graph::ModelGraph;
use crate::report::pdf::PdfOptions;
use crate::report::{self, CheckRun};
use crate::syntax::{Format, Limits, Parsed, parse_model};

/// Reads `text` (a model in `format`), validates it and, when it is valid, runs the checks.
/// Returns `{ "valid", "diagnostics", "report" }` where `report` is the JSON report of
/// `docs/findings-json.md` (null when the model is invalid).
pub fn analyze_document(text: &str, format: Format, path: &str) -> Value {
    let parsed = parse_model(text, format, &Limits::default());
    let diagnostics = serde_json::to_value(&parsed.diagnostics).expect("diagnostics serialise");
    let Some(report) = render_report(text, &parsed, path, report::Format::Json) else {
        return json!({ "valid": false, "diagnostics": diagnostics, "report": null });
    };
    let report: Value = serde_json::from_str(&report).expect("the report is JSON");
    json!({ "valid": true, "diagnostics": diagnostics, "report": report })
}

/// Runs the checks on the model read from `text` (`parsed` is what reading it gave) and
/// renders the report in `format`, locating findings in `text`. `None` when the model has
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
    let graph = ModelGraph::new(model);
    let mut findings = crate::rules::run(&graph);
    let triage = apply_triage(&mut findings, &model.triage);
    let run = CheckRun {
        model,
        model_path: path.to_owned(),
        content_hash: report::content_hash(text.as_bytes()),
        locations: parsed.locations(text),
        findings,
        stale: triage.stale,
        baseline_in_use: false,
    };
    Some(render(&run))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_findings_for_a_valid_document_and_diagnostics_for_an_invalid_one() {
        let valid = r#"{"bartizan":1,"metadata":{"name":"x"},"nodes":[
            {"id":"a","kind":"agent","name":"A"},{"id":"k","kind":"secret","name":"K"},
            {"id":"h","kind":"human","name":"H"}],
            "edges":[{"from":"a","relation":"holds","to":"k"},{"from":"h","relation":"holds","to":"k"}]}"#;
        let result = analyze_document(valid, Format::Json, "untitled");
        assert_eq!(result["valid"], true);
        let rules: Vec<&str> = result["report"]["findings"]
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
}
