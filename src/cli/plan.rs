//! `bartizan plan MODEL`: the fewest controls that close the most risk, each one simulated.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::check::read_valid_model;
use super::{EXIT_CLEAN, OutputFormat};

#[derive(Args)]
pub struct PlanArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    model: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

/// Prints the plan of a valid model. Exit 0 whatever the plan says: the plan informs, `check`
/// gates.
pub fn run(args: &PlanArgs, out: &mut impl Write) -> u8 {
    let file = match read_valid_model(&args.model) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let model = file
        .parsed
        .valid_model()
        .expect("read_valid_model refuses invalid models");
    let plan = crate::plan::plan(model);
    let text = match args.format {
        OutputFormat::Text => plan.to_text(),
        OutputFormat::Json => plan.to_json(),
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_CLEAN
}
