//! The report's sections, in reading order. Each lays itself out on the [`Writer`] and
//! records its headings; numbering lives here so sections can cross-reference.

mod appendix;
mod cover;
mod coverage;
mod questions;
mod risks;
mod summary;
mod system;

pub use appendix::appendix;
pub use cover::cover;
pub use coverage::coverage;
pub use questions::questions;
pub use risks::risks;
pub use summary::summary;
pub use system::system;

use super::document::Cell;
use super::theme;
use crate::findings::Severity;
use crate::model::TriageStatus;

pub const SUMMARY: &str = "1 Executive summary";
pub const SYSTEM: &str = "2 The system";
pub const RISKS: &str = "3 Risks";
pub const QUESTIONS: &str = "4 Open questions";
pub const COVERAGE: &str = "5 Framework coverage";
pub const APPENDIX: &str = "6 Appendix";

/// A severity as a coloured table cell.
fn severity_cell(severity: Severity) -> Cell {
    Cell {
        text: severity.as_str().to_owned(),
        fill: Some(theme::severity_color(severity)),
        bold: true,
    }
}

/// "false positive" rather than "false_positive".
fn status_text(status: TriageStatus) -> String {
    status.as_str().replace('_', " ")
}

/// "1 risk", "3 risks".
fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Finding text marks ids with backticks (Markdown); in print they read better as quotes,
/// and apostrophes as typographic ones. A quoted id's possessive shares its closing quote
/// (‘ap-clerk’s) rather than doubling it.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut open = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' if open => {
                out.push('’');
                open = false;
                if chars.peek() == Some(&'\'') {
                    chars.next();
                }
            }
            '`' => {
                out.push('‘');
                open = true;
            }
            '\'' if !open => out.push('’'),
            _ => out.push(c),
        }
    }
    out
}

/// Text written in a YAML block keeps the file's line breaks; a paragraph break is a blank
/// line, other breaks are spaces.
fn reflow(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_quotes_and_block_text_reflows() {
        assert_eq!(quoted("`a` can reach `b`"), "‘a’ can reach ‘b’");
        assert_eq!(
            quoted("beyond `ap-clerk`'s scope"),
            "beyond ‘ap-clerk’s scope"
        );
        assert_eq!(quoted("the check's default"), "the check’s default");
        assert_eq!(reflow("one\ntwo\n\nthree  four\n"), "one two\nthree four");
    }
}
