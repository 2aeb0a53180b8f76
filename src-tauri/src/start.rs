//! What the window needs at its start comes with the page. An initialization script sets
//! `window.__bartizanStart` before the UI's scripts run: the crash-recovery document, or else
//! the model named on the command line, read and analysed. The first render then draws the
//! model and its risks. Asked for by command, the model would reach the page only once the web
//! process had rendered an empty document, and its analysis one round trip after that.

use std::path::PathBuf;
use std::thread::{self, JoinHandle};

use serde_json::Value;
use tauri::AppHandle;

use crate::commands;
use crate::documents::{self, Opened};
use crate::error::CommandResult;
use crate::session::Session;

/// The model named on the command line, read and, when it reads completely, analysed.
pub struct Prepared {
    path: PathBuf,
    opened: CommandResult<Opened>,
    /// The engine's analysis of the document as the window sends it (its JSON text).
    analysis: Option<String>,
}

/// Reads and analyses `initial` in a thread of its own, while the app and its window start.
pub fn prepare(initial: Option<PathBuf>) -> Option<JoinHandle<Prepared>> {
    let path = initial?;
    Some(thread::spawn(move || {
        let opened = documents::open_file(&path);
        let analysis = opened.as_ref().ok().filter(|o| o.complete).map(|opened| {
            let text = serde_json::to_string(&opened.doc).expect("a document serialises");
            documents::analyze(&text, |_| path.clone())
        });
        Prepared {
            path,
            opened,
            analysis,
        }
    }))
}

/// The initialization script. With a crash-recovery document it carries only that: the model
/// stays with the session until the window asks for it (`initial_model`), after the user has
/// answered. Otherwise it carries the model prepared, now recorded as the open document.
pub fn script(
    app: &AppHandle,
    session: &Session,
    prepared: Option<JoinHandle<Prepared>>,
) -> String {
    let recovery = commands::recovery(session);
    let initial = match (&recovery, prepared.map(JoinHandle::join)) {
        (None, Some(Ok(prepared))) => {
            session.take_initial();
            Some(initial(app, session, prepared))
        }
        // A thread that panicked leaves the model to be asked for by command, as after a reload.
        _ => None,
    };
    script_of(recovery, initial)
}

/// `window.__bartizanStart = { recovery, initial }`; `initial` is JSON text already.
fn script_of(recovery: Option<Value>, initial: Option<String>) -> String {
    let start = format!(
        r#"{{"recovery":{},"initial":{}}}"#,
        recovery.unwrap_or(Value::Null),
        initial.unwrap_or_else(|| "null".to_owned()),
    );
    // A JSON text as a string literal: JSON.parse reads a large one faster than a script's
    // parser reads the same object as code.
    let literal = serde_json::to_string(&start).expect("a string serialises");
    format!("window.__bartizanStart = JSON.parse({literal});")
}

/// Records the model prepared as the open document, and returns what the window gets of it.
fn initial(app: &AppHandle, session: &Session, prepared: Prepared) -> String {
    if let Ok(opened) = &prepared.opened {
        commands::record_open(app, session, &prepared.path, opened);
    }
    initial_of(prepared)
}

/// `{ opened, analysis }`, or `{ error }` when the model could not be read.
fn initial_of(prepared: Prepared) -> String {
    match prepared.opened {
        Ok(opened) => {
            let opened = serde_json::to_string(&opened).expect("a document serialises");
            let analysis = prepared.analysis.unwrap_or_else(|| "null".to_owned());
            format!(r#"{{"opened":{opened},"analysis":{analysis}}}"#)
        }
        Err(error) => {
            let error = serde_json::to_string(&error).expect("an error serialises");
            format!(r#"{{"error":{error}}}"#)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// What the window's `JSON.parse` reads from a script.
    fn handed_over(script: &str) -> Value {
        let literal = script
            .strip_prefix("window.__bartizanStart = JSON.parse(")
            .and_then(|rest| rest.strip_suffix(");"))
            .expect("one JSON.parse of one string literal");
        let text: String = serde_json::from_str(literal).expect("a JSON string is a JS string");
        serde_json::from_str(&text).expect("its text is JSON")
    }

    fn prepared(text: &str) -> (tempfile::TempDir, Prepared) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("start.bartizan.yaml");
        std::fs::write(&path, text).unwrap();
        let prepared = prepare(Some(path)).unwrap().join().unwrap();
        (dir, prepared)
    }

    #[test]
    fn a_model_comes_read_and_analysed_as_the_window_would_have_it_analysed() {
        let (dir, prepared) = prepared(crate::documents::EXAMPLES[0].2);
        let path = dir.path().join("start.bartizan.yaml");
        let doc = prepared.opened.as_ref().unwrap().doc.clone();
        let window_would_get =
            documents::analyze(&serde_json::to_string(&doc).unwrap(), |_| path.clone());
        let start = handed_over(&script_of(None, Some(initial_of(prepared))));

        assert_eq!(start["recovery"], Value::Null);
        assert_eq!(start["initial"]["opened"]["doc"], doc);
        assert_eq!(start["initial"]["opened"]["complete"], true);
        let analysis = &start["initial"]["analysis"];
        assert_eq!(analysis["valid"], true);
        assert!(!analysis["report"]["risks"].as_array().unwrap().is_empty());
        assert_eq!(
            *analysis,
            serde_json::from_str::<Value>(&window_would_get).unwrap()
        );
    }

    #[test]
    fn a_model_that_does_not_read_completely_comes_without_an_analysis() {
        let (_dir, prepared) = prepared(
            "bartizan: 1\nmetadata: { name: Half }\nnodes:\n  - { id: a, kind: agent, name: A }\n  - { id: b, kind: starship, name: B }\n",
        );
        let start = handed_over(&script_of(None, Some(initial_of(prepared))));
        assert_eq!(start["initial"]["opened"]["complete"], false);
        assert_eq!(start["initial"]["analysis"], Value::Null);
    }

    #[test]
    fn a_model_that_cannot_be_read_comes_as_the_error_saying_why() {
        let missing = std::env::temp_dir().join("bartizan-no-such-model.bartizan.yaml");
        let prepared = prepare(Some(missing.clone())).unwrap().join().unwrap();
        let start = handed_over(&script_of(None, Some(initial_of(prepared))));
        assert_eq!(start["initial"]["error"]["code"], "io");
        assert_eq!(
            start["initial"]["error"]["path"],
            missing.display().to_string()
        );
    }

    #[test]
    fn any_text_crosses_as_a_string_the_page_parses() {
        // Quotes, backslashes, line and paragraph separators, a closing script tag.
        let name = "a \"b\" \\ c \u{2028}\u{2029} </script><!-- 𝔁";
        let recovery = json!({ "doc": { "metadata": { "name": name } }, "path": null });
        let start = handed_over(&script_of(Some(recovery.clone()), None));
        assert_eq!(start["recovery"], recovery);
        assert_eq!(start["initial"], Value::Null);
    }

    #[test]
    fn nothing_to_prepare_without_a_model() {
        assert!(prepare(None).is_none());
    }
}
