//! The `bartizan` command line.
//!
//! Exit codes (documented in the README and `bartizan --help`):
//! 0 clean (for `report`: written); 1 open risks at or above `--fail-on` (for `audit --verify`:
//! the history has been tampered with or damaged); 2 a model is invalid;
//! 3 usage or I/O error (for `history`, `diff` and `audit`: also a workspace that cannot be
//! opened, a model with no recorded revision, or a revision that does not exist).

mod audit;
mod check;
mod diff;
mod fmt;
mod history;
mod plan;
mod record;
mod rename;
mod report;
mod rules;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::store::ModelFile;
use crate::store::workspace::Workspace;

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_INVALID: u8 = 2;
pub const EXIT_USAGE: u8 = 3;

const AFTER_HELP: &str = "\
Exit codes:
  0  clean: every model is valid (and, for check, no open risk at or above --fail-on;
     for report, the report was written)
  1  check found open risks at or above --fail-on (audit --verify: the history has
     been tampered with or damaged)
  2  a model file is invalid (the errors say where and why)
  3  usage error, or a file could not be read or written (for history, diff and
     audit: also no such revision, or a workspace that cannot be opened)";

#[derive(Parser)]
#[command(
    name = "bartizan",
    version,
    about = "Threat modeling for AI agent systems",
    long_about = "Bartizan checks a model of an AI agent system (agents, tools, identities, secrets, \
data, humans, workflows and trust boundaries) for ungoverned paths, and explains each finding \
with the path that makes it possible.",
    after_help = AFTER_HELP
)]
struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check that model files are well-formed and consistent; report every problem with its place.
    #[command(after_help = AFTER_HELP)]
    Validate {
        /// Model files (`*.bartizan.yaml`, `*.bartizan.json`).
        #[arg(required = true, value_name = "MODEL")]
        models: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Run the checks on a model and report its risks and open questions.
    #[command(after_help = AFTER_HELP)]
    Check(check::CheckArgs),
    /// Write a model's PDF report: summary, diagram, findings with their paths, triage, coverage.
    #[command(after_help = AFTER_HELP)]
    Report(report::ReportArgs),
    /// Rewrite model files in canonical form (stable order and quoting), writing generated ids.
    #[command(after_help = AFTER_HELP)]
    Fmt {
        #[arg(required = true, value_name = "MODEL")]
        models: Vec<PathBuf>,
        /// Change nothing; exit 1 if a file is not in canonical form.
        #[arg(long)]
        check: bool,
    },
    /// Rename a node, edge or boundary everywhere in a model file: edges, boundaries, layout
    /// and the triage decisions about its risks. Rewrites the file in canonical form.
    #[command(after_help = AFTER_HELP)]
    Rename {
        /// The id to rename.
        old: String,
        /// Its new id.
        new: String,
        #[arg(value_name = "MODEL")]
        model: PathBuf,
    },
    /// Record the model file as it is now as a revision in the workspace, with its risks.
    #[command(after_help = AFTER_HELP)]
    Record(record::RecordArgs),
    /// List the revisions of a model recorded in the workspace, newest first.
    #[command(after_help = AFTER_HELP)]
    History(history::HistoryArgs),
    /// Show what changed between two recorded revisions: risks and model elements.
    #[command(after_help = AFTER_HELP)]
    Diff(diff::DiffArgs),
    /// Print the workspace's append-only log of triage decisions.
    #[command(after_help = AFTER_HELP)]
    Audit(audit::AuditArgs),
    /// List the checks Bartizan runs, with their severity, rationale, fix and references.
    Rules {
        #[arg(long, value_enum, default_value_t = rules::RulesFormat::Text)]
        format: rules::RulesFormat,
    },
    /// Plan the fewest controls that close the most risk: each candidate control is applied
    /// to a copy of the model and the checks run again.
    #[command(after_help = AFTER_HELP)]
    Plan(plan::PlanArgs),
    /// Print the JSON Schema of model files.
    Schema,
}

/// The command line's declaration, for what is generated from it (shell completions, the man
/// page: `cargo run --example cli-docs`).
pub fn command() -> clap::Command {
    Cli::command()
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let choice = match cli.color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    let mut out = anstream::stdout();
    let code = match cli.command {
        Command::Validate { models, format } => validate::run(&models, format, &mut out),
        Command::Check(args) => check::run(&args, &mut out),
        Command::Report(args) => report::run(&args),
        Command::Fmt { models, check } => fmt::run(&models, check, &mut out),
        Command::Rules { format } => rules::run(format, &mut out),
        Command::Rename { old, new, model } => rename::run(&old, &new, &model, &mut out),
        Command::Plan(args) => plan::run(&args, &mut out),
        Command::Record(args) => record::run(&args, &mut out),
        Command::History(args) => history::run(&args, &mut out),
        Command::Diff(args) => diff::run(&args, &mut out),
        Command::Audit(args) => audit::run(&args, &mut out),
        Command::Schema => {
            let _ = out.write_all(crate::model::json_schema().as_bytes());
            EXIT_CLEAN
        }
    };
    let _ = out.flush();
    ExitCode::from(code)
}

/// `--workspace PATH`, for the commands that use the workspace.
#[derive(Args)]
struct WorkspaceArg {
    /// The workspace database [default: $BARTIZAN_WORKSPACE, else the platform's data
    /// directory, e.g. ~/.local/share/bartizan/workspace.sqlite3].
    #[arg(long = "workspace", value_name = "PATH")]
    path: Option<PathBuf>,
}

impl WorkspaceArg {
    /// Opens the workspace; `Err(EXIT_USAGE)` (said on stderr) when it cannot be.
    fn open(&self) -> Result<Workspace, u8> {
        self.open_with(Workspace::open)
    }

    /// Opens the workspace for a command that only reads: read-only, never migrated.
    fn open_read_only(&self) -> Result<Workspace, u8> {
        self.open_with(Workspace::open_read_only)
    }

    fn open_with(
        &self,
        open: fn(PathBuf) -> Result<Workspace, crate::store::workspace::WorkspaceError>,
    ) -> Result<Workspace, u8> {
        let path = match &self.path {
            Some(path) => Ok(path.clone()),
            None => Workspace::default_path(),
        };
        path.and_then(open).map_err(|error| {
            report_failure(&error.to_string());
            EXIT_USAGE
        })
    }
}

/// Prints an I/O or usage error to stderr, in the same style as diagnostics.
fn report_failure(message: &str) {
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let _ = writeln!(anstream::stderr(), "{style}error{style:#}: {message}");
}

/// Prints a file's diagnostics rustc-style.
fn print_diagnostics(out: &mut impl Write, file: &ModelFile) {
    let origin = file.path.display().to_string();
    let text = diagnostic::render(&file.parsed.diagnostics, &file.source, &origin, true);
    let _ = out.write_all(text.as_bytes());
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
