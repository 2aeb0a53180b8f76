//! The executive summary: risks by severity and status (with a bar chart), the top risks in
//! a sentence each, the open questions, the fix plan when one was computed, and the risks by
//! framework.

use std::collections::{BTreeMap, BTreeSet};

use super::super::canvas::{Font, Paint};
use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::fonts::Face;
use super::super::report::{PlanStep, Report};
use super::super::theme;
use super::{QUESTIONS, RISKS, SUMMARY, plural, quoted, severity_cell, status_text};
use crate::findings::Severity;
use crate::frameworks::Framework;
use crate::model::TriageStatus;

const TOP_RISKS: usize = 5;
const LISTED_QUESTIONS: usize = 5;
const LISTED_CLOSED: usize = 6;

pub fn summary(writer: &mut Writer, report: &Report) {
    let run = report.run;
    writer.new_page(Orientation::Portrait);
    writer.heading(1, SUMMARY, 0.0);
    let mut number = Numbering::default();

    let model = run.model;
    let scope = format!(
        "Bartizan ran {} checks on the model “{}” ({}, {}, {}).",
        report.rules().len(),
        model.metadata.name,
        plural(model.nodes.len(), "node", "nodes"),
        plural(model.edges.len(), "edge", "edges"),
        plural(model.boundaries.len(), "boundary", "boundaries"),
    );
    let asked = questions_sentence(report);
    if run.risks.is_empty() {
        writer.paragraph(
            &format!("No risks. {scope} None of them found a problem: no ungoverned path, standing credential or missing control is visible in the model as drawn. {asked} The report is only as complete as the model; the appendix lists what the model contains."),
            theme::BODY,
        );
    } else {
        let counts = report.count_by_severity();
        let by_severity: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
            .collect();
        let open = report.open_risks();
        let decided = run.risks.len() - open;
        let state = match (open, decided) {
            (_, 0) => "None carries a triage decision yet.".to_owned(),
            (0, _) => "Every one carries a triage decision (mitigated, accepted or false positive) recorded in the model with its justification.".to_owned(),
            _ => format!(
                "{} still open; {} a triage decision (mitigated, accepted or false positive) recorded in the model with its justification.",
                if open == 1 { "1 is".to_owned() } else { format!("{open} are") },
                if decided == 1 { "1 carries".to_owned() } else { format!("{decided} carry") },
            ),
        };
        writer.paragraph(
            &format!(
                "{scope} They found {}: {}. Each risk is one control missing at one place, with every check that fires there as a facet. {state} {asked}",
                plural(run.risks.len(), "risk", "risks"),
                by_severity.join(", "),
            ),
            theme::BODY,
        );

        writer.heading(2, &number.next("Risks by severity"), 120.0);
        severity_chart(writer, report);
        severity_table(writer, report);

        writer.heading(2, &number.next("Top risks"), 60.0);
        top_risks(writer, report);
    }

    if !run.questions.is_empty() {
        writer.heading(2, &number.next("Open questions"), 60.0);
        open_questions(writer, report);
    }
    if let Some(plan) = &report.plan {
        // The heading keeps its paragraph and the first steps with it.
        writer.heading(2, &number.next("Fix plan"), 130.0);
        fix_plan(writer, plan);
    }
    if !run.risks.is_empty() {
        writer.heading(2, &number.next("Risks by framework"), 80.0);
        frameworks(writer, report);
    }
}

/// `1.1`, `1.2`, … for the subsections that are there.
#[derive(Default)]
struct Numbering(usize);

impl Numbering {
    fn next(&mut self, title: &str) -> String {
        self.0 += 1;
        format!("1.{} {title}", self.0)
    }
}

/// How many questions are open and how many findings wait on them, in a sentence.
fn questions_sentence(report: &Report) -> String {
    let questions = &report.run.questions;
    let waiting: usize = questions.iter().map(|q| q.pending.len()).sum();
    match (questions.len(), waiting) {
        (0, _) => "No question about an unstated property is open.".to_owned(),
        (asked, 0) => format!(
            "{} about properties the model leaves unstated ({}).",
            if asked == 1 {
                "1 question is open".to_owned()
            } else {
                format!("{asked} questions are open")
            },
            section_name(QUESTIONS)
        ),
        (asked, waiting) => format!(
            "{} about properties the model leaves unstated; {} only under a cautious reading of them and {} until they are answered ({}).",
            if asked == 1 {
                "1 question is open".to_owned()
            } else {
                format!("{asked} questions are open")
            },
            if waiting == 1 {
                "1 finding holds".to_owned()
            } else {
                format!("{waiting} findings hold")
            },
            if waiting == 1 {
                "is not reported as a risk"
            } else {
                "are not reported as risks"
            },
            section_name(QUESTIONS)
        ),
    }
}

/// "section 4, Open questions" from "4 Open questions".
fn section_name(heading: &str) -> String {
    match heading.split_once(' ') {
        Some((number, title)) => format!("section {number}, {title}"),
        None => heading.to_owned(),
    }
}

/// Risks per severity and triage status, with totals.
fn severity_table(writer: &mut Writer, report: &Report) {
    let statuses = [
        TriageStatus::Open,
        TriageStatus::Mitigated,
        TriageStatus::Accepted,
        TriageStatus::FalsePositive,
    ];
    let mut columns = vec![Column::new("Severity", 1.3)];
    columns.extend(statuses.iter().map(|s| Column::new(&status_text(*s), 1.0)));
    columns.push(Column::new("Total", 1.0));
    let mut table: BTreeMap<(Severity, TriageStatus), usize> = BTreeMap::new();
    for risk in &report.run.risks {
        *table.entry((risk.severity, risk.status())).or_default() += 1;
    }
    let rows: Vec<Vec<Cell>> = Severity::ALL
        .iter()
        .map(|&severity| {
            let mut row = vec![severity_cell(severity)];
            let mut total = 0;
            for &status in &statuses {
                let n = table.get(&(severity, status)).copied().unwrap_or(0);
                total += n;
                row.push(Cell::from(n.to_string()));
            }
            row.push(Cell {
                text: total.to_string(),
                bold: true,
                ..Cell::default()
            });
            row
        })
        .collect();
    writer.table(&columns, &rows, theme::TABLE);
}

/// The first open risks in report order, one sentence each, in the names people drew.
fn top_risks(writer: &mut Writer, report: &Report) {
    let open: Vec<(&str, &crate::risks::Risk)> = report
        .risks()
        .filter(|(_, risk)| risk.is_actionable())
        .take(TOP_RISKS)
        .collect();
    if open.is_empty() {
        writer.paragraph(
            "Every risk carries a triage decision or is in the baseline; none is open.",
            theme::BODY,
        );
        return;
    }
    for (label, risk) in open {
        let sentence = format!(
            "{label} [{}] {}.",
            risk.severity,
            quoted(risk.title.trim_end_matches('.'))
        );
        writer.bullet(&sentence, theme::BODY);
    }
    writer.paragraph(
        &format!("Each is set out in {}, in this order.", section_name(RISKS)),
        theme::SMALL_MUTED,
    );
}

/// The first questions, and where the rest are.
fn open_questions(writer: &mut Writer, report: &Report) {
    let questions = &report.run.questions;
    for question in questions.iter().take(LISTED_QUESTIONS) {
        let decides = match question.pending.len() {
            0 => String::new(),
            1 => " (decides 1 finding)".to_owned(),
            n => format!(" (decides {n} findings)"),
        };
        writer.bullet(&format!("{}{decides}", quoted(&question.text)), theme::BODY);
    }
    let more = questions.len().saturating_sub(LISTED_QUESTIONS);
    let rest = if more > 0 {
        format!(
            "{} more, and how each property is read until it is answered",
            plural(more, "question", "questions")
        )
    } else {
        "How each property is read until it is answered".to_owned()
    };
    writer.paragraph(
        &format!("{rest}: {}.", section_name(QUESTIONS)),
        theme::SMALL_MUTED,
    );
}

/// The fix plan: each step a control, with the risks it closes. Every number in it comes
/// from re-running the checks on the model with the control applied, none is estimated.
fn fix_plan(writer: &mut Writer, plan: &[PlanStep]) {
    if plan.is_empty() {
        writer.paragraph(
            "No step is needed: no open risk is left for a control to close.",
            theme::BODY,
        );
        return;
    }
    let closed: usize = plan.iter().map(|step| step.closes.len()).sum();
    writer.paragraph(
        &format!(
            "{} {}. Each step was applied to a copy of the model and the checks re-run: a step closes the risks they no longer found. Each step is the one that closes the most risk, weighted by severity, of what the steps before it left open.",
            plural(plan.len(), "step closes", "steps close"),
            plural(closed, "risk", "risks"),
        ),
        theme::BODY,
    );
    let rows: Vec<Vec<Cell>> = plan
        .iter()
        .enumerate()
        .map(|(index, step)| {
            vec![
                Cell::from((index + 1).to_string()),
                Cell::from(quoted(&step.title)),
                Cell::from(closed_list(&step.closes)),
            ]
        })
        .collect();
    writer.table(
        &[
            Column::new("#", 0.3),
            Column::new("Control", 3.0),
            Column::new("Closes", 4.0),
        ],
        &rows,
        theme::TABLE,
    );
}

/// The risks a step closes, one a line; beyond a few, how many more (a table row never
/// splits, so it must stay short).
fn closed_list(titles: &[String]) -> String {
    let mut lines: Vec<String> = titles
        .iter()
        .take(LISTED_CLOSED)
        .map(|title| quoted(title))
        .collect();
    let more = titles.len().saturating_sub(LISTED_CLOSED);
    if more > 0 {
        lines.push(format!("and {more} more"));
    }
    lines.join("\n")
}

/// How many risks cite each framework (a risk counts once however many of its checks cite
/// it), and which entries.
fn frameworks(writer: &mut Writer, report: &Report) {
    let mut frameworks: BTreeMap<Framework, (usize, BTreeSet<String>)> = BTreeMap::new();
    for risk in &report.run.risks {
        let mut seen = BTreeSet::new();
        for reference in &risk.references {
            let framework = reference.framework();
            let entry = frameworks.entry(framework).or_default();
            entry.1.insert(reference.id());
            if seen.insert(framework) {
                entry.0 += 1;
            }
        }
    }
    let rows: Vec<Vec<Cell>> = Framework::ALL
        .iter()
        .filter_map(|framework| {
            let (count, ids) = frameworks.get(framework)?;
            Some(vec![
                Cell::from(framework.name()),
                Cell::from(count.to_string()),
                Cell::from(ids.iter().cloned().collect::<Vec<_>>().join(", ")),
            ])
        })
        .collect();
    writer.table(
        &[
            Column::new("Framework", 2.2),
            Column::new("Risks", 0.8),
            Column::new("Entries cited", 4.0),
        ],
        &rows,
        theme::TABLE,
    );
}

/// Horizontal bars, one per severity, scaled to the largest count.
fn severity_chart(writer: &mut Writer, report: &Report) {
    let counts = report.count_by_severity();
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    let bar_height = 14.0;
    let gap = 6.0;
    let height = Severity::ALL.len() as f32 * (bar_height + gap) + 10.0;
    writer.drawing(height, |canvas, left, top, width| {
        let label = Font::new(Face::Regular, 9.0, theme::TEXT);
        let count_font = Font::new(Face::Bold, 9.0, theme::TEXT);
        let label_width = 70.0;
        let room = width - label_width - 40.0;
        canvas.polyline(
            &[
                (left + label_width, top),
                (left + label_width, top + height - 10.0),
            ],
            theme::RULE,
            0.8,
            false,
        );
        for (row, severity) in Severity::ALL.iter().enumerate() {
            let y = top + row as f32 * (bar_height + gap);
            let count = counts.get(severity).copied().unwrap_or(0);
            canvas.text(left, y + bar_height - 3.5, label, severity.as_str());
            let length = room * count as f32 / max as f32;
            if count > 0 {
                canvas.rect(
                    left + label_width,
                    y,
                    length,
                    bar_height,
                    Paint::fill(theme::severity_color(*severity)),
                );
            }
            canvas.text(
                left + label_width + length + 6.0,
                y + bar_height - 3.5,
                count_font,
                &count.to_string(),
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use printpdf::{Op, TextItem};

    use super::super::super::PdfOptions;
    use super::super::super::fonts::Fonts;
    use super::*;
    use crate::report::CheckRun;

    /// Every text the summary draws, in order.
    fn summary_texts(report: &Report) -> Vec<String> {
        let fonts = Fonts::load();
        let mut writer = Writer::new(&fonts);
        summary(&mut writer, report);
        writer
            .pages
            .iter()
            .flat_map(|page| &page.ops)
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(
                    items
                        .iter()
                        .filter_map(|item| match item {
                            TextItem::Text(text) => Some(text.as_str()),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_fix_plan_is_printed_when_given_with_what_each_step_closes() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/finance-ops.bartizan.yaml"
        ))
        .unwrap();
        let parsed = crate::syntax::parse_model(
            &text,
            crate::syntax::Format::Yaml,
            &crate::syntax::Limits::default(),
        );
        let model = parsed.valid_model().expect("the example is valid");
        let run = CheckRun::new(
            model,
            "finance-ops.bartizan.yaml".to_owned(),
            String::new(),
            Default::default(),
            None,
        );
        let options = PdfOptions {
            generated_at: 0,
            audit: None,
        };

        let without = summary_texts(&Report::new(&run, &options));
        assert!(!without.iter().any(|t| t.contains("Fix plan")));

        let closes = run.risks[0].title.clone();
        let plan = vec![PlanStep {
            title: "Add a policy gateway in front of Payment connector".to_owned(),
            closes: vec![closes.clone()],
        }];
        let with = summary_texts(&Report::new(&run, &options).with_plan(plan)).join(" ");
        for needle in [
            "Fix plan",
            "1 step closes 1 risk.",
            "Add a policy gateway in front of",
            closes.split(' ').next().unwrap(),
        ] {
            assert!(with.contains(needle), "`{needle}` not in {with}");
        }

        let many: Vec<String> = (1..=LISTED_CLOSED + 3)
            .map(|n| format!("Risk number {n}"))
            .collect();
        let plan = vec![PlanStep {
            title: "Split the agent".to_owned(),
            closes: many.clone(),
        }];
        let with = summary_texts(&Report::new(&run, &options).with_plan(plan)).join(" ");
        assert!(with.contains("Risk number 1"), "{with}");
        assert!(!with.contains(&format!("Risk number {}", LISTED_CLOSED + 1)));
        assert!(with.contains("and 3 more"), "{with}");

        let nothing_to_do =
            summary_texts(&Report::new(&run, &options).with_plan(Vec::new())).join(" ");
        assert!(nothing_to_do.contains("No step is needed"));
    }
}
