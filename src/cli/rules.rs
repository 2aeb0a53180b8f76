//! `bartizan rules`: the check catalog.

use std::io::Write;

use clap::ValueEnum;

use super::EXIT_CLEAN;
use crate::rules::{ALL, docs};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    Md,
}

pub fn run(format: RulesFormat, out: &mut impl Write) -> u8 {
    let text = match format {
        RulesFormat::Text => {
            let mut text = String::new();
            for rule in ALL {
                text.push_str(&format!(
                    "{}  {:<8}  {:<14}  {}\n",
                    rule.id,
                    rule.default_severity.as_str(),
                    rule.area.label(),
                    rule.title
                ));
            }
            text.push_str(&format!(
                "\n{} checks. `bartizan rules --format md` prints the full reference.\n",
                ALL.len()
            ));
            text
        }
        RulesFormat::Json => {
            let mut text =
                serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "rules": ALL }))
                    .expect("rules serialise");
            text.push('\n');
            text
        }
        RulesFormat::Md => docs::catalog_markdown(),
    };
    let _ = out.write_all(text.as_bytes());
    EXIT_CLEAN
}
