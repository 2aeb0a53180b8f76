//! The appendix: the checks that ran (with their versions), the model's inventory (nodes,
//! edges, boundaries) and the triage decisions recorded in it, including decisions whose
//! risk no longer exists.

use rustc_hash::FxHashMap;

use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::report::Report;
use super::super::theme;
use super::{APPENDIX, severity_cell, status_text};
use crate::history::AuditEntry;

pub fn appendix(writer: &mut Writer, report: &Report) {
    let run = report.run;
    let model = run.model;
    writer.new_page(Orientation::Portrait);
    writer.heading(1, APPENDIX, 0.0);

    writer.heading(2, "6.1 Checks that ran", 80.0);
    let by_rule = report.risks_by_rule();
    let rows: Vec<Vec<Cell>> = report
        .rules()
        .iter()
        .map(|rule| {
            let found = by_rule.get(rule.id).map_or(0, Vec::len);
            vec![
                Cell::from(rule.id),
                Cell::from(rule.title),
                Cell::from(rule.version.to_string()),
                severity_cell(rule.default_severity),
                Cell {
                    text: found.to_string(),
                    bold: found > 0,
                    ..Cell::default()
                },
            ]
        })
        .collect();
    writer.table(
        &[
            Column::new("Id", 1.3),
            Column::new("Check", 4.0),
            Column::new("Version", 0.8),
            Column::new("Default severity", 1.2),
            Column::new("Risks", 0.8),
        ],
        &rows,
        theme::TABLE,
    );

    writer.heading(2, "6.2 Nodes", 60.0);
    let mut boundary_of: FxHashMap<&str, &str> = FxHashMap::default();
    for boundary in &model.boundaries {
        for member in &boundary.members {
            boundary_of.insert(member, &boundary.name);
        }
    }
    if model.nodes.is_empty() {
        writer.paragraph("The model has no nodes.", theme::BODY);
    } else {
        let rows: Vec<Vec<Cell>> = model
            .nodes
            .iter()
            .map(|node| {
                vec![
                    Cell::from(node.id.as_str()),
                    Cell::from(node.kind().as_str()),
                    Cell::from(node.name.as_str()),
                    Cell::from(boundary_of.get(node.id.as_str()).copied().unwrap_or("")),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::mono("Id", 2.2),
                Column::new("Kind", 1.2),
                Column::new("Name", 2.6),
                Column::new("Boundary", 1.8),
            ],
            &rows,
            theme::TABLE,
        );
    }

    writer.heading(2, "6.3 Edges", 60.0);
    if model.edges.is_empty() {
        writer.paragraph("The model has no edges.", theme::BODY);
    } else {
        let rows: Vec<Vec<Cell>> = model
            .edges
            .iter()
            .map(|edge| {
                let mut details: Vec<String> = Vec::new();
                if !edge.permissions.is_empty() {
                    let actions: Vec<&str> = edge.permissions.iter().map(|a| a.as_str()).collect();
                    details.push(format!("permissions: {}", actions.join(", ")));
                }
                if !edge.scope.is_empty() {
                    let actions: Vec<&str> = edge.scope.iter().map(|a| a.as_str()).collect();
                    details.push(format!("scope: {}", actions.join(", ")));
                }
                if let Some(auth) = edge.auth {
                    details.push(format!("auth: {}", auth.as_str()));
                }
                vec![
                    Cell::from(edge.from.as_str()),
                    Cell::from(edge.relation.as_str()),
                    Cell::from(edge.to.as_str()),
                    Cell::from(details.join("; ")),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::mono("From", 2.0),
                Column::new("Relation", 1.1),
                Column::mono("To", 2.0),
                Column::new("Details", 2.3),
            ],
            &rows,
            theme::TABLE,
        );
    }

    if !model.boundaries.is_empty() {
        writer.heading(2, "6.4 Boundaries", 60.0);
        let rows: Vec<Vec<Cell>> = model
            .boundaries
            .iter()
            .map(|boundary| {
                vec![
                    Cell::from(boundary.id.as_str()),
                    Cell::from(boundary.name.as_str()),
                    Cell::from(boundary.zone.as_str()),
                    Cell::from(boundary.parent.clone().unwrap_or_default()),
                    Cell::from(boundary.members.join(", ")),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::mono("Id", 1.6),
                Column::new("Name", 1.8),
                Column::new("Zone", 0.9),
                Column::mono("Inside", 1.2),
                Column::new("Members", 3.0),
            ],
            &rows,
            theme::TABLE,
        );
    }

    let number = if model.boundaries.is_empty() {
        "6.4"
    } else {
        "6.5"
    };
    writer.heading(2, &format!("{number} Triage history"), 60.0);
    if model.triage.is_empty() {
        writer.paragraph(
            "No triage decisions are recorded in the model.",
            theme::BODY,
        );
    } else {
        writer.paragraph(
            "The triage decisions recorded in the model file, keyed by risk fingerprint.",
            theme::BODY,
        );
        let rows: Vec<Vec<Cell>> = model
            .triage
            .iter()
            .map(|decision| {
                let risk = report.label_of(&decision.fingerprint);
                vec![
                    Cell::from(format!("{}\n{risk}", decision.fingerprint)),
                    Cell::from(status_text(decision.status)),
                    Cell::from(decision.by.clone().unwrap_or_default()),
                    Cell::from(decision.at.clone().unwrap_or_default()),
                    Cell::from(
                        decision
                            .justification
                            .as_deref()
                            .map(super::reflow)
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect();
        writer.table(
            &[
                Column::mono("Risk", 2.6),
                Column::new("Status", 1.0),
                Column::new("By", 1.1),
                Column::new("When", 1.15),
                Column::new("Justification", 3.4),
            ],
            &rows,
            theme::TABLE,
        );
    }
    if let Some(audit) = &report.options.audit {
        audit_trail(
            writer,
            report,
            audit,
            if model.boundaries.is_empty() {
                "6.5"
            } else {
                "6.6"
            },
        );
    }
    if !run.stale.is_empty() {
        writer.paragraph(
            &format!(
                "{} decision(s) name a risk that no longer exists (the model changed, or the checks no longer find it): {}.",
                run.stale.len(),
                run.stale.iter().map(|s| s.fingerprint.as_str()).collect::<Vec<_>>().join(", ")
            ),
            theme::SMALL_MUTED,
        );
    }
}

/// The workspace's append-only log of triage changes for this model: who changed which
/// decision, from what to what, when, and why.
fn audit_trail(writer: &mut Writer, report: &Report, audit: &[AuditEntry], number: &str) {
    writer.heading(2, &format!("{number} Triage audit trail"), 60.0);
    if audit.is_empty() {
        writer.paragraph(
            "The workspace holds no triage change for this model: no revision with a triage decision has been recorded.",
            theme::BODY,
        );
        return;
    }
    writer.paragraph(
        "Every change to a triage decision, as the workspace recorded it when a revision of the model was saved. The log is append-only.",
        theme::BODY,
    );
    let rows: Vec<Vec<Cell>> = audit
        .iter()
        .map(|entry| {
            let risk = report.label_of(&entry.fingerprint);
            vec![
                Cell::from(format!("{}\n{risk}", entry.fingerprint)),
                Cell::from(format!(
                    "{} → {}",
                    entry
                        .old_status
                        .map_or_else(|| "(no decision)".to_owned(), status_text),
                    entry
                        .new_status
                        .map_or_else(|| "(removed)".to_owned(), status_text)
                )),
                Cell::from(entry.by.as_str()),
                Cell::from(format!("{}\nrevision {}", entry.at, entry.revision)),
                Cell::from(
                    entry
                        .justification
                        .as_deref()
                        .map(super::reflow)
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    writer.table(
        &[
            Column::mono("Risk", 2.6),
            Column::new("Change", 1.5),
            Column::new("By", 1.1),
            Column::new("When", 1.3),
            Column::new("Justification", 3.0),
        ],
        &rows,
        theme::TABLE,
    );
}
