//! `bartizan validate MODEL...`

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::{
    EXIT_CLEAN, EXIT_INVALID, EXIT_USAGE, OutputFormat, count, plural, print_diagnostics,
    report_failure,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::store;
use crate::syntax::Limits;

#[derive(Serialize)]
struct Report<'a> {
    /// The version of this JSON shape.
    version: u32,
    files: Vec<FileReport<'a>>,
}

#[derive(Serialize)]
struct FileReport<'a> {
    path: String,
    valid: bool,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn run(models: &[PathBuf], format: OutputFormat, out: &mut impl Write) -> u8 {
    let limits = Limits::default();
    let mut files = Vec::new();
    let mut io_failed = false;
    for path in models {
        match store::read_model(path, &limits) {
            Ok(file) => files.push(file),
            Err(error) => {
                report_failure(&error.to_string());
                io_failed = true;
            }
        }
    }
    let any_invalid = files.iter().any(|f| f.parsed.has_errors());
    match format {
        OutputFormat::Text => {
            for file in &files {
                print_diagnostics(out, file);
            }
            for file in &files {
                let diagnostics = &file.parsed.diagnostics;
                let errors = count(diagnostics, Severity::Error);
                let warnings = count(diagnostics, Severity::Warning);
                let summary = match (&file.parsed.model, errors) {
                    (Some(model), 0) => {
                        let style = anstyle::Style::new()
                            .bold()
                            .fg_color(Some(anstyle::AnsiColor::Green.into()));
                        let mut line = format!(
                            "{style}valid{style:#} ({}, {}, {})",
                            plural(model.nodes.len(), "node"),
                            plural(model.edges.len(), "edge"),
                            plural(model.boundaries.len(), "boundary")
                                .replace("boundarys", "boundaries")
                        );
                        if warnings > 0 {
                            line.push_str(&format!(", {}", plural(warnings, "warning")));
                        }
                        line
                    }
                    _ => {
                        let style = anstyle::Style::new()
                            .bold()
                            .fg_color(Some(anstyle::AnsiColor::Red.into()));
                        let mut line =
                            format!("{style}invalid{style:#}: {}", plural(errors, "error"));
                        if warnings > 0 {
                            line.push_str(&format!(", {}", plural(warnings, "warning")));
                        }
                        line
                    }
                };
                let _ = writeln!(out, "{}: {summary}", file.path.display());
            }
        }
        OutputFormat::Json => {
            let report = Report {
                version: 1,
                files: files
                    .iter()
                    .map(|file| FileReport {
                        path: file.path.display().to_string(),
                        valid: !file.parsed.has_errors(),
                        errors: count(&file.parsed.diagnostics, Severity::Error),
                        warnings: count(&file.parsed.diagnostics, Severity::Warning),
                        diagnostics: &file.parsed.diagnostics,
                    })
                    .collect(),
            };
            let text = serde_json::to_string_pretty(&report).expect("a report serialises");
            let _ = writeln!(out, "{text}");
        }
    }
    if io_failed {
        EXIT_USAGE
    } else if any_invalid {
        EXIT_INVALID
    } else {
        EXIT_CLEAN
    }
}
