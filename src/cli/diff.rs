//! `bartizan diff MODEL [--from REV] [--to REV]`: risks added, resolved and changed, and
//! model elements added, removed and changed, between two recorded revisions.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::history::HistoryOutput;
use super::{EXIT_CLEAN, EXIT_USAGE, WorkspaceArg, report_failure};
use crate::report;

#[derive(Args)]
pub struct DiffArgs {
    /// The model file (it need not exist any more).
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    /// The older revision [default: the one before --to].
    #[arg(long, value_name = "REV")]
    from: Option<u32>,
    /// The newer revision [default: the latest].
    #[arg(long, value_name = "REV")]
    to: Option<u32>,
    #[arg(long, value_enum, default_value_t = HistoryOutput::Text)]
    format: HistoryOutput,
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &DiffArgs, out: &mut impl Write) -> u8 {
    let workspace = match args.workspace.open_read_only() {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    match workspace.diff(&args.model, args.from, args.to) {
        Ok(diff) => {
            let _ =
                out.write_all(report::render_diff(&diff, args.format.format(), true).as_bytes());
            EXIT_CLEAN
        }
        Err(error) => {
            report_failure(&error.to_string());
            EXIT_USAGE
        }
    }
}
