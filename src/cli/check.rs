//! `bartizan check MODEL`: run the checks, apply triage and baseline, render, exit by `--fail-on`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_INVALID, EXIT_USAGE, report_failure};
use crate::diagnostic;
use crate::findings::{Baseline, Severity};
use crate::report::{self, CheckRun};
use crate::store::{self, ModelFile};
use crate::syntax::Limits;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Csv,
    Md,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Info,
    Low,
    Medium,
    High,
    Critical,
    /// Never fail because of risks.
    None,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::None => None,
        }
    }
}

#[derive(Args)]
pub struct CheckArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 1 when an open risk (not triaged away, not in the baseline) is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::High)]
    fail_on: FailOn,
    /// Treat the risks listed in FILE as known: they are reported but do not fail the run.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current risks' fingerprints to FILE as a baseline.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

pub fn run(args: &CheckArgs, out: &mut impl Write) -> u8 {
    let file = match read_valid_model(&args.model) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let baseline = match read_baseline(args.baseline.as_deref()) {
        Ok(baseline) => baseline,
        Err(code) => return code,
    };
    let run = check_run(&file, baseline.as_ref());

    let format = match args.format {
        CheckFormat::Text => report::Format::Text,
        CheckFormat::Json => report::Format::Json,
        CheckFormat::Sarif => report::Format::Sarif,
        CheckFormat::Csv => report::Format::Csv,
        CheckFormat::Md => report::Format::Markdown,
    };
    match &args.out {
        Some(path) => {
            let rendered = run.render(format, false);
            if let Err(error) = store::write_atomically(path, rendered.as_bytes()) {
                report_failure(&error.to_string());
                return EXIT_USAGE;
            }
        }
        None => {
            let _ = out.write_all(run.render(format, true).as_bytes());
        }
    }
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_risks(&run.risks);
        if let Err(error) = store::write_atomically(path, baseline.to_json().as_bytes()) {
            report_failure(&error.to_string());
            return EXIT_USAGE;
        }
    }

    let failing = args.fail_on.threshold().is_some_and(|threshold| {
        run.risks
            .iter()
            .any(|risk| risk.is_actionable() && risk.severity >= threshold)
    });
    if failing { EXIT_FINDINGS } else { EXIT_CLEAN }
}

/// Reads a model file for a command that needs a valid model. Warnings go to stderr, so that
/// machine formats on stdout stay parseable; an unreadable file is `Err(EXIT_USAGE)` and an
/// invalid model `Err(EXIT_INVALID)`, each after saying why on stderr.
pub(super) fn read_valid_model(path: &Path) -> Result<ModelFile, u8> {
    let file = match store::read_model(path, &Limits::default()) {
        Ok(file) => file,
        Err(error) => {
            report_failure(&error.to_string());
            return Err(EXIT_USAGE);
        }
    };
    let origin = path.display().to_string();
    let diagnostics = diagnostic::render(&file.parsed.diagnostics, &file.source, &origin, true);
    let mut err = anstream::stderr();
    if file.parsed.valid_model().is_none() {
        let _ = err.write_all(diagnostics.as_bytes());
        let _ = writeln!(err, "{origin}: invalid model; fix the errors above first");
        return Err(EXIT_INVALID);
    }
    let _ = err.write_all(diagnostics.as_bytes());
    Ok(file)
}

/// Reads `--baseline FILE`; `Err(EXIT_USAGE)` (said on stderr) when it cannot be read.
pub(super) fn read_baseline(path: Option<&Path>) -> Result<Option<Baseline>, u8> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = store::read_bounded(path, store::BASELINE_MAX_BYTES)
        .map_err(|error| error.to_string())
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                format!(
                    "cannot read the baseline {}: it is not UTF-8 text",
                    path.display()
                )
            })
        })
        .map_err(|error| {
            report_failure(&error);
            EXIT_USAGE
        })?;
    Baseline::from_json(&text).map(Some).map_err(|error| {
        report_failure(&format!(
            "cannot read the baseline {}: {error}",
            path.display()
        ));
        EXIT_USAGE
    })
}

/// Runs the checks on a file [`read_valid_model`] accepted and applies its triage and the
/// baseline.
pub(super) fn check_run<'a>(file: &'a ModelFile, baseline: Option<&Baseline>) -> CheckRun<'a> {
    let model = file
        .parsed
        .valid_model()
        .expect("read_valid_model refuses invalid models");
    CheckRun::new(
        model,
        file.path.display().to_string(),
        report::content_hash(file.source.as_bytes()),
        file.parsed.locations(&file.source),
        baseline,
    )
}
