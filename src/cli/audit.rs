//! `bartizan audit [MODEL]`: the append-only log of triage decisions, of one model or of all.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_CLEAN, EXIT_USAGE, WorkspaceArg, report_failure};
use crate::report::{self, AuditFormat};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditOutput {
    Text,
    Csv,
    Json,
}

#[derive(Args)]
pub struct AuditArgs {
    /// Only this model file's entries (it need not exist any more) [default: every model's].
    #[arg(value_name = "MODEL")]
    model: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = AuditOutput::Text)]
    format: AuditOutput,
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &AuditArgs, out: &mut impl Write) -> u8 {
    let workspace = match args.workspace.open_read_only() {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    let format = match args.format {
        AuditOutput::Text => AuditFormat::Text,
        AuditOutput::Csv => AuditFormat::Csv,
        AuditOutput::Json => AuditFormat::Json,
    };
    match workspace.audit_log(args.model.as_deref()) {
        Ok(entries) => {
            let _ = out.write_all(report::render_audit(&entries, format).as_bytes());
            EXIT_CLEAN
        }
        Err(error) => {
            report_failure(&error.to_string());
            EXIT_USAGE
        }
    }
}
