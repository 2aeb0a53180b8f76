//! `bartizan rename OLD NEW MODEL`

use std::io::Write;
use std::path::Path;

use super::{EXIT_CLEAN, EXIT_INVALID, EXIT_USAGE, print_diagnostics, report_failure};
use crate::analysis::read_completely;
use crate::edit::{TriageRenamed, rename_id};
use crate::store;
use crate::syntax::Limits;

/// Renames `old` to `new` everywhere in the model file and rewrites it (atomically, in
/// canonical form). A file that does not read completely is left alone: writing what was read
/// would drop the rest.
pub fn run(old: &str, new: &str, path: &Path, out: &mut impl Write) -> u8 {
    let file = match store::read_model(path, &Limits::default()) {
        Ok(file) => file,
        Err(error) => {
            report_failure(&error.to_string());
            return EXIT_USAGE;
        }
    };
    let Some(model) = read_completely(&file.parsed) else {
        print_diagnostics(out, &file);
        let _ = writeln!(
            out,
            "{}: not renamed, the file does not read completely",
            path.display()
        );
        return EXIT_INVALID;
    };
    let renamed = match rename_id(model, old, new) {
        Ok(renamed) => renamed,
        Err(error) => {
            report_failure(&format!("{}: {error}", path.display()));
            return EXIT_USAGE;
        }
    };
    if let Err(error) = store::write_model(path, &renamed.model) {
        report_failure(&error.to_string());
        return EXIT_USAGE;
    }
    let triage = match renamed.triage {
        TriageRenamed::Carried { moved: 0 } => String::new(),
        TriageRenamed::Carried { moved: 1 } => ", with its 1 triage decision".to_owned(),
        TriageRenamed::Carried { moved } => format!(", with its {moved} triage decisions"),
        TriageRenamed::Untouched => {
            "; the model has errors, so the triage decisions were left as they were".to_owned()
        }
    };
    let _ = writeln!(
        out,
        "{}: renamed `{old}` to `{new}`{triage}",
        path.display()
    );
    EXIT_CLEAN
}
