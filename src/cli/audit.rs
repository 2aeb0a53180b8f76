//! `bartizan audit [MODEL]`: the append-only log of triage decisions, of one model or of all;
//! with `--verify`, the check of the tamper-evident chain instead.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, WorkspaceArg, plural, report_failure};
use crate::report::{self, AuditFormat};
use crate::store::workspace::{Workspace, WorkspaceError};

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
    /// Recompute the chain of revisions and entries and check the database: name the first
    /// broken link of each model (exit 1), or print each model's head hash to keep elsewhere.
    #[arg(long, conflicts_with = "format")]
    verify: bool,
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &AuditArgs, out: &mut impl Write) -> u8 {
    let workspace = match args.workspace.open_read_only() {
        Ok(workspace) => workspace,
        Err(code) => return code,
    };
    if args.verify {
        return match verify(&workspace, args, out) {
            Ok(code) => code,
            Err(error) => {
                report_failure(&error.to_string());
                EXIT_USAGE
            }
        };
    }
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

/// Prints what `--verify` found; `EXIT_FINDINGS` when anything is broken.
fn verify(
    workspace: &Workspace,
    args: &AuditArgs,
    out: &mut impl Write,
) -> Result<u8, WorkspaceError> {
    let trail = workspace.verify_trail(args.model.as_deref())?;
    let mut broken = false;
    for problem in trail.schema_problems.iter().chain(&trail.orphans) {
        let _ = writeln!(out, "BROKEN  workspace: {problem}");
        broken = true;
    }
    if trail.tables_intact() {
        for problem in workspace.verify()? {
            let _ = writeln!(out, "BROKEN  {problem}");
            broken = true;
        }
    }
    for chain in &trail.chains {
        let _ = match &chain.broken {
            Some(link) => {
                broken = true;
                writeln!(
                    out,
                    "BROKEN  {} at {}: {}",
                    chain.model, link.link, link.detail
                )
            }
            None => writeln!(
                out,
                "ok      {}: {}, {}, head {}",
                chain.model,
                plural(chain.revisions as usize, "revision"),
                match chain.entries {
                    1 => "1 audit entry".to_owned(),
                    count => format!("{count} audit entries"),
                },
                chain.head
            ),
        };
    }
    if broken {
        report_failure(&format!(
            "the history in {} has been tampered with or damaged",
            workspace.path().display()
        ));
        return Ok(EXIT_FINDINGS);
    }
    if trail.chains.is_empty() {
        let _ = writeln!(out, "nothing is recorded");
    }
    Ok(EXIT_CLEAN)
}
