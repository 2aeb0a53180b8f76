//! The executive summary: counts by severity and status (with a bar chart), counts by
//! framework, the top risks in a sentence each, and the controls that would remove the most
//! findings.

use std::collections::BTreeMap;

use super::super::canvas::{Font, Paint};
use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::fonts::Face;
use super::super::report::Report;
use super::super::theme;
use super::{SUMMARY, plural, quoted, severity_cell, status_text};
use crate::findings::Severity;
use crate::frameworks::Framework;
use crate::model::TriageStatus;

const TOP_RISKS: usize = 5;
const TOP_CONTROLS: usize = 5;

pub fn summary(writer: &mut Writer, report: &Report) {
    let run = report.run;
    writer.new_page(Orientation::Portrait);
    writer.heading(1, SUMMARY, 0.0);

    let model = run.model;
    let scope = format!(
        "Bartizan ran {} checks on the model “{}” ({}, {}, {}).",
        report.rules().len(),
        model.metadata.name,
        plural(model.nodes.len(), "node", "nodes"),
        plural(model.edges.len(), "edge", "edges"),
        plural(model.boundaries.len(), "boundary", "boundaries"),
    );
    if run.findings.is_empty() {
        writer.paragraph(
            &format!("No findings. {scope} None of them found a problem: no ungoverned path, standing credential or missing control is visible in the model as drawn. The report is only as complete as the model; the appendix lists what the model contains."),
            theme::BODY,
        );
        return;
    }
    let counts = run.count_by_severity();
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let open = run.actionable().count();
    let decided = run.findings.len() - open;
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
            "{scope} They found {}: {}. {state}",
            plural(run.findings.len(), "finding", "findings"),
            by_severity.join(", "),
        ),
        theme::BODY,
    );

    writer.heading(2, "1.1 Findings by severity", 120.0);
    severity_chart(writer, report);
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
    for finding in &run.findings {
        *table
            .entry((finding.severity, finding.status()))
            .or_default() += 1;
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

    writer.heading(2, "1.2 Findings by framework", 80.0);
    let mut frameworks: BTreeMap<Framework, (usize, std::collections::BTreeSet<String>)> =
        BTreeMap::new();
    for finding in &run.findings {
        let mut seen = std::collections::BTreeSet::new();
        for reference in report.rule(finding).references {
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
            Column::new("Findings", 0.8),
            Column::new("Entries cited", 4.0),
        ],
        &rows,
        theme::TABLE,
    );

    writer.heading(2, "1.3 Top risks", 60.0);
    let mut ranked: Vec<usize> = (0..run.findings.len()).collect();
    ranked.sort_by_key(|&i| {
        (
            !run.findings[i].is_actionable(),
            std::cmp::Reverse(run.findings[i].severity),
            i,
        )
    });
    for &index in ranked.iter().take(TOP_RISKS) {
        let finding = &run.findings[index];
        let status = if finding.is_actionable() {
            String::new()
        } else {
            format!(" ({})", status_text(finding.status()))
        };
        let sentence = format!(
            "{} [{}] {}{}.",
            report.label(index),
            finding.severity,
            quoted(finding.title.trim_end_matches('.')),
            status
        );
        writer.bullet(&sentence, theme::BODY);
    }

    writer.heading(2, "1.4 Controls that would remove the most findings", 80.0);
    writer.paragraph(
        "Each check names the control that removes what it finds. Ranked by the open findings each control would close:",
        theme::BODY,
    );
    let mut by_rule: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (index, finding) in run.findings.iter().enumerate() {
        if finding.is_actionable() {
            by_rule.entry(finding.rule).or_default().push(index);
        }
    }
    let mut controls: Vec<(&'static str, Vec<usize>)> = by_rule.into_iter().collect();
    controls.sort_by_key(|(rule, indices)| {
        let worst = indices.iter().map(|&i| run.findings[i].severity).max();
        (
            std::cmp::Reverse(indices.len()),
            std::cmp::Reverse(worst),
            *rule,
        )
    });
    if controls.is_empty() {
        writer.paragraph(
            "Every finding carries a triage decision; none is open.",
            theme::BODY,
        );
        return;
    }
    let rows: Vec<Vec<Cell>> = controls
        .iter()
        .take(TOP_CONTROLS)
        .map(|(rule_id, indices)| {
            let rule = crate::rules::by_id(rule_id).expect("findings come from catalogued rules");
            vec![
                Cell::from(rule.remediation),
                Cell::from(format!("{}\n{}", rule.id, rule.title)),
                Cell {
                    text: indices.len().to_string(),
                    bold: true,
                    ..Cell::default()
                },
            ]
        })
        .collect();
    writer.table(
        &[
            Column::new("Control", 4.6),
            Column::new("Check", 2.0),
            Column::new("Open findings", 0.9),
        ],
        &rows,
        theme::TABLE,
    );
}

/// Horizontal bars, one per severity, scaled to the largest count.
fn severity_chart(writer: &mut Writer, report: &Report) {
    let counts = report.run.count_by_severity();
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
