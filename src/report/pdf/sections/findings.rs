//! One section per finding: what is wrong and where (subject, the witness path with each
//! hop's reason, drawn and listed), why the severity is what it is, why it matters, the
//! control that fixes it, the framework entries, and the triage decision.

use super::super::canvas::{Color, Font, Paint};
use super::super::diagram;
use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::fonts::Face;
use super::super::report::Report;
use super::super::theme;
use super::{FINDINGS, quoted, reflow, status_text};
use crate::findings::Finding;

pub fn findings(writer: &mut Writer, report: &Report) {
    writer.new_page(Orientation::Portrait);
    writer.heading(1, FINDINGS, 0.0);
    if report.run.findings.is_empty() {
        writer.paragraph("No findings: there is nothing to list.", theme::BODY);
        return;
    }
    writer.paragraph(
        "Findings are ordered by severity. Each one names the check that raised it, the element it is about, and the witness path: the shortest chain of relations in the model that makes the risk possible, with the reason each hop holds. The fingerprint identifies the finding across edits and re-runs; triage decisions are keyed by it.",
        theme::BODY,
    );
    for (label, finding) in report.findings() {
        finding_section(writer, report, label, finding);
    }
}

fn finding_section(writer: &mut Writer, report: &Report, label: &str, finding: &Finding) {
    let rule = report.rule(finding);
    writer.heading(2, &format!("{label} {}", quoted(&finding.title)), 110.0);

    // The badge line: severity, check, status.
    writer.drawing(22.0, |canvas, left, top, _width| {
        let badge = Font::new(Face::Bold, 8.5, Color::WHITE);
        let text = finding.severity.as_str().to_uppercase();
        let badge_width = canvas.text_width(badge, &text) + 12.0;
        canvas.rounded_rect(
            left,
            top,
            badge_width,
            15.0,
            3.0,
            Paint::fill(theme::severity_color(finding.severity)),
        );
        canvas.text(left + 6.0, top + 11.0, badge, &text);
        let status = status_text(finding.status());
        let status_font = Font::new(Face::Bold, 8.5, theme::TEXT);
        let status_width = canvas.text_width(status_font, &status) + 12.0;
        let x = left + badge_width + 6.0;
        canvas.rounded_rect(
            x,
            top,
            status_width,
            15.0,
            3.0,
            Paint::fill_and_stroke(theme::PANEL, theme::RULE, 0.8),
        );
        canvas.text(x + 6.0, top + 11.0, status_font, &status);
        let check = format!("{} · {} (v{})", rule.id, rule.title, rule.version);
        canvas.text(
            x + status_width + 10.0,
            top + 11.0,
            Font::new(Face::Regular, 9.0, theme::MUTED),
            &check,
        );
    });

    let mut fields: Vec<(&str, String)> = Vec::new();
    let subjects: Vec<String> = finding.subjects.iter().map(|id| report.named(id)).collect();
    fields.push(("Subject", subjects.join(", ")));
    let mut severity = if finding.severity == finding.default_severity {
        format!("{} (the check's default)", finding.severity)
    } else {
        format!(
            "{} (the check's default is {})",
            finding.severity, finding.default_severity
        )
    };
    for factor in &finding.factors {
        let sign = if factor.effect > 0 { "+1" } else { "−1" };
        severity.push_str(&format!(
            "\n{sign} {}: {}",
            factor.kind.label(),
            quoted(&factor.detail)
        ));
    }
    fields.push(("Severity", severity));
    fields.push(("Fingerprint", finding.fingerprint.clone()));
    writer.fields(&fields, 82.0);

    if !finding.path.is_empty() {
        writer.heading(3, "Witness path", 60.0);
        let width = writer.width();
        let height = diagram::path_diagram_height(finding, width, writer.fonts());
        writer.drawing(height + 8.0, |canvas, left, top, width| {
            diagram::draw_path(
                canvas,
                report.run.model,
                finding,
                diagram::Area {
                    x: left,
                    y: top,
                    width,
                    height,
                },
            );
        });
        let rows: Vec<Vec<Cell>> = finding
            .path
            .iter()
            .enumerate()
            .map(|(step, s)| {
                let how = match &s.hop {
                    None => "where the path starts".to_owned(),
                    Some(hop) if hop.reversed => format!(
                        "{} (read backwards: {} ← this)",
                        hop.reason,
                        hop.relation.as_str()
                    ),
                    Some(hop) => quoted(&hop.reason),
                };
                vec![
                    Cell::from((step + 1).to_string()),
                    Cell::from(report.named(&s.node)),
                    Cell::from(how),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::new("#", 0.3),
                Column::new("Element", 3.0),
                Column::new("Reached by", 3.2),
            ],
            &rows,
            theme::TABLE,
        );
        if finding.other_paths > 0 {
            let more = if finding.other_paths == 1 {
                "1 other shortest path leads to the same place.".to_owned()
            } else {
                format!(
                    "{} other shortest paths lead to the same place.",
                    finding.other_paths
                )
            };
            writer.paragraph(&more, theme::SMALL_MUTED);
        }
    }

    if !finding.evidence.is_empty() {
        writer.heading(3, "Evidence", 30.0);
        for fact in &finding.evidence {
            writer.bullet(&quoted(fact), theme::BODY);
        }
    }
    writer.heading(3, "Why it matters", 30.0);
    writer.paragraph(&quoted(rule.rationale), theme::BODY);
    writer.heading(3, "Remediation", 30.0);
    writer.paragraph(&quoted(rule.remediation), theme::BODY);

    if !rule.references.is_empty() {
        writer.heading(3, "Framework references", 40.0);
        let rows: Vec<Vec<Cell>> = rule
            .references
            .iter()
            .map(|r| {
                vec![
                    Cell::from(r.id()),
                    Cell::from(r.title()),
                    Cell::from(r.framework().short()),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::new("Id", 1.3),
                Column::new("Title", 4.0),
                Column::new("Framework", 1.5),
            ],
            &rows,
            theme::TABLE,
        );
    }

    // A decision and its justification stay with their heading.
    let keep = if finding.triage.is_some() { 80.0 } else { 20.0 };
    writer.heading(3, "Triage", keep);
    match &finding.triage {
        None => writer.paragraph("Open: no decision recorded.", theme::BODY),
        Some(triage) => {
            let mut fields = vec![("Status", status_text(triage.status))];
            if let Some(by) = &triage.by {
                fields.push(("Decided by", by.clone()));
            }
            if let Some(at) = &triage.at {
                fields.push(("On", at.clone()));
            }
            fields.push((
                "Justification",
                triage
                    .justification
                    .as_deref()
                    .map_or_else(|| "none given".to_owned(), reflow),
            ));
            writer.fields(&fields, 82.0);
        }
    }
    if finding.baselined {
        writer.paragraph(
            "In the baseline: known before, not new in this run.",
            theme::SMALL_MUTED,
        );
    }
}
