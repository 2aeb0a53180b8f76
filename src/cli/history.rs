//! `bartizan history MODEL`: the revisions of a model recorded in the workspace, newest first.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_CLEAN, EXIT_USAGE, WorkspaceArg, report_failure};
use crate::report::{self, HistoryFormat};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryOutput {
    Text,
    Json,
    Md,
}

impl HistoryOutput {
    pub(super) fn format(self) -> HistoryFormat {
        match self {
            HistoryOutput::Text => HistoryFormat::Text,
            HistoryOutput::Json => HistoryFormat::Json,
            HistoryOutput::Md => HistoryFormat::Markdown,
        }
    }
}

#[derive(Args)]
pub struct HistoryArgs {
    /// The model file (it need not exist any more).
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    #[arg(long, value_enum, default_value_t = HistoryOutput::Text)]
    format: HistoryOutput,
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &HistoryArgs, out: &mut impl Write) -> u8 {
    let workspace = match args.workspace.open_read_only() {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    match workspace.history(&args.model) {
        Ok(revisions) => {
            let model = args.model.display().to_string();
            let _ = out.write_all(
                report::render_history(&model, &revisions, args.format.format()).as_bytes(),
            );
            EXIT_CLEAN
        }
        Err(error) => {
            report_failure(&error.to_string());
            EXIT_USAGE
        }
    }
}
