//! One section per risk: the control missing at one place, how severe and why, every check
//! that fires there (its evidence), the paths it affects (the shortest drawn and listed), the
//! one remediation, the framework entries of all its checks, and the triage decision.

use super::super::canvas::{Color, Font, Paint};
use super::super::diagram;
use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::fonts::Face;
use super::super::report::{Report, catalogue_order};
use super::super::theme;
use super::{RISKS, plural, quoted, reflow, status_text};
use crate::findings::Step;
use crate::risks::Risk;

pub fn risks(writer: &mut Writer, report: &Report) {
    writer.new_page(Orientation::Portrait);
    writer.heading(1, RISKS, 0.0);
    if report.run.risks.is_empty() {
        writer.paragraph("No risks: there is nothing to list.", theme::BODY);
        return;
    }
    writer.paragraph(
        "A risk is one control missing at one place: the calls of one agent or workflow, one credential or identity, the tools one agent loads, one memory, one person’s approvals. Every check that fires there is listed as a facet with its evidence; the risk has one remediation and one severity, the highest of its facets. Risks are ordered by severity, then by the harm in reach, whether untrusted content or a person’s approval starts a path, and how many paths they affect. The fingerprint identifies the risk across edits and re-runs; triage decisions are keyed by it.",
        theme::BODY,
    );
    for (label, risk) in report.risks() {
        risk_section(writer, report, label, risk);
    }
}

fn risk_section(writer: &mut Writer, report: &Report, label: &str, risk: &Risk) {
    writer.heading(2, &format!("{label} {}", quoted(&risk.title)), 110.0);

    // The badge line: severity, status, kind of risk.
    writer.drawing(22.0, |canvas, left, top, _width| {
        let badge = Font::new(Face::Bold, 8.5, Color::WHITE);
        let text = risk.severity.as_str().to_uppercase();
        let badge_width = canvas.text_width(badge, &text) + 12.0;
        canvas.rounded_rect(
            left,
            top,
            badge_width,
            15.0,
            3.0,
            Paint::fill(theme::severity_color(risk.severity)),
        );
        canvas.text(left + 6.0, top + 11.0, badge, &text);
        let status = status_text(risk.status());
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
        canvas.text(
            x + status_width + 10.0,
            top + 11.0,
            Font::new(Face::Regular, 9.0, theme::MUTED),
            risk.kind.label(),
        );
    });

    let mut fields: Vec<(&str, String)> = vec![("Place", report.named(&risk.place))];
    if let Some(why) = &risk.critical {
        fields.push(("Why critical", quoted(&report.in_names(why))));
    }
    if !risk.assumed.is_empty() {
        let readings: Vec<String> = risk
            .assumed
            .iter()
            .map(|a| {
                quoted(&format!(
                    "`{}` of {} is unstated: read as {}",
                    a.property,
                    report.name(&a.element),
                    a.reading
                ))
            })
            .collect();
        fields.push(("Assumed", readings.join("\n")));
    }
    fields.push((
        "Paths",
        format!(
            "{} affected; the shortest is drawn below",
            plural(risk.priority.paths as usize, "path", "paths")
        ),
    ));
    fields.push(("Fingerprint", risk.fingerprint.clone()));
    writer.fields(&fields, 82.0);

    writer.heading(3, "Checks that fire here", 50.0);
    let rows: Vec<Vec<Cell>> = risk
        .facets
        .iter()
        .map(|facet| {
            let rule = crate::rules::by_id(facet.rule).expect("facets come from catalogued rules");
            let mut found = quoted(&report.in_names(&facet.title));
            for fact in &facet.evidence {
                found.push_str("\n– ");
                found.push_str(&quoted(&report.in_names(fact)));
            }
            vec![
                Cell::from(format!("{} · {}\n{}", rule.id, facet.severity, rule.title)),
                Cell::from(found),
            ]
        })
        .collect();
    writer.table(
        &[Column::new("Check", 2.2), Column::new("What it found", 5.5)],
        &rows,
        theme::TABLE,
    );

    if let Some(shortest) = risk.paths.first().filter(|path| !path.is_empty()) {
        writer.heading(3, "Shortest path", 60.0);
        path_diagram(writer, report, shortest);
        let others: Vec<String> = risk.paths[1..]
            .iter()
            .map(|path| path_in_names(report, path))
            .collect();
        if !others.is_empty() {
            // The label stays with at least the first path it introduces.
            writer.ensure(theme::SMALL_MUTED.size * 1.4 * 2.0 + 8.0);
            writer.paragraph("Other paths:", theme::SMALL_MUTED);
            for line in &others {
                writer.bullet(line, theme::SMALL_MUTED);
            }
        }
        let unshown = risk.priority.paths.saturating_sub(risk.paths.len() as u64);
        if unshown > 0 {
            writer.paragraph(
                &format!(
                    "{} more {} the same place.",
                    unshown,
                    if unshown == 1 {
                        "path leads to"
                    } else {
                        "paths lead to"
                    }
                ),
                theme::SMALL_MUTED,
            );
        }
    }

    writer.heading(3, "Remediation", 30.0);
    writer.paragraph(&quoted(&risk.remediation), theme::BODY);

    if !risk.references.is_empty() {
        writer.heading(3, "Framework references", 40.0);
        // Grouped by framework, each named once, in the catalog's order.
        let mut references = risk.references.clone();
        references.sort_by_key(catalogue_order);
        let rows: Vec<Vec<Cell>> = references
            .iter()
            .enumerate()
            .map(|(index, r)| {
                let first = index == 0 || references[index - 1].framework() != r.framework();
                vec![
                    Cell {
                        text: if first {
                            r.framework().short().to_owned()
                        } else {
                            String::new()
                        },
                        bold: true,
                        ..Cell::default()
                    },
                    Cell::from(r.id()),
                    Cell::from(r.title()),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::new("Framework", 1.5),
                Column::new("Id", 1.3),
                Column::new("Title", 4.0),
            ],
            &rows,
            theme::TABLE,
        );
    }

    // A decision and its justification stay with their heading.
    let keep = if risk.triage.is_some() { 80.0 } else { 20.0 };
    writer.heading(3, "Triage", keep);
    match &risk.triage {
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
    if risk.baselined {
        writer.paragraph(
            "In the baseline: known before, not new in this run.",
            theme::SMALL_MUTED,
        );
    }
}

/// A witness path drawn, then listed hop by hop with the reason each holds.
fn path_diagram(writer: &mut Writer, report: &Report, path: &[Step]) {
    let width = writer.width();
    let height = diagram::path_diagram_height(path, width, writer.fonts());
    writer.drawing(height + 8.0, |canvas, left, top, width| {
        diagram::draw_path(
            canvas,
            report.run.model,
            path,
            diagram::Area {
                x: left,
                y: top,
                width,
                height,
            },
        );
    });
    // A long path's rows are numbered by their place on the whole path.
    let mut left_out = 0;
    let rows: Vec<Vec<Cell>> = path
        .iter()
        .enumerate()
        .map(|(step, s)| {
            left_out += s.elided;
            let how = match &s.hop {
                None => "where the path starts".to_owned(),
                Some(hop) if hop.reversed => format!(
                    "{} (read backwards: {} ← this)",
                    hop.reason,
                    hop.relation.as_str()
                ),
                Some(hop) => quoted(&hop.reason),
            };
            let how = if s.elided > 0 {
                format!(
                    "… {} more …, then {how}",
                    crate::report::plural_steps(s.elided)
                )
            } else {
                how
            };
            vec![
                Cell::from((step + 1 + left_out).to_string()),
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
}

/// A path on one line, in names: `Inbound email → Support agent → Refund API`.
fn path_in_names(report: &Report, path: &[Step]) -> String {
    path.iter()
        .map(|step| report.name(&step.node))
        .collect::<Vec<_>>()
        .join(" → ")
}
