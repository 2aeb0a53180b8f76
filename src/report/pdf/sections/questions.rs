//! The open questions: properties the model leaves unstated that the checks read. Each row
//! says what is asked, how the checks read the property until it is answered, and which
//! findings the answer decides — a checklist for the next workshop.

use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::report::Report;
use super::super::theme;
use super::{QUESTIONS, quoted};

/// The findings a question decides that its row lists; a table row never splits, so it
/// stays short and says how many more there are.
const LISTED_PENDING: usize = 4;

pub fn questions(writer: &mut Writer, report: &Report) {
    let questions = &report.run.questions;
    writer.new_page(Orientation::Portrait);
    writer.heading(1, QUESTIONS, 0.0);
    if questions.is_empty() {
        writer.paragraph(
            "No open questions: every property the checks read is stated in the model.",
            theme::BODY,
        );
        return;
    }
    writer.paragraph(
        "A property the model leaves unstated never raises a risk by itself: it is asked here. Until it is answered the checks read it as the third column says. Where a finding holds only under that reading, it is not reported as a risk; the last column names it, and answering the question decides it. Answer a question by stating the property in the model file.",
        theme::BODY,
    );
    let rows: Vec<Vec<Cell>> = questions
        .iter()
        .map(|question| {
            let decides = if question.pending.is_empty() {
                format!("none yet; read by {}", question.rules.join(", "))
            } else {
                let mut lines: Vec<String> = question
                    .pending
                    .iter()
                    .take(LISTED_PENDING)
                    .map(|pending| format!("{} {}", pending.rule, quoted(&pending.title)))
                    .collect();
                let more = question.pending.len().saturating_sub(LISTED_PENDING);
                if more > 0 {
                    lines.push(format!("and {more} more"));
                }
                lines.join("\n")
            };
            vec![
                Cell::from(format!(
                    "{}\n{} · {}",
                    question.element_name, question.element, question.property
                )),
                Cell::from(quoted(&question.text)),
                Cell::from(quoted(question.reading)),
                Cell::from(decides),
            ]
        })
        .collect();
    writer.table(
        &[
            Column::new("Element", 1.8),
            Column::new("Question", 2.0),
            Column::new("Assumed meanwhile", 1.8),
            Column::new("Would decide", 2.8),
        ],
        &rows,
        theme::TABLE,
    );
}
