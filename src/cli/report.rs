//! `bartizan report MODEL --pdf FILE`: run the checks, apply triage (and a baseline), and write
//! the PDF report for people who were not in the room, with the model's triage audit trail
//! from the workspace in its appendix.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::check::{check_run, read_baseline, read_valid_model};
use super::{EXIT_CLEAN, EXIT_USAGE, WorkspaceArg, report_failure};
use crate::report::pdf::PdfOptions;
use crate::store;
use crate::store::workspace::audit_trail;

#[derive(Args)]
pub struct ReportArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    /// Write the PDF report to FILE (replaced atomically).
    #[arg(long, value_name = "FILE", required = true)]
    pdf: PathBuf,
    /// Mark the findings listed in FILE (written by `check --write-baseline`) as known.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Where the triage audit trail for the appendix is read from (nothing is created).
    #[command(flatten)]
    workspace: WorkspaceArg,
}

pub fn run(args: &ReportArgs) -> u8 {
    let file = match read_valid_model(&args.model) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let baseline = match read_baseline(args.baseline.as_deref()) {
        Ok(baseline) => baseline,
        Err(code) => return code,
    };
    let audit = match audit_trail(args.workspace.path.as_deref(), &args.model) {
        Ok(audit) => audit,
        Err(error) => {
            report_failure(&error.to_string());
            return EXIT_USAGE;
        }
    };
    let run = check_run(&file, baseline.as_ref());
    let pdf = run.render_pdf(&PdfOptions::now().with_audit(audit));
    if let Err(error) = store::write_atomically(&args.pdf, &pdf) {
        report_failure(&error.to_string());
        return EXIT_USAGE;
    }
    let _ = writeln!(
        anstream::stderr(),
        "wrote {} (risks: {}, open questions: {})",
        args.pdf.display(),
        run.risks.len(),
        run.questions.len()
    );
    EXIT_CLEAN
}
