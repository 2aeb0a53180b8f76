//! `bartizan record MODEL`: record the model file as it is now as a new revision in the
//! workspace, with its risks and an audit entry per changed triage decision.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::check::read_valid_model;
use super::{EXIT_CLEAN, EXIT_INVALID, EXIT_USAGE, WorkspaceArg, report_failure};
use crate::store::workspace::{self, AUTHOR_ENV, WorkspaceError};

#[derive(Args)]
pub struct RecordArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    /// Who records the revision [default: $BARTIZAN_AUTHOR, else the login name: $USER,
    /// $LOGNAME or $USERNAME]; with none of them, nothing is recorded.
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &RecordArgs, out: &mut impl Write) -> u8 {
    let file = match read_valid_model(&args.model) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let Some(author) = author(args.author.as_deref()) else {
        report_failure(&format!(
            "nothing was recorded: no author is known; say who records the revision with \
             --author NAME or {AUTHOR_ENV}=NAME (no login name is set in $USER, $LOGNAME or \
             $USERNAME)"
        ));
        return EXIT_USAGE;
    };
    let mut workspace = match args.workspace.open() {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    let outcome = match workspace.record(&args.model, &file.source, &author, workspace::now()) {
        Ok(outcome) => outcome,
        Err(error) => {
            report_failure(&error.to_string());
            return match error {
                WorkspaceError::InvalidModel { .. } => EXIT_INVALID,
                _ => EXIT_USAGE,
            };
        }
    };
    let revision = &outcome.revision;
    let _ = if outcome.created {
        writeln!(
            out,
            "revision {} of {} (+{} −{} ~{} risks)",
            revision.number,
            args.model.display(),
            revision.delta.added,
            revision.delta.resolved,
            revision.delta.changed
        )
    } else {
        writeln!(out, "unchanged, revision {}", revision.number)
    };
    EXIT_CLEAN
}

/// `--author`, else `$BARTIZAN_AUTHOR`, else the login name; blank names count as none.
fn author(given: Option<&str>) -> Option<String> {
    let named = |name: String| Some(name.trim().to_owned()).filter(|name| !name.is_empty());
    given
        .and_then(|name| named(name.to_owned()))
        .or_else(|| std::env::var(AUTHOR_ENV).ok().and_then(named))
        .or_else(workspace::default_author)
}
