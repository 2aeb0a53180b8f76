//! `bartizan fmt MODEL... [--check]`

use std::io::Write;
use std::path::PathBuf;

use super::{
    EXIT_CLEAN, EXIT_FINDINGS, EXIT_INVALID, EXIT_USAGE, print_diagnostics, report_failure,
};
use crate::store;
use crate::syntax::{self, Format, Limits};

pub fn run(models: &[PathBuf], check_only: bool, out: &mut impl Write) -> u8 {
    let limits = Limits::default();
    let mut code = EXIT_CLEAN;
    for path in models {
        let file = match store::read_model(path, &limits) {
            Ok(file) => file,
            Err(error) => {
                report_failure(&error.to_string());
                code = code.max(EXIT_USAGE);
                continue;
            }
        };
        let Some(model) = file.parsed.valid_model() else {
            print_diagnostics(out, &file);
            let _ = writeln!(
                out,
                "{}: not formatted, the model is invalid",
                path.display()
            );
            code = code.max(EXIT_INVALID);
            continue;
        };
        let canonical = match Format::from_path(path) {
            Format::Yaml => syntax::to_yaml(model),
            Format::Json => syntax::to_json(model),
        };
        if canonical == file.source {
            continue;
        }
        if check_only {
            let _ = writeln!(
                out,
                "{}: not in canonical form (run `bartizan fmt`)",
                path.display()
            );
            code = code.max(EXIT_FINDINGS);
        } else if let Err(error) = store::write_atomically(path, canonical.as_bytes()) {
            report_failure(&error.to_string());
            code = code.max(EXIT_USAGE);
        } else {
            let _ = writeln!(out, "{}: formatted", path.display());
        }
    }
    code
}
